"""Jira Service Management REST client (`/rest/servicedeskapi`)."""

from __future__ import annotations

from typing import Any

from ..http import HttpClient

BASE = "/rest/servicedeskapi"


class ServiceDeskClient:
    """JSM REST calls; each method is one operation of jsm.json and returns its JSON."""

    product = "servicedesk"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")

    def list_service_desks(self, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        return self.http.get(self.product, BASE + "/servicedesk", params={"start": start, "limit": limit})
