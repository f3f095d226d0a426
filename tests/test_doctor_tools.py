"""doctor checks what serve checks at start (tool and toolset names), and `tools` refuses unknown names the same way."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from harness import server_command


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*server_command(), *args], env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}, capture_output=True, text=True, timeout=60)


def test_doctor_fails_where_serve_refuses(cloud: Any) -> None:
    for name, bad in (("ATLASSIAN_TOOLSETS", "nope"), ("ATLASSIAN_TOOLS", "nope_tool")):
        env = cloud.env(**{name: bad})
        doctor = cli("doctor", env=env)
        assert doctor.returncode == 1 and "[FAIL] tools" in doctor.stdout and bad in doctor.stdout, doctor.stdout
        serve = subprocess.run(server_command(), env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert serve.returncode == 2 and bad in serve.stderr
        tools = cli("tools", env=env)
        assert tools.returncode == 2 and bad in tools.stderr and tools.stdout == ""


def test_doctor_counts_the_listing(cloud: Any) -> None:
    doctor = cli("doctor", env=cloud.env(ATLASSIAN_TOOLSETS="default"))
    assert doctor.returncode == 0, doctor.stdout
    assert "[ok  ] tools: 32 tools listed, " in doctor.stdout and "more through atlassian_enable_toolset" in doctor.stdout
    keywords = cli("doctor", env=cloud.env(ATLASSIAN_TOOLSETS="default,jira_agile"))
    assert keywords.returncode == 0, keywords.stdout


def test_doctor_before_an_oauth_sign_in_says_login(cloud: Any, tmp_path: Path) -> None:
    from fakecloud.oauth import free_port, oauth_env

    doctor = cli("doctor", env=oauth_env(cloud, tmp_path / "cfg", free_port()))
    assert doctor.returncode == 1
    assert "fix: run `atlassian-mcp-server login`" in doctor.stdout, doctor.stdout
    assert "network" not in doctor.stdout.split("[FAIL]", 1)[1]
