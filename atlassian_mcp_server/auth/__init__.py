"""Credentials: each kind stamps a request and knows the base URL of each product."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..errors import NotSignedIn
from ..redact import remember_basic

if TYPE_CHECKING:
    from ..config import Settings


class Credentials(Protocol):
    """What the HTTP core needs from any sign-in method; it never asks which one it has."""

    def base_url(self, product: str) -> str: ...

    def __call__(self, request: Any) -> Any: ...

    def refresh_after_401(self) -> bool: ...


class ApiTokenAuth:
    """Classic API token: Basic email:token, calls go straight to the site."""

    def __init__(self, site_url: str, email: str, token: str, api_url: str = "https://api.atlassian.com"):
        self._site_url = site_url.rstrip("/")
        self._api_url = api_url.rstrip("/")
        self._header = remember_basic(email, token)  # the scrubber knows the token and this header from now on

    def __repr__(self) -> str:
        return f"ApiTokenAuth(site_url={self._site_url!r})"

    def base_url(self, product: str) -> str:
        return self._api_url if product == "assets" else self._site_url

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = self._header
        return request

    def refresh_after_401(self) -> bool:
        return False


class NoAuth:
    """No credentials configured: every call explains how to sign in."""

    def __init__(self, site_url: str):
        self._site_url = site_url

    def base_url(self, product: str) -> str:
        raise NotSignedIn(
            "Not signed in to Atlassian: set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN (an API token from "
            "https://id.atlassian.com/manage-profile/security/api-tokens), or set ATLASSIAN_CLIENT_ID and "
            "ATLASSIAN_CLIENT_SECRET and sign in with OAuth, then call the tool again."
        )

    def __call__(self, request: Any) -> Any:
        return request

    def refresh_after_401(self) -> bool:
        return False


def credentials_from_settings(settings: Settings, store: Any = None) -> Credentials:
    """Pick the sign-in method the settings describe (API token wins over OAuth).

    `store` is the TokenStore OAuth shares with the sign-in flow; one is made when omitted.
    """
    if settings.auth_mode == "api_token":
        if getattr(settings, "api_token_scoped", False):
            from .scoped import ScopedApiTokenAuth  # noqa: PLC0415

            return ScopedApiTokenAuth(settings)
        return ApiTokenAuth(settings.site_url, settings.email or "", settings.api_token or "", settings.api_url)
    if settings.auth_mode == "oauth":
        from .oauth import oauth_credentials  # noqa: PLC0415 - imported only when OAuth is used

        return oauth_credentials(settings, store)
    return NoAuth(settings.site_url)
