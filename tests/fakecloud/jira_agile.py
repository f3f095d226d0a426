"""Fake Jira Software: boards and sprints at /rest/agile/1.0, shaped like agile.json."""

from __future__ import annotations

from typing import Any

from . import Request, Response, error
from .jira import find_issue, route
from .jira_meta import find_project

SPRINT_FIELD = "customfield_10020"


def seed(state: dict[str, Any]) -> None:
    state["agile_boards"] = {
        1: {"id": 1, "name": "PROJ board", "type": "scrum", "location": {"projectId": 10000, "projectKey": "PROJ", "projectName": "Project One"}},
        2: {"id": 2, "name": "PROJ flow", "type": "kanban", "location": {"projectId": 10000, "projectKey": "PROJ", "projectName": "Project One"}},
        3: {"id": 3, "name": "OPS board", "type": "kanban", "location": {"projectId": 10001, "projectKey": "OPS", "projectName": "Operations"}},
    }
    state["agile_sprints"] = {
        10: {
            "id": 10,
            "name": "Sprint 9",
            "state": "closed",
            "originBoardId": 1,
            "startDate": "2026-10-20T09:00:00.000Z",
            "endDate": "2026-11-03T17:00:00.000Z",
            "completeDate": "2026-11-03T17:05:00.000Z",
            "goal": "Ship search",
        },
        11: {
            "id": 11,
            "name": "Sprint 10",
            "state": "active",
            "originBoardId": 1,
            "startDate": "2026-11-03T09:00:00.000Z",
            "endDate": "2026-11-17T17:00:00.000Z",
            "goal": "Fix login",
        },
        12: {"id": 12, "name": "Sprint 11", "state": "future", "originBoardId": 1},
    }


def _paged(values: list[Any], req: Request) -> dict[str, Any]:
    start = max(0, req.int_arg("startAt", 0))
    size = max(1, min(req.int_arg("maxResults", 50), 50))
    chunk = values[start : start + size]
    return {"maxResults": size, "startAt": start, "total": len(values), "isLast": start + size >= len(values), "values": chunk}


