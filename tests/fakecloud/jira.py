"""Fake Jira: projects, issues, fields, users and a JQL subset, shaped like jira-v3.json."""

from __future__ import annotations

import base64
import re
from typing import Any

from . import ACCOUNT_ID, Request, Response, error

BOB = {"accountId": "712020:bob-0001", "displayName": "Bob Builder", "emailAddress": "bob@example.com", "active": True, "accountType": "atlassian"}


def adf(*paragraphs: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": p}]} for p in paragraphs],
    }


def _user(u: dict[str, Any]) -> dict[str, Any]:
    return {"accountId": u["accountId"], "displayName": u["displayName"], "active": True}


def seed(state: dict[str, Any], site: str = "") -> None:
    me = {"accountId": ACCOUNT_ID, "displayName": "Ada Agent", "active": True}
    state["jira_projects"] = {
        "PROJ": {"id": "10000", "key": "PROJ", "name": "Project One", "projectTypeKey": "software"},
        "OPS": {"id": "10001", "key": "OPS", "name": "Operations", "projectTypeKey": "service_desk"},
    }
    state["jira_fields"] = [
        {"id": "summary", "name": "Summary", "custom": False, "schema": {"type": "string"}},
        {"id": "description", "name": "Description", "custom": False},
        {"id": "status", "name": "Status", "custom": False},
        {"id": "customfield_10016", "name": "Story point estimate", "custom": True, "schema": {"type": "number"}},
        {"id": "customfield_10020", "name": "Sprint", "custom": True, "schema": {"type": "array"}},
        {"id": "customfield_10042", "name": "Customer tier", "custom": True, "schema": {"type": "option"}},
    ]
    issues: dict[str, dict[str, Any]] = {}
    statuses = ["To Do", "In Progress", "Done"]
    for n in range(1, 8):
        key = f"PROJ-{n}"
        issues[key] = {
            "id": str(10000 + n),
            "key": key,
            "fields": {
                "summary": f"Issue number {n}" if n != 1 else "Login page shows a blank screen",
                "description": adf(f"Description of issue {n}.", "Second paragraph.") if n != 3 else None,
                "status": {"name": statuses[n % 3], "statusCategory": {"key": ["new", "indeterminate", "done"][n % 3]}},
                "issuetype": {"name": "Bug" if n % 2 else "Task", "subtask": False},
                "priority": {"name": "High" if n == 1 else "Medium"},
                "assignee": me if n % 2 else (None if n == 4 else _user(BOB)),
                "reporter": _user(BOB),
                "labels": ["frontend", "login"] if n == 1 else [],
                "components": [{"name": "Web"}] if n == 1 else [],
                "fixVersions": [{"name": "1.2"}] if n == 1 else [],
                "project": {"key": "PROJ", "name": "Project One", "id": "10000"},
                "created": f"2026-11-{n:02d}T09:00:00.000+0000",
                "updated": f"2026-11-{10 + n:02d}T10:30:00.000+0000",
                "duedate": "2026-12-01" if n == 1 else None,
                "timetracking": {"originalEstimate": "1d", "remainingEstimate": "4h", "timeSpent": "4h"} if n == 1 else {},
                "issuelinks": [
                    {"type": {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}, "outwardIssue": {"key": "PROJ-2"}}
                ]
                if n == 1
                else [],
                "subtasks": [],
                "customfield_10016": 5 if n == 1 else None,
                "customfield_10042": {"value": "Gold", "id": "10100"} if n == 1 else None,
                "comment": {
                    "total": 2 if n == 1 else 0,
                    "comments": [
                        {"id": "100", "author": _user(BOB), "body": adf("I can reproduce this on Firefox."), "created": "2026-11-02T11:00:00.000+0000"},
                        {"id": "101", "author": me, "body": adf("Fix is in review."), "created": "2026-11-03T12:00:00.000+0000"},
                    ]
                    if n == 1
                    else [],
                },
            },
        }
    state["jira_issues"] = issues


_CLAUSE = re.compile(
    r'^\s*(?P<field>[\w."]+)\s*(?P<op>!=|=|~|\bin\b|\bnot in\b)\s*(?P<value>"[^"]*"|\([^)]*\)|[\w.()-]+)\s*', re.I
)


def _value(field: str, issue: dict[str, Any]) -> list[str]:
    f = issue["fields"]
    if field == "project":
        return [f["project"]["key"].lower(), f["project"]["name"].lower(), f["project"]["id"]]
    if field in ("key", "issuekey", "id"):
        return [issue["key"].lower(), issue["id"]]
    if field in ("status", "issuetype", "type", "priority"):
        obj = f.get("issuetype" if field == "type" else field) or {}
        return [str(obj.get("name", "")).lower()]
    if field == "statuscategory":
        return [f["status"]["statusCategory"]["key"], {"new": "to do", "indeterminate": "in progress", "done": "done"}[f["status"]["statusCategory"]["key"]]]
    if field in ("assignee", "reporter"):
        person = f.get(field)
        return [person["accountId"].lower(), person["displayName"].lower()] if person else ["empty", "null"]
    if field == "labels":
        return [label.lower() for label in f.get("labels") or []] or ["empty"]
    raise ValueError(f"Field '{field}' does not exist or you do not have permission to view it.")


