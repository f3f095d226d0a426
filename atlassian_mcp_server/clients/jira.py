"""Jira Cloud platform REST v3 client (`/rest/api/3`)."""

from __future__ import annotations

import threading
from typing import Any

from ..http import HttpClient, path

DEFAULT_SEARCH_FIELDS = ("summary", "status", "issuetype", "priority", "assignee", "updated")


class JiraClient:
    """Jira REST calls; each method is one operation of jira-v3.json and returns its JSON."""

    product = "jira"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")
        self._fields: list[dict[str, Any]] | None = None
        self._fields_lock = threading.Lock()

    def browse_url(self, key: str) -> str:
        return f"{self.site_url}/browse/{key}"

    def myself(self) -> dict[str, Any]:
        return self.http.get(self.product, "/rest/api/3/myself")

    def search(
        self,
        jql: str,
        *,
        fields: list[str] | None = None,
        limit: int = 50,
        next_page_token: str | None = None,
        expand: str | None = None,
    ) -> dict[str, Any]:
        """Enhanced JQL search (`GET /rest/api/3/search/jql`), paged by `nextPageToken`."""
        params = {
            "jql": jql,
            "maxResults": limit,
            "fields": ",".join(fields or DEFAULT_SEARCH_FIELDS),
            "nextPageToken": next_page_token,
            "expand": expand,
        }
        return self.http.get(self.product, "/rest/api/3/search/jql", params=params)

    def get_issue(self, key: str, *, fields: list[str] | None = None, expand: str | None = None) -> dict[str, Any]:
        params = {"fields": ",".join(fields) if fields else None, "expand": expand}
        return self.http.get(self.product, path("/rest/api/3/issue/{key}", key=key), params=params)

    def fields(self) -> list[dict[str, Any]]:
        """Every system and custom field (`GET /rest/api/3/field`), fetched once per process."""
        if self._fields is None:
            with self._fields_lock:
                if self._fields is None:
                    self._fields = self.http.get(self.product, "/rest/api/3/field") or []
        return self._fields

    def field_names(self) -> dict[str, str]:
        """Field id to display name, e.g. customfield_10016 -> Story point estimate."""
        return {f["id"]: f.get("name", f["id"]) for f in self.fields() if "id" in f}
