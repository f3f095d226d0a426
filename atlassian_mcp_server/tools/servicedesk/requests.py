"""JSM request tools: find, read, comment on, move along, and read SLAs of customer requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, as_list, bound, fields_block, guarded, name_of, records, table, value_text
from ..params import last_page_note, page_size, pick, text_param, when_or_none
from ..registry import Answer, ToolSpec
from ._common import DESK, ID_TYPES, KEY, MODULE, START, resolve_desk, text, who

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "servicedesk_requests"
STATUS = {"open": "OPEN_REQUESTS", "closed": "CLOSED_REQUESTS", "all": "ALL_REQUESTS"}
OWNERSHIP = {"owned": "OWNED_REQUESTS", "participated": "PARTICIPATED_REQUESTS", "approver": "APPROVER", "organizations": "ALL_ORGANIZATIONS"}


def field_value(value: Any) -> str | None:
    """A request field value as one readable line (the Jira helper: cascades keep their child, ADF becomes text)."""
    if isinstance(value, dict) and value.get("type") == "doc":
        from ...content import adf_to_markdown

        return guarded(lambda: adf_to_markdown(value).strip()) or None
    return guarded(value_text, value)


def _duration(d: Any) -> str | None:
    return value_text(d.get("friendly")) if isinstance(d, dict) else value_text(d)


def sla_view(sla: dict[str, Any]) -> dict[str, Any]:
    """One SLA: its state now (running, paused, breached, met), the time left and the breach time."""
    sla = as_dict(sla)
    cycle = as_dict(sla.get("ongoingCycle"))
    if cycle:
        state = "breached" if cycle.get("breached") else ("paused" if cycle.get("paused") else "running")
    else:
        done = as_list(sla.get("completedCycles"))
        cycle = as_dict(done[-1]) if done else {}
        state = ("breached" if cycle.get("breached") else "met") if done else "not started"
    completed = [_cycle(c) for c in records(sla.get("completedCycles"))]
    return {
        "id": sla.get("id"),
        "name": value_text(sla.get("name")),
        "state": state,
        "breached": bool(cycle.get("breached")),
        "remaining": _duration(cycle.get("remainingTime")),
        "goal": _duration(cycle.get("goalDuration")),
        "elapsed": _duration(cycle.get("elapsedTime")),
        "breach_time": when_or_none(cycle.get("breachTime")),
        **({"completed": completed} if completed else {}),  # earlier cycles, when there were any
    }


def _cycle(c: dict[str, Any]) -> str:
    """A completed SLA cycle: `2015-10-09 10:45 → 10:52 met` (the end's date shown when it differs)."""
    start, stop = when_or_none(c.get("startTime")) or "?", when_or_none(c.get("stopTime")) or "?"
    stop = stop[11:] if stop[:10] == start[:10] else stop
    return f"{start} → {stop} {'breached' if c.get('breached') else 'met'}"


def sla_table(slas: list[dict[str, Any]]) -> str:
    rows = ([s["name"], s["state"], s["remaining"], s["goal"], s["breach_time"], "; ".join(s.get("completed", []))] for s in slas)
    return table(["SLA", "State", "Remaining", "Goal", "Breach time", "Completed cycles"], rows, limit=400)


def request_row(r: dict[str, Any], type_names: dict[str, str] | None = None) -> dict[str, Any]:
    status = as_dict(r.get("currentStatus"))
    type_id = value_text(r.get("requestTypeId"))
    return {
        "key": value_text(r.get("issueKey")),
        "status": value_text(status.get("status")),
        "request_type": guarded(name_of, r.get("requestType")) or (type_names or {}).get(type_id or "") or (f"id {type_id}" if type_id else None),
        "reporter": who(r.get("reporter")),
        "created": when_or_none(r.get("createdDate")),
        "summary": _summary(r),
    }


def _summary(r: dict[str, Any]) -> str | None:
    if r.get("summary"):
        return value_text(r["summary"])
    values = [as_dict(f) for f in as_list(r.get("requestFieldValues"))]
    return next((field_value(f.get("value")) for f in values if f.get("fieldId") == "summary"), None)


def _type_names(services: Services, requests: list[dict[str, Any]]) -> dict[str, str]:
    """Request-type names for requests that came without their `requestType` (one lookup per service desk)."""
    names: dict[str, str] = {}
    desks = {str(r.get("serviceDeskId")) for r in requests if not isinstance(r.get("requestType"), dict) and r.get("serviceDeskId")}
    for desk in sorted(desks):
        found = as_list(as_dict(services.servicedesk.list_request_types(desk, limit=100)).get("values"))
        names.update({str(t.get("id")): str(t.get("name")) for t in found if isinstance(t, dict) and t.get("name")})
    return names


def get_requests(services: Services, args: dict[str, Any]) -> Answer:
    start, limit = args.get("start", 0), args.get("limit", 50)
    desk = resolve_desk(services, args["service_desk_id"], numeric=True) if args.get("service_desk_id") is not None else None
    ownership = [OWNERSHIP[o] for o in args.get("ownership") or []] or None
    result = services.servicedesk.list_requests(
        desk_id=desk, status=STATUS.get(args.get("status", "")), ownership=ownership, search=args.get("search"), start=start, limit=limit
    )
    found = [r for r in as_list(result.get("values")) if isinstance(r, dict)]
    type_names = _type_names(services, found)
    rows = [request_row(r, type_names) for r in found]
    for row in rows:
        row["url"] = services.servicedesk.request_url(row["key"])
    if not rows:
        return Answer("No requests match these filters.", {"requests": [], "next_start": None})
    text_ = table(
        ["Key", "Status", "Type", "Reporter", "Created", "Summary"],
        ([r["key"], r["status"], r["request_type"], r["reporter"], r["created"], r["summary"]] for r in rows),
    )
    note, next_start = last_page_note(result, start, len(rows), "requests")
    return Answer(bound(text_ + note, "add filters or lower limit"), {"requests": rows, "next_start": next_start})


def get_request(services: Services, args: dict[str, Any]) -> Answer:
    sd = services.servicedesk
    r = sd.get_request(args["issue_key"])
    row = request_row(r, None if isinstance(r.get("requestType"), dict) else _type_names(services, [r]))
    desk = as_dict(r.get("serviceDesk"))
    participants = [guarded(who, p) for p in as_list(as_dict(r.get("participants")).get("values"))]
    fields: dict[str, str] = {}
    for f in as_list(r.get("requestFieldValues")):
        f = as_dict(f)
        shown = field_value(f.get("value")) if f.get("fieldId") != "summary" else None
        if shown:
            fields[value_text(f.get("label")) or str(f.get("fieldId"))] = shown
    slas = [sla_view(s) for s in records(as_dict(r.get("sla")).get("values"))]
    url = sd.portal_url(r)
    pairs = [
        ("Status", f"{row['status']} (since {when_or_none(as_dict(r.get('currentStatus')).get('statusDate'))})" if row["status"] else None),
        ("Request type", row["request_type"]),
        ("Service desk", f"{desk.get('projectName')} ({desk.get('projectKey')})" if desk else r.get("serviceDeskId")),
        ("Reporter", row["reporter"]),
        ("Created", row["created"]),
        ("Participants", ", ".join(p for p in participants if p)),
    ]
    lines = [f"# {row['key']}: {row['summary'] or ''}", url, "", fields_block(pairs)]
    for label, value in fields.items():
        lines += ["", f"## {label}", "", value] if "\n" in value or len(value) > 100 else ["", f"**{label}:** {value}"]
    if slas:
        lines += ["", "## SLAs", "", sla_table(slas)]
    data = {**row, "id": r.get("issueId"), "url": url, "service_desk_id": r.get("serviceDeskId"), "fields": fields, "participants": participants, "slas": slas}
    return Answer(bound("\n".join(lines), "read comments with servicedesk_get_request_comments"), data)


def add_comment(services: Services, args: dict[str, Any]) -> Answer:
    key, public = args["issue_key"], args.get("public", True)
    c = services.servicedesk.add_comment(key, args["comment"], public=public)
    kind = "a public reply (the customer sees it)" if public else "an internal note (agents only)"
    url = services.servicedesk.request_url(key)
    return Answer(f"Added {kind} to {key} as comment {c.get('id')}.\n{url}", {"key": key, "comment_id": c.get("id"), "public": public, "url": url})


def get_comments(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start", 0)
    result = services.servicedesk.list_comments(key, start=start, limit=args.get("limit", 50))
    comments = [
        {
            "id": c.get("id"),
            "author": guarded(who, c.get("author")),
            "created": when_or_none(c.get("created")),
            "public": bool(c.get("public")),
            "body": field_value(c.get("body")) or "",
        }
        for c in records(result.get("values"))
    ]
    if not comments:
        return Answer(f"{key} has no comments you can see.", {"key": key, "comments": [], "next_start": None})
    blocks = [f"**{c['author'] or 'Someone'}** ({c['created']}, {'public' if c['public'] else 'internal'}, id {c['id']}):\n{c['body']}" for c in comments]
    note, next_start = last_page_note(result, start, len(comments), "comments")
    text_ = f"# Comments on {key}\n\n" + "\n\n".join(blocks) + note
    return Answer(bound(text_, "page with start and a smaller limit"), {"key": key, "comments": comments, "next_start": next_start})


def get_status(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    result = services.servicedesk.status_history(key, limit=100)
    history = [
        {"status": s.get("status"), "category": s.get("statusCategory"), "since": when_or_none(s.get("statusDate"))} for s in records(result.get("values"))
    ]
    history.sort(key=lambda s: s["since"] or "", reverse=True)
    if not history:
        return Answer(f"{key} has no status history.", {"key": key, "status": None, "history": []})
    text_ = f"{key} is **{history[0]['status']}** since {history[0]['since']}.\n\n" + table(["Status", "Since"], ([h["status"], h["since"]] for h in history))
    return Answer(text_, {"key": key, "status": history[0]["status"], "history": history})


def get_transitions(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    moves = [{"id": t.get("id"), "name": t.get("name")} for t in records(services.servicedesk.transitions(key).get("values"))]
    if not moves:
        return Answer(f"{key} has no transitions available to you.", {"key": key, "transitions": []})
    return Answer(f"Transitions of {key}:\n\n" + table(["Id", "Name"], ([t["id"], t["name"]] for t in moves)), {"key": key, "transitions": moves})


def transition_request(services: Services, args: dict[str, Any]) -> Answer:
    sd, key = services.servicedesk, args["issue_key"]
    moves = records(sd.transitions(key).get("values"))
    move = pick(moves, text(args["transition_id"]), "transition")
    sd.transition(key, str(move["id"]), args.get("comment"))
    url = sd.request_url(key)
    said = " with a public comment" if args.get("comment") else ""
    return Answer(
        f"Moved {key} by transition '{move.get('name')}' (id {move['id']}){said}.\n{url}",
        {"key": key, "transition": {"id": move["id"], "name": move.get("name")}, "url": url},
    )


def get_sla(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    slas = [sla_view(s) for s in records(services.servicedesk.sla(key, limit=50).get("values"))]
    if not slas:
        return Answer(f"{key} has no SLAs.", {"key": key, "slas": []})
    breached = [s["name"] for s in slas if s["breached"]]
    head = f"{key}: {len(breached)} of {len(slas)} SLA(s) breached ({', '.join(str(b) for b in breached)})." if breached else f"{key}: no SLA breached."
    return Answer(head + "\n\n" + sla_table(slas), {"key": key, "slas": slas})


def _check_not_blank(args: dict[str, Any], name: str) -> None:
    if not str(args.get(name, "")).strip():
        raise InvalidInput(f"{name} must not be blank.")


def _add_comment(services: Services, args: dict[str, Any]) -> Answer:
    _check_not_blank(args, "comment")
    return add_comment(services, args)


def _read(name: str, title: str, description: str, handler: Any, params: dict[str, Any] | None = None) -> ToolSpec:
    return ToolSpec(
        name=name,
        title=title,
        description=description,
        handler=handler,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": KEY, **(params or {})},
        required=("issue_key",),
    )


TOOLS = [
    ToolSpec(
        name="servicedesk_get_requests",
        title="Find customer requests",
        description="Find customer requests by desk, status, ownership or words; for agent queues use servicedesk_get_queue_issues.",
        handler=get_requests,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "service_desk_id": DESK,
            "status": {"type": "string", "enum": list(STATUS), "description": "Default all."},
            "ownership": {
                "type": "array",
                "items": {"type": "string", "enum": list(OWNERSHIP)},
                "maxItems": 4,
                "description": "Whose; default all but approver.",
            },
            "search": text_param("Words in the summary."),
            "limit": page_size(50),
            "start": START,
        },
    ),
    _read(
        "servicedesk_get_request",
        "Read a customer request",
        "Read one request: status, type, reporter, participants, field values as Markdown and SLAs.",
        get_request,
    ),
    _read(
        "servicedesk_get_request_comments",
        "Read request comments",
        "Read a request's comments, each marked public (customer sees it) or internal.",
        get_comments,
        {"limit": page_size(50), "start": START},
    ),
    _read(
        "servicedesk_get_request_status", "Request status history", "Show a request's current status and the statuses it went through, with dates.", get_status
    ),
    _read("servicedesk_get_request_transitions", "Request transitions", "List the transitions (id, name) you can perform on a request now.", get_transitions),
    _read(
        "servicedesk_get_sla", "Request SLAs", "Show each SLA of a request: running, paused, met or breached, time remaining, goal and breach time.", get_sla
    ),
    ToolSpec(
        name="servicedesk_add_comment",
        title="Comment on a request",
        description="Comment on a request: public=true (default) replies to the customer (emailed); public=false is an internal note for agents.",
        handler=_add_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": KEY,
            "comment": text_param("Plain text.", 32000),
            "public": {"type": "boolean", "default": True, "description": "false for an internal note."},
        },
        required=("issue_key", "comment"),
    ),
    ToolSpec(
        name="servicedesk_transition_request",
        title="Move a request",
        description="Move a request along by a transition (see servicedesk_get_request_transitions), optionally with a public comment.",
        handler=transition_request,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        affects_people=True,
        params={
            "issue_key": KEY,
            "transition_id": {"type": ID_TYPES, "maxLength": 255, "description": "Transition id or name."},
            "comment": text_param("Public comment saying why.", 32000),
        },
        required=("issue_key", "transition_id"),
    ),
]
