"""Jira time tracking tools: log work and list worklogs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import bound, records, table
from ..params import page_size, paging_note, when
from ..registry import Answer, ToolSpec
from .shared import ISSUE_KEY, MODULE, START_AT, issue_ref, markdown_param, person, to_adf, to_markdown

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_worklog"
DURATION = {"type": "string", "pattern": "^[0-9. wdhm]+$", "maxLength": 40}


def jira_time(text: str | None) -> str:
    """ISO date or date-time (local time when no offset) -> Jira's `2026-11-02T09:30:00.000+0000`; None -> now."""
    if not text:
        moment = datetime.now().astimezone()
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"started must be an ISO date or date-time such as 2026-11-02T09:30, not {text!r}.") from None
        if moment.tzinfo is None:
            moment = moment.astimezone()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def add_worklog(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    spent = " ".join(args["time_spent"].split())
    started = jira_time(args.get("started"))
    comment = to_adf(args["comment"]) if args.get("comment") else None
    created = services.jira.add_worklog(args["issue_key"], time_spent=spent, started=started, comment=comment, new_estimate=args.get("remaining_estimate"))
    remaining = f"; remaining estimate set to {args['remaining_estimate']}" if args.get("remaining_estimate") else ""
    text = f"Logged {created.get('timeSpent') or spent} on {key} from {when(started)} (worklog {created.get('id')}){remaining}.\n{url}"
    return Answer(text, {"key": key, "url": url, "worklog_id": created.get("id"), "time_spent": created.get("timeSpent") or spent, "started": started})


def get_worklogs(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start_at", 0)
    page = services.jira.worklogs(key, start_at=start, limit=args.get("limit", 20))
    logs = records(page.get("worklogs"))
    rows = [[w.get("id"), person(w.get("author")), when(w.get("started")), w.get("timeSpent"), " ".join(to_markdown(w.get("comment")).split())] for w in logs]
    seconds = sum(w["timeSpentSeconds"] for w in logs if isinstance(w.get("timeSpentSeconds"), int) and not isinstance(w["timeSpentSeconds"], bool))
    total = page.get("total") if isinstance(page.get("total"), int) else None
    note, next_start = paging_note(start, len(logs), total)
    text = (
        f"No work logged on {key}."
        if not logs
        else f"Work logged on {key} ({total if total is not None else '?'} in all; this page {seconds / 3600:g} h):\n\n"
        + table(["Id", "Who", "Started", "Spent", "Comment"], rows)
        + note
    )
    data = {
        "issue_key": key,
        "worklogs": [dict(zip(("id", "author", "started", "time_spent", "comment"), r)) for r in rows],
        "total": total,
        "next_start_at": next_start,
    }
    return Answer(bound(text, "lower limit and page with start_at"), data)


TOOLS = [
    ToolSpec(
        name="jira_add_worklog",
        title="Log Jira work",
        description="Log time spent on an issue; the remaining estimate drops by it unless remaining_estimate is given.",
        handler=add_worklog,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": ISSUE_KEY,
            "time_spent": {**DURATION, "description": "e.g. '1h 30m' (w, d, h, m)."},
            "started": {"type": "string", "maxLength": 40, "description": "ISO start, e.g. 2026-11-02T09:30 (local); default now."},
            "comment": markdown_param("What was done", 4000),
            "remaining_estimate": {**DURATION, "description": "New remaining estimate."},
        },
        required=("issue_key", "time_spent"),
    ),
    ToolSpec(
        name="jira_get_worklogs",
        title="Jira worklogs",
        description="List the work logged on an issue: who, when, how long, comment.",
        handler=get_worklogs,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": ISSUE_KEY, "limit": page_size(20, 100), "start_at": START_AT},
        required=("issue_key",),
    ),
]