def install(cloud: Any) -> None:
    state = cloud.state
    seed(state)

    def sprint_json(s: dict[str, Any]) -> dict[str, Any]:
        return dict(s, self=f"{cloud.url}/rest/agile/1.0/sprint/{s['id']}")

    @route(cloud, "GET", "/rest/agile/1.0/board")
    def boards(req: Request) -> Response:
        found = list(state["agile_boards"].values())
        if req.arg("projectKeyOrId"):
            project = find_project(state, req.arg("projectKeyOrId"))
            if project is None:
                return error(400, f"No project could be found with key or id '{req.arg('projectKeyOrId')}'.")
            found = [b for b in found if b["location"]["projectKey"] == project["key"]]
        if req.arg("type"):
            found = [b for b in found if b["type"] in req.arg("type").split(",")]
        if req.arg("name"):
            found = [b for b in found if req.arg("name").lower() in b["name"].lower()]
        body = _paged(found, req)
        body["values"] = [dict(b, self=f"{cloud.url}/rest/agile/1.0/board/{b['id']}") for b in body["values"]]
        return Response(200, body)

    @route(cloud, "GET", "/rest/agile/1.0/board/{boardId}/sprint")
    def sprints(req: Request) -> Response:
        board = state["agile_boards"].get(int(req.vars["boardId"])) if req.vars["boardId"].isdigit() else None
        if board is None:
            return error(404, "Board does not exist or you do not have permission to see it.")
        if board["type"] != "scrum":
            return error(400, "The board does not support sprints")
        states = [s for s in (req.arg("state") or "").split(",") if s]
        found = [s for s in state["agile_sprints"].values() if s["originBoardId"] == board["id"] and (not states or s["state"] in states)]
        body = _paged(found, req)
        body["values"] = [sprint_json(s) for s in body["values"]]
        return Response(200, body)

    @route(cloud, "POST", "/rest/agile/1.0/sprint")
    def create_sprint(req: Request) -> Response:
        body = req.json() or {}
        board = state["agile_boards"].get(body.get("originBoardId"))
        if not (body.get("name") or "").strip():
            return error(400, name="The sprint name is required.")
        if board is None:
            return error(400, originBoardId="Board does not exist or you do not have permission to see it.")
        if board["type"] != "scrum":
            return error(400, "The board does not support sprints")
        new_id = max(state["agile_sprints"]) + 1
        sprint = {"id": new_id, "name": body["name"].strip(), "state": "future", "originBoardId": board["id"]}
        sprint.update({k: body[k] for k in ("startDate", "endDate", "goal") if body.get(k)})
        state["agile_sprints"][new_id] = sprint
        return Response(201, sprint_json(sprint))

    def sprint_of(req: Request) -> dict[str, Any] | None:
        return state["agile_sprints"].get(int(req.vars["sprintId"])) if req.vars["sprintId"].isdigit() else None

    @route(cloud, "GET", "/rest/agile/1.0/sprint/{sprintId}")
    def get_sprint(req: Request) -> Response:
        sprint = sprint_of(req)
        return Response(200, sprint_json(sprint)) if sprint else error(404, "The sprint does not exist.")

    @route(cloud, "POST", "/rest/agile/1.0/sprint/{sprintId}")
    def update_sprint(req: Request) -> Response:
        sprint = sprint_of(req)
        if sprint is None:
            return error(404, "The sprint does not exist.")
        body = req.json() or {}
        wanted = body.get("state")
        if wanted and wanted != sprint["state"]:
            merged = dict(sprint, **body)
            if (sprint["state"], wanted) == ("future", "active"):
                if not (merged.get("startDate") and merged.get("endDate")):
                    return error(400, "A sprint needs a start date and an end date before it can start.")
            elif (sprint["state"], wanted) == ("active", "closed"):
                sprint["completeDate"] = "2026-11-24T12:00:00.000Z"
            else:
                return error(400, f"A sprint cannot go from {sprint['state']} to {wanted}.")
        if sprint["state"] == "closed" and set(body) - {"name", "goal"}:
            return error(400, "Only the name and goal of a closed sprint can change.")
        sprint.update({k: v for k, v in body.items() if k in ("name", "goal", "startDate", "endDate", "state")})
        return Response(200, sprint_json(sprint))

    def issues_or_error(keys: Any) -> tuple[list[dict[str, Any]], Response | None]:
        if not isinstance(keys, list) or not keys or len(keys) > 50:
            return [], error(400, "Between 1 and 50 issues can be moved at once.")
        found = [find_issue(state, str(k)) for k in keys]
        missing = [k for k, i in zip(keys, found) if i is None]
        if missing:
            return [], error(400, f"Issue(s) {', '.join(map(str, missing))} do not exist or you do not have permission to see them.")
        return found, None  # type: ignore[return-value]

    @route(cloud, "POST", "/rest/agile/1.0/sprint/{sprintId}/issue")
    def move_to_sprint(req: Request) -> Response:
        sprint = sprint_of(req)
        if sprint is None:
            return error(404, "The sprint does not exist.")
        if sprint["state"] == "closed":
            return error(400, "Issues can only be moved to open or active sprints.")
        issues, problem = issues_or_error((req.json() or {}).get("issues"))
        if problem:
            return problem
        for issue in issues:
            issue["fields"][SPRINT_FIELD] = [{"id": sprint["id"], "name": sprint["name"], "state": sprint["state"], "boardId": sprint["originBoardId"]}]
        return Response(204)

    @route(cloud, "POST", "/rest/agile/1.0/backlog/issue")
    def to_backlog(req: Request) -> Response:
        issues, problem = issues_or_error((req.json() or {}).get("issues"))
        if problem:
            return problem
        for issue in issues:
            issue["fields"][SPRINT_FIELD] = None
        return Response(204)
