"""Fake Jira metadata: projects, issue types, create/edit screens, users and link types (jira-v3.json shapes)."""

from __future__ import annotations

from typing import Any

from . import ACCOUNT_ID, EMAIL, Request, Response, error
from .jira import issue_for, route

PRIORITIES = [{"id": str(n), "name": name} for n, name in enumerate(["Highest", "High", "Medium", "Low", "Lowest"], start=1)]
RESOLUTIONS = [{"id": "10000", "name": "Done"}, {"id": "10001", "name": "Won't Do"}, {"id": "10002", "name": "Duplicate"}]
COMPONENTS = [{"id": "10100", "name": "Web", "description": "The web app"}, {"id": "10101", "name": "API", "description": "Public API"}]
VERSIONS = [
    {"id": "10200", "name": "1.1", "released": True, "archived": False, "releaseDate": "2026-09-01"},
    {"id": "10201", "name": "1.2", "released": False, "archived": False, "releaseDate": "2026-12-15"},
    {"id": "10202", "name": "2.0", "released": False, "archived": False},
]
ISSUE_TYPES = {
    "PROJ": [
        {"id": "10000", "name": "Epic", "subtask": False, "hierarchyLevel": 1},
        {"id": "10001", "name": "Bug", "subtask": False, "hierarchyLevel": 0},
        {"id": "10002", "name": "Task", "subtask": False, "hierarchyLevel": 0},
        {"id": "10003", "name": "Story", "subtask": False, "hierarchyLevel": 0},
        {"id": "10004", "name": "Sub-task", "subtask": True, "hierarchyLevel": -1},
    ],
    "OPS": [
        {"id": "10002", "name": "Task", "subtask": False, "hierarchyLevel": 0},
        {"id": "10010", "name": "Service request", "subtask": False, "hierarchyLevel": 0},
    ],
}
USERS = [
    {"accountId": ACCOUNT_ID, "displayName": "Ada Agent", "emailAddress": EMAIL, "active": True, "accountType": "atlassian"},
    {"accountId": "712020:bob-0001", "displayName": "Bob Builder", "emailAddress": "bob@example.com", "active": True, "accountType": "atlassian"},
    {"accountId": "712020:bobby-0002", "displayName": "Bobby Tables", "emailAddress": "bobby@example.com", "active": True, "accountType": "atlassian"},
    {"accountId": "712020:carol-0003", "displayName": "Carol Danvers", "active": True, "accountType": "atlassian"},
    {"accountId": "712020:dave-0004", "displayName": "Dave Former", "emailAddress": "dave@example.com", "active": False, "accountType": "atlassian"},
    {"accountId": "557058:automation", "displayName": "Automation for Jira", "active": True, "accountType": "app"},
]
LINK_TYPES = [
    {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    {"id": "10001", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
    {"id": "10002", "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
    {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
]


def user_json(account_id: str) -> dict[str, Any] | None:
    found = next((u for u in USERS if u["accountId"] == account_id), None)
    return None if found is None else {k: v for k, v in found.items() if k != "emailAddress"}


def _field(
    fid: str,
    name: str,
    schema: dict[str, Any],
    *,
    required: bool = False,
    default: bool = False,
    allowed: list[Any] | None = None,
    ops: tuple[str, ...] = ("set",),
) -> dict[str, Any]:
    meta = {"fieldId": fid, "key": fid, "name": name, "required": required, "hasDefaultValue": default, "operations": list(ops), "schema": schema}
    if allowed is not None:
        meta["allowedValues"] = allowed
    return meta


def create_fields(project: str, type_id: str) -> list[dict[str, Any]]:
    """The create screen of one project and issue type."""
    fields = [
        _field("summary", "Summary", {"type": "string", "system": "summary"}, required=True),
        _field("issuetype", "Issue Type", {"type": "issuetype", "system": "issuetype"}, required=True, allowed=ISSUE_TYPES[project]),
        _field("project", "Project", {"type": "project", "system": "project"}, required=True),
        _field("description", "Description", {"type": "string", "system": "description"}),
        _field("reporter", "Reporter", {"type": "user", "system": "reporter"}, required=True, default=True),
        _field("assignee", "Assignee", {"type": "user", "system": "assignee"}),
        _field("priority", "Priority", {"type": "priority", "system": "priority"}, default=True, allowed=PRIORITIES),
        _field("labels", "Labels", {"type": "array", "items": "string", "system": "labels"}, ops=("add", "set", "remove")),
        _field("duedate", "Due date", {"type": "date", "system": "duedate"}),
    ]
    if project == "PROJ":
        fields += [
            _field(
                "components", "Components", {"type": "array", "items": "component", "system": "components"}, allowed=COMPONENTS, ops=("add", "set", "remove")
            ),
            _field(
                "fixVersions", "Fix versions", {"type": "array", "items": "version", "system": "fixVersions"}, allowed=VERSIONS, ops=("add", "set", "remove")
            ),
            _field("parent", "Parent", {"type": "issuelink", "system": "parent"}),
            _field(
                "customfield_10016",
                "Story point estimate",
                {"type": "number", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float", "customId": 10016},
            ),
            _field("customfield_10020", "Sprint", {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint", "customId": 10020}),
            _field(
                "customfield_10042",
                "Customer tier",
                {"type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select", "customId": 10042},
                allowed=[{"id": "10100", "value": "Gold"}, {"id": "10101", "value": "Silver"}, {"id": "10102", "value": "Bronze"}],
            ),
            _field("customfield_10070", "Team", {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textfield", "customId": 10070}),
            _field(
                "customfield_10071",
                "Team",
                {"type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select", "customId": 10071},
                allowed=[{"id": "10300", "value": "Red"}, {"id": "10301", "value": "Blue"}],
            ),
            _field(
                "customfield_10080",
                "Acceptance criteria",
                {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea", "customId": 10080},
            ),
        ]
    if type_id == "10001":  # a Bug needs a severity
        fields.append(
            _field(
                "customfield_10060",
                "Severity",
                {"type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select", "customId": 10060},
                required=True,
                allowed=[{"id": "10400", "value": "S1"}, {"id": "10401", "value": "S2"}, {"id": "10402", "value": "S3"}],
            )
        )
    return fields


def edit_fields(issue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The edit screen: the create screen of the issue's type, minus project and issue type, keyed by id."""
    project = issue["fields"]["project"]["key"]
    type_id = (issue["fields"].get("issuetype") or {}).get("id", "10002")
    out = {}
    for meta in create_fields(project, type_id):
        if meta["fieldId"] in ("project", "issuetype"):
            continue
        meta = {k: v for k, v in meta.items() if k != "fieldId"}
        meta["required"] = meta["key"] == "summary" or (meta["required"] and not meta["hasDefaultValue"])
        out[meta["key"]] = meta
    return out


def project_json(cloud: Any, p: dict[str, Any], full: bool) -> dict[str, Any]:
    out = dict(p, self=f"{cloud.url}/rest/api/3/project/{p['id']}", lead=user_json("712020:bob-0001"), description=f"All work for {p['name']}.")
    if full:
        out["issueTypes"] = ISSUE_TYPES[p["key"]]
        out["components"] = COMPONENTS if p["key"] == "PROJ" else []
        out["versions"] = VERSIONS if p["key"] == "PROJ" else []
    return out


def find_project(state: dict[str, Any], key: str) -> dict[str, Any] | None:
    return state["jira_projects"].get(key.upper()) or next((p for p in state["jira_projects"].values() if p["id"] == key), None)


def page(values: list[Any], req: Request, default: int = 50, limit: int = 100) -> tuple[list[Any], int, int]:
    start = max(0, req.int_arg("startAt", 0))
    size = max(1, min(req.int_arg("maxResults", default), limit))
    return values[start : start + size], start, size


def install(cloud: Any) -> None:
    state = cloud.state

    @route(cloud, "GET", "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes")
    def create_types(req: Request) -> Response:
        project = find_project(state, req.vars["projectIdOrKey"])
        if project is None:
            return error(404, f"No project could be found with key '{req.vars['projectIdOrKey']}'.")
        values, start, size = page(ISSUE_TYPES[project["key"]], req, 50, 200)
        return Response(200, {"issueTypes": values, "maxResults": size, "startAt": start, "total": len(ISSUE_TYPES[project["key"]])})

    @route(cloud, "GET", "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}")
    def create_meta(req: Request) -> Response:
        project = find_project(state, req.vars["projectIdOrKey"])
        if project is None:
            return error(404, f"No project could be found with key '{req.vars['projectIdOrKey']}'.")
        if req.vars["issueTypeId"] not in {t["id"] for t in ISSUE_TYPES[project["key"]]}:
            return error(404, f"Issue type with id {req.vars['issueTypeId']} does not exist.")
        every = create_fields(project["key"], req.vars["issueTypeId"])
        values, start, size = page(every, req, 50, 200)
        return Response(200, {"fields": values, "maxResults": size, "startAt": start, "total": len(every)})

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/editmeta")
    def edit_meta(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        if issue["fields"]["project"]["key"] in state["jira_readonly_projects"]:
            return Response(200, {"fields": {}})  # Jira shows an empty edit screen without Edit Issues permission
        return Response(200, {"fields": edit_fields(issue)})

    @route(cloud, "GET", "/rest/api/3/project/search")
    def project_search(req: Request) -> Response:
        query = (req.arg("query") or "").lower()
        found = [p for p in state["jira_projects"].values() if query in p["key"].lower() or query in p["name"].lower()]
        values, start, size = page(found, req)
        return Response(
            200,
            {
                "values": [project_json(cloud, p, False) for p in values],
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "isLast": start + size >= len(found),
            },
        )

    @route(cloud, "GET", "/rest/api/3/project/{projectIdOrKey}")
    def get_project(req: Request) -> Response:
        project = find_project(state, req.vars["projectIdOrKey"])
        if project is None:
            return error(404, f"No project could be found with key '{req.vars['projectIdOrKey']}'.")
        return Response(200, project_json(cloud, project, True))

    @route(cloud, "GET", "/rest/api/3/user/search")
    def user_search(req: Request) -> Response:
        query = (req.arg("query") or "").strip().lower()
        if not query and not req.arg("accountId"):
            return error(400, "One of 'query' or 'accountId' parameters must be provided.")
        found = [
            u
            for u in USERS
            if (req.arg("accountId") and u["accountId"] == req.arg("accountId"))
            or (
                query
                and (
                    any(w.startswith(query) for w in u["displayName"].lower().split())
                    or u["displayName"].lower().startswith(query)
                    or u.get("emailAddress", "").lower().startswith(query)
                )
            )
        ]
        values, _, _ = page(found, req)
        return Response(200, values)

    @route(cloud, "GET", "/rest/api/3/issueLinkType")
    def link_types(req: Request) -> Response:
        return Response(200, {"issueLinkTypes": [dict(t, self=f"{cloud.url}/rest/api/3/issueLinkType/{t['id']}") for t in LINK_TYPES]})
