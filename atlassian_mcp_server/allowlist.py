"""ATLASSIAN_PROJECTS and ATLASSIAN_SPACES: the one guard every request to Atlassian passes through.

The HTTP core hands each request to `Guard.around` before sending it. The guard knows, for every
operation the product clients call, what it touches: a search gets a clause the user cannot
escape (composed with `tools.query.narrow`), a read of one thing (an issue, a request, a page) is
checked against what Atlassian says of it (an issue key can move projects; a page id says
nothing of its space), a write is checked before anything is sent, and a list drops what lies
outside. An operation the guard does not know is refused while a list is set, so a tool added
later cannot slip past it: add its rule here.

Outside things are answered with one sentence naming the setting, never with their data.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .errors import ApiError, AtlassianError

API = "/rest/api/3"
AGILE = "/rest/agile/1.0"
SD = "/rest/servicedeskapi"
V2 = "/wiki/api/v2"
V1 = "/wiki/rest/api"


class OutsideAllowlist(AtlassianError):
    """A request would read or change something outside ATLASSIAN_PROJECTS or ATLASSIAN_SPACES."""


def parse_keys(raw: str | None, *, upper: bool) -> tuple[str, ...] | None:
    """A comma list of keys (None or blank = no limit), in order, without repeats."""
    if raw is None or not raw.strip():
        return None
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    return tuple(dict.fromkeys(k.upper() if upper else k for k in keys)) or None


Check = Callable[[Any], Any]  # the answer in, the answer (perhaps filtered) out; may raise


class Guard:
    """Checks requests against the allowed project keys (Jira, JSM) and space keys (Confluence)."""

    def __init__(self, projects: tuple[str, ...] | None, spaces: tuple[str, ...] | None):
        self.projects = frozenset(projects) if projects else None
        self.spaces = frozenset(spaces) if spaces else None
        self._lock = threading.Lock()
        self._space_ids: frozenset[str] | None = None
        self._project_ids: frozenset[str] | None = None
        self._desks: dict[str, str | None] = {}
        self._rules: list[tuple[str, re.Pattern[str], Callable[..., Check | None]]] = []
        self._declare()

    @property
    def active(self) -> bool:
        return self.projects is not None or self.spaces is not None

    # -- the refusal ------------------------------------------------------------------------
    def project_outside(self, what: str) -> OutsideAllowlist:
        return OutsideAllowlist(f"{what} is outside the projects this server may use (ATLASSIAN_PROJECTS).")

    def space_outside(self, what: str) -> OutsideAllowlist:
        return OutsideAllowlist(f"{what} is outside the spaces this server may use (ATLASSIAN_SPACES).")

    # -- the hook the HTTP core calls ---------------------------------------------------------
    def around(self, http: Any, method: str, product: str, path_: str, kw: dict[str, Any]) -> Any:
        """Check one request, send it (through `http.request(..., guarded=False)`), check its answer."""
        limited = self.projects is not None if product in ("jira", "servicedesk") else self.spaces is not None if product == "confluence" else False
        if not limited:
            return http.request(method, product, path_, guarded=False, **kw)
        self._http = http
        for rule_method, pattern, handler in self._rules:
            match = pattern.fullmatch(path_)
            if match and rule_method == method:
                values = {k: unquote(v) for k, v in match.groupdict().items()}
                after = handler(kw, **values)
                result = http.request(method, product, path_, guarded=False, **kw)
                return after(result) if after is not None else result
        setting = "ATLASSIAN_SPACES" if product == "confluence" else "ATLASSIAN_PROJECTS"
        raise OutsideAllowlist(f"This call ({method} {path_.split('?')[0]}) cannot be checked against {setting}, so it is refused while {setting} is set.")

    def _get(self, product: str, path_: str, **params: Any) -> Any:
        return self._http.request("GET", product, path_, params=params, guarded=False)

    # -- Jira -------------------------------------------------------------------------------
    def jql_clause(self) -> str:
        from .tools.query import quote

        return "project in (" + ", ".join(quote(k) for k in sorted(self.projects or ())) + ")"

    def project_ids(self) -> frozenset[str]:
        """The ids of the allowed projects (a body may name a project by id)."""
        if self._project_ids is None:
            ids = set()
            for key in sorted(self.projects or ()):
                try:
                    ids.add(str(self._get("jira", API + "/project/" + key).get("id")))
                except ApiError:
                    continue
            self._project_ids = frozenset(ids)
        return self._project_ids

    def check_project(self, key_or_id: Any, what: str | None = None) -> None:
        text = str(key_or_id or "").strip()
        if text.upper() in (self.projects or ()) or (text.isdigit() and text in self.project_ids()):
            return
        raise self.project_outside(what or f"Project {text}")

    def check_issue(self, key: str) -> None:
        """Refuse unless the issue, as Jira has it now, is in an allowed project (an unknown issue is Jira's 404)."""
        issue = self._get("jira", API + "/issue/" + _seg(key), fields="project")
        self.check_fetched_issue(issue, key)

    def check_fetched_issue(self, issue: Any, key: str) -> Any:
        project = ((issue or {}).get("fields") or {}).get("project") or {}
        current = str((issue or {}).get("key") or key)
        if project.get("key"):
            if project["key"].upper() not in (self.projects or ()):
                raise self.project_outside(f"Issue {key}")
        elif current.rsplit("-", 1)[0].upper() not in (self.projects or ()):
            raise self.project_outside(f"Issue {key}")
        return issue

    def check_issue_refs(self, body: Any) -> None:
        """The other issues a write names (a parent, links added through `update`) must be allowed too."""
        if not isinstance(body, dict):
            return
        parent = (body.get("fields") or {}).get("parent") if isinstance(body.get("fields"), dict) else None
        if isinstance(parent, dict) and (parent.get("key") or parent.get("id")):
            self.check_issue(str(parent.get("key") or parent.get("id")))
        links = (body.get("update") or {}).get("issuelinks") if isinstance(body.get("update"), dict) else None
        for op in links or []:
            for side in ("inwardIssue", "outwardIssue"):
                other = ((op or {}).get("add") or {}).get(side) if isinstance(op, dict) else None
                if isinstance(other, dict) and (other.get("key") or other.get("id")):
                    self.check_issue(str(other.get("key") or other.get("id")))

    def check_board(self, board_id: Any) -> None:
        board = self._get("jira", AGILE + "/board/" + _seg(board_id))
        if str(((board or {}).get("location") or {}).get("projectKey") or "").upper() not in (self.projects or ()):
            raise self.project_outside(f"Board {board_id}")

    def check_sprint(self, sprint_id: str) -> None:
        sprint = self._get("jira", AGILE + "/sprint/" + _seg(sprint_id))
        self.check_board((sprint or {}).get("originBoardId"))

    def in_projects(self, key: Any) -> bool:
        return str(key or "").upper() in (self.projects or ())

    # -- JSM --------------------------------------------------------------------------------
    def desk_project(self, desk_id: str) -> str | None:
        with self._lock:
            if desk_id in self._desks:
                return self._desks[desk_id]
        desk = self._get("servicedesk", SD + "/servicedesk/" + _seg(desk_id))
        key = str((desk or {}).get("projectKey") or "").upper() or None
        with self._lock:
            self._desks[desk_id] = key
        return key

    def check_desk(self, desk_id: Any) -> None:
        if not self.in_projects(self.desk_project(str(desk_id))):
            raise self.project_outside(f"Service desk {desk_id}")

    def check_request(self, key: str) -> None:
        request = self._get("servicedesk", SD + "/request/" + _seg(key))
        self.check_fetched_request(request, key)

    def check_fetched_request(self, request: Any, key: str) -> Any:
        current = str((request or {}).get("issueKey") or key)
        if not self.in_projects(current.rsplit("-", 1)[0]):
            raise self.project_outside(f"Request {key}")
        return request

    # -- Confluence -------------------------------------------------------------------------
    def space_ids(self) -> frozenset[str]:
        """The ids of the allowed spaces, read once (GET /spaces?keys=...)."""
        if self._space_ids is None:
            data = self._get("confluence", V2 + "/spaces", keys=",".join(sorted(self.spaces or ())), limit=250)
            self._space_ids = frozenset(str(s.get("id")) for s in (data or {}).get("results") or [] if s.get("key") in (self.spaces or ()))
        return self._space_ids

    def cql_clause(self) -> str:
        from .tools.query import quote

        return "space in (" + ", ".join(quote(k) for k in sorted(self.spaces or ())) + ")"

    def check_space_id(self, space_id: Any, what: str) -> None:
        if str(space_id or "") not in self.space_ids():
            raise self.space_outside(what)

    def check_fetched_content(self, content: Any, what: str) -> Any:
        self.check_space_id((content or {}).get("spaceId"), what)
        return content

    def check_content(self, content_id: str, what: str | None = None) -> None:
        """A page, blog post or folder by id: refused unless Confluence puts it in an allowed space."""
        label = what or f"Page {content_id}"
        missing: ApiError | None = None
        for kind in ("pages", "blogposts", "folders"):
            try:
                found = self._get("confluence", V2 + f"/{kind}/" + _seg(content_id))
            except ApiError as exc:
                if exc.status not in (404, 400):
                    raise
                missing = missing or exc
                continue
            self.check_fetched_content(found, label)
            return
        if missing is None or not str(content_id).isdigit():
            raise self.space_outside(label)
        raise missing

    def check_comment(self, comment_id: str, kind: str) -> None:
        comment = self._get("confluence", V2 + f"/{kind}-comments/" + _seg(comment_id))
        owner = (comment or {}).get("pageId") or (comment or {}).get("blogPostId")
        self.check_content(str(owner or ""), f"Comment {comment_id}")

    def keep_in_spaces(self, data: Any) -> Any:
        """A v2 list answer with only the results in allowed spaces."""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            ids = self.space_ids()
            data = dict(data, results=[r for r in data["results"] if str(r.get("spaceId")) in ids])
        return data

    # -- the rules --------------------------------------------------------------------------
    def _declare(self) -> None:
        rule = self._rule
        key = r"(?P<key>[^/]+)"
        idp = r"(?P<id>[^/]+)"

        # Jira: neither project nor issue
        for p in ("/myself", "/field", "/issueLinkType", "/user/search", "/serverInfo", "/mypermissions"):
            rule("GET", API + p, lambda kw: None)

        # Jira search: the clause the user cannot escape
        def search(kw: dict[str, Any]) -> None:
            from .tools.query import narrow

            params = dict(kw.get("params") or {})
            params["jql"] = narrow(params.get("jql"), self.jql_clause())
            kw["params"] = params

        rule("GET", API + "/search/jql", search)

        # Jira issues: the issue as Jira has it now
        def get_issue(kw: dict[str, Any], key: str) -> Check:
            params = dict(kw.get("params") or {})
            if params.get("fields"):
                params["fields"] = params["fields"] + ",project"
            kw["params"] = params

            return lambda issue: self.check_fetched_issue(issue, key)

        rule("GET", API + r"/issue/createmeta/(?P<p>[^/]+)/issuetypes(/[^/]+)?", lambda kw, p: self.check_project(p))
        rule("GET", API + "/issue/" + key, get_issue)

        def change(kw: dict[str, Any], key: str) -> None:
            self.check_issue(key)
            self.check_issue_refs(kw.get("json"))

        for method in ("PUT", "DELETE"):
            rule(method, API + "/issue/" + key, change)
        for method in ("GET", "POST", "PUT", "DELETE"):
            rule(method, API + "/issue/" + key + r"/.+", change)

        def create(kw: dict[str, Any]) -> None:
            project = (((kw.get("json") or {}).get("fields") or {}).get("project")) or {}
            self.check_project(project.get("key") or project.get("id"))
            self.check_issue_refs(kw.get("json"))

        rule("POST", API + "/issue", create)

        def bulk(kw: dict[str, Any]) -> None:
            for update in (kw.get("json") or {}).get("issueUpdates") or []:
                project = ((update or {}).get("fields") or {}).get("project") or {}
                self.check_project(project.get("key") or project.get("id"))
                self.check_issue_refs(update)

        rule("POST", API + "/issue/bulk", bulk)

        def link(kw: dict[str, Any]) -> None:
            body = kw.get("json") or {}
            for side in ("inwardIssue", "outwardIssue"):
                self.check_issue(str((body.get(side) or {}).get("key") or (body.get(side) or {}).get("id") or ""))

        rule("POST", API + "/issueLink", link)

        def unlink(kw: dict[str, Any], id: str) -> None:
            found = self._get("jira", API + "/issueLink/" + _seg(id))
            for side in ("inwardIssue", "outwardIssue"):
                self.check_issue(str((found.get(side) or {}).get("key") or ""))

        rule("DELETE", API + "/issueLink/" + idp, unlink)

        # Jira projects
        def projects(kw: dict[str, Any]) -> Check:
            return lambda data: _keep(data, "values", lambda p: self.in_projects(p.get("key")))

        rule("GET", API + "/project/search", projects)

        def project(kw: dict[str, Any], key: str) -> Check:
            def after(data: Any) -> Any:
                if not self.in_projects((data or {}).get("key")):
                    raise self.project_outside(f"Project {key}")
                return data

            return after

        rule("GET", API + "/project/" + key, project)
        for sub in ("version", "component"):
            rule("GET", API + "/project/" + key + "/" + sub, lambda kw, key: self.check_project(key))

        def version(kw: dict[str, Any], id: str) -> None:
            self.check_project(str(self._get("jira", API + "/version/" + _seg(id)).get("projectId")), f"Version {id}")
            if (kw.get("json") or {}).get("projectId") is not None:
                self.check_project(kw["json"]["projectId"])

        rule("GET", API + "/version/" + idp, version)
        rule("PUT", API + "/version/" + idp, version)
        rule("POST", API + "/version", lambda kw: self.check_project((kw.get("json") or {}).get("projectId") or (kw.get("json") or {}).get("project")))
        rule("POST", API + "/component", lambda kw: self.check_project((kw.get("json") or {}).get("project") or (kw.get("json") or {}).get("projectId")))
        # Saved filters say nothing of projects; running one goes through the search rule
        for p in ("/filter/my", "/filter/search", "/filter/" + idp):
            rule("GET", API + p, lambda kw, **_: None)

        # Jira attachments by id: Jira does not say whose issue they belong to
        def attachment(kw: dict[str, Any], id: str) -> None:
            raise self.project_outside(f"Attachment {id} (Jira does not say which issue holds it, so it cannot be checked)")

        rule("GET", API + "/attachment/" + idp, attachment)
        rule("GET", API + "/attachment/content/" + idp, attachment)
        rule("DELETE", API + "/attachment/" + idp, attachment)

        # Jira Software
        rule("GET", AGILE + "/board", lambda kw: lambda data: _keep(data, "values", lambda b: self.in_projects((b.get("location") or {}).get("projectKey"))))
        rule("GET", AGILE + r"/board/(?P<id>[^/]+)/sprint", lambda kw, id: self.check_board(id))
        rule("POST", AGILE + "/sprint", lambda kw: self.check_board((kw.get("json") or {}).get("originBoardId")))
        rule("GET", AGILE + "/sprint/" + idp, lambda kw, id: self.check_sprint(id))
        rule("POST", AGILE + "/sprint/" + idp, lambda kw, id: self.check_sprint(id))

        def move(kw: dict[str, Any], id: str | None = None) -> None:
            if id is not None:
                self.check_sprint(id)
            for issue in (kw.get("json") or {}).get("issues") or []:
                self.check_issue(str(issue))

        rule("POST", AGILE + r"/sprint/(?P<id>[^/]+)/issue", move)
        rule("POST", AGILE + "/backlog/issue", move)

        # JSM
        rule("GET", SD + "/info", lambda kw: None)
        rule("GET", SD + "/organization", lambda kw: None)
        rule("GET", SD + "/assets/workspace", lambda kw: None)
        rule("GET", SD + "/servicedesk", lambda kw: lambda data: _keep(data, "values", lambda d: self.in_projects(d.get("projectKey"))))
        desk = r"/servicedesk/(?P<desk>[^/]+)"
        rule(
            "GET",
            SD + desk,
            lambda kw, desk: lambda data: data if self.in_projects((data or {}).get("projectKey")) else _raise(self.project_outside(f"Service desk {desk}")),
        )
        for method in ("GET", "POST", "PUT", "DELETE"):
            rule(method, SD + desk + r"/.+", lambda kw, desk: self.check_desk(desk))
        rule(
            "GET",
            SD + "/requesttype",
            lambda kw: lambda data: _keep(data, "values", lambda t: self.in_projects(self.desk_project(str(t.get("serviceDeskId"))))),
        )

        def requests(kw: dict[str, Any]) -> Check:
            desk_id = (kw.get("params") or {}).get("serviceDeskId")
            if desk_id is not None:
                self.check_desk(desk_id)
            return lambda data: _keep(data, "values", lambda r: self.in_projects(str(r.get("issueKey") or "").rsplit("-", 1)[0]))

        rule("GET", SD + "/request", requests)
        rule("POST", SD + "/request", lambda kw: self.check_desk((kw.get("json") or {}).get("serviceDeskId")))
        rule("GET", SD + "/request/" + key, lambda kw, key: lambda data: self.check_fetched_request(data, key))
        for method in ("GET", "POST", "PUT", "DELETE"):
            rule(method, SD + "/request/" + key + r"/.+", lambda kw, key: self.check_request(key))

        # Confluence: neither space nor page
        rule("GET", V1 + "/user/current", lambda kw: None)
        rule("POST", V2 + "/users-bulk", lambda kw: None)
        rule("GET", V2 + "/labels", lambda kw: None)

        def cql(kw: dict[str, Any]) -> None:
            from .tools.query import narrow

            params = dict(kw.get("params") or {})
            params["cql"] = narrow(params.get("cql"), self.cql_clause())
            kw["params"] = params

        rule("GET", V1 + "/search", cql)

        def spaces(kw: dict[str, Any]) -> Check:
            for asked in str((kw.get("params") or {}).get("keys") or "").split(","):
                if asked and asked not in (self.spaces or ()):
                    raise self.space_outside(f"Space {asked}")
            return lambda data: _keep(data, "results", lambda s: s.get("key") in (self.spaces or ()))

        rule("GET", V2 + "/spaces", spaces)
        for tail in ("", r"/.+"):
            rule("GET", V2 + "/spaces/" + idp + tail, lambda kw, id: self.check_space_id(id, f"Space {id}"))

        def space_param(kw: dict[str, Any]) -> Check:
            wanted = (kw.get("params") or {}).get("space-id")
            for sid in str(wanted or "").split(","):
                if sid:
                    self.check_space_id(sid, f"Space {sid}")
            return self.keep_in_spaces

        for kind in ("pages", "blogposts", "templates"):
            rule("GET", V2 + "/" + kind, space_param)
        rule("GET", V2 + "/labels/" + idp + "/pages", lambda kw, id: space_param(kw))
        for kind, label in (("pages", "Page"), ("blogposts", "Blog post"), ("folders", "Folder")):
            rule("GET", V2 + f"/{kind}/" + idp, lambda kw, id, label=label: lambda data: self.check_fetched_content(data, f"{label} {id}"))
            for method in ("PUT", "DELETE"):
                rule(method, V2 + f"/{kind}/" + idp, lambda kw, id, label=label: self._check_write(kw, id, label))
            for method in ("GET", "POST"):
                rule(method, V2 + f"/{kind}/" + idp + r"/.+", lambda kw, id, label=label: self.check_content(id, f"{label} {id}"))
            rule("POST", V2 + f"/{kind}", lambda kw, label=label: self._check_create(kw, label))

        def comment(kw: dict[str, Any], kind: str, id: str) -> Check:
            return lambda data: _checked(data, lambda c: self.check_content(str(c.get("pageId") or c.get("blogPostId") or ""), f"Comment {id}"))

        rule("GET", V2 + r"/(?P<kind>footer|inline)-comments/" + idp, comment)
        rule("GET", V2 + r"/(?P<kind>footer|inline)-comments/" + idp + "/children", lambda kw, kind, id: self.check_comment(id, kind))

        def new_comment(kw: dict[str, Any], kind: str) -> None:
            body = kw.get("json") or {}
            if body.get("pageId") or body.get("blogPostId"):
                self.check_content(str(body.get("pageId") or body.get("blogPostId")))
            elif body.get("parentCommentId"):
                self.check_comment(str(body["parentCommentId"]), kind)
            else:
                raise self.space_outside("A comment on no page")

        rule("POST", V2 + r"/(?P<kind>footer|inline)-comments", new_comment)

        def attachment_v2(kw: dict[str, Any], id: str) -> Check:
            return lambda data: _checked(data, lambda a: self.check_content(str(a.get("pageId") or a.get("blogPostId") or ""), f"Attachment {id}"))

        rule("GET", V2 + "/attachments/" + idp, attachment_v2)

        def delete_attachment(kw: dict[str, Any], id: str) -> None:
            found = self._get("confluence", V2 + "/attachments/" + _seg(id))
            self.check_content(str(found.get("pageId") or found.get("blogPostId") or ""), f"Attachment {id}")

        rule("DELETE", V2 + "/attachments/" + idp, delete_attachment)
        for method in ("GET", "POST", "DELETE"):
            rule(method, V1 + "/content/" + idp + r"/(label|child/attachment)(/.*)?", lambda kw, id: self.check_content(id))

        def move_page(kw: dict[str, Any], id: str, target: str) -> None:
            self.check_content(id)
            self.check_content(target)

        rule("PUT", V1 + r"/content/(?P<id>[^/]+)/move/[^/]+/(?P<target>[^/]+)", move_page)

        def copy_page(kw: dict[str, Any], id: str) -> None:
            self.check_content(id)
            destination = (kw.get("json") or {}).get("destination") or {}
            kind, value = destination.get("type"), str(destination.get("value") or "")
            if kind == "space":
                if value not in (self.spaces or ()):
                    raise self.space_outside(f"Space {value}")
            elif kind in ("parent_page", "existing_page", "parent_content"):
                self.check_content(value)
            else:
                raise self.space_outside("A copy to an unchecked destination")

        def copy_tree(kw: dict[str, Any], id: str) -> None:
            self.check_content(id)
            self.check_content(str((kw.get("json") or {}).get("destinationPageId") or ""))

        rule("POST", V1 + "/content/" + idp + "/pagehierarchy/copy", copy_tree)

        def templates(kw: dict[str, Any]) -> None:
            key = (kw.get("params") or {}).get("spaceKey")
            if key and key not in (self.spaces or ()):
                raise self.space_outside(f"Space {key}")

        rule("GET", V1 + "/template/page", templates)

        def template(kw: dict[str, Any], id: str) -> Check:
            def after(data: Any) -> Any:
                key = ((data or {}).get("space") or {}).get("key")
                if key and key not in (self.spaces or ()):
                    raise self.space_outside(f"Template {id}")
                return data

            return after

        rule("GET", V1 + "/template/" + idp, template)
        rule("POST", V1 + "/content/" + idp + "/copy", copy_page)

    def _check_write(self, kw: dict[str, Any], content_id: str, label: str) -> None:
        self.check_content(content_id, f"{label} {content_id}")
        body = kw.get("json") or {}
        if body.get("spaceId"):
            self.check_space_id(body["spaceId"], f"Space {body['spaceId']}")
        if body.get("parentId"):
            self.check_content(str(body["parentId"]))

    def _check_create(self, kw: dict[str, Any], label: str) -> None:
        body = kw.get("json") or {}
        self.check_space_id(body.get("spaceId"), f"Space {body.get('spaceId')}")
        if body.get("parentId"):
            self.check_content(str(body["parentId"]))

    def _rule(self, method: str, pattern: str, handler: Callable[..., Check | None]) -> None:
        self._rules.append((method, re.compile(pattern), handler))


def prompt_problem(settings: Any, kinds: dict[str, str | None], args: dict[str, str]) -> str | None:
    """Why a prompt's project, space, service desk or issue arguments lie outside the allowlist, or None.

    The tools a prompt leads to are guarded anyway; this refuses the prompt itself up front. A
    service desk given by id is left to the tools (only Atlassian knows its project).
    """
    projects, spaces = settings.projects, settings.spaces
    for name, value in args.items():
        kind = kinds.get(name) or ("issues" if name == "issues" else None)
        values = [v.strip() for v in str(value).replace(" ", ",").split(",") if v.strip()]
        for v in values:
            if projects and kind in ("project", "service_desk") and not v.isdigit() and v.upper() not in projects:
                return f"Project {v} is outside the projects this server may use (ATLASSIAN_PROJECTS)."
            if projects and kind == "issues" and "-" in v and v.rsplit("-", 1)[0].upper() not in projects:
                return f"Issue {v} is outside the projects this server may use (ATLASSIAN_PROJECTS)."
            if spaces and kind == "space" and v not in spaces:
                return f"Space {v} is outside the spaces this server may use (ATLASSIAN_SPACES)."
    return None


def _seg(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


def _keep(data: Any, key: str, keep: Callable[[dict[str, Any]], bool]) -> Any:
    """A list answer with only the entries `keep` allows."""
    if isinstance(data, dict) and isinstance(data.get(key), list):
        return dict(data, **{key: [v for v in data[key] if isinstance(v, dict) and keep(v)]})
    return data


def _checked(data: Any, check: Callable[[dict[str, Any]], None]) -> Any:
    check(data if isinstance(data, dict) else {})
    return data


def _raise(exc: Exception) -> Any:
    raise exc
