"""The team server's OAuth 2.1 authorization server in front of Atlassian's 3LO, holding no state.

Everything it hands out is sealed (auth/sealed.py): the client id of a registered client holds its
registration, the state sent to Atlassian holds the client's request, and the authorization code,
access token and refresh token hold the Atlassian tokens and cloud id. Any replica with the key
can therefore continue a flow another replica started. The MCP SDK's handlers do the protocol
checks (registration, redirect URIs, PKCE S256, client authentication, expiry).
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import anyio.to_thread
from mcp.server.auth.provider import AccessToken, AuthorizationCode, AuthorizationParams, RefreshToken, TokenError, construct_redirect_uri
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken

from ..errors import AtlassianError
from .oauth import AUDIENCE, OAuthError, accessible_resources, call_json, match_site, pkce_pair, refresh_tokens
from .scopes import required_scopes
from .sealed import Sealer, digest

if TYPE_CHECKING:
    from ..config import Settings


log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
STATE_TTL_S = 600.0
CODE_TTL_S = 120.0
REFRESH_TTL_S = 90 * 24 * 3600.0  # Atlassian's refresh tokens expire after 90 days of inactivity


class SealedCode(AuthorizationCode):
    atlassian: dict[str, Any]


class SealedRefresh(RefreshToken):
    atlassian: dict[str, Any]


class Broker:
    """The provider behind the SDK's /authorize, /token and /register, plus Atlassian's callback."""

    def __init__(self, settings: Settings, sealer: Sealer, public_url: str):
        self.settings = settings
        self.sealer = sealer
        self.public_url = public_url.rstrip("/")
        self._used_codes: dict[str, float] = {}  # best effort on this replica; PKCE guards the rest

    @property
    def callback_url(self) -> str:
        return self.public_url + CALLBACK_PATH

    # -- clients ---------------------------------------------------------------------------
    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        data = self.sealer.open("client", client_id)
        if data is None:
            return None
        try:
            return OAuthClientInformationFull.model_validate({**data, "client_id": client_id})
        except ValueError:
            return None

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        record = client_info.model_dump(mode="json", exclude_none=True, exclude={"client_id"})
        client_info.client_id = self.sealer.seal("client", record)  # the registration travels in the id

    # -- authorize: on to Atlassian, and back ----------------------------------------------
    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        verifier, challenge = pkce_pair()
        request = {
            "client": digest(str(client.client_id)),
            "redirect_uri": str(params.redirect_uri),
            "explicit": params.redirect_uri_provided_explicitly,
            "challenge": params.code_challenge,
            "state": params.state,
            "scopes": params.scopes or [],
            "resource": params.resource,
            "verifier": verifier,
            "nonce": secrets.token_urlsafe(8),
        }
        query = {
            "audience": AUDIENCE,
            "client_id": self.settings.client_id,
            "scope": " ".join(required_scopes(self.settings)),
            "redirect_uri": self.callback_url,
            "state": self.sealer.seal("state", request, ttl=STATE_TTL_S),
            "response_type": "code",
            "prompt": "consent",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.settings.auth_url}/authorize?{urlencode(query, quote_via=quote)}"

    async def callback(self, query: dict[str, str]) -> tuple[int, str]:
        """Atlassian's redirect: (302, the client's redirect URL with our code) or (400, one sentence)."""
        request = self.sealer.open("state", query.get("state", ""))
        if request is None:
            return 400, "This sign-in link has expired or did not come from this server; start the sign-in again from your MCP client."
        back = request["redirect_uri"]
        if query.get("error"):
            return 302, construct_redirect_uri(back, error="access_denied", error_description=query.get("error_description"), state=request["state"])
        code = query.get("code")
        if not code:
            return 400, "Atlassian's redirect carried no code; start the sign-in again from your MCP client."
        try:
            atlassian = await anyio.to_thread.run_sync(self._exchange, code, request["verifier"])
        except AtlassianError as exc:
            log.info("sign-in through Atlassian failed: %s", exc)
            return 302, construct_redirect_uri(back, error="server_error", error_description=str(exc)[:300], state=request["state"])
        sealed = {k: request[k] for k in ("client", "redirect_uri", "explicit", "challenge", "scopes", "resource")}
        sealed["atlassian"] = atlassian
        ours = self.sealer.seal("code", sealed, ttl=CODE_TTL_S)
        return 302, construct_redirect_uri(back, code=ours, state=request["state"])

    def _exchange(self, code: str, verifier: str) -> dict[str, Any]:
        body = {
            "grant_type": "authorization_code",
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret,
            "code": code,
            "redirect_uri": self.callback_url,
            "code_verifier": verifier,
        }
        tokens = call_json("POST", f"{self.settings.auth_url}/oauth/token", self.settings, json=body)
        resource = match_site(self.settings.site_url, accessible_resources(self.settings, tokens["access_token"]))
        return _atlassian(tokens, str(resource["id"]))

    # -- the token endpoint ------------------------------------------------------------------
    async def load_authorization_code(self, client: OAuthClientInformationFull, authorization_code: str) -> SealedCode | None:
        data = self.sealer.open("code", authorization_code)
        if data is None or data.get("client") != digest(str(client.client_id)):
            return None
        key = digest(authorization_code)
        now = time.time()
        self._used_codes = {k: t for k, t in self._used_codes.items() if t > now}
        if key in self._used_codes:
            return None
        self._used_codes[key] = now + CODE_TTL_S
        return SealedCode(
            code=authorization_code,
            scopes=data["scopes"],
            expires_at=now + CODE_TTL_S,
            client_id=str(client.client_id),
            code_challenge=data["challenge"],
            redirect_uri=data["redirect_uri"],
            redirect_uri_provided_explicitly=data["explicit"],
            resource=data.get("resource"),
            atlassian=data["atlassian"],
        )

    async def exchange_authorization_code(self, client: OAuthClientInformationFull, authorization_code: SealedCode) -> OAuthToken:
        return self._issue(str(client.client_id), authorization_code.scopes, authorization_code.resource, authorization_code.atlassian)

    async def load_refresh_token(self, client: OAuthClientInformationFull, refresh_token: str) -> SealedRefresh | None:
        data = self.sealer.open("refresh", refresh_token)
        if data is None or data.get("client") != digest(str(client.client_id)):
            return None
        return SealedRefresh(
            token=refresh_token, client_id=str(client.client_id), scopes=data["scopes"], resource=data.get("resource"), atlassian=data["atlassian"]
        )

    async def exchange_refresh_token(self, client: OAuthClientInformationFull, refresh_token: SealedRefresh, scopes: list[str]) -> OAuthToken:
        old = refresh_token.atlassian
        try:
            tokens = await anyio.to_thread.run_sync(refresh_tokens, self.settings, old["refresh_token"])
        except OAuthError as exc:
            if exc.error in ("invalid_grant", "unauthorized_client") or exc.status in (401, 403):
                raise TokenError("invalid_grant", "Atlassian refused the refresh token (expired, revoked or already used); sign in again.") from None
            raise TokenError("invalid_request", f"Refreshing at Atlassian failed ({exc}); try again shortly.") from None
        except AtlassianError as exc:
            raise TokenError("invalid_request", f"Refreshing at Atlassian failed ({exc}); try again shortly.") from None
        atlassian = _atlassian(tokens, old["cloud_id"], old["refresh_token"])
        return self._issue(str(client.client_id), refresh_token.scopes, refresh_token.resource, atlassian)

    def _issue(self, client_id: str, scopes: list[str], resource: str | None, atlassian: dict[str, Any]) -> OAuthToken:
        expires_in = max(1, int(atlassian["expires_at"] - time.time()))
        who = digest(client_id)
        access = {"client": who, "scopes": scopes, "resource": resource, "token": atlassian["access_token"], "cloud_id": atlassian["cloud_id"]}
        refresh = {"client": who, "scopes": scopes, "resource": resource, "atlassian": atlassian}
        return OAuthToken(
            access_token=self.sealer.seal("access", access, ttl=expires_in),
            expires_in=expires_in,
            refresh_token=self.sealer.seal("refresh", refresh, ttl=REFRESH_TTL_S) if atlassian.get("refresh_token") else None,
            scope=" ".join(scopes) or None,
        )

    async def load_access_token(self, token: str) -> AccessToken | None:
        data = self.sealer.open("access", token)
        if data is None:
            return None
        return AccessToken(token=token, client_id=data["client"], scopes=data["scopes"], resource=data.get("resource"))

    async def revoke_token(self, token: Any) -> None:  # revocation is not offered (nothing is stored)
        return None

    def open_access(self, token: str) -> dict[str, Any] | None:
        """The Atlassian access token and cloud id inside one of our access tokens, or None."""
        return self.sealer.open("access", token)


def _atlassian(tokens: dict[str, Any], cloud_id: str, previous_refresh: str | None = None) -> dict[str, Any]:
    return {
        "access_token": tokens["access_token"],
        "refresh_token": tokens.get("refresh_token") or previous_refresh,  # Atlassian rotates it
        "expires_at": time.time() + float(tokens.get("expires_in") or 3600),
        "cloud_id": cloud_id,
    }
