"""Jira Software tools: boards, sprints, and moving issues between sprints (`/rest/agile/1.0`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, bound, records, table
from ..params import page_size, paging_note
from ..query import narrow
from ..registry import Answer, ToolSpec
from .issues import search_issues
from .shared import FIELDS, MODULE, PROJECT_KEY, START_AT

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_agile"
BOARD_ID = {"type": "integer", "minimum": 1, "description": "Board id (jira_list_boards)."}
SPRINT_ID = {"type": "integer", "minimum": 1, "description": "Sprint id (jira_list_sprints)."}
DATE_TIME = {"type": "string", "format": "date-time", "maxLength": 40, "description": "ISO date-time."}


def _day(stamp: Any) -> str:
    return str(stamp or "")[:10]


def list_boards(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start_at", 0)
    page = services.jira.agile.boards(
        project=args.get("project_key"), name=args.get("name"), board_type=args.get("type"), start_at=start, limit=args.get("limit", 50)
    )
    boards = records(page.get("values"))
    rows = [[b.get("id"), b.get("name"), b.get("type"), as_dict(b.get("location")).get("projectKey")] for b in boards]
    note, next_start = paging_note(start, len(boards), page.get("total"), page.get("isLast"))
    text = "No boards match." if not boards else table(["Id", "Board", "Type", "Project"], rows) + note
    return Answer(
        bound(text, "filter by project_key or name"), {"boards": [dict(zip(("id", "name", "type", "project"), r)) for r in rows], "next_start_at": next_start}
    )


def list_sprints(services: Services, args: dict[str, Any]) -> Answer:
    start, board = args.get("start_at", 0), args["board_id"]
    states = ",".join(args.get("state") or []) or None
    page = services.jira.agile.sprints(board, state=states, start_at=start, limit=args.get("limit", 50))
    sprints = records(page.get("values"))
    rows = [[s.get("id"), s.get("name"), s.get("state"), _day(s.get("startDate")), _day(s.get("endDate")), s.get("goal")] for s in sprints]
    note, next_start = paging_note(start, len(sprints), page.get("total"), page.get("isLast"))
    text = (
        f"Board {board} has no sprints{' in state ' + states if states else ''}."
        if not sprints
        else table(["Id", "Sprint", "State", "Start", "End", "Goal"], rows) + note
    )
    return Answer(
        bound(text, "filter by state"),
        {"board_id": board, "sprints": [dict(zip(("id", "name", "state", "start", "end", "goal"), r)) for r in rows], "next_start_at": next_start},
    )


def sprint_issues(services: Services, args: dict[str, Any]) -> Answer:
    jql = narrow(args.get("jql"), f"sprint = {int(args['sprint_id'])}", default_order="ORDER BY rank")
    return search_issues(
        services, jql, fields=args.get("fields"), limit=args.get("limit", 50), token=args.get("next_page_token"), how_to_narrow="add jql or lower limit"
    )


def move_to_sprint(services: Services, args: dict[str, Any]) -> Answer:
    keys = list(dict.fromkeys(args["issue_keys"]))
    target = args["sprint_id"]
    if target == "backlog":
        services.jira.agile.move_to_backlog(keys)
        return Answer(f"Moved {', '.join(keys)} to the backlog (out of every open sprint).", {"issue_keys": keys, "sprint_id": None})
    if not isinstance(target, int) and not str(target).isdigit():
        raise InvalidInput(f"sprint_id must be a sprint id number or 'backlog', not {target!r}.")
    services.jira.agile.move_to_sprint(int(target), keys)
    return Answer(f"Moved {', '.join(keys)} into sprint {target}.", {"issue_keys": keys, "sprint_id": int(target)})


def _sprint_answer(verb: str, sprint: dict[str, Any]) -> Answer:
    dates = f", {_day(sprint.get('startDate'))} to {_day(sprint.get('endDate'))}" if sprint.get("startDate") else ""
    text = f"{verb} sprint {sprint.get('id')} '{sprint.get('name')}' ({sprint.get('state')}{dates})."
    if sprint.get("goal"):
        text += f" Goal: {sprint['goal']}"
    data = {k: sprint.get(k) for k in ("id", "name", "state", "startDate", "endDate", "goal", "originBoardId")}
    return Answer(text, data)


def create_sprint(services: Services, args: dict[str, Any]) -> Answer:
    sprint = services.jira.agile.create_sprint(
        args["board_id"], args["name"], startDate=args.get("start_date"), endDate=args.get("end_date"), goal=args.get("goal")
    )
    return _sprint_answer("Created", sprint)


def update_sprint(services: Services, args: dict[str, Any]) -> Answer:
    names = {"name": "name", "goal": "goal", "start_date": "startDate", "end_date": "endDate", "state": "state"}
    changes = {wire: args[arg] for arg, wire in names.items() if arg in args}
    if not changes:
        raise InvalidInput("Nothing to change: give name, goal, start_date, end_date or state.")
    sprint = services.jira.agile.update_sprint(args["sprint_id"], changes)
    verb = {"active": "Started", "closed": "Closed"}.get(str(args.get("state")), "Updated")
    return _sprint_answer(verb, sprint)


TOOLS = [
    ToolSpec(
        name="jira_list_boards",
        title="List Jira boards",
        description="List boards (id, type, project), optionally of one project or by name.",
        handler=list_boards,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "project_key": PROJECT_KEY,
            "name": {"type": "string", "maxLength": 255, "description": "Part of the name."},
            "type": {"type": "string", "enum": ["scrum", "kanban", "simple"], "description": "Board type."},
            "limit": page_size(50, 100),
            "start_at": START_AT,
        },
    ),
    ToolSpec(
        name="jira_list_sprints",
        title="List Jira sprints",
        description="List a board's sprints with state, dates and goal, to get sprint ids.",
        handler=list_sprints,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "board_id": BOARD_ID,
            "state": {"type": "array", "items": {"type": "string", "enum": ["future", "active", "closed"]}, "maxItems": 3, "description": "Only these states."},
            "limit": page_size(50, 100),
            "start_at": START_AT,
        },
        required=("board_id",),
    ),
    ToolSpec(
        name="jira_get_sprint_issues",
        title="Issues in a Jira sprint",
        description="List the issues in a sprint (ranked), optionally narrowed by extra JQL; page with next_page_token.",
        handler=sprint_issues,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "sprint_id": SPRINT_ID,
            "jql": {"type": "string", "maxLength": 2000, "description": "Extra JQL, e.g. 'assignee = currentUser()'."},
            "fields": {**FIELDS, "description": "Extra columns (field ids or names)."},
            "limit": page_size(50, 100),
            "next_page_token": {"type": "string", "maxLength": 2000, "description": "Token from the previous page."},
        },
        required=("sprint_id",),
    ),
    ToolSpec(
        name="jira_move_issues_to_sprint",
        title="Move issues to sprint",
        description="Move up to 50 issues into an open or active sprint, or to the backlog with sprint_id 'backlog'.",
        handler=move_to_sprint,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={
            "sprint_id": {"type": "string", "pattern": "^(backlog|[0-9]+)$", "description": "Sprint id, or 'backlog'."},
            "issue_keys": {"type": "array", "items": {"type": "string", "maxLength": 255}, "minItems": 1, "maxItems": 50, "description": "Issue keys."},
        },
        required=("sprint_id", "issue_keys"),
    ),
    ToolSpec(
        name="jira_create_sprint",
        title="Create a Jira sprint",
        description="Create a future sprint on a Scrum board, with optional dates and goal.",
        handler=create_sprint,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "board_id": BOARD_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Sprint name."},
            "start_date": DATE_TIME,
            "end_date": DATE_TIME,
            "goal": {"type": "string", "maxLength": 4000, "description": "Sprint goal."},
        },
        required=("board_id", "name"),
    ),
    ToolSpec(
        name="jira_update_sprint",
        title="Update a Jira sprint",
        description="Rename a sprint, change its goal or dates, or start (state active, needs dates) or close it.",
        handler=update_sprint,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={
            "sprint_id": SPRINT_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255, "description": "New name."},
            "goal": {"type": "string", "maxLength": 4000, "description": "New goal."},
            "start_date": DATE_TIME,
            "end_date": DATE_TIME,
            "state": {"type": "string", "enum": ["active", "closed"], "description": "active starts, closed completes."},
        },
        required=("sprint_id",),
    ),
]
