"""The product commands through the installed CLI: doctor, config, tools, status."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from fakecloud import API_TOKEN
from harness import server_command


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*server_command(), *args], env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}, capture_output=True, text=True, timeout=60)


def test_doctor_all_green(cloud: Any) -> None:
    proc = cli("doctor", env=cloud.env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert all(line.startswith("[ok  ]") for line in lines if line.startswith("["))
    for name in ("settings", "credentials", "site reachable", "token accepted", "Jira", "Confluence", "Jira Service Management"):
        assert any(f"] {name}:" in line for line in lines), name
    assert API_TOKEN not in proc.stdout + proc.stderr


def test_doctor_names_the_fix(cloud: Any) -> None:
    bad = cli("doctor", env=cloud.env(ATLASSIAN_API_TOKEN="wrong-token-123"))
    assert bad.returncode == 1
    assert "[FAIL] token accepted" in bad.stdout and "fix: create a new API token" in bad.stdout
    cloud.licensed["servicedesk"] = False
    try:
        no_jsm = cli("doctor", env=cloud.env())
    finally:
        cloud.licensed["servicedesk"] = True
    assert no_jsm.returncode == 1
    assert "[FAIL] Jira Service Management" in no_jsm.stdout and "leave 'service_desk' out of ATLASSIAN_MODULES" in no_jsm.stdout
    unset = cli("doctor", env={})
    assert unset.returncode == 1 and "ATLASSIAN_SITE_URL" in unset.stdout
    unreachable = cli(
        "doctor", env={"ATLASSIAN_SITE_URL": "http://127.0.0.1:9", "ATLASSIAN_EMAIL": "a@b.c", "ATLASSIAN_API_TOKEN": "t-123456", "ATLASSIAN_MAX_RETRIES": "0"}
    )
    assert unreachable.returncode == 1 and "[FAIL] site reachable" in unreachable.stdout


@pytest.mark.parametrize("client", ["claude-desktop", "claude-code", "vscode", "cursor", "amazon-q", "cline"])
def test_config_snippets_never_hold_secrets(client: str) -> None:
    env = {
        "ATLASSIAN_SITE_URL": "https://acme.atlassian.net",
        "ATLASSIAN_EMAIL": "me@acme.com",
        "ATLASSIAN_API_TOKEN": "very-secret-token",
        "ATLASSIAN_READ_ONLY": "true",
    }
    proc = cli("config", "--client", client, env=env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "very-secret-token" not in out + proc.stderr
    assert "https://acme.atlassian.net" in out and "ATLASSIAN_API_TOKEN" in out and "ATLASSIAN_READ_ONLY" in out
    assert "atlassian-mcp-server" in out
    if client != "claude-code":
        doc = json.loads(out)
        servers = doc.get("mcpServers") or doc.get("servers")
        assert "atlassian" in servers


def test_tools_command_lists_every_tool_with_state() -> None:
    proc = cli("tools", "--json", env={"ATLASSIAN_READ_ONLY": "true", "ATLASSIAN_TOOLSETS": "all"})
    rows = json.loads(proc.stdout)
    from atlassian_mcp_server.tools.catalogue import CATALOGUE

    assert [r["name"] for r in rows] == [t.name for t in CATALOGUE.tools]
    assert all(r["enabled"] == (r["kind"] == "read") for r in rows)
    default = {r["name"]: r for r in json.loads(cli("tools", "--json", env={}).stdout)}
    assert default["jira_search"]["enabled"] and default["jira_list_boards"]["on_demand"] and not default["jira_delete_issue"]["on_demand"]
    assert all(r["bytes"] > 50 for r in rows)


def test_status_hides_secrets() -> None:
    proc = cli("status", env={"ATLASSIAN_SITE_URL": "https://acme.atlassian.net", "ATLASSIAN_EMAIL": "me@acme.com", "ATLASSIAN_API_TOKEN": "very-secret-token"})
    assert proc.returncode == 0
    assert "very-secret-token" not in proc.stdout and "api_token: set" in proc.stdout and "auth_mode: api_token" in proc.stdout


def test_status_shows_where_each_value_came_from(tmp_path: Any) -> None:
    (tmp_path / "config.toml").write_text('site_url = "https://from-file.atlassian.net"\nread_only = true\n')
    proc = cli("status", env={"ATLASSIAN_CONFIG_DIR": str(tmp_path), "ATLASSIAN_READ_ONLY": "false"})
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    assert lines["site_url"].startswith("https://from-file.atlassian.net") and "config.toml" in lines["site_url"]
    assert lines["read_only"] == "False  (environment)"
    assert lines["timeout"] == "30.0  (default)"
