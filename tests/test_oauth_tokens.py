"""The token file: private modes, atomic writes, clear errors, and single-flight refresh in one process."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fakecloud.oauth import CLIENT_ID, CLOUD_ID, free_port, oauth_env, seed_tokens

from atlassian_mcp_server.auth.oauth import OAuthCredentials
from atlassian_mcp_server.auth.tokens import TokenFileError, TokenStore, entry_key, is_expiring
from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.errors import NotSignedIn
from atlassian_mcp_server.http import HttpClient

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def entry(**kw: Any) -> dict[str, Any]:
    base = {
        "site_url": "https://x.atlassian.net",
        "client_id": "cid",
        "cloud_id": "c1",
        "access_token": "a1",
        "refresh_token": "r1",
        "expires_at": time.time() + 3600,
    }
    base.update(kw)
    return base


@posix_only
def test_directory_0700_and_file_0600_from_creation(tmp_path: Path) -> None:
    old = os.umask(0)  # even with a permissive umask nothing is ever group/world readable
    try:
        store = TokenStore(tmp_path / "deep" / "cfg")
        store.put("k", entry())
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(store.dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.lock_path).st_mode) == 0o600
    assert [p.name for p in store.dir.iterdir() if p.name.endswith(".tmp")] == []


def test_client_secret_is_never_written(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.put("k", entry(client_secret="s3cret-value"))
    assert "s3cret-value" not in store.path.read_text()
    assert store.get("k")["access_token"] == "a1"


def test_entries_for_several_sites_live_side_by_side(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    one, two = entry_key("https://One.atlassian.net/", "cid"), entry_key("https://two.atlassian.net", "cid")
    assert one == entry_key("https://one.atlassian.net", "cid")
    store.put(one, entry(cloud_id="c1"))
    store.put(two, entry(cloud_id="c2"))
    assert store.get(one)["cloud_id"] == "c1" and store.get(two)["cloud_id"] == "c2"
    assert store.delete(one) and not store.delete(one)
    assert list(store.read_all()) == [two]


def test_a_crash_before_the_rename_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TokenStore(tmp_path)
    store.put("k", entry(access_token="old"))
    before = store.path.read_bytes()

    def crash(src: Any, dst: Any) -> None:
        raise OSError("simulated crash between the temporary write and the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.put("k", entry(access_token="new"))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert store.get("k")["access_token"] == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # the half-written file is cleaned up


@pytest.mark.skipif(os.name != "posix", reason="os.kill and fork semantics")
def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    """A real kill: the child writes its temporary file, then dies by SIGKILL before renaming it."""
    import signal
    import subprocess

    store = TokenStore(tmp_path)
    store.put("k", entry(access_token="old"))
    code = (
        "import os, signal, sys\n"
        "from atlassian_mcp_server.auth.tokens import TokenStore\n"
        "def die(src, dst): os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.replace = die\n"
        f"TokenStore({str(tmp_path)!r}).put('k', {{'access_token': 'new', 'cloud_id': 'c'}})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert store.get("k")["access_token"] == "old"  # valid JSON, the old content


@posix_only
def test_a_readable_token_file_is_reported_not_used(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.put("k", entry())
    os.chmod(store.path, 0o644)
    with pytest.raises(TokenFileError) as caught:
        store.get("k")
    assert "readable by other users" in str(caught.value) and "chmod 600" in str(caught.value)


def test_broken_json_is_reported_and_not_overwritten(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    fd = os.open(store.path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"entries": {"k": ')
    os.close(fd)
    with pytest.raises(TokenFileError) as caught:
        store.get("k")
    assert "not valid JSON" in str(caught.value)
    with pytest.raises(TokenFileError):
        store.put("k", entry())  # a write reads first: the broken file is never replaced blindly
    assert store.path.read_bytes() == b'{"entries": {"k": '


@posix_only
def test_an_open_config_dir_of_ours_is_tightened(tmp_path: Path) -> None:
    loose = tmp_path / "cfg"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    TokenStore(loose).put("k", entry())
    assert stat.S_IMODE(os.stat(loose).st_mode) == 0o700


def test_expiry_margin() -> None:
    now = 1000.0
    assert is_expiring({"access_token": "a", "expires_at": now + 59}, 60, now)
    assert not is_expiring({"access_token": "a", "expires_at": now + 61}, 60, now)
    assert is_expiring({"expires_at": now + 600}, 60, now)


def seeded(cloud: Any, tmp_path: Path, *, expires_in: float, **extra: str) -> tuple[Settings, TokenStore]:
    settings = Settings.from_env(oauth_env(cloud, tmp_path / "cfg", free_port(), **extra))
    issued = ["read:me", "offline_access", "read:jira-work", "read:jira-user", "write:jira-work"]
    store, _, _ = seed_tokens(cloud, settings.config_dir, issued=issued, granted=["read:me"], expires_in=expires_in)
    return settings, store


@pytest.fixture
def oauth(cloud: Any) -> Any:
    cloud.oauth.reset()
    yield cloud.oauth
    cloud.oauth.reset()


def test_eight_threads_with_an_expired_token_refresh_once(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings, store = seeded(cloud, tmp_path, expires_in=-10)
    oauth.token_delay = 0.2  # a slow token endpoint widens the window a race would need
    credentials = OAuthCredentials(settings, store)
    http = HttpClient(credentials, timeout=10)
    results: list[Any] = []
    start = threading.Barrier(8)

    def call() -> None:
        start.wait()
        try:
            results.append(http.get("jira", "/rest/api/3/myself")["accountId"])
        except Exception as exc:  # collected, so the assertion below shows it
            results.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 8 and all(isinstance(r, str) for r in results), results
    assert len(oauth.refreshes) == 1
    stored = store.get(entry_key(settings.site_url, CLIENT_ID))
    assert stored["refresh_token"] != "" and oauth.refresh[stored["refresh_token"]] is True  # the rotated one is kept
    assert stored["scopes"] == ["read:me", "offline_access", "read:jira-work", "read:jira-user", "write:jira-work"]


def test_a_401_refreshes_once_and_retries(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings, store = seeded(cloud, tmp_path, expires_in=3600)
    oauth.expire_access_tokens()  # the file still says valid, Atlassian says no
    cloud.clear_log()
    http = HttpClient(OAuthCredentials(settings, store), timeout=10)
    assert http.get("jira", "/rest/api/3/myself")["displayName"] == "Ada Agent"
    assert len(oauth.refreshes) == 1
    assert [r["path"] for r in cloud.log] == [
        f"/ex/jira/{CLOUD_ID}/rest/api/3/myself",
        "/oauth/token",
        f"/ex/jira/{CLOUD_ID}/rest/api/3/myself",
    ]


def test_invalid_grant_drops_the_tokens_and_says_sign_in(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings, store = seeded(cloud, tmp_path, expires_in=-10)
    oauth.refresh = {k: False for k in oauth.refresh}  # the refresh token was revoked
    http = HttpClient(OAuthCredentials(settings, store), timeout=10)
    with pytest.raises(NotSignedIn) as caught:
        http.get("jira", "/rest/api/3/myself")
    assert "invalid_grant" in str(caught.value) and "authenticate_atlassian" in str(caught.value)
    assert store.read_all() == {}


def test_not_signed_in_names_both_ways_to_sign_in(cloud: Any, tmp_path: Path) -> None:
    settings = Settings.from_env(oauth_env(cloud, tmp_path / "cfg", free_port()))
    with pytest.raises(NotSignedIn) as caught:
        OAuthCredentials(settings, TokenStore(settings.config_dir)).base_url("jira")
    assert "authenticate_atlassian" in str(caught.value) and "atlassian-mcp-server login" in str(caught.value)


def test_gateway_base_urls_per_product(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings, store = seeded(cloud, tmp_path, expires_in=3600)
    creds = OAuthCredentials(settings, store)
    assert creds.base_url("jira") == f"{cloud.url}/ex/jira/{CLOUD_ID}"
    assert creds.base_url("servicedesk") == f"{cloud.url}/ex/jira/{CLOUD_ID}"
    assert creds.base_url("assets") == f"{cloud.url}/ex/jira/{CLOUD_ID}"
    assert creds.base_url("confluence") == f"{cloud.url}/ex/confluence/{CLOUD_ID}"
    assert json.loads(store.path.read_text())["version"] == 1
