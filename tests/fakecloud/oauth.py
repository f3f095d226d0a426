"""Fake Atlassian OAuth 2.0 (3LO) and API gateway.

Served before the OpenAPI check (these are not in the product documents): `/authorize`,
`/oauth/token`, `/oauth/token/accessible-resources`, `/_edge/tenant_info`; and the gateway
`/ex/{jira|confluence}/{cloudId}/...`, which checks the bearer token (or a scoped API token),
strips its prefix and lets the request go on to the product fakes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

from . import ACCOUNT_ID, EMAIL, Request, Response

CLIENT_ID = "fake-client-id-3lo"
CLIENT_SECRET = "fake-client-secret-5d1e9a"
CLOUD_ID = "0f0e0d0c-1111-2222-3333-444455556666"
SCOPED_TOKEN = "fake-scoped-api-token-c0ffee"
SITE_NAME = "fake-site"
_GATEWAY = re.compile(r"^/ex/(jira|confluence)/([^/]+)(/.*)$")
_REDIRECT = re.compile(r"^http://localhost:\d+/callback$")
USER = {"accountId": ACCOUNT_ID, "displayName": "Ada Agent", "emailAddress": EMAIL, "timeZone": "Europe/London", "active": True, "accountType": "atlassian"}


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


class FakeOAuth:
    """The authorization server's state; tests steer it through the attributes set in reset()."""

    def __init__(self, cloud: Any):
        self.cloud = cloud
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.deny = False  # /authorize redirects with error=access_denied
            self.access_ttl = 3600
            self.token_delay = 0.0  # seconds each POST /oauth/token takes, to widen races
            self.codes: dict[str, dict[str, Any]] = {}
            self.access: dict[str, dict[str, Any]] = {}
            self.refresh: dict[str, bool] = {}  # refresh token -> still alive
            self.refresh_scopes: dict[str, list[str]] = {}
            self.token_requests: list[dict[str, Any]] = []
            self.extra_sites: list[dict[str, Any]] = []
            self.include_site = True
            self.granted_scopes: list[str] | None = None  # None: grant what was asked for

    @property
    def refreshes(self) -> list[dict[str, Any]]:
        return [r for r in self.token_requests if r["grant_type"] == "refresh_token"]

    def issue(self, scopes: list[str] | None = None, ttl: float | None = None) -> tuple[str, str]:
        """A fresh access/refresh pair, as if a sign-in had happened (for seeding a token file)."""
        with self.lock:
            return self._issue(scopes or ["read:me", "offline_access"], ttl)

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (the next call answers 401)."""
        with self.lock:
            for info in self.access.values():
                info["expires_at"] = 0.0

    def _issue(self, scopes: list[str], ttl: float | None = None) -> tuple[str, str]:
        access = "at-" + secrets.token_hex(12)
        refresh = "rt-" + secrets.token_hex(12)
        self.access[access] = {"expires_at": time.time() + (self.access_ttl if ttl is None else ttl), "scopes": scopes}
        self.refresh[refresh] = True
        self.refresh_scopes[refresh] = scopes
        return access, refresh

    def _bearer_ok(self, req: Request) -> bool:
        header = req.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return False
        info = self.access.get(header[len("Bearer ") :])
        return info is not None and info["expires_at"] > time.time()

    # -- the hook ------------------------------------------------------------------------
    def hook(self, req: Request) -> Response | None:
        if req.path == "/authorize" and req.method == "GET":
            return self.authorize(req)
        if req.path == "/oauth/token" and req.method == "POST":
            return self.token(req)
        if req.path == "/oauth/token/accessible-resources" and req.method == "GET":
            return self.resources(req)
        if req.path == "/_edge/tenant_info" and req.method == "GET":
            return Response(200, {"cloudId": CLOUD_ID})
        match = _GATEWAY.match(req.path)
        if match is None:
            return None
        product, cloud_id, rest = match.groups()
        if cloud_id != CLOUD_ID:
            return Response(404, {"code": 404, "message": "Cloud id not found"})
        if (product == "confluence") != rest.startswith("/wiki/"):
            return Response(404, {"code": 404, "message": f"No route for {rest} on {product}"})
        header = req.headers.get("authorization", "")
        with self.lock:
            bearer = self._bearer_ok(req)
        if not bearer and header != "Basic " + base64.b64encode(f"{EMAIL}:{SCOPED_TOKEN}".encode()).decode():
            return Response(401, {"code": 401, "message": "Unauthorized; scope does not match"})
        req.user = dict(USER)
        req.path = rest
        return None

    def authorize(self, req: Request) -> Response:
        want = {"audience": "api.atlassian.com", "client_id": CLIENT_ID, "response_type": "code", "prompt": "consent", "code_challenge_method": "S256"}
        for name, value in want.items():
            if req.arg(name) != value:
                return Response(400, raw=f"fake authorize: {name} must be {value!r}, got {req.arg(name)!r}".encode())
        redirect, state, challenge = req.arg("redirect_uri") or "", req.arg("state"), req.arg("code_challenge")
        if not _REDIRECT.match(redirect) or not state or not challenge:
            return Response(400, raw=b"fake authorize: redirect_uri, state and code_challenge are required")
        scopes = (req.arg("scope") or "").split()
        if "offline_access" not in scopes:
            return Response(400, raw=b"fake authorize: offline_access missing")
        with self.lock:
            if self.deny:
                query = {"error": "access_denied", "error_description": "User did not authorize the request", "state": state}
            else:
                code = "code-" + secrets.token_hex(10)
                self.codes[code] = {"redirect_uri": redirect, "challenge": challenge, "scopes": scopes, "used": False}
                query = {"code": code, "state": state}
        return Response(302, headers={"Location": f"{redirect}?{urlencode(query)}"})

    def token(self, req: Request) -> Response:
        if self.token_delay:
            time.sleep(self.token_delay)
        ctype = req.headers.get("content-type", "")
        body = json.loads(req.body or b"{}") if "json" in ctype else {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        grant = body.get("grant_type")
        with self.lock:
            record = {"grant_type": grant, "ok": False}
            self.token_requests.append(record)
            if body.get("client_id") != CLIENT_ID or body.get("client_secret") != CLIENT_SECRET:
                return _oauth_error(401, "access_denied", "Unauthorized")
            if grant == "authorization_code":
                code = self.codes.get(str(body.get("code")))
                if code is None or code["used"]:
                    return _oauth_error(403, "invalid_grant", "Invalid authorization code")
                code["used"] = True  # single use, whatever happens next
                if body.get("redirect_uri") != code["redirect_uri"]:
                    return _oauth_error(403, "invalid_grant", "redirect_uri does not match")
                verifier = str(body.get("code_verifier") or "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if digest != code["challenge"]:
                    return _oauth_error(403, "invalid_grant", "PKCE verification failed")
                scopes = self.granted_scopes if self.granted_scopes is not None else code["scopes"]
            elif grant == "refresh_token":
                old = str(body.get("refresh_token"))
                if not self.refresh.get(old):
                    return _oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.")
                self.refresh[old] = False  # rotation: the old one dies on use
                scopes = self.refresh_scopes.get(old, ["read:me", "offline_access"])
            else:
                return _oauth_error(400, "unsupported_grant_type", str(grant))
            access, refresh = self._issue(scopes)
            record["ok"] = True
        return Response(
            200,
            {"access_token": access, "refresh_token": refresh, "expires_in": self.access_ttl, "token_type": "Bearer", "scope": " ".join(scopes)},
        )

    def resources(self, req: Request) -> Response:
        with self.lock:
            if not self._bearer_ok(req):
                return Response(401, {"code": 401, "message": "Unauthorized"})
            scopes = self.access[req.headers["authorization"][len("Bearer ") :]]["scopes"]
        sites = [{"id": CLOUD_ID, "url": self.cloud.url, "name": SITE_NAME, "scopes": scopes, "avatarUrl": ""}] if self.include_site else []
        return Response(200, sites + list(self.extra_sites))


def install(cloud: Any) -> None:
    cloud.oauth = FakeOAuth(cloud)
    cloud.hooks.append(cloud.oauth.hook)


# -- helpers for the tests ---------------------------------------------------------------
def free_port() -> int:
    """A loopback port nothing listens on right now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oauth_env(cloud: Any, config_dir: Any, port: int, **extra: str) -> dict[str, str]:
    """Settings for a server signed in with OAuth against the fake (auth and API hosts are the fake too)."""
    env = {
        "ATLASSIAN_SITE_URL": cloud.url,
        "ATLASSIAN_CLIENT_ID": CLIENT_ID,
        "ATLASSIAN_CLIENT_SECRET": CLIENT_SECRET,
        "ATLASSIAN_AUTH_URL": cloud.url,
        "ATLASSIAN_API_URL": cloud.url,
        "ATLASSIAN_OAUTH_CALLBACK_PORT": str(port),
        "ATLASSIAN_CONFIG_DIR": str(config_dir),
        "ATLASSIAN_TOOLSETS": "all",  # as cloud.env(): every toolset listed, so tests reach every tool
    }
    if os.name == "posix":  # a browser that opens nothing: the sign-in tool's launcher runs, no window appears
        env["BROWSER"] = f"{sys.executable} -c pass"
    env.update(extra)
    return env


def consent(authorize_url: str) -> str:
    """Play the user at the consent screen: the redirect URL the browser is sent to."""
    import requests

    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def play_browser(authorize_url: str) -> Any:
    """Consent, then follow the redirect to the loopback callback like a browser; the callback's response."""
    import requests

    return requests.get(consent(authorize_url), timeout=10)


def seed_tokens(cloud: Any, config_dir: Any, *, issued: list[str], granted: list[str] | None = None, expires_in: float = 3600.0) -> tuple[Any, str, str]:
    """A token file as a sign-in would leave it, with tokens the fake issued for `issued` scopes and
    `granted` (default: identity and refresh only) recorded as granted: (store, access, refresh)."""
    from atlassian_mcp_server.auth.tokens import TokenStore, entry_key

    access, refresh = cloud.oauth.issue(issued)
    store = TokenStore(config_dir)
    store.put(
        entry_key(cloud.url, CLIENT_ID),
        {
            "site_url": cloud.url,
            "client_id": CLIENT_ID,
            "cloud_id": CLOUD_ID,
            "site_name": SITE_NAME,
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": time.time() + expires_in,
            "scopes": list(granted if granted is not None else ["read:me", "offline_access"]),
        },
    )
    return store, access, refresh
