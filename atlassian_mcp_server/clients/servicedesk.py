"""Jira Service Management REST client (`/rest/servicedeskapi`): one method per documented operation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..errors import ApiError, AtlassianError
from ..http import HttpClient, path

BASE = "/rest/servicedeskapi"
# Sent only on the operations jsm.json marks `x-experimental` (getAllRequestTypes, getCustomers).
EXPERIMENTAL = {"X-ExperimentalApi": "opt-in"}


class ServiceDeskUnavailable(AtlassianError):
    """The site has no Jira Service Management: every JSM call answers 404."""


class ServiceDeskClient:
    """JSM REST calls; each method is one operation of jsm.json and returns its JSON.

    Service desk ids may also be project keys (jsm.json: "can alternatively be a project
    identifier"). A 404 is checked once against `GET /info`: when that is missing too, the
    site has no JSM and the call raises ServiceDeskUnavailable with one clear sentence.
    """

    product = "servicedesk"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")
        self._installed: bool | None = None
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------
    def _call(self, method: str, path_: str, **kw: Any) -> Any:
        try:
            result = self.http.request(method, self.product, path_, **kw)
        except ApiError as exc:
            if exc.status == 404 and path_ == BASE + "/info":
                self._installed = False
            if exc.status == 404 and not self.is_installed():
                raise self.unavailable() from exc
            raise
        self._installed = True
        return result

    def is_installed(self) -> bool:
        """Whether the site answers `GET /info`; asked at most once per client after a 404."""
        with self._lock:
            if self._installed is None:
                try:
                    self.http.get(self.product, BASE + "/info")
                    self._installed = True
                except ApiError as exc:
                    if exc.status != 404:
                        raise
                    self._installed = False
            return self._installed

    def unavailable(self) -> ServiceDeskUnavailable:
        """The error to raise when this site has no Jira Service Management."""
        return ServiceDeskUnavailable(
            f"Jira Service Management is not available on {self.site_url}: the servicedesk_* and assets_* tools need a JSM "
            "licence on this site, so ask a site admin to add it or leave service_desk out of ATLASSIAN_MODULES."
        )

    def request_url(self, key: str) -> str:
        """The web address of a request's issue."""
        return f"{self.site_url}/browse/{key}"

    def portal_url(self, request: dict[str, Any]) -> str:
        """The customer portal address of a request, or its issue's address."""
        links: dict[str, Any] = request["_links"] if isinstance(request.get("_links"), dict) else {}
        web = links.get("web")
        return web if isinstance(web, str) and web else self.request_url(str(request.get("issueKey") or ""))

    # -- service desks and request types ----------------------------------------------------
    def info(self) -> dict[str, Any]:
        """Jira Service Management's version and build (GET /info)."""
        return self._call("GET", BASE + "/info")

    def list_service_desks(self, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """The service desks you can see, one page (GET /servicedesk)."""
        return self._call("GET", BASE + "/servicedesk", params={"start": start, "limit": limit})

    def get_service_desk(self, desk: str) -> dict[str, Any]:
        """One service desk by id or project key (GET /servicedesk/{id})."""
        return self._call("GET", path(BASE + "/servicedesk/{id}", id=desk))

    def list_request_types(self, desk: str, *, search: str | None = None, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """The request types of a service desk, optionally matching `search`, one page."""
        params = {"searchQuery": search, "start": start, "limit": limit}
        return self._call("GET", path(BASE + "/servicedesk/{id}/requesttype", id=desk), params=params)

    def list_all_request_types(self, *, search: str | None = None, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """Request types across every service desk, one page (GET /requesttype, experimental)."""
        params = {"searchQuery": search, "start": start, "limit": limit}
        return self._call("GET", BASE + "/requesttype", params=params, headers=EXPERIMENTAL)

    def get_request_type(self, desk: str, request_type: str) -> dict[str, Any]:
        """One request type of a service desk."""
        return self._call("GET", path(BASE + "/servicedesk/{id}/requesttype/{rt}", id=desk, rt=request_type))

    def request_type_fields(self, desk: str, request_type: str) -> dict[str, Any]:
        """The fields a request type asks for, with their valid values."""
        return self._call("GET", path(BASE + "/servicedesk/{id}/requesttype/{rt}/field", id=desk, rt=request_type))

    # -- requests ---------------------------------------------------------------------------
    def list_requests(
        self,
        *,
        desk_id: str | None = None,
        status: str | None = None,
        ownership: list[str] | None = None,
        search: str | None = None,
        request_type_id: str | None = None,
        start: int = 0,
        limit: int = 50,
    ) -> dict[str, Any]:
        """Customer requests you can see, filtered, one page (GET /request)."""
        params = {
            "serviceDeskId": desk_id,
            "requestStatus": status,
            "requestOwnership": ownership,
            "searchTerm": search,
            "requestTypeId": request_type_id,
            "expand": "requestType",
            "start": start,
            "limit": limit,
        }
        return self._call("GET", BASE + "/request", params=params)

    def get_request(self, key: str, expand: tuple[str, ...] = ("requestType", "serviceDesk", "sla", "participant")) -> dict[str, Any]:
        """One customer request with the given expansions (GET /request/{key})."""
        return self._call("GET", path(BASE + "/request/{key}", key=key), params={"expand": ",".join(expand) or None})

    def create_request(self, body: dict[str, Any]) -> dict[str, Any]:
        """Raise a customer request (POST /request)."""
        return self._call("POST", BASE + "/request", json=body)

    def list_comments(self, key: str, *, public: bool | None = None, internal: bool | None = None, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A request's comments, public, internal or both, one page."""
        params = {"public": _flag(public), "internal": _flag(internal), "start": start, "limit": limit}
        return self._call("GET", path(BASE + "/request/{key}/comment", key=key), params=params)

    def add_comment(self, key: str, body: str, *, public: bool) -> dict[str, Any]:
        """Comment on a request, publicly or internally (POST /request/{key}/comment)."""
        return self._call("POST", path(BASE + "/request/{key}/comment", key=key), json={"body": body, "public": public})

    def status_history(self, key: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A request's status changes, one page (GET /request/{key}/status)."""
        return self._call("GET", path(BASE + "/request/{key}/status", key=key), params={"start": start, "limit": limit})

    def transitions(self, key: str, *, start: int = 0, limit: int = 100) -> dict[str, Any]:
        """The transitions a customer can make on a request, one page."""
        return self._call("GET", path(BASE + "/request/{key}/transition", key=key), params={"start": start, "limit": limit})

    def transition(self, key: str, transition_id: str, comment: str | None = None) -> None:
        """Move a request through a customer transition, with an optional comment."""
        body: dict[str, Any] = {"id": transition_id}
        if comment:
            body["additionalComment"] = {"body": comment}
        self._call("POST", path(BASE + "/request/{key}/transition", key=key), json=body)

    def sla(self, key: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A request's SLA cycles, one page (GET /request/{key}/sla)."""
        return self._call("GET", path(BASE + "/request/{key}/sla", key=key), params={"start": start, "limit": limit})

    # -- approvals --------------------------------------------------------------------------
    def approvals(self, key: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A request's approvals, one page (GET /request/{key}/approval)."""
        return self._call("GET", path(BASE + "/request/{key}/approval", key=key), params={"start": start, "limit": limit})

    def answer_approval(self, key: str, approval_id: str, decision: str) -> dict[str, Any]:
        """Approve or decline an approval (`decision` is approve or decline)."""
        url = path(BASE + "/request/{key}/approval/{id}", key=key, id=approval_id)
        return self._call("POST", url, json={"decision": decision})

    # -- people -----------------------------------------------------------------------------
    def participants(self, key: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A request's participants, one page (GET /request/{key}/participant)."""
        return self._call("GET", path(BASE + "/request/{key}/participant", key=key), params={"start": start, "limit": limit})

    def add_participants(self, key: str, account_ids: list[str]) -> dict[str, Any]:
        """Add people to a request's participants (POST /request/{key}/participant)."""
        return self._call("POST", path(BASE + "/request/{key}/participant", key=key), json={"accountIds": list(account_ids)})

    def notification_status(self, key: str) -> dict[str, Any]:
        """Whether you get notifications for a request (GET /request/{key}/notification)."""
        return self._call("GET", path(BASE + "/request/{key}/notification", key=key))

    def subscribe(self, key: str) -> None:
        """Turn on your notifications for a request (PUT /request/{key}/notification)."""
        self._call("PUT", path(BASE + "/request/{key}/notification", key=key))

    def unsubscribe(self, key: str) -> None:
        """Turn off your notifications for a request (DELETE /request/{key}/notification)."""
        self._call("DELETE", path(BASE + "/request/{key}/notification", key=key))

    def organizations(self, desk: str | None = None, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """Organizations of a service desk, or of the site when `desk` is None, one page."""
        url = path(BASE + "/servicedesk/{id}/organization", id=desk) if desk else BASE + "/organization"
        return self._call("GET", url, params={"start": start, "limit": limit})

    def customers(self, desk: str, *, query: str | None = None, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """The customers of a service desk, optionally matching `query`, one page (experimental)."""
        url = path(BASE + "/servicedesk/{id}/customer", id=desk)
        return self._call("GET", url, params={"query": query, "start": start, "limit": limit}, headers=EXPERIMENTAL)

    # -- queues and knowledge base ----------------------------------------------------------
    def queues(self, desk: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """A service desk's queues with their issue counts, one page."""
        url = path(BASE + "/servicedesk/{id}/queue", id=desk)
        return self._call("GET", url, params={"includeCount": "true", "start": start, "limit": limit})

    def queue_issues(self, desk: str, queue_id: str, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """The issues in a queue, one page."""
        url = path(BASE + "/servicedesk/{id}/queue/{q}/issue", id=desk, q=queue_id)
        return self._call("GET", url, params={"start": start, "limit": limit})

    def search_articles(self, query: str, *, desk: str | None = None, cursor: str | None = None, limit: int = 10) -> dict[str, Any]:
        """Knowledge base articles matching `query`, across desks or in one, one page."""
        url = path(BASE + "/servicedesk/{id}/knowledgebase/article", id=desk) if desk else BASE + "/knowledgebase/article"
        params = {"query": query, "highlight": "true", "limit": limit, "cursor": cursor}
        return self._call("GET", url, params=params)

    # -- Assets discovery (the workspace id the Assets API needs) ---------------------------
    def assets_workspaces(self, *, start: int = 0, limit: int = 50) -> dict[str, Any]:
        """The Assets workspaces of this site, one page (GET /assets/workspace)."""
        return self._call("GET", BASE + "/assets/workspace", params={"start": start, "limit": limit})


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def first_page(fetch: Callable[..., dict[str, Any]], *args: Any, limit: int = 100, **kw: Any) -> list[dict[str, Any]]:
    """The values of one large page: enough to resolve a name among a desk's types, queues or transitions."""
    return list((fetch(*args, start=0, limit=limit, **kw) or {}).get("values") or [])
