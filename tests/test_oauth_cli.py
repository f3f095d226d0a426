"""The real `atlassian-mcp-server login | status | logout` commands against the fake Cloud."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fakecloud.oauth import CLOUD_ID, consent, free_port, oauth_env
from harness import server_command


@pytest.fixture
def oauth(cloud: Any) -> Any:
    cloud.oauth.reset()
    yield cloud.oauth
    cloud.oauth.reset()


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATLASSIAN_") and k not in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(server_command() + args, env=clean_env(env), input=stdin, capture_output=True, text=True, timeout=60)


def read_url(proc: subprocess.Popen[str]) -> str:
    """The authorize URL the command prints on stderr."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if "/authorize?" in line:
            return line.strip()
    raise AssertionError("login printed no URL")


def test_login_no_browser_with_pasted_url_then_status_and_logout(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    env = oauth_env(cloud, tmp_path / "cfg", free_port())
    before = run_cli(["status"], env)
    assert before.returncode == 0 and "signed_in: no" in before.stdout

    proc = subprocess.Popen(
        server_command() + ["login", "--no-browser"], env=clean_env(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        url = read_url(proc)
        redirect = consent(url)  # the browser is elsewhere: the user copies the address it ended on
        out, err = proc.communicate("not a url\n" + redirect + "\n", timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert f"Signed in to {cloud.url} (fake-site), cloud id {CLOUD_ID}." in out
    assert "not the sign-in redirect" in err  # the stray line was explained, the next one used
    token_file = tmp_path / "cfg" / "oauth-tokens.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "fake-client-secret" not in token_file.read_text()

    status = run_cli(["status"], env)
    assert status.returncode == 0
    assert "sign_in: OAuth 2.0 (3LO)" in status.stdout and "signed_in: yes" in status.stdout
    assert f"cloud_id: {CLOUD_ID}" in status.stdout and "missing_scopes: none" in status.stdout
    assert "at-" not in status.stdout and "rt-" not in status.stdout and "fake-client-secret" not in status.stdout

    narrower = run_cli(["status"], {**env, "ATLASSIAN_OAUTH_SCOPES": "read:me read:jira-work manage:jira-configuration"})
    assert "missing_scopes: manage:jira-configuration" in narrower.stdout

    out = run_cli(["logout"], env)
    assert out.returncode == 0 and "Signed out" in out.stdout and "id.atlassian.com" in out.stdout
    assert "signed_in: no" in run_cli(["status"], env).stdout


def test_login_opens_the_browser_which_reaches_the_callback(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    browser = tmp_path / "browser.py"
    browser.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(Path(__file__).parent)!r})
            from fakecloud.oauth import play_browser
            open({str(tmp_path / "visited")!r}, 'w').write(str(play_browser(sys.argv[1]).status_code))
            """
        )
    )
    env = oauth_env(cloud, tmp_path / "cfg", free_port(), BROWSER=f"{sys.executable} {browser} %s")
    done = run_cli(["login"], env)
    assert done.returncode == 0, done.stderr
    assert "/authorize?" in done.stderr  # shown even when a browser opens
    assert (tmp_path / "visited").read_text() == "200"
    assert "Signed in to" in done.stdout
    assert [r["grant_type"] for r in oauth.token_requests] == ["authorization_code"]


def test_login_reports_access_denied_and_busy_port(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    import socket

    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen(1)
        busy = run_cli(["login"], oauth_env(cloud, tmp_path / "cfg", port))
    assert busy.returncode == 1 and "ATLASSIAN_OAUTH_CALLBACK_PORT" in busy.stderr

    oauth.deny = True
    proc = subprocess.Popen(
        server_command() + ["login", "--no-browser"],
        env=clean_env(oauth_env(cloud, tmp_path / "cfg", free_port())),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(consent(read_url(proc)) + "\n", timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1 and "access was denied" in err
    assert oauth.token_requests == []


def test_login_with_api_token_settings_says_the_token_wins(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    env = {**oauth_env(cloud, tmp_path / "cfg", free_port()), "ATLASSIAN_EMAIL": "a@example.com", "ATLASSIAN_API_TOKEN": "tok"}
    done = run_cli(["login"], env)
    assert done.returncode == 2 and "precedence over OAuth" in done.stderr
    status = run_cli(["status"], env)
    assert "auth_mode: api_token" in status.stdout and "the API token wins" in status.stdout
