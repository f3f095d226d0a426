"""Jira Cloud platform REST v3 client (`/rest/api/3`)."""

from __future__ import annotations

import threading
from typing import Any

from ...http import HttpClient, path
from .. import body_bytes

API = "/rest/api/3"
DEFAULT_SEARCH_FIELDS = ("summary", "status", "issuetype", "priority", "assignee", "updated")
ISSUE = API + "/issue/{key}"


class JiraClient:
    """Jira REST calls; each method is one operation of jira-v3.json and returns its JSON."""

    product = "jira"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")
        self.user_cache: dict[str, tuple[str, str]] = {}  # name/email/"me" -> (account id, display name)
        self._fields: list[dict[str, Any]] | None = None
        self._fields_lock = threading.Lock()
        self._agile: Any = None

    @property
    def agile(self) -> Any:
        """The Jira Software board and sprint client, sharing this client's HTTP core."""
        if self._agile is None:
            from .agile import AgileClient

            self._agile = AgileClient(self.http)
        return self._agile

    def browse_url(self, key: str) -> str:
        """The web address of an issue."""
        return f"{self.site_url}/browse/{key}"

    def _get(self, path_: str, **params: Any) -> Any:
        return self.http.get(self.product, path_, params=params)

    # -- people and fields ---------------------------------------------------------------
    def myself(self) -> dict[str, Any]:
        """The signed-in user (GET /myself)."""
        return self.http.get(self.product, API + "/myself")

    def search_users(self, query: str, *, limit: int = 20, start_at: int = 0) -> list[dict[str, Any]]:
        """Users whose name or email starts with or matches `query` (`GET /user/search`)."""
        return self._get(API + "/user/search", query=query, maxResults=limit, startAt=start_at) or []

    def fields(self) -> list[dict[str, Any]]:
        """Every system and custom field (`GET /rest/api/3/field`), fetched once per process."""
        if self._fields is None:
            with self._fields_lock:
                if self._fields is None:
                    self._fields = self.http.get(self.product, API + "/field") or []
        return self._fields

    def field_names(self) -> dict[str, str]:
        """Field id to display name, e.g. customfield_10016 -> Story point estimate."""
        return {str(f["id"]): str(f.get("name") or f["id"]) for f in self.fields() if isinstance(f, dict) and f.get("id")}

    # -- search and read -----------------------------------------------------------------
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
        return self.http.get(self.product, API + "/search/jql", params=params)

    def get_issue(self, key: str, *, fields: list[str] | None = None, expand: str | None = None) -> dict[str, Any]:
        """One issue with the given fields and expansions (GET /issue/{key})."""
        params = {"fields": ",".join(fields) if fields else None, "expand": expand}
        return self.http.get(self.product, path(ISSUE, key=key), params=params)

    def changelog(self, key: str, *, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """An issue's change history, oldest first, one page (GET /issue/{key}/changelog)."""
        return self._get(path(ISSUE + "/changelog", key=key), startAt=start_at, maxResults=limit)

    # -- create, edit, delete ------------------------------------------------------------
    def create_meta_issue_types(self, project: str, *, start_at: int = 0, limit: int = 200) -> dict[str, Any]:
        """Issue types a project lets you create (`GET /issue/createmeta/{project}/issuetypes`)."""
        return self._get(path(API + "/issue/createmeta/{p}/issuetypes", p=project), startAt=start_at, maxResults=limit)

    def create_meta_fields(self, project: str, issue_type_id: str, *, start_at: int = 0, limit: int = 200) -> dict[str, Any]:
        """Fields of the create screen, with `required` and `allowedValues`, for one project and type."""
        template = API + "/issue/createmeta/{p}/issuetypes/{t}"
        return self._get(path(template, p=project, t=issue_type_id), startAt=start_at, maxResults=limit)

    def edit_meta(self, key: str) -> dict[str, Any]:
        """Fields of the edit screen with their operations and allowed values."""
        return self.http.get(self.product, path(ISSUE + "/editmeta", key=key))

    def create_issue(self, fields: dict[str, Any], update: dict[str, Any] | None = None) -> dict[str, Any]:
        """Create an issue from `fields` (and `update` operations) (POST /issue)."""
        body: dict[str, Any] = {"fields": fields}
        if update:
            body["update"] = update
        return self.http.post(self.product, API + "/issue", json=body)

    def create_issues(self, issue_updates: list[dict[str, Any]]) -> dict[str, Any]:
        """Bulk create up to 50 issues; the answer holds `issues` and per-element `errors`."""
        return self.http.post(self.product, API + "/issue/bulk", json={"issueUpdates": issue_updates})

    def edit_issue(self, key: str, *, fields: dict[str, Any] | None = None, update: dict[str, Any] | None = None, notify: bool = True) -> None:
        """Change an issue's fields; `notify=False` asks Jira not to email watchers (PUT /issue/{key})."""
        body = {k: v for k, v in (("fields", fields), ("update", update)) if v}
        params = None if notify else {"notifyUsers": "false"}
        self.http.put(self.product, path(ISSUE, key=key), json=body, params=params)

    def delete_issue(self, key: str, *, delete_subtasks: bool = False) -> None:
        """Delete an issue, and its subtasks when asked (DELETE /issue/{key})."""
        params = {"deleteSubtasks": "true"} if delete_subtasks else None
        self.http.delete(self.product, path(ISSUE, key=key), params=params)

    def assign(self, key: str, account_id: str | None) -> None:
        """Assign to an account id; None unassigns."""
        self.http.put(self.product, path(ISSUE + "/assignee", key=key), json={"accountId": account_id})

    # -- workflow ------------------------------------------------------------------------
    def transitions(self, key: str, *, with_fields: bool = True) -> list[dict[str, Any]]:
        """Transitions available now; with_fields adds each transition screen's fields."""
        data = self._get(path(ISSUE + "/transitions", key=key), expand="transitions.fields" if with_fields else None)
        return (data or {}).get("transitions") or []

    def transition(self, key: str, transition_id: str, *, fields: dict[str, Any] | None = None, update: dict[str, Any] | None = None) -> None:
        """Move an issue through a transition, setting fields on the way (POST /issue/{key}/transitions)."""
        body: dict[str, Any] = {"transition": {"id": transition_id}}
        if fields:
            body["fields"] = fields
        if update:
            body["update"] = update
        self.http.post(self.product, path(ISSUE + "/transitions", key=key), json=body)

    # -- comments ------------------------------------------------------------------------
    def comments(self, key: str, *, start_at: int = 0, limit: int = 20, newest_first: bool = True) -> dict[str, Any]:
        """An issue's comments, one page, oldest or newest first (GET /issue/{key}/comment)."""
        order = "-created" if newest_first else "created"
        return self._get(path(ISSUE + "/comment", key=key), startAt=start_at, maxResults=limit, orderBy=order)

    def add_comment(self, key: str, body: dict[str, Any], *, visibility: dict[str, str] | None = None) -> dict[str, Any]:
        """Add an ADF comment to an issue, visible to a role or group when `visibility` says so (POST /issue/{key}/comment)."""
        payload: dict[str, Any] = {"body": body}
        if visibility:
            payload["visibility"] = visibility
        return self.http.post(self.product, path(ISSUE + "/comment", key=key), json=payload)

    def get_comment(self, key: str, comment_id: str) -> dict[str, Any]:
        return self.http.get(self.product, path(ISSUE + "/comment/{id}", key=key, id=comment_id))

    def update_comment(self, key: str, comment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Replace a comment's ADF body (PUT /issue/{key}/comment/{id})."""
        return self.http.put(self.product, path(ISSUE + "/comment/{id}", key=key, id=comment_id), json={"body": body})

    def delete_comment(self, key: str, comment_id: str) -> None:
        """Delete a comment (DELETE /issue/{key}/comment/{id})."""
        self.http.delete(self.product, path(ISSUE + "/comment/{id}", key=key, id=comment_id))

    # -- worklogs ------------------------------------------------------------------------
    def worklogs(self, key: str, *, start_at: int = 0, limit: int = 20) -> dict[str, Any]:
        """The time logged on an issue, one page (GET /issue/{key}/worklog)."""
        return self._get(path(ISSUE + "/worklog", key=key), startAt=start_at, maxResults=limit)

    def add_worklog(
        self,
        key: str,
        *,
        time_spent: str,
        started: str,
        comment: dict[str, Any] | None = None,
        new_estimate: str | None = None,
    ) -> dict[str, Any]:
        """Log work; with new_estimate the remaining estimate is set to it, else reduced automatically."""
        body: dict[str, Any] = {"timeSpent": time_spent, "started": started}
        if comment:
            body["comment"] = comment
        params = {"adjustEstimate": "new", "newEstimate": new_estimate} if new_estimate else None
        return self.http.post(self.product, path(ISSUE + "/worklog", key=key), json=body, params=params)

    # -- projects ------------------------------------------------------------------------
    def search_projects(self, *, query: str | None = None, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """Projects matching `query`, by key, one page (GET /project/search)."""
        return self._get(API + "/project/search", query=query, startAt=start_at, maxResults=limit, orderBy="key", expand="description,lead")

    def project(self, key: str) -> dict[str, Any]:
        """One project with its issue types, components and versions."""
        return self._get(path(API + "/project/{key}", key=key), expand="description,lead,issueTypes")

    # -- links ---------------------------------------------------------------------------
    def link_types(self) -> list[dict[str, Any]]:
        """The issue link types of the site (GET /issueLinkType)."""
        return (self.http.get(self.product, API + "/issueLinkType") or {}).get("issueLinkTypes") or []

    def link_issues(self, type_name: str, inward_key: str, outward_key: str, comment: dict[str, Any] | None = None) -> None:
        """Create a link; Jira shows the inward issue with the type's outward phrase ("A blocks B")."""
        body: dict[str, Any] = {"type": {"name": type_name}, "inwardIssue": {"key": inward_key}, "outwardIssue": {"key": outward_key}}
        if comment:
            body["comment"] = {"body": comment}
        self.http.post(self.product, API + "/issueLink", json=body)

    def delete_link(self, link_id: str) -> None:
        """Remove a link between two issues (DELETE /issueLink/{id})."""
        self.http.delete(self.product, path(API + "/issueLink/{id}", id=link_id))

    def add_remote_link(self, key: str, url: str, title: str, *, summary: str | None = None, relationship: str | None = None) -> dict[str, Any]:
        """Create (or update, keyed by the URL as global id) a web link on an issue."""
        obj = {"url": url, "title": title}
        if summary:
            obj["summary"] = summary
        body: dict[str, Any] = {"globalId": url, "object": obj}
        if relationship:
            body["relationship"] = relationship
        return self.http.post(self.product, path(ISSUE + "/remotelink", key=key), json=body)

    # -- attachments ---------------------------------------------------------------------
    def attachment(self, attachment_id: str) -> dict[str, Any]:
        """One attachment's metadata (GET /attachment/{id})."""
        return self.http.get(self.product, path(API + "/attachment/{id}", id=attachment_id))

    def attachment_content(self, attachment_id: str, max_bytes: int | None = None) -> bytes:
        """The file's bytes, served by Jira itself (`redirect=false`) rather than a media redirect.

        Reading stops at `max_bytes` (default ATLASSIAN_MAX_DOWNLOAD_MB) with TooLarge, whatever the metadata said.
        """
        response = self.http.get(
            self.product, path(API + "/attachment/content/{id}", id=attachment_id), params={"redirect": "false"}, raw=True, max_bytes=max_bytes
        )
        return response.content

    def add_attachment(self, key: str, filename: str, data: bytes, mime_type: str) -> list[dict[str, Any]]:
        """Upload one file (multipart, with the `X-Atlassian-Token: no-check` header Jira requires).

        `data` is held as bytes (a stream is read once, here): a request that is retried (429, a same-host 307, a 401
        then a token refresh) must send the whole file again, and a stream read once sends nothing.
        """
        data = body_bytes(data)
        files = {"file": (filename, bytes(data), mime_type)}
        return self.http.post(self.product, path(ISSUE + "/attachments", key=key), files=files, headers={"X-Atlassian-Token": "no-check"}) or []

    # -- watchers ------------------------------------------------------------------------
    def watchers(self, key: str) -> dict[str, Any]:
        """Who watches an issue (GET /issue/{key}/watchers)."""
        return self.http.get(self.product, path(ISSUE + "/watchers", key=key))

    def add_watcher(self, key: str, account_id: str) -> None:
        """Add a watcher to an issue (POST /issue/{key}/watchers)."""
        self.http.post(self.product, path(ISSUE + "/watchers", key=key), json=account_id)

    def remove_watcher(self, key: str, account_id: str) -> None:
        """Remove a watcher from an issue (DELETE /issue/{key}/watchers)."""
        self.http.delete(self.product, path(ISSUE + "/watchers", key=key), params={"accountId": account_id})

    # -- versions, components, filters, attachment removal ---------------------------------
    def versions(self, project: str, *, query: str | None = None, status: str | None = None, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """A project's versions, one page, by sequence (GET /project/{key}/version)."""
        return self._get(path(API + "/project/{p}/version", p=project), query=query, status=status, startAt=start_at, maxResults=limit, orderBy="sequence")

    def version(self, version_id: str) -> dict[str, Any]:
        """One version (GET /version/{id})."""
        return self.http.get(self.product, path(API + "/version/{id}", id=version_id))

    def create_version(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a version in the project `body["projectId"]` names (POST /version)."""
        return self.http.post(self.product, API + "/version", json=body)

    def update_version(self, version_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Rename, re-date, release or archive a version (PUT /version/{id})."""
        return self.http.put(self.product, path(API + "/version/{id}", id=version_id), json=changes)

    def components(self, project: str, *, query: str | None = None, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """A project's components, one page, by name (GET /project/{key}/component)."""
        return self._get(path(API + "/project/{p}/component", p=project), query=query, startAt=start_at, maxResults=limit, orderBy="name")

    def create_component(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a component in the project `body["project"]` names (POST /component)."""
        return self.http.post(self.product, API + "/component", json=body)

    def my_filters(self) -> list[dict[str, Any]]:
        """Your own filters and your favourites, with their JQL (GET /filter/my)."""
        return self._get(API + "/filter/my", includeFavourites="true", expand="jql,owner,favourite") or []

    def search_filters(self, name: str, *, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """Filters whose name contains `name`, one page (GET /filter/search)."""
        return self._get(API + "/filter/search", filterName=name, expand="jql,owner,favourite,description", startAt=start_at, maxResults=limit, orderBy="name")

    def filter(self, filter_id: str) -> dict[str, Any]:
        """One saved filter with its JQL (GET /filter/{id})."""
        return self.http.get(self.product, path(API + "/filter/{id}", id=filter_id))

    def delete_attachment(self, attachment_id: str) -> None:
        """Delete an attachment for good (DELETE /attachment/{id})."""
        self.http.delete(self.product, path(API + "/attachment/{id}", id=attachment_id))
