"""Scoped API tokens: Basic email:token like a classic token, but only through the API gateway."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..errors import AtlassianError
from ..redact import remember_basic
from .oauth import OAuthError, call_json, gateway_base

if TYPE_CHECKING:
    from ..config import Settings


class ScopedApiTokenAuth:
    """Calls go to `{API_URL}/ex/{product}/{cloudId}/...`; the cloud id comes from the site's
    public `/_edge/tenant_info`, fetched on the first call and kept for the life of the process."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._header = remember_basic(settings.email, settings.api_token)  # the scrubber knows both forms from now on
        self._cloud_id: str | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ScopedApiTokenAuth(site_url={self._settings.site_url!r})"

    def cloud_id(self) -> str:
        with self._lock:
            if self._cloud_id is None:
                url = f"{self._settings.site_url}/_edge/tenant_info"
                try:
                    found = call_json("GET", url, self._settings, headers={"Accept": "application/json"})
                except OAuthError as exc:
                    raise AtlassianError(f"Could not read the cloud id of {self._settings.site_url} ({exc}); check ATLASSIAN_SITE_URL.") from exc
                cloud_id = found.get("cloudId") if isinstance(found, dict) else None
                if not cloud_id:
                    raise AtlassianError(f"{url} did not name a cloud id; check ATLASSIAN_SITE_URL.")
                self._cloud_id = str(cloud_id)
            return self._cloud_id

    def base_url(self, product: str) -> str:
        return gateway_base(self._settings.api_url, self.cloud_id(), product)

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = self._header
        return request

    def refresh_after_401(self) -> bool:
        return False
