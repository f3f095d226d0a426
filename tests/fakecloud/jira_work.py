"""Fake Jira day-to-day work: workflow transitions, comments, worklogs, watchers and the changelog."""

from __future__ import annotations

import re
from typing import Any

from . import ACCOUNT_ID, Request, Response, error
from .jira import issue_for, route
from .jira_meta import RESOLUTIONS, USERS, page, user_json
from .jira_write import NOT_ON_SCREEN, check_fields, is_adf, now, record, stored

BOB_ID = "712020:bob-0001"
STATUSES = {
    "To Do": {"id": "10000", "name": "To Do", "statusCategory": {"key": "new"}},
    "In Progress": {"id": "10001", "name": "In Progress", "statusCategory": {"key": "indeterminate"}},
    "Done": {"id": "10002", "name": "Done", "statusCategory": {"key": "done"}},
}
_RESOLUTION = {
    "key": "resolution",
    "name": "Resolution",
    "required": True,
    "hasDefaultValue": False,
    "operations": ["set"],
    "schema": {"type": "resolution", "system": "resolution"},
    "allowedValues": RESOLUTIONS,
}
_ASSIGNEE = {
    "key": "assignee",
    "name": "Assignee",
    "required": False,
    "hasDefaultValue": False,
    "operations": ["set"],
    "schema": {"type": "user", "system": "assignee"},
}
# status -> [(id, name, to status, screen fields or None when the transition has no screen)]
WORKFLOW = {
    "To Do": [("11", "Start progress", "In Progress", None), ("31", "Finish", "Done", {"resolution": _RESOLUTION, "assignee": _ASSIGNEE})],
    "In Progress": [
        ("21", "Stop progress", "To Do", None),
        ("31", "Finish", "Done", {"resolution": _RESOLUTION, "assignee": _ASSIGNEE}),
        ("32", "Abandon", "Done", {"resolution": _RESOLUTION}),
    ],
    "Done": [("41", "Reopen", "To Do", {})],
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
_STARTED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$")
_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


def seconds(text: str) -> int | None:
    text = text.strip()
    if not text or _DURATION.sub("", text).strip():
        return None
    return int(sum(float(n) * _SECONDS[u] for n, u in _DURATION.findall(text)))


def duration(total: int) -> str:
    parts = []
    for unit, size in (("w", _SECONDS["w"]), ("d", _SECONDS["d"]), ("h", 3600), ("m", 60)):
        if total >= size:
            parts.append(f"{total // size}{unit}")
            total %= size
    return " ".join(parts) or "0m"


def seed(state: dict[str, Any]) -> None:
    state["jira_changelog"] = {
        "PROJ-1": [
            {
                "id": "30001",
                "author": user_json(BOB_ID),
                "created": "2026-11-02T10:00:00.000+0000",
                "items": [{"field": "status", "fieldtype": "jira", "fromString": "To Do", "toString": "In Progress"}],
            },
            {
                "id": "30002",
                "author": user_json(ACCOUNT_ID),
                "created": "2026-11-04T15:30:00.000+0000",
                "items": [
                    {"field": "priority", "fieldtype": "jira", "fromString": "Medium", "toString": "High"},
                    {"field": "labels", "fieldtype": "jira", "fromString": "frontend", "toString": "frontend login"},
                ],
            },
        ]
    }
    state["jira_worklogs"] = {
        "PROJ-1": [
            {
                "id": "40001",
                "issueId": "10001",
                "author": user_json(BOB_ID),
                "started": "2026-11-02T09:00:00.000+0000",
                "timeSpent": "4h",
                "timeSpentSeconds": 14400,
                "comment": {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Reproduced and bisected."}]}]},
            }
        ]
    }
    state["jira_watchers"] = {"PROJ-1": [BOB_ID, ACCOUNT_ID]}
    for key, issue in state["jira_issues"].items():
        watching = state["jira_watchers"].get(key, [])
        issue["fields"]["watches"] = {"watchCount": len(watching), "isWatching": ACCOUNT_ID in watching}


def transitions_of(issue: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for tid, name, to, screen in WORKFLOW[issue["fields"]["status"]["name"]]:
        t: dict[str, Any] = {"id": tid, "name": name, "to": STATUSES[to], "hasScreen": screen is not None, "isAvailable": True}
        t["fields"] = dict(screen or {})
        out.append(t)
    return out


def comment_json(cloud: Any, issue: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    return dict(c, self=f"{cloud.url}/rest/api/3/issue/{issue['id']}/comment/{c['id']}")


def install(cloud: Any) -> None:
    state = cloud.state
    seed(state)

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/transitions")
    def get_transitions(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        if issue["fields"]["project"]["key"] in state["jira_readonly_projects"]:
            return Response(200, {"transitions": []})
        ts = transitions_of(issue)
        if "transitions.fields" not in (req.arg("expand") or ""):
            ts = [{k: v for k, v in t.items() if k != "fields"} for t in ts]
        return Response(200, {"expand": "transitions", "transitions": ts})

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/transitions")
    def do_transition(req: Request) -> Response:
        issue, problem = issue_for(state, req, "transition issues")
        if problem:
            return problem
        body = req.json() or {}
        wanted = str((body.get("transition") or {}).get("id"))
        t = next((t for t in transitions_of(issue) if t["id"] == wanted), None)
        if t is None:
            return error(400, f"Transition id '{wanted}' is not valid for this issue.")
        fields, update = body.get("fields") or {}, body.get("update") or {}
        screen = t["fields"]
        errors = check_fields(state, fields, screen, creating=True)
        for fid in update:
            if fid != "comment" or not t["hasScreen"]:
                errors[fid] = NOT_ON_SCREEN.format(fid)
        if errors:
            return error(400, **errors)
        f = issue["fields"]
        changes = [("status", f["status"], STATUSES[t["to"]["name"]])]
        f["status"] = dict(STATUSES[t["to"]["name"]])
        if t["to"]["name"] != "Done":
            changes.append(("resolution", f.get("resolution"), None))
            f["resolution"] = None
        for fid, value in fields.items():
            new = stored(state, screen[fid], value)
            changes.append((fid, f.get(fid), new))
            f[fid] = new
        for op in update.get("comment") or []:
            body_doc = (op.get("add") or {}).get("body")
            if not is_adf(body_doc):
                return error(400, comment="Comment body must be an Atlassian Document.")
            add_comment(issue, req.user, body_doc, None)
        record(state, issue["key"], req.user, changes)
        return Response(204)

    def add_comment(issue: dict[str, Any], user: dict[str, Any], body: Any, visibility: Any) -> dict[str, Any]:
        thread = issue["fields"].setdefault("comment", {"total": 0, "comments": []})
        threads = [i["fields"].get("comment") for i in state["jira_issues"].values()]  # REAL-2 holds the documented list shape
        numbers = [int(c["id"]) for t in threads for c in (t.get("comments", []) if isinstance(t, dict) else t or [])]
        stamp = now()
        c = {
            "id": str(max(numbers + [1000]) + 1),
            "author": user_json(user["accountId"]),
            "updateAuthor": user_json(user["accountId"]),
            "body": body,
            "created": stamp,
            "updated": stamp,
        }
        if visibility:
            c["visibility"] = visibility
        thread["comments"].append(c)
        thread["total"] = len(thread["comments"])
        return c

    def find_comment(issue: dict[str, Any], comment_id: str) -> dict[str, Any] | None:
        return next((c for c in (issue["fields"].get("comment") or {}).get("comments", []) if c["id"] == comment_id), None)

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/comment")
    def list_comments(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        order = req.arg("orderBy") or "created"
        if order not in ("created", "-created", "+created"):
            return error(400, "Ordering by anything other than created is not supported.")
        every = sorted((issue["fields"].get("comment") or {}).get("comments", []), key=lambda c: (c["created"], int(c["id"])), reverse=order == "-created")
        values, start, size = page(every, req, 50, 100)
        return Response(200, {"comments": [comment_json(cloud, issue, c) for c in values], "startAt": start, "maxResults": size, "total": len(every)})

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/comment")
    def post_comment(req: Request) -> Response:
        issue, problem = issue_for(state, req, "comment on issues")
        if problem:
            return problem
        body = req.json() or {}
        if not is_adf(body.get("body")) or not body["body"]["content"]:
            return error(400, comment="Comment body can not be empty and must be an Atlassian Document.")
        visibility = body.get("visibility")
        if visibility and (visibility.get("type") != "role" or visibility.get("value") not in ("Developers", "Administrators")):
            return error(400, commentLevel=f"You are currently not a member of the project role: {visibility.get('value')}.")
        return Response(201, comment_json(cloud, issue, add_comment(issue, req.user, body["body"], visibility)))

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}")
    def get_comment(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        c = find_comment(issue, req.vars["id"])
        if c is None:
            return error(404, f"Can not find a comment for the id: {req.vars['id']}.")
        return Response(200, comment_json(cloud, issue, c))

    @route(cloud, "PUT", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}")
    def put_comment(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        c = find_comment(issue, req.vars["id"])
        if c is None:
            return error(404, f"Can not find a comment for the id: {req.vars['id']}.")
        if c["author"]["accountId"] != req.user["accountId"]:
            return error(400, "You do not have the permission to edit this comment.")
        body = (req.json() or {}).get("body")
        if not is_adf(body):
            return error(400, comment="Comment body must be an Atlassian Document.")
        c.update(body=body, updated=now(), updateAuthor=user_json(req.user["accountId"]))
        return Response(200, comment_json(cloud, issue, c))

    @route(cloud, "DELETE", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}")
    def delete_comment(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        c = find_comment(issue, req.vars["id"])
        if c is None:
            return error(404, f"Can not find a comment for the id: {req.vars['id']}.")
        if c["author"]["accountId"] != req.user["accountId"]:
            return error(403, "You do not have the permission to delete this comment.")
        thread = issue["fields"]["comment"]
        thread["comments"].remove(c)
        thread["total"] = len(thread["comments"])
        return Response(204)

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/worklog")
    def list_worklogs(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        every = state["jira_worklogs"].get(issue["key"], [])
        values, start, size = page(every, req, 5000, 5000)
        return Response(200, {"worklogs": values, "startAt": start, "maxResults": size, "total": len(every)})

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/worklog")
    def add_worklog(req: Request) -> Response:
        issue, problem = issue_for(state, req, "log work")
        if problem:
            return problem
        body = req.json() or {}
        spent = seconds(str(body.get("timeSpent") or ""))
        if not spent:
            return error(400, timeLogged="Invalid time duration entered.")
        if not _STARTED.match(str(body.get("started") or "")):
            return error(400, started="Invalid date format. Please use the format yyyy-MM-dd'T'HH:mm:ss.SSSZ.")
        if body.get("comment") is not None and not is_adf(body["comment"]):
            return error(400, comment="Worklog comment must be an Atlassian Document.")
        logs = state["jira_worklogs"].setdefault(issue["key"], [])
        w = {
            "id": str(40000 + sum(len(v) for v in state["jira_worklogs"].values()) + 1),
            "issueId": issue["id"],
            "author": user_json(req.user["accountId"]),
            "started": body["started"],
            "timeSpent": duration(spent),
            "timeSpentSeconds": spent,
            "created": now(),
            "updated": now(),
        }
        if body.get("comment"):
            w["comment"] = body["comment"]
        logs.append(w)
        tt = issue["fields"].setdefault("timetracking", {})
        tt["timeSpent"] = duration(sum(x["timeSpentSeconds"] for x in logs))
        if req.arg("adjustEstimate") == "new":
            if not seconds(req.arg("newEstimate") or ""):
                return error(400, newEstimate="You must supply a valid new estimate.")
            tt["remainingEstimate"] = req.arg("newEstimate")
        return Response(201, dict(w, self=f"{cloud.url}/rest/api/3/issue/{issue['id']}/worklog/{w['id']}"))

    def sync_watches(issue: dict[str, Any], user_id: str) -> None:
        watching = state["jira_watchers"].get(issue["key"], [])
        issue["fields"]["watches"] = {"watchCount": len(watching), "isWatching": user_id in watching}

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/watchers")
    def watchers(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        ids = state["jira_watchers"].get(issue["key"], [])
        return Response(
            200,
            {
                "isWatching": req.user["accountId"] in ids,
                "watchCount": len(ids),
                "watchers": [user_json(a) for a in ids],
                "self": f"{cloud.url}/rest/api/3/issue/{issue['key']}/watchers",
            },
        )

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/watchers")
    def add_watcher(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        account = req.json() if req.body else req.user["accountId"]
        if not isinstance(account, str) or not any(u["accountId"] == account and u["active"] for u in USERS):
            return error(404, f'The user "{account}" does not exist or cannot watch this issue.')
        if account != req.user["accountId"] and issue["fields"]["project"]["key"] in state["jira_readonly_projects"]:
            return error(403, "You do not have permission to manage the watcher list of this issue.")
        ids = state["jira_watchers"].setdefault(issue["key"], [])
        if account not in ids:
            ids.append(account)
        sync_watches(issue, req.user["accountId"])
        return Response(204)

    @route(cloud, "DELETE", "/rest/api/3/issue/{issueIdOrKey}/watchers")
    def remove_watcher(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        account = req.arg("accountId")
        if not account:
            return error(400, "accountId is required.")
        if account != req.user["accountId"] and issue["fields"]["project"]["key"] in state["jira_readonly_projects"]:
            return error(403, "You do not have permission to manage the watcher list of this issue.")
        ids = state["jira_watchers"].setdefault(issue["key"], [])
        if account in ids:
            ids.remove(account)
        sync_watches(issue, req.user["accountId"])
        return Response(204)

    @route(cloud, "GET", "/rest/api/3/issue/{issueIdOrKey}/changelog")
    def changelog(req: Request) -> Response:
        issue, problem = issue_for(state, req)
        if problem:
            return problem
        every = state["jira_changelog"].get(issue["key"], [])
        values, start, size = page(every, req, 100, 100)
        return Response(200, {"values": values, "startAt": start, "maxResults": size, "total": len(every), "isLast": start + size >= len(every)})