def _text(issue: dict[str, Any]) -> str:
    f = issue["fields"]
    words = [f.get("summary") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                words.append(node.get("text", ""))
            for child in node.get("content") or []:
                walk(child)

    walk(f.get("description"))
    return " ".join(words).lower()


def run_jql(jql: str, issues: list[dict[str, Any]], me: str) -> list[dict[str, Any]]:
    """A small, strict JQL: clauses joined by AND, then ORDER BY; anything else is a 400."""
    order = None
    m = re.search(r"\border\s+by\s+(\w+)(\s+(asc|desc))?\s*$", jql, re.I)
    if m:
        order = (m.group(1).lower(), (m.group(3) or "asc").lower())
        jql = jql[: m.start()]
    rest = jql.strip()
    clauses = []
    while rest:
        cm = _CLAUSE.match(rest)
        if not cm:
            raise ValueError(f"Error in the JQL Query: Expecting a field name but got '{rest.split()[0]}'.")
        clauses.append((cm.group("field").strip('"').lower(), cm.group("op").lower(), cm.group("value")))
        rest = rest[cm.end():]
        if rest:
            am = re.match(r"^and\s+", rest, re.I)
            if not am:
                raise ValueError(f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{rest.split()[0]}'.")
            rest = rest[am.end():]
    out = []
    for issue in issues:
        ok = True
        for field, op, raw in clauses:
            if op == "~":
                if field not in ("text", "summary"):
                    raise ValueError(f"The operator '~' is not supported by the '{field}' field.")
                ok = raw.strip('"').lower() in _text(issue)
            else:
                if raw.startswith("("):
                    wanted = [v.strip().strip('"').lower() for v in raw[1:-1].split(",")]
                else:
                    wanted = [raw.strip('"').lower()]
                wanted = [me.lower() if w == "currentuser()" else ("empty" if w in ("empty", "null") else w) for w in wanted]
                have = _value(field, issue)
                hit = any(w in have for w in wanted)
                ok = not hit if op in ("!=", "not in") else hit
            if not ok:
                break
        if ok:
            out.append(issue)
    if order:
        field, direction = order
        out.sort(key=lambda i: str(i["fields"].get(field) or i.get(field) or ""), reverse=direction == "desc")
    return out


def _pick(issue: dict[str, Any], fields: str | None, site: str) -> dict[str, Any]:
    wanted = None
    if fields:
        names = [f.strip() for f in fields.split(",") if f.strip()]
        if "*all" not in names and "*navigable" not in names:
            wanted = set(names)
    out = {"id": issue["id"], "key": issue["key"], "self": f"{site}/rest/api/3/issue/{issue['id']}"}
    out["fields"] = {k: v for k, v in issue["fields"].items() if wanted is None or k in wanted}
    return out


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state

    @cloud.route("GET", "/rest/api/3/myself")
    def myself(req: Request) -> Response:
        return Response(200, dict(req.user or {}))

    @cloud.route("GET", "/rest/api/3/field")
    def fields(req: Request) -> Response:
        return Response(200, state["jira_fields"])

    @cloud.route("GET", "/rest/api/3/search/jql")
    def search(req: Request) -> Response:
        jql = req.arg("jql", "")
        limit = max(1, min(req.int_arg("maxResults", 50), 5000))
        token = req.arg("nextPageToken")
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        except ValueError:
            return error(400, "The provided next page token is invalid or expired.")
        if not jql.strip():
            return error(400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
        try:
            found = run_jql(jql, list(state["jira_issues"].values()), req.user["accountId"])
        except ValueError as exc:
            return error(400, str(exc))
        page = found[start : start + limit]
        body: dict[str, Any] = {"issues": [_pick(i, req.arg("fields"), cloud.url) for i in page], "isLast": start + limit >= len(found)}
        if not body["isLast"]:
            body["nextPageToken"] = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
        return Response(200, body)

    @cloud.route("GET", "/rest/api/3/issue/{issueIdOrKey}")
    def get_issue(req: Request) -> Response:
        key = req.vars["issueIdOrKey"]
        issue = state["jira_issues"].get(key.upper()) or next((i for i in state["jira_issues"].values() if i["id"] == key), None)
        if issue is None:
            return error(404, "Issue does not exist or you do not have permission to see it.")
        out = _pick(issue, req.arg("fields"), cloud.url)
        if "changelog" in (req.arg("expand") or ""):
            out["changelog"] = {"startAt": 0, "maxResults": 0, "total": 0, "histories": []}
        return Response(200, out)
