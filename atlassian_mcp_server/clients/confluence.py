"""Confluence Cloud REST client: v2 (`/wiki/api/v2`) for content, v1 only for CQL search."""

from __future__ import annotations

from typing import Any

from ..http import HttpClient, path
from . import cursor_from_next

V2 = "/wiki/api/v2"


class ConfluenceClient:
    """Confluence REST calls; each method is one operation of confluence-v2.json (or v1 for CQL)."""

    product = "confluence"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")

    def web_url(self, links: dict[str, Any] | None) -> str | None:
        """Absolute browser URL from a v2 object's `_links` (webui is relative to the site's /wiki)."""
        webui = (links or {}).get("webui")
        if not webui:
            return None
        return f"{self.site_url}/wiki{webui}" if webui.startswith("/") else webui

    def get_page(self, page_id: str, *, body_format: str = "atlas_doc_format", version: int | None = None) -> dict[str, Any]:
        params = {"body-format": body_format, "version": version, "include-labels": "true"}
        return self.http.get(self.product, path(V2 + "/pages/{id}", id=page_id), params=params)

    def list_spaces(
        self,
        *,
        limit: int = 25,
        space_type: str | None = None,
        status: str | None = "current",
        cursor: str | None = None,
        keys: list[str] | None = None,
    ) -> dict[str, Any]:
        params = {
            "limit": limit,
            "type": space_type,
            "status": status,
            "cursor": cursor,
            "keys": ",".join(keys) if keys else None,
        }
        data = self.http.get(self.product, V2 + "/spaces", params=params)
        data["next_cursor"] = cursor_from_next((data.get("_links") or {}).get("next"))
        return data
