"""Fake Jira writes: create (one and bulk), edit, delete, assign; values checked against the screens like Jira does."""

from __future__ import annotations

import re
import time
from typing import Any

from . import Request, Response, error
from .jira import find_issue, issue_for, route
from .jira_meta import ISSUE_TYPES, USERS, create_fields, edit_fields, find_project, user_json

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_ON_SCREEN = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())


def is_adf(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "doc" and value.get("version") == 1 and isinstance(value.get("content"), list)


def display(value: Any) -> str | None:
    """How Jira's changelog shows a value (fromString / toString)."""
    if value in (None, [], ""):
        return None
    if isinstance(value, list):
        return " ".join(filter(None, (display(v) for v in value)))
    if isinstance(value, dict):
        if value.get("type") == "doc":
            return "(rich text)"
        return str(value.get("displayName") or value.get("name") or value.get("value") or value.get("key") or value.get("id"))
    return str(value)


def record(state: dict[str, Any], key: str, user: dict[str, Any], changes: list[tuple[str, Any, Any]]) -> None:
    items = [{"field": f, "fieldtype": "jira", "fromString": display(a), "toString": display(b)} for f, a, b in changes if a != b]
    if items:
        history = state["jira_changelog"].setdefault(key, [])
        history.append(
            {"id": str(30000 + sum(len(h) for h in state["jira_changelog"].values())), "author": user_json(user["accountId"]), "created": now(), "items": items}
        )


def same_option(given: dict[str, Any], allowed: dict[str, Any]) -> bool:
    """Jira accepts an allowed value by its id, or by its name or value."""
    if "id" in given:
        return str(given["id"]) == allowed["id"]
    label = given.get("name") or given.get("value")
    return label is not None and label in (allowed.get("name"), allowed.get("value"))


def check_value(state: dict[str, Any], meta: dict[str, Any], value: Any) -> str | None:
    """Jira's complaint about one field value, or None when it would accept it."""
    name, schema = meta["name"], meta.get("schema") or {}
    if value is None or value == []:
        return f"{name} is required." if meta.get("required") else None
    if str(schema.get("custom", "")).endswith("gh-sprint"):  # set with one sprint id, read back as a list
        return None if isinstance(value, int) and value in state["agile_sprints"] else f"Sprint with id {value} does not exist"
    if schema.get("type") == "array":
        if not isinstance(value, list):
            return f"data was not an array for {name}"
        return next((p for p in (_check_one(state, meta, schema.get("items"), v) for v in value) if p), None)
    return _check_one(state, meta, schema.get("type"), value)


def _check_one(state: dict[str, Any], meta: dict[str, Any], kind: Any, v: Any) -> str | None:
    name, schema, allowed = meta["name"], meta.get("schema") or {}, meta.get("allowedValues")
    if allowed is not None:
        ok = isinstance(v, dict) and any(same_option(v, a) for a in allowed)
        return None if ok else f"Specify a valid 'id' or 'name' for {name}"
    if kind == "user":
        account = v.get("accountId") if isinstance(v, dict) else None
        return None if any(u["accountId"] == account and u["active"] for u in USERS) else f"Specify a valid value for {name}"
    if kind == "string":
        rich = schema.get("system") in ("description", "environment") or str(schema.get("custom", "")).endswith(":textarea")
        if rich:
            return None if is_adf(v) else "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        return None if isinstance(v, str) else f"Operation value must be a string for {name}"
    if kind == "number":
        return None if isinstance(v, (int, float)) and not isinstance(v, bool) else f"Operation value must be a number for {name}"
    if kind == "date":
        return None if isinstance(v, str) and _DATE.match(v) else f"Error parsing date string: {v}"
    if kind == "issuelink":
        return None if isinstance(v, dict) and find_issue(state, str(v.get("key") or v.get("id") or "")) else "Could not find issue by id or key."
    if kind == "option":
        return None if isinstance(v, dict) else f"Specify a valid 'id' or 'name' for {name}"
    return None


def stored(state: dict[str, Any], meta: dict[str, Any], value: Any) -> Any:
    """A checked value as GET issue shows it."""
    schema = meta.get("schema") or {}
    if value is None:
        return [] if schema.get("type") == "array" else None
    if isinstance(value, int) and str(schema.get("custom", "")).endswith("gh-sprint"):
        return [_stored_one(state, meta, value)]
    if schema.get("type") == "array":
        return [_stored_one(state, meta, v) for v in value]
    return _stored_one(state, meta, value)


def _stored_one(state: dict[str, Any], meta: dict[str, Any], v: Any) -> Any:
    kind = (meta.get("schema") or {}).get("items") or (meta.get("schema") or {}).get("type")
    for a in meta.get("allowedValues") or []:
        if isinstance(v, dict) and same_option(v, a):
            return dict(a)
    if kind == "user":
        return user_json(v["accountId"])
    if kind == "issuelink":
        parent = find_issue(state, str(v.get("key") or v.get("id")))
        return {"id": parent["id"], "key": parent["key"], "fields": {"summary": parent["fields"]["summary"]}}
    if kind == "json" and isinstance(v, int):
        sprint = state["agile_sprints"][v]
        return {"id": v, "name": sprint["name"], "state": sprint["state"], "boardId": sprint["originBoardId"]}
    return v


def check_fields(state: dict[str, Any], fields: dict[str, Any], screen: dict[str, dict[str, Any]], *, creating: bool) -> dict[str, str]:
    errors = {}
    for fid, value in fields.items():
        meta = screen.get(fid)
        if meta is None:
            errors[fid] = NOT_ON_SCREEN.format(fid)
            continue
        problem = check_value(state, meta, value)
        if problem:
            errors[fid] = problem
    if creating:
        for fid, meta in screen.items():
            if meta.get("required") and not meta.get("hasDefaultValue") and fid not in fields and fid not in ("project", "issuetype"):
                errors[fid] = f"{meta['name']} is required."
    return errors


def denied(state: dict[str, Any], issue_or_project: Any, what: str) -> Response | None:
    project = issue_or_project if isinstance(issue_or_project, str) else issue_or_project["fields"]["project"]["key"]
    if project in state["jira_readonly_projects"]:
        return error(403, f"You do not have permission to {what} in this project.")
    return None


def create_one(cloud: Any, user: dict[str, Any], body: Any) -> tuple[dict[str, Any] | None, Response | None]:
    """(created issue, None) or (None, error response) for one IssueUpdateDetails body."""
    state = cloud.state
    fields = dict((body or {}).get("fields") or {})
    ref = fields.pop("project", None) or {}
    project = find_project(state, str(ref.get("key") or ref.get("id") or ""))
    if project is None:
        return None, error(400, project="valid project is required")
    wanted_type = (fields.pop("issuetype", None) or {}).get("id")
    itype = next((t for t in ISSUE_TYPES[project["key"]] if t["id"] == wanted_type), None)
    if itype is None:
        return None, error(400, issuetype="The issue type selected is invalid.")
    no = denied(state, project["key"], "create issues")
    if no:
        return None, no
    screen = {m["fieldId"]: m for m in create_fields(project["key"], itype["id"])}
    errors = check_fields(state, fields, screen, creating=True)
    if errors:
        return None, error(400, **errors)
    number = max(int(k.split("-")[1]) for k in state["jira_issues"] if k.startswith(project["key"] + "-")) + 1
    key = f"{project['key']}-{number}"
    issue_id = str(30000 + len(state["jira_issues"]))
    values = {fid: stored(state, screen[fid], v) for fid, v in fields.items()}
    issue = {
        "id": issue_id,
        "key": key,
        "fields": {
            "summary": "",
            "description": None,
            "status": {"name": "To Do", "statusCategory": {"key": "new"}},
            "issuetype": {"id": itype["id"], "name": itype["name"], "subtask": itype["subtask"]},
            "priority": {"id": "3", "name": "Medium"},
            "assignee": None,
            "reporter": user_json(user["accountId"]),
            "labels": [],
            "components": [],
            "fixVersions": [],
            "project": {"key": project["key"], "name": project["name"], "id": project["id"]},
            "created": now(),
            "updated": now(),
            "issuelinks": [],
            "subtasks": [],
            "comment": {"total": 0, "comments": []},
            **values,
        },
    }
    state["jira_issues"][key] = issue
    parent = values.get("parent")
    if parent and itype["subtask"]:
        state["jira_issues"][parent["key"]]["fields"].setdefault("subtasks", []).append({"id": issue_id, "key": key})
    return issue, None


def install(cloud: Any) -> None:
    state = cloud.state

    @route(cloud, "POST", "/rest/api/3/issue")
    def create(req: Request) -> Response:
        issue, problem = create_one(cloud, req.user, req.json())
        if problem:
            return problem
        return Response(201, {"id": issue["id"], "key": issue["key"], "self": f"{cloud.url}/rest/api/3/issue/{issue['id']}"})

    @route(cloud, "POST", "/rest/api/3/issue/bulk")
    def bulk(req: Request) -> Response:
        updates = (req.json() or {}).get("issueUpdates") or []
        if len(updates) > 50:
            return error(400, "The number of issues to create must not exceed 50.")
        created, failures = [], []
        for n, body in enumerate(updates):
            issue, problem = create_one(cloud, req.user, body)
            if problem:
                failures.append({"status": problem.status, "elementErrors": problem.body, "failedElementNumber": n})
            else:
                created.append({"id": issue["id"], "key": issue["key"], "self": f"{cloud.url}/rest/api/3/issue/{issue['id']}"})
        return Response(201 if created else 400, {"issues": created, "errors": failures})

    @route(cloud, "PUT", "/rest/api/3/issue/{issueIdOrKey}")
    def edit(req: Request) -> Response:
        issue, problem = issue_for(state, req, "edit issues")
        if problem:
            return problem
        body = req.json() or {}
        if req.arg("notifyUsers") == "false":
            return error(403, "To discard the user notification either admin or project admin permissions are required.")
        fields, update = body.get("fields") or {}, body.get("update") or {}
        if not fields and not update:
            return error(400, "No fields or update given.")
        screen = edit_fields(issue)
        errors = check_fields(state, fields, screen, creating=False)
        for fid in update:
            if fid not in screen or "add" not in screen[fid]["operations"]:
                errors[fid] = NOT_ON_SCREEN.format(fid)
        if errors:
            return error(400, **errors)
        changes = []
        f = issue["fields"]
        for fid, value in fields.items():
            new = stored(state, screen[fid], value)
            changes.append((screen[fid]["name"], f.get(fid), new))
            f[fid] = new
        for fid, ops in update.items():
            before = list(f.get(fid) or [])
            after = list(before)
            for op in ops:
                if "add" in op and op["add"] not in after:
                    after.append(op["add"])
                if "remove" in op and op["remove"] in after:
                    after.remove(op["remove"])
                if "set" in op:
                    after = list(op["set"] or [])
            f[fid] = after
            changes.append((screen[fid]["name"], before, after))
        f["updated"] = now()
        record(state, issue["key"], req.user, changes)
        return Response(204)

    @route(cloud, "DELETE", "/rest/api/3/issue/{issueIdOrKey}")
    def delete(req: Request) -> Response:
        issue, problem = issue_for(state, req, "delete issues")
        if problem:
            return problem
        subtasks = issue["fields"].get("subtasks") or []
        if subtasks and req.arg("deleteSubtasks") != "true":
            return error(400, f"The issue '{issue['key']}' has subtasks. You must specify the 'deleteSubtasks' parameter to delete this issue with subtasks.")
        for sub in subtasks:
            state["jira_issues"].pop(sub["key"], None)
        del state["jira_issues"][issue["key"]]
        return Response(204)

    @route(cloud, "PUT", "/rest/api/3/issue/{issueIdOrKey}/assignee")
    def assign(req: Request) -> Response:
        issue, problem = issue_for(state, req, "assign issues")
        if problem:
            return problem
        body = req.json() or {}
        if "accountId" not in body:
            return error(400, "accountId is required.")
        account = body["accountId"]
        if account is not None and not any(u["accountId"] == account and u["active"] for u in USERS):
            return error(400, assignee=f"User '{account}' cannot be assigned issues.")
        before = issue["fields"].get("assignee")
        issue["fields"]["assignee"] = user_json(account) if account else None
        record(state, issue["key"], req.user, [("assignee", before, issue["fields"]["assignee"])])
        return Response(204)
