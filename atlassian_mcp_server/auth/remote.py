"""Credentials a team-server request brings with it: Basic email:token, or an Atlassian OAuth bearer token."""

from __future__ import annotations

import base64
import binascii
import threading
from typing import TYPE_CHECKING, Any

from ..errors import NotSignedIn
from . import ApiTokenAuth

if TYPE_CHECKING:
    from ..config import Settings


class BearerAuth:
    """An Atlassian OAuth access token the caller holds; calls go through the API gateway.

    The cloud id comes from accessible-resources on first use (in the worker thread of the first
    call), unless the token arrived with it (the sealed tokens of the `oauth` mode carry it).
    """

    def __init__(self, settings: Settings, token: str, cloud_id: str | None = None):
        self._settings = settings
        self._token = token
        self._cloud_id = cloud_id
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"BearerAuth(site_url={self._settings.site_url!r})"

    def base_url(self, product: str) -> str:
        from .oauth import gateway_base

        return gateway_base(self._settings.api_url, self.cloud_id(), product)

    def cloud_id(self) -> str:
        if self._cloud_id is None:
            with self._lock:
                if self._cloud_id is None:
                    self._cloud_id = self._find_cloud_id()
        return self._cloud_id

    def _find_cloud_id(self) -> str:
        from .callback import LoginError
        from .oauth import OAuthError, accessible_resources, match_site

        try:
            resources = accessible_resources(self._settings, self._token)
        except OAuthError as exc:
            if exc.status in (401, 403):
                raise NotSignedIn(
                    "Atlassian refused the OAuth access token in the Authorization header (it is expired, revoked or not an Atlassian token): "
                    "sign in again in your MCP client, then call this tool again."
                ) from None
            raise
        try:
            return str(match_site(self._settings.site_url, resources)["id"])
        except LoginError as exc:
            raise NotSignedIn(str(exc)) from None

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def refresh_after_401(self) -> bool:
        return False  # the client holds the refresh token, not this server


def from_authorization(settings: Settings, header: str) -> Any | None:
    """Credentials for a passthrough `Authorization` header, or None when it holds neither scheme."""
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        email, sep, token = decoded.partition(":")
        if not sep or not email or not token:
            return None
        return ApiTokenAuth(settings.site_url, email, token, settings.api_url)
    if scheme.lower() == "bearer" and value:
        return BearerAuth(settings, value)
    return None
