"""OAuth 2.0 (3LO) with PKCE: the authorize URL, the token endpoint, the cloud id, and the credentials."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from ..errors import AtlassianError, NotSignedIn, TransportError
from ..redact import remember
from .callback import LoginError
from .tokens import TokenStore, entry_key, is_expiring

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger(__name__)

AUDIENCE = "api.atlassian.com"
REFRESH_MARGIN_S = 60.0

SIGN_IN_HINT = (
    "call the authenticate_atlassian tool (it returns a sign-in URL to open) or run `atlassian-mcp-server login` in a terminal, then call this tool again."
)


class OAuthError(AtlassianError):
    """The token endpoint refused a request; `error` is the OAuth error code."""

    def __init__(self, message: str, error: str = "", status: int = 0):
        super().__init__(message)
        self.error = error
        self.status = status


# -- the protocol pieces -----------------------------------------------------------------
def pkce_pair() -> tuple[str, str]:
    """A fresh PKCE verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def redirect_uri(settings: Settings) -> str:
    """Must equal the callback URL registered for the app in the developer console."""
    return f"http://localhost:{settings.oauth_callback_port}/callback"


def authorize_url(settings: Settings, state: str, challenge: str, scopes: tuple[str, ...]) -> str:
    query = {
        "audience": AUDIENCE,
        "client_id": settings.client_id,
        "scope": " ".join(scopes),
        "redirect_uri": redirect_uri(settings),
        "state": state,
        "response_type": "code",
        "prompt": "consent",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{settings.auth_url}/authorize?{urlencode(query, quote_via=quote)}"


def call_json(method: str, url: str, settings: Settings, **kw: Any) -> Any:
    """One request to the auth or API host; JSON back, or OAuthError / TransportError."""
    import requests

    from ..network import configure_session, describe_failure

    host = urlsplit(url).netloc
    sent = kw.get("json")
    if isinstance(sent, dict):  # what we send to the token endpoint is secret, and it may be echoed back
        remember(*(str(sent.get(k) or "") for k in ("client_secret", "refresh_token", "code", "code_verifier")))
    try:
        with requests.Session() as session:  # always verified: ATLASSIAN_SSL_VERIFY does not apply to sign-in
            configure_session(session, trust_store=getattr(settings, "trust_store", "system"))
            response = session.request(method, url, timeout=settings.timeout, allow_redirects=False, **kw)
    except requests.exceptions.RequestException as exc:
        raise TransportError(
            describe_failure(exc, host)
            or f"Could not reach {host} for the OAuth sign-in: {type(exc).__name__}; check the network or ATLASSIAN_AUTH_URL/ATLASSIAN_API_URL."
        ) from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400:
        error = str(body.get("error") or "") if isinstance(body, dict) else ""
        detail = str(body.get("error_description") or body.get("message") or "") if isinstance(body, dict) else ""
        said = f": {error}" if error else ""
        said += f" ({detail})" if detail else ""
        raise OAuthError(f"{host} answered {response.status_code}{said}", error=error, status=response.status_code)
    if body is None:
        raise TransportError(f"{host} answered {response.status_code} with a body that is not JSON; a proxy may be in the way.")
    if isinstance(body, dict):  # new tokens are known to the scrubber before anything can log them
        remember(str(body.get("access_token") or ""), str(body.get("refresh_token") or ""))
    return body


def exchange_code(settings: Settings, code: str, verifier: str) -> dict[str, Any]:
    """Trade the authorization code for tokens (client secret + PKCE verifier)."""
    body = {
        "grant_type": "authorization_code",
        "client_id": settings.client_id,
        "client_secret": settings.client_secret,
        "code": code,
        "redirect_uri": redirect_uri(settings),
        "code_verifier": verifier,
    }
    try:
        return call_json("POST", f"{settings.auth_url}/oauth/token", settings, json=body)
    except OAuthError as exc:
        raise LoginError(
            f"The sign-in code could not be exchanged for tokens ({exc}); check ATLASSIAN_CLIENT_ID, "
            "ATLASSIAN_CLIENT_SECRET and the app's callback URL, then sign in again."
        ) from exc


def refresh_tokens(settings: Settings, refresh_token: str) -> dict[str, Any]:
    body = {
        "grant_type": "refresh_token",
        "client_id": settings.client_id,
        "client_secret": settings.client_secret,
        "refresh_token": refresh_token,
    }
    return call_json("POST", f"{settings.auth_url}/oauth/token", settings, json=body)


def accessible_resources(settings: Settings, access_token: str) -> list[dict[str, Any]]:
    found = call_json(
        "GET",
        f"{settings.api_url}/oauth/token/accessible-resources",
        settings,
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def normalise_site(url: str) -> str:
    """Scheme and host in lower case, default port and trailing slash dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "https" and port == 443) or (parts.scheme == "http" and port == 80)):
        host = f"{host}:{port}"
    return f"{parts.scheme.lower()}://{host}"


def match_site(site_url: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The resource for ATLASSIAN_SITE_URL; LoginError listing the sites the grant covers otherwise."""
    wanted = normalise_site(site_url)
    for resource in resources:
        if resource.get("url") and normalise_site(str(resource["url"])) == wanted:
            return resource
    if not resources:
        raise LoginError("The sign-in gave access to no Atlassian site; sign in again and choose your site on the consent screen.")
    listed = ", ".join(f"{r.get('url')} ({r.get('name')})" for r in resources)
    raise LoginError(
        f"The sign-in covers {listed}, but not ATLASSIAN_SITE_URL={site_url}: set ATLASSIAN_SITE_URL to one of them, "
        "or sign in again and choose that site on the consent screen."
    )


def new_entry(settings: Settings, tokens: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """What the token file keeps for one site and client: tokens, expiry, cloud id, scopes; never the secret."""
    now = time.time()
    scope = tokens.get("scope")
    scopes = scope.split() if isinstance(scope, str) else list(resource.get("scopes") or [])
    return {
        "site_url": settings.site_url,
        "client_id": settings.client_id,
        "cloud_id": str(resource["id"]),
        "site_name": resource.get("name"),
        "access_token": tokens["access_token"],
        "refresh_token": tokens.get("refresh_token"),
        "expires_at": now + float(tokens.get("expires_in") or 3600),
        "scopes": scopes,
        "signed_in_at": now,
    }


def gateway_base(api_url: str, cloud_id: str, product: str) -> str:
    """Base URL of a product behind the API gateway: Jira, JSM and Assets under /ex/jira, Confluence under /ex/confluence."""
    name = "confluence" if product == "confluence" else "jira"
    return f"{api_url}/ex/{name}/{quote(cloud_id, safe='')}"


# -- the credentials ---------------------------------------------------------------------
class OAuthCredentials:
    """Bearer tokens from the token file; refreshes single-flight across threads and processes."""

    def __init__(self, settings: Settings, store: TokenStore):
        self._settings = settings
        self._store = store
        self._key = entry_key(settings.site_url, settings.client_id)
        self._entry: dict[str, Any] | None = None
        self._local = threading.local()
        remember(settings.client_secret)

    def __repr__(self) -> str:
        return f"OAuthCredentials(site_url={self._settings.site_url!r}, store={self._store!r})"

    @property
    def store(self) -> TokenStore:
        return self._store

    def base_url(self, product: str) -> str:
        return gateway_base(self._settings.api_url, str(self._fresh_entry()["cloud_id"]), product)

    def __call__(self, request: Any) -> Any:
        entry = self._fresh_entry()
        token = entry["access_token"]
        self._local.sent = token
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def reload(self) -> None:
        """Forget the cached entry, so the next call reads the file (after a sign-in)."""
        self._entry = None

    def refresh_after_401(self) -> bool:
        """Refresh once after a 401, unless another thread or process already replaced the token we sent."""
        sent = getattr(self._local, "sent", None)
        with self._store.locked():
            entry = self._load_locked()
            if entry.get("access_token") != sent and not is_expiring(entry, REFRESH_MARGIN_S):
                self._entry = entry
                return True
            self._entry = self._refresh_locked(entry)
            return True

    def _fresh_entry(self) -> dict[str, Any]:
        entry = self._entry
        if entry is not None and not is_expiring(entry, REFRESH_MARGIN_S):
            return entry
        with self._store.locked():
            entry = self._load_locked()  # another process may have refreshed while we waited
            if is_expiring(entry, REFRESH_MARGIN_S):
                entry = self._refresh_locked(entry)
            self._entry = entry
            return entry

    def _load_locked(self) -> dict[str, Any]:
        entry = self._store.get(self._key)
        if entry is not None:  # the tokens as they are now (they rotate): known to the scrubber
            remember(str(entry.get("access_token") or ""), str(entry.get("refresh_token") or ""))
        if entry is None or not entry.get("cloud_id"):
            self._entry = None
            raise NotSignedIn(f"Not signed in to Atlassian yet ({self._settings.site_url}): {SIGN_IN_HINT}")
        return entry

    def _refresh_locked(self, entry: dict[str, Any]) -> dict[str, Any]:
        refresh_token = entry.get("refresh_token")
        if not refresh_token:
            self._drop_locked()
            raise NotSignedIn(f"The Atlassian access token expired and there is no refresh token (is offline_access granted?): {SIGN_IN_HINT}")
        try:
            tokens = refresh_tokens(self._settings, refresh_token)
        except OAuthError as exc:
            if exc.error == "invalid_grant" or (exc.error == "unauthorized_client" and exc.status in (400, 401, 403)):
                self._drop_locked()
                raise NotSignedIn(
                    f"The Atlassian sign-in has expired or was revoked ({exc.error}), so the stored tokens were forgotten: {SIGN_IN_HINT}"
                ) from exc
            raise OAuthError(f"Refreshing the Atlassian access token failed: {exc}; try again shortly.", exc.error, exc.status) from exc
        now = time.time()
        scope = tokens.get("scope")
        updated = dict(entry)
        updated.update(
            access_token=tokens["access_token"],
            refresh_token=tokens.get("refresh_token") or refresh_token,  # Atlassian rotates it: keep the new one
            expires_at=now + float(tokens.get("expires_in") or 3600),
            refreshed_at=now,
        )
        if isinstance(scope, str):
            updated["scopes"] = scope.split()
        self._store.put(self._key, updated)
        log.info("refreshed the OAuth access token for %s", self._settings.site_url)
        return updated

    def _drop_locked(self) -> None:
        self._store.delete(self._key)
        self._entry = None


def oauth_credentials(settings: Settings, store: TokenStore | None = None) -> OAuthCredentials:
    return OAuthCredentials(settings, store or TokenStore(settings.config_dir))
