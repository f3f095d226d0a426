"""The OAuth sign-in flow in process, against the fake authorization server, with the test as the browser."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from fakecloud.oauth import CLIENT_ID, CLOUD_ID, consent, free_port, oauth_env, play_browser

from atlassian_mcp_server.auth.callback import LoginError, parse_redirect
from atlassian_mcp_server.auth.login import LoginFlow
from atlassian_mcp_server.auth.oauth import match_site, normalise_site
from atlassian_mcp_server.auth.tokens import TokenStore, entry_key
from atlassian_mcp_server.config import Settings


@pytest.fixture
def oauth(cloud: Any) -> Any:
    cloud.oauth.reset()
    yield cloud.oauth
    cloud.oauth.reset()


def settings_for(cloud: Any, tmp_path: Path, **extra: str) -> Settings:
    return Settings.from_env(oauth_env(cloud, tmp_path / "cfg", free_port(), **extra))


def test_authorize_url_carries_pkce_state_audience_and_module_scopes(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path, ATLASSIAN_MODULES="jira", ATLASSIAN_READ_ONLY="true")
    flow = LoginFlow(settings, TokenStore(settings.config_dir))
    try:
        query = {k: v[0] for k, v in parse_qs(urlsplit(flow.url).query).items()}
        assert flow.url.startswith(f"{cloud.url}/authorize?")
        assert query["audience"] == "api.atlassian.com" and query["prompt"] == "consent" and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
        assert len(query["state"]) >= 32
        assert query["redirect_uri"] == f"http://localhost:{settings.oauth_callback_port}/callback"
        # read-only Jira: only read scopes, plus identity and refresh
        jira_reads = ["read:board-scope:jira-software", "read:jira-user", "read:jira-work", "read:project:jira", "read:sprint:jira-software"]
        assert query["scope"].split() == ["read:me", "offline_access", *jira_reads]
        other = LoginFlow(settings.__class__(**{**settings.__dict__, "oauth_callback_port": free_port()}), TokenStore(settings.config_dir), listen=False)
        assert parse_qs(urlsplit(other.url).query)["state"][0] != query["state"]  # fresh every time
    finally:
        flow.cancel()
        flow._callback.close()


def test_browser_login_stores_tokens_and_cloud_id(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path)
    store = TokenStore(settings.config_dir)
    flow = LoginFlow(settings, store).start()
    page = play_browser(flow.url)
    assert page.status_code == 200 and "You can close this tab" in page.text
    assert flow.wait(10) and flow.status == "succeeded", flow.error
    entry = store.get(entry_key(settings.site_url, CLIENT_ID))
    assert entry is not None and entry["cloud_id"] == CLOUD_ID and entry["refresh_token"].startswith("rt-")
    assert "read:jira-work" in entry["scopes"] and "client_secret" not in entry
    assert [r["grant_type"] for r in oauth.token_requests] == ["authorization_code"]
    # the listener is gone once the flow ended
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{settings.oauth_callback_port}/callback", timeout=2)


def test_wrong_state_is_answered_and_ignored_while_the_flow_keeps_waiting(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    """Any web page can send the browser to the callback with a forged state: it must not end the sign-in."""
    settings = settings_for(cloud, tmp_path)
    flow = LoginFlow(settings, TokenStore(settings.config_dir)).start()
    redirect = consent(flow.url)
    for forged in (redirect.replace("state=", "state=forged"), f"http://127.0.0.1:{settings.oauth_callback_port}/callback?error=access_denied&state=x"):
        page = requests.get(forged, timeout=10)
        assert page.status_code == 400 and "state" in page.text and "ignored" in page.text
    assert not flow.wait(0.3) and flow.running  # still waiting, still listening
    assert oauth.token_requests == []  # the forged code was never exchanged
    page = requests.get(redirect, timeout=10)  # the real redirect still completes the sign-in
    assert page.status_code == 200
    assert flow.wait(10) and flow.status == "succeeded", flow.error
    assert [r["grant_type"] for r in oauth.token_requests] == ["authorization_code"]


def test_callback_answers_only_its_own_host_names(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    """A page on another name resolving to 127.0.0.1 (DNS rebinding) is refused, even with the right state."""
    settings = settings_for(cloud, tmp_path)
    flow = LoginFlow(settings, TokenStore(settings.config_dir)).start()
    try:
        redirect = consent(flow.url)
        path = redirect.split(f":{settings.oauth_callback_port}", 1)[1]
        for host in ("evil.example", f"evil.example:{settings.oauth_callback_port}", "localhost:1"):
            page = requests.get(f"http://127.0.0.1:{settings.oauth_callback_port}{path}", headers={"Host": host}, timeout=10)
            assert page.status_code == 421
        assert flow.running and oauth.token_requests == []
        page = requests.get(redirect.replace("localhost", "127.0.0.1"), timeout=10)
        assert page.status_code == 200 and flow.wait(10) and flow.status == "succeeded"
    finally:
        flow.cancel()


def test_access_denied_is_reported_in_words(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    oauth.deny = True
    settings = settings_for(cloud, tmp_path)
    flow = LoginFlow(settings, TokenStore(settings.config_dir)).start()
    page = play_browser(flow.url)
    assert page.status_code == 400
    assert flow.wait(10) and flow.status == "failed"
    assert "access was denied" in (flow.error or "")
    assert oauth.token_requests == []


def test_timeout_ends_the_flow_and_frees_the_port(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path, ATLASSIAN_OAUTH_TIMEOUT="1")
    flow = LoginFlow(settings, TokenStore(settings.config_dir)).start()
    assert flow.wait(10) and flow.status == "failed"
    assert "timed out after 1 s" in (flow.error or "") and "ATLASSIAN_OAUTH_TIMEOUT" in (flow.error or "")
    with socket.socket() as sock:  # shut down: the port can be bound again
        sock.bind(("127.0.0.1", settings.oauth_callback_port))


def test_busy_port_names_the_setting(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", settings.oauth_callback_port))
        sock.listen(1)
        with pytest.raises(LoginError) as caught:
            LoginFlow(settings, TokenStore(settings.config_dir))
    assert f"Port {settings.oauth_callback_port}" in str(caught.value) and "ATLASSIAN_OAUTH_CALLBACK_PORT" in str(caught.value)


def test_callback_server_answers_404_elsewhere(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path)
    flow = LoginFlow(settings, TokenStore(settings.config_dir)).start()
    try:
        other = requests.get(f"http://127.0.0.1:{settings.oauth_callback_port}/favicon.ico", timeout=5)
        assert other.status_code == 404
        assert flow.running  # a stray request does not end the flow
    finally:
        flow.cancel()
        flow.wait(5)


def test_pasted_redirect_url_completes_without_the_listener(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    settings = settings_for(cloud, tmp_path)
    flow = LoginFlow(settings, TokenStore(settings.config_dir), listen=False).start()
    with pytest.raises(LoginError):
        flow.offer("hello")  # not a redirect: said so, flow goes on
    flow.offer("  " + consent(flow.url) + "\n")
    assert flow.wait(10) and flow.status == "succeeded", flow.error


def test_site_not_in_grant_lists_the_sites(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    oauth.include_site = False
    oauth.extra_sites = [
        {"id": "c-1", "url": "https://alpha.atlassian.net", "name": "alpha", "scopes": []},
        {"id": "c-2", "url": "https://beta.atlassian.net", "name": "beta", "scopes": []},
    ]
    settings = settings_for(cloud, tmp_path)
    store = TokenStore(settings.config_dir)
    flow = LoginFlow(settings, store).start()
    play_browser(flow.url)
    assert flow.wait(10) and flow.status == "failed"
    assert "https://alpha.atlassian.net (alpha)" in (flow.error or "") and "https://beta.atlassian.net (beta)" in (flow.error or "")
    assert store.read_all() == {}


def test_site_matching_normalises_scheme_case_and_slash() -> None:
    sites = [{"id": "a", "url": "https://Other.atlassian.net"}, {"id": "b", "url": "https://MySite.Atlassian.net/"}]
    assert match_site("HTTPS://mysite.atlassian.net", sites)["id"] == "b"
    assert normalise_site("https://x.atlassian.net:443/") == "https://x.atlassian.net"
    with pytest.raises(LoginError):
        match_site("https://nope.atlassian.net", sites)


def test_parse_redirect_reads_code_state_and_errors() -> None:
    got = parse_redirect("http://localhost:8080/callback?code=abc&state=xyz")
    assert (got.code, got.state, got.error) == ("abc", "xyz", None)
    got = parse_redirect("?error=access_denied&state=s")
    assert got.error == "access_denied" and got.code is None
