"""JSM Assets (CMDB) REST client, reached through the API gateway at `/jsm/assets/workspace/{id}/v1`."""

from __future__ import annotations

import threading
from typing import Any

from ..errors import AtlassianError, InvalidInput
from ..http import HttpClient, path


class AssetsUnavailable(AtlassianError):
    """The site has JSM but no Assets workspace (Assets comes with JSM Premium and Enterprise)."""


def aql_string(value: Any) -> str:
    """One AQL string literal: the value in double quotes, backslashes and quotes escaped.

    Every value a user supplies goes through here, so it can never end the literal and add
    operators of its own (`x" OR Name != "` stays one value).
    """
    text = str(value)
    if any(ord(ch) < 32 for ch in text):
        raise InvalidInput("AQL values must not contain control characters or line breaks.")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class AssetsClient:
    """Assets calls; each method is one operation of Atlassian's Assets REST API (cloud, v1).

    The workspace id comes from JSM (`GET /rest/servicedeskapi/assets/workspace`); it is looked
    up once and kept, unless a caller names a workspace explicitly.
    """

    product = "assets"

    def __init__(self, http: HttpClient, servicedesk: Any):
        self.http = http
        self.servicedesk = servicedesk
        self._workspace: str | None = None
        self._lock = threading.Lock()

    def workspaces(self) -> list[str]:
        """The Assets workspace ids of this site (from JSM's /assets/workspace); the first becomes the default."""
        page = self.servicedesk.assets_workspaces(limit=50) or {}
        found = [str(w["workspaceId"]) for w in page.get("values") or [] if isinstance(w, dict) and w.get("workspaceId")]
        if found and self._workspace is None:
            self._workspace = found[0]  # Atlassian gives a site one workspace; name another explicitly
        return found

    def workspace_id(self, explicit: str | None = None) -> str:
        """The workspace to use: `explicit` when given, else the site's default; AssetsUnavailable when it has none."""
        if explicit:
            return explicit
        with self._lock:
            if self._workspace is None:
                found = self.workspaces()
                if not found:
                    raise AssetsUnavailable(
                        f"Assets is not available on {self.servicedesk.site_url}: the site has no Assets workspace "
                        "(Assets comes with Jira Service Management Premium or Enterprise)."
                    )
            return str(self._workspace)

    def _url(self, workspace: str | None, template: str, **params: Any) -> str:
        return path("/jsm/assets/workspace/{ws}/v1", ws=self.workspace_id(workspace)) + path(template, **params)

    # -- objects ----------------------------------------------------------------------------
    def search(self, aql: str, *, start: int = 0, limit: int = 25, workspace: str | None = None) -> dict[str, Any]:
        """Objects matching an AQL query (POST /object/aql), one page."""
        params = {"startAt": start, "maxResults": limit, "includeAttributes": "true"}
        return self.http.post(self.product, self._url(workspace, "/object/aql"), params=params, json={"qlQuery": aql}, idempotent=True)

    def get_object(self, object_id: str, *, workspace: str | None = None) -> dict[str, Any]:
        """One object with its attributes (GET /object/{id})."""
        return self.http.get(self.product, self._url(workspace, "/object/{id}", id=object_id))

    def create_object(self, type_id: str, attributes: list[dict[str, Any]], *, workspace: str | None = None) -> dict[str, Any]:
        """Create an object of type `type_id` from attribute id -> values (POST /object/create)."""
        body = {"objectTypeId": str(type_id), "attributes": attributes}
        return self.http.post(self.product, self._url(workspace, "/object/create"), json=body)

    def update_object(self, object_id: str, type_id: str, attributes: list[dict[str, Any]], *, workspace: str | None = None) -> dict[str, Any]:
        """Set attributes of an object (PUT /object/{id})."""
        body = {"objectTypeId": str(type_id), "attributes": attributes}
        return self.http.put(self.product, self._url(workspace, "/object/{id}", id=object_id), json=body)

    # -- schemas and types ------------------------------------------------------------------
    def schemas(self, *, start: int = 0, limit: int = 50, workspace: str | None = None) -> dict[str, Any]:
        """The object schemas of a workspace, one page (GET /objectschema/list)."""
        return self.http.get(self.product, self._url(workspace, "/objectschema/list"), params={"startAt": start, "maxResults": limit})

    def object_types(self, schema_id: str, *, workspace: str | None = None) -> list[dict[str, Any]]:
        """Every object type of a schema, flat (GET /objectschema/{id}/objecttypes/flat)."""
        return self.http.get(self.product, self._url(workspace, "/objectschema/{id}/objecttypes/flat", id=schema_id)) or []

    def type_attributes(self, type_id: str, *, workspace: str | None = None) -> list[dict[str, Any]]:
        """The attribute definitions of an object type (GET /objecttype/{id}/attributes)."""
        return self.http.get(self.product, self._url(workspace, "/objecttype/{id}/attributes", id=type_id)) or []
