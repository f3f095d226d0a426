"""Fake Jira: projects, issues, fields, users and a JQL subset, shaped like jira-v3.json.

The areas live in their own modules: jira_meta (projects, issue types, create/edit metadata,
users, link types), jira_write (create, edit, workflow, comments, worklogs, watchers, history),
jira_files (issue links, remote links, attachments) and jira_agile (boards and sprints).
`reset(cloud)` puts every piece of Jira state back to the seed, for tests that change it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

from . import ACCOUNT_ID, Request, Response, error

BOB = {"accountId": "712020:bob-0001", "displayName": "Bob Builder", "emailAddress": "bob@example.com", "active": True, "accountType": "atlassian"}
ME = {"accountId": ACCOUNT_ID, "displayName": "Ada Agent", "active": True}
SPRINT_10 = {"id": 11, "name": "Sprint 10", "state": "active", "boardId": 1}


def adf(*paragraphs: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": p}]} for p in paragraphs],
    }


def _user(u: dict[str, Any]) -> dict[str, Any]:
    return {"accountId": u["accountId"], "displayName": u["displayName"], "active": True}


def seed(state: dict[str, Any], site: str = "") -> None:
    me = dict(ME)
    state["jira_projects"] = {
        "PROJ": {"id": "10000", "key": "PROJ", "name": "Project One", "projectTypeKey": "software"},
        "OPS": {"id": "10001", "key": "OPS", "name": "Operations", "projectTypeKey": "service_desk"},
    }
    state["jira_readonly_projects"] = {"OPS"}  # Ada may browse OPS but not change it
    state["jira_fields"] = [
        {"id": "summary", "key": "summary", "name": "Summary", "custom": False, "schema": {"type": "string", "system": "summary"}, "clauseNames": ["summary"]},
        {
            "id": "description",
            "key": "description",
            "name": "Description",
            "custom": False,
            "schema": {"type": "string", "system": "description"},
            "clauseNames": ["description"],
        },
        {"id": "status", "key": "status", "name": "Status", "custom": False, "schema": {"type": "status", "system": "status"}, "clauseNames": ["status"]},
        {
            "id": "priority",
            "key": "priority",
            "name": "Priority",
            "custom": False,
            "schema": {"type": "priority", "system": "priority"},
            "clauseNames": ["priority"],
        },
        {
            "id": "assignee",
            "key": "assignee",
            "name": "Assignee",
            "custom": False,
            "schema": {"type": "user", "system": "assignee"},
            "clauseNames": ["assignee"],
        },
        {
            "id": "labels",
            "key": "labels",
            "name": "Labels",
            "custom": False,
            "schema": {"type": "array", "items": "string", "system": "labels"},
            "clauseNames": ["labels"],
        },
        {
            "id": "fixVersions",
            "key": "fixVersions",
            "name": "Fix versions",
            "custom": False,
            "schema": {"type": "array", "items": "version", "system": "fixVersions"},
            "clauseNames": ["fixVersion"],
        },
        {
            "id": "duedate",
            "key": "duedate",
            "name": "Due date",
            "custom": False,
            "schema": {"type": "date", "system": "duedate"},
            "clauseNames": ["due", "duedate"],
        },
        {
            "id": "customfield_10016",
            "key": "customfield_10016",
            "name": "Story point estimate",
            "custom": True,
            "schema": {"type": "number"},
            "clauseNames": ["cf[10016]"],
        },
        {
            "id": "customfield_10020",
            "key": "customfield_10020",
            "name": "Sprint",
            "custom": True,
            "schema": {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint"},
            "clauseNames": ["sprint"],
        },
        {
            "id": "customfield_10042",
            "key": "customfield_10042",
            "name": "Customer tier",
            "custom": True,
            "schema": {"type": "option"},
            "clauseNames": ["cf[10042]"],
        },
        {"id": "customfield_10060", "key": "customfield_10060", "name": "Severity", "custom": True, "schema": {"type": "option"}, "clauseNames": ["cf[10060]"]},
        {"id": "customfield_10070", "key": "customfield_10070", "name": "Team", "custom": True, "schema": {"type": "string"}, "clauseNames": ["cf[10070]"]},
        {"id": "customfield_10071", "key": "customfield_10071", "name": "Team", "custom": True, "schema": {"type": "option"}, "clauseNames": ["cf[10071]"]},
        {
            "id": "customfield_10080",
            "key": "customfield_10080",
            "name": "Acceptance criteria",
            "custom": True,
            "schema": {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea"},
            "clauseNames": ["cf[10080]"],
        },
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
                "issuetype": {"id": "10001" if n % 2 else "10002", "name": "Bug" if n % 2 else "Task", "subtask": False},
                "priority": {"id": "2" if n == 1 else "3", "name": "High" if n == 1 else "Medium"},
                "assignee": me if n % 2 else (None if n == 4 else _user(BOB)),
                "reporter": _user(BOB),
                "labels": ["frontend", "login"] if n == 1 else [],
                "components": [{"id": "10100", "name": "Web"}] if n == 1 else [],
                "fixVersions": [{"id": "10201", "name": "1.2"}] if n == 1 else [],
                "project": {"key": "PROJ", "name": "Project One", "id": "10000"},
                "created": f"2026-11-{n:02d}T09:00:00.000+0000",
                "updated": f"2026-11-{10 + n:02d}T10:30:00.000+0000",
                "duedate": "2026-12-01" if n == 1 else None,
                "resolution": {"id": "10000", "name": "Done"} if statuses[n % 3] == "Done" else None,
                "timetracking": {"originalEstimate": "1d", "remainingEstimate": "4h", "timeSpent": "4h"} if n == 1 else {},
                "issuelinks": [
                    {
                        "id": "20001",
                        "type": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                        "outwardIssue": {"key": "PROJ-2"},
                    }
                ]
                if n == 1
                else (
                    [
                        {
                            "id": "20001",
                            "type": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                            "inwardIssue": {"key": "PROJ-1"},
                        }
                    ]
                    if n == 2
                    else []
                ),
                "subtasks": [{"key": "PROJ-6", "id": "10006"}] if n == 5 else [],
                "parent": {"key": "PROJ-5", "id": "10005", "fields": {"summary": "Issue number 5"}} if n == 6 else None,
                "customfield_10016": 5 if n == 1 else None,
                "customfield_10020": [dict(SPRINT_10)] if n in (1, 2) else None,
                "customfield_10042": {"value": "Gold", "id": "10100"} if n == 1 else None,
                "comment": {
                    "total": 2 if n == 1 else 0,
                    "comments": [
                        {
                            "id": "100",
                            "author": _user(BOB),
                            "body": adf("I can reproduce this on Firefox."),
                            "created": "2026-11-02T11:00:00.000+0000",
                            "updated": "2026-11-02T11:00:00.000+0000",
                        },
                        {
                            "id": "101",
                            "author": me,
                            "body": adf("Fix is in review."),
                            "created": "2026-11-03T12:00:00.000+0000",
                            "updated": "2026-11-03T12:00:00.000+0000",
                        },
                    ]
                    if n == 1
                    else [],
                },
            },
        }
    issues["OPS-1"] = {
        "id": "20001",
        "key": "OPS-1",
        "fields": {
            "summary": "Rotate the database password",
            "description": adf("Quarterly rotation."),
            "status": {"name": "To Do", "statusCategory": {"key": "new"}},
            "issuetype": {"id": "10002", "name": "Task", "subtask": False},
            "priority": {"id": "3", "name": "Medium"},
            "assignee": None,
            "reporter": _user(BOB),
            "labels": [],
            "project": {"key": "OPS", "name": "Operations", "id": "10001"},
            "created": "2026-11-05T09:00:00.000+0000",
            "updated": "2026-11-05T09:00:00.000+0000",
            "issuelinks": [],
            "subtasks": [],
            "comment": {"total": 0, "comments": []},
        },
    }
    state["jira_issues"] = issues


def reset(cloud: Any) -> None:
    """Put all Jira state back to the seed (tests that write call it before and after)."""
    from . import jira_agile, jira_files, jira_realistic, jira_releases, jira_work

    with cloud.lock:
        cloud.state["jira_sent"] = []
        seed(cloud.state)
        for module in (jira_work, jira_files, jira_agile, jira_releases, jira_realistic):
            module.seed(cloud.state)


def fresh(cloud: Any) -> Iterator[None]:
    """Body of a test fixture: seed Jira and clear the log before the test, seed it again after."""
    reset(cloud)
    cloud.clear_log()
    yield
    reset(cloud)


def route(cloud: Any, method: str, template: str) -> Any:
    """cloud.route, plus a record of each write's body and headers in state["jira_sent"] for tests to read."""
    register = cloud.route(method, template)

    def wrap(fn: Any) -> Any:
        if method == "GET":
            return register(fn)

        def recorded(req: Request) -> Response:
            cloud.state.setdefault("jira_sent", []).append(
                {"method": req.method, "path": req.path, "query": req.query, "headers": req.headers, "body": req.body}
            )
            return fn(req)

        return register(recorded)

    return wrap


