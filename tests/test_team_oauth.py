"""The team server with ATLASSIAN_HTTP_AUTH=oauth: the MCP SDK client's whole OAuth flow (discovery, dynamic
registration, authorize with PKCE through the fake Atlassian, token), then the token used on another replica,
refreshed there (Atlassian rotates the refresh token), and keys rotated.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest
import requests
import team_harness as th
from fakecloud import ACCOUNT_ID
from fakecloud.oauth import CLIENT_ID, CLIENT_SECRET
from harness import text_of

KEY = "k1-" + "a" * 40
NEW_KEY = "k2-" + "b" * 40
CLIENT_REDIRECT = "http://localhost:3999/callback"


def oauth_env(cloud: Any, port: int, key: str = KEY) -> dict[str, str]:
    return {
        "ATLASSIAN_SITE_URL": cloud.url,
        "ATLASSIAN_AUTH_URL": cloud.url,
        "ATLASSIAN_API_URL": cloud.url,
        "ATLASSIAN_CLIENT_ID": CLIENT_ID,
        "ATLASSIAN_CLIENT_SECRET": CLIENT_SECRET,
        "ATLASSIAN_HTTP_AUTH": "oauth",
        "ATLASSIAN_HTTP_SECRET_KEY": key,
        "ATLASSIAN_HTTP_PUBLIC_URL": f"http://localhost:{port}",
    }


def start(cloud: Any, key: str = KEY) -> th.Replica:
    port = th.free_port()
    replica = th.start(oauth_env(cloud, port, key), port=port)
    replica.url = f"http://localhost:{port}/mcp"  # the URL the server publishes as its resource
    return replica


@pytest.fixture(scope="module")
def issuer_and_acceptor(cloud: Any) -> Any:
    one, two = start(cloud), start(cloud)
    try:
        yield one, two
    finally:
        th.stop(one)
        th.stop(two)


class Memory:
    def __init__(self) -> None:
        self.tokens: Any = None
        self.client: Any = None

    async def get_tokens(self) -> Any:
        return self.tokens

    async def set_tokens(self, tokens: Any) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> Any:
        return self.client

    async def set_client_info(self, client_info: Any) -> None:
        self.client = client_info


def browse(url: str) -> str:
    """Play the browser: follow redirects (our /authorize, Atlassian's consent, our /callback) up to the client's redirect URI."""
    for _ in range(6):
        answer = requests.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303, 307), (answer.status_code, answer.text)
        url = answer.headers["Location"]
        if url.startswith(CLIENT_REDIRECT):
            return url
    raise AssertionError("too many redirects")


def sign_in_and_call(url: str, storage: Memory) -> str:
    """The MCP SDK client's own OAuth: 401, discovery, registration, PKCE authorize, token; then a tool call."""
    from mcp.client.auth import OAuthClientProvider
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client
    from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata

    landed: dict[str, str] = {}

    async def redirect_handler(authorization_url: str) -> None:
        assert "code_challenge_method=S256" in authorization_url
        landed["url"] = await anyio.to_thread.run_sync(browse, authorization_url)

    async def callback_handler() -> AuthorizationCodeResult:
        query = parse_qs(urlsplit(landed["url"]).query)
        assert "error" not in query, query
        return AuthorizationCodeResult(code=query["code"][0], state=query.get("state", [None])[0])

    provider = OAuthClientProvider(
        url,
        OAuthClientMetadata(client_name="team-test", redirect_uris=[CLIENT_REDIRECT], grant_types=["authorization_code", "refresh_token"]),  # type: ignore[list-item]
        storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )

    async def main() -> str:
        with anyio.fail_after(60):
            async with create_mcp_http_client(auth=provider) as client:
                async with streamable_http_client(url, http_client=client) as (read, write):
                    async with ClientSession(read, write) as mcp:
                        await mcp.initialize()
                        result = await mcp.call_tool("atlassian_whoami", {})
                        assert not result.is_error, text_of(result)
                        return text_of(result)

    return anyio.run(main)


def call_with(url: str, access_token: str) -> Any:
    async def main() -> Any:
        with anyio.fail_after(60):
            async with th.session(url.replace("localhost", "127.0.0.1"), {"Authorization": f"Bearer {access_token}"}) as mcp:
                return await mcp.call_tool("atlassian_whoami", {})

    return anyio.run(main)


def token_request(base: str, client: Any, **form: str) -> requests.Response:
    body = {"client_id": client.client_id, "client_secret": client.client_secret, **form}
    return requests.post(base + "/token", data=body, timeout=10)


def test_oauth_flow_on_one_replica_token_accepted_and_refreshed_on_the_other(issuer_and_acceptor: Any, cloud: Any) -> None:
    issuer, acceptor = issuer_and_acceptor
    storage = Memory()
    assert ACCOUNT_ID in sign_in_and_call(issuer.url, storage)
    assert storage.client is not None and storage.tokens.refresh_token
    # the other replica has never seen this user or client: the sealed token is all it needs
    other = call_with(acceptor.url, storage.tokens.access_token)
    assert not other.is_error and ACCOUNT_ID in text_of(other)

    refreshes_before = len(cloud.oauth.refreshes)
    refreshed = token_request(acceptor.base, storage.client, grant_type="refresh_token", refresh_token=storage.tokens.refresh_token)
    assert refreshed.status_code == 200, refreshed.text
    pair = refreshed.json()
    assert pair["access_token"] != storage.tokens.access_token and pair["refresh_token"] != storage.tokens.refresh_token
    assert len(cloud.oauth.refreshes) == refreshes_before + 1  # refreshed at Atlassian, not just resealed
    again = token_request(issuer.base, storage.client, grant_type="refresh_token", refresh_token=storage.tokens.refresh_token)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"  # Atlassian rotated it
    assert not call_with(issuer.url, pair["access_token"]).is_error


def test_metadata_and_401_challenges(issuer_and_acceptor: Any) -> None:
    issuer, _ = issuer_and_acceptor
    base = issuer.url.rsplit("/", 1)[0]
    resource = requests.get(issuer.base + "/.well-known/oauth-protected-resource", timeout=10).json()
    assert resource["resource"] == issuer.url and [s.rstrip("/") for s in resource["authorization_servers"]] == [base]
    server = requests.get(issuer.base + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert server["issuer"] == resource["authorization_servers"][0]
    assert server["code_challenge_methods_supported"] == ["S256"] and server["registration_endpoint"] == base + "/register"
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    body = b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
    missing = requests.post(issuer.base + "/mcp", data=body, headers=headers, timeout=10)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == f'Bearer resource_metadata="{base}/.well-known/oauth-protected-resource"'
    for bad in ("Bearer at-an-atlassian-token-is-not-ours", "Basic YTpi"):
        refused = requests.post(issuer.base + "/mcp", data=body, headers={**headers, "Authorization": bad}, timeout=10)
        assert refused.status_code == 401
        assert "Bearer" in refused.headers["WWW-Authenticate"]
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_authorize_checks_redirect_uri_and_requires_pkce(issuer_and_acceptor: Any) -> None:
    issuer, acceptor = issuer_and_acceptor
    registered = requests.post(
        issuer.base + "/register", json={"redirect_uris": [CLIENT_REDIRECT], "client_name": "t", "token_endpoint_auth_method": "none"}, timeout=10
    )
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    common = {"client_id": client_id, "response_type": "code", "state": "s1"}
    wrong = requests.get(
        acceptor.base + "/authorize",
        params={**common, "redirect_uri": "http://localhost:4000/elsewhere", "code_challenge": "x" * 43, "code_challenge_method": "S256"},
        allow_redirects=False,
        timeout=10,
    )
    assert wrong.status_code == 400  # never redirected to an unregistered URI
    no_pkce = requests.get(acceptor.base + "/authorize", params={**common, "redirect_uri": CLIENT_REDIRECT}, allow_redirects=False, timeout=10)
    assert no_pkce.status_code == 302 and "error=invalid_request" in no_pkce.headers["Location"]
    unknown = requests.get(
        acceptor.base + "/authorize", params={**common, "client_id": "forged", "redirect_uri": CLIENT_REDIRECT}, allow_redirects=False, timeout=10
    )
    assert unknown.status_code == 400


def test_key_rotation_old_key_still_opens_tokens(issuer_and_acceptor: Any, cloud: Any) -> None:
    issuer, _ = issuer_and_acceptor
    storage = Memory()
    sign_in_and_call(issuer.url, storage)
    rotated = start(cloud, key=f"{NEW_KEY},{KEY}")
    stranger = start(cloud, key=NEW_KEY)
    try:
        assert not call_with(rotated.url, storage.tokens.access_token).is_error
        headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": f"Bearer {storage.tokens.access_token}"}
        refused = requests.post(stranger.base + "/mcp", data=b'{"jsonrpc":"2.0","id":1,"method":"ping"}', headers=headers, timeout=10)
        assert refused.status_code == 401
        for secret in (KEY, NEW_KEY, storage.tokens.access_token, CLIENT_SECRET):
            assert secret not in rotated.stderr() + issuer.stderr()
    finally:
        th.stop(rotated)
        th.stop(stranger)


def test_sealed_values_open_only_for_their_purpose_key_and_lifetime() -> None:
    from atlassian_mcp_server.auth.sealed import Sealer

    old, new = Sealer([KEY]), Sealer([NEW_KEY, KEY])
    token = old.seal("access", {"token": "at-1"}, ttl=60)
    assert new.open("access", token) == {"token": "at-1"}  # rotation: the old key still opens
    assert old.open("refresh", token) is None  # an access token is not a refresh token
    assert Sealer([NEW_KEY]).open("access", token) is None
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert old.open("access", tampered) is None
    assert old.open("access", old.seal("access", {"x": 1}, ttl=-1)) is None  # expired
    assert old.open("access", "not sealed at all") is None and old.open("access", "") is None