def sent(cloud: Any, method: str, path_regex: str) -> list[Any]:
    """Bodies (JSON decoded when they are JSON) of the writes that matched, oldest first."""
    import json

    out = []
    for r in cloud.state.get("jira_sent", []):
        if r["method"] == method and re.search(path_regex, r["path"]):
            try:
                out.append(json.loads(r["body"] or b"null"))
            except ValueError:
                out.append(r["body"])
    return out


def find_issue(state: dict[str, Any], key: str) -> dict[str, Any] | None:
    return state["jira_issues"].get(key.upper()) or next((i for i in state["jira_issues"].values() if i["id"] == key), None)


def missing_issue() -> Response:
    return error(404, "Issue does not exist or you do not have permission to see it.")


def issue_for(state: dict[str, Any], req: Request, action: str | None = None) -> tuple[Any, Response | None]:
    """(issue, None) for the issue a request names, or (None, the 404 or 403 Jira would answer).

    With an action, Ada must also be allowed to do it there: she may only browse OPS.
    """
    issue = find_issue(state, req.vars["issueIdOrKey"])
    if issue is None:
        return None, missing_issue()
    if action and issue["fields"]["project"]["key"] in state["jira_readonly_projects"]:
        return None, error(403, f"You do not have permission to {action} in this project.")
    return issue, None


_CLAUSE = re.compile(r'^\s*(?P<field>[\w."]+)\s*(?P<op>>=|<=|!=|=|>|<|~|\bin\b|\bnot in\b)\s*(?P<value>"(?:[^"\\]|\\.)*"|\([^)]*\)|[\w.()-]+)\s*', re.I)
DATE_FIELDS = {"updated", "created", "duedate", "resolutiondate"}


def _literal(raw: str) -> str:
    """A JQL value without its quotes, with \\" and \\\\ escapes undone."""
    if raw.startswith('"') and raw.endswith('"'):
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    return raw


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
    if field == "sprint":
        sprints = f.get("customfield_10020") or []
        return [v for s in sprints for v in (str(s["id"]), s["name"].lower())] or ["empty"]
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


def _parse(rest: str) -> list[Any]:
    """Clauses joined by AND; a parenthesised group is a nested list."""
    clauses: list[Any] = []
    rest = rest.strip()
    while rest:
        if rest.startswith("("):
            depth, end = 0, -1
            for i, ch in enumerate(rest):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    end = i
                    break
            if end < 0:
                raise ValueError("Error in the JQL Query: Expecting ')' before the end of the query.")
            clauses.append(_parse(rest[1:end]))
            rest = rest[end + 1 :].strip()
        else:
            cm = _CLAUSE.match(rest)
            if not cm:
                raise ValueError(f"Error in the JQL Query: Expecting a field name but got '{rest.split()[0]}'.")
            clauses.append((cm.group("field").strip('"').lower(), cm.group("op").lower(), cm.group("value")))
            rest = rest[cm.end() :]
        if rest:
            am = re.match(r"^and\s+", rest, re.I)
            if not am:
                raise ValueError(f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{rest.split()[0]}'.")
            rest = rest[am.end() :]
    return clauses


def _matches(issue: dict[str, Any], clauses: list[Any], me: str) -> bool:
    for clause in clauses:
        if isinstance(clause, list):
            if not _matches(issue, clause, me):
                return False
            continue
        field, op, raw = clause
        if op in (">=", "<=", ">", "<"):
            if field not in DATE_FIELDS:
                raise ValueError(f"The operator '{op}' is not supported by the '{field}' field.")
            have = str(issue["fields"].get(field) or "")[:10]
            want = _literal(raw)[:10]
            ok = bool(have) and {">=": have >= want, "<=": have <= want, ">": have > want, "<": have < want}[op]
        elif op == "~":
            if field not in ("text", "summary"):
                raise ValueError(f"The operator '~' is not supported by the '{field}' field.")
            ok = _literal(raw).lower() in _text(issue)
        else:
            if raw.startswith("("):
                wanted = [v.strip().strip('"').lower() for v in raw[1:-1].split(",")]
            else:
                wanted = [raw.strip('"').lower()]
            wanted = [me.lower() if w == "currentuser()" else ("empty" if w in ("empty", "null") else w) for w in wanted]
            hit = any(w in _value(field, issue) for w in wanted)
            ok = not hit if op in ("!=", "not in") else hit
        if not ok:
            return False
    return True


def run_jql(jql: str, issues: list[dict[str, Any]], me: str) -> list[dict[str, Any]]:
    """A small, strict JQL: clauses joined by AND (groups in parentheses), then ORDER BY; else a 400."""
    order = None
    m = re.search(r"\border\s+by\s+(\w+)(\s+(asc|desc))?\s*$", jql, re.I)
    if m:
        order = (m.group(1).lower(), (m.group(3) or "asc").lower())
        jql = jql[: m.start()]
    clauses = _parse(jql)
    out = [issue for issue in issues if _matches(issue, clauses, me)]
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
    from . import jira_agile, jira_files, jira_meta, jira_realistic, jira_releases, jira_scope, jira_work, jira_write

    seed(cloud.state)
    state = cloud.state
    for module in (jira_meta, jira_write, jira_work, jira_files, jira_agile, jira_scope, jira_releases):
        module.install(cloud)
    jira_realistic.seed(state)

    @route(cloud, "GET", "/rest/api/3/myself")
    def myself(req: Request) -> Response:
        return Response(200, dict(req.user or {}))

    @route(cloud, "GET", "/rest/api/3/field")
    def fields(req: Request) -> Response:
        return Response(200, state["jira_fields"])

    @route(cloud, "GET", "/rest/api/3/search/jql")
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

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}")
    def get_issue(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        out = _pick(issue, req.arg("fields"), cloud.url)
        if "changelog" in (req.arg("expand") or ""):
            histories = state["jira_changelog"].get(issue["key"], [])
            out["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories}
        return Response(200, out)
