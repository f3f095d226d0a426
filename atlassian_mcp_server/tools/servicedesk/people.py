"""JSM approvals and people: approve or decline, participants, notifications, organizations, customers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import as_dict, records, table
from ..params import last_page_note, page_size, text_param, when_or_none
from ..registry import Answer, ToolSpec
from ._common import DESK, ID_TYPES, KEY, MODULE, START, resolve_desk, text, who

if TYPE_CHECKING:
    from ...services import Services

ACCOUNT_IDS = {
    "type": "array",
    "items": {"type": "string", "minLength": 1, "maxLength": 128},
    "minItems": 1,
    "maxItems": 50,
    "description": "Account ids (see servicedesk_get_customers).",
}


def _approval(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": a.get("id"),
        "name": a.get("name"),
        "final_decision": a.get("finalDecision"),
        "can_answer": bool(a.get("canAnswerApproval")),
        "approvers": [
            {"name": who(x.get("approver")), "account_id": as_dict(x.get("approver")).get("accountId"), "decision": x.get("approverDecision")}
            for x in records(a.get("approvers"))
        ],
        "created": when_or_none(a.get("createdDate")),
        "completed": when_or_none(a.get("completedDate")),
    }


def get_approvals(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    approvals = [_approval(a) for a in records(services.servicedesk.approvals(key).get("values"))]
    if not approvals:
        return Answer(f"{key} has no approvals.", {"key": key, "approvals": []})
    rows = (
        [
            a["id"],
            a["name"],
            a["final_decision"],
            "yes" if a["can_answer"] else "no",
            "; ".join(f"{p['name']}: {p['decision']}" for p in a["approvers"]),
            a["created"],
        ]
        for a in approvals
    )
    text_ = f"Approvals on {key}:\n\n" + table(["Id", "Name", "Decision", "You can answer", "Approvers", "Created"], rows)
    return Answer(text_, {"key": key, "approvals": approvals})


def approve_request(services: Services, args: dict[str, Any]) -> Answer:
    key, approval_id, decision = args["issue_key"], text(args["approval_id"]), args["decision"]
    result = _approval(services.servicedesk.answer_approval(key, approval_id, decision) or {})
    verb = "Approved" if decision == "approve" else "Declined"
    outcome = f"; the approval's final decision is now {result['final_decision']}" if result["final_decision"] else ""
    url = services.servicedesk.request_url(key)
    text_ = f"{verb} approval {approval_id} ('{result['name'] or ''}') on {key}{outcome}.\n{url}"
    return Answer(text_, {"key": key, "approval_id": approval_id, "decision": decision, "final_decision": result["final_decision"], "url": url})


def _users(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"account_id": u.get("accountId"), "name": u.get("displayName"), "email": u.get("emailAddress")} for u in values]


def get_participants(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start", 0)
    result = services.servicedesk.participants(key, start=start, limit=args.get("limit", 50))
    people = _users(records(result.get("values")))
    if not people:
        return Answer(f"{key} has no participants.", {"key": key, "participants": [], "next_start": None})
    note, next_start = last_page_note(result, start, len(people), "participants")
    text_ = f"Participants of {key}:\n\n" + table(["Name", "Email", "Account id"], ([p["name"], p["email"], p["account_id"]] for p in people)) + note
    return Answer(text_, {"key": key, "participants": people, "next_start": next_start})


def add_participants(services: Services, args: dict[str, Any]) -> Answer:
    key, ids = args["issue_key"], list(dict.fromkeys(args["account_ids"]))
    result = services.servicedesk.add_participants(key, ids) or {}
    now = _users(records(result.get("values")))
    added = [p["name"] or p["account_id"] for p in now if p["account_id"] in ids]
    url = services.servicedesk.request_url(key)
    text_ = f"Added {len(ids)} participant(s) to {key}: {', '.join(added) or ', '.join(ids)}; they now get its notifications.\n{url}"
    return Answer(text_, {"key": key, "added": ids, "participants": now, "url": url})


def manage_notifications(services: Services, args: dict[str, Any]) -> Answer:
    sd, key = services.servicedesk, args["issue_key"]
    subscribe = args.get("subscribe")
    if subscribe is None:
        on = bool(sd.notification_status(key).get("subscribed"))
        return Answer(f"You are {'subscribed to' if on else 'not subscribed to'} notifications of {key}.", {"key": key, "subscribed": on})
    (sd.subscribe if subscribe else sd.unsubscribe)(key)
    verb = "Subscribed you to" if subscribe else "Unsubscribed you from"
    return Answer(f"{verb} notifications of {key}.", {"key": key, "subscribed": bool(subscribe), "url": sd.request_url(key)})


def list_organizations(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    desk = resolve_desk(services, args["service_desk_id"]) if args.get("service_desk_id") is not None else None
    result = services.servicedesk.organizations(desk, start=start, limit=args.get("limit", 50))
    orgs = [{"id": o.get("id"), "name": o.get("name")} for o in records(result.get("values"))]
    if not orgs:
        return Answer("No organizations found.", {"organizations": [], "next_start": None})
    note, next_start = last_page_note(result, start, len(orgs), "organizations")
    return Answer(table(["Id", "Name"], ([o["id"], o["name"]] for o in orgs)) + note, {"organizations": orgs, "next_start": next_start})


def get_customers(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    desk = resolve_desk(services, args["service_desk_id"])
    result = services.servicedesk.customers(desk, query=args.get("query"), start=start, limit=args.get("limit", 50))
    people = _users(records(result.get("values")))
    if not people:
        return Answer("No customers match." if args.get("query") else "This service desk has no customers.", {"customers": [], "next_start": None})
    note, next_start = last_page_note(result, start, len(people), "customers")
    text_ = table(["Name", "Email", "Account id"], ([p["name"], p["email"], p["account_id"]] for p in people)) + note
    return Answer(text_, {"customers": people, "next_start": next_start})


def _spec(name: str, title: str, description: str, handler: Any, toolset: str, params: dict[str, Any], required: tuple[str, ...], **kw: Any) -> ToolSpec:
    return ToolSpec(name=name, title=title, description=description, handler=handler, module=MODULE, toolset=toolset, params=params, required=required, **kw)


PAGE = {"limit": page_size(50), "start": START}

TOOLS = [
    _spec(
        "servicedesk_get_approvals",
        "Request approvals",
        "List a request's approvals: id, decision so far, approvers, and whether you can answer.",
        get_approvals,
        "servicedesk_approvals",
        {"issue_key": KEY},
        ("issue_key",),
        read_only=True,
    ),
    _spec(
        "servicedesk_approve_request",
        "Approve or decline",
        "Approve or decline a pending approval on a request (ids from servicedesk_get_approvals); this cannot be undone.",
        approve_request,
        "servicedesk_approvals",
        {
            "issue_key": KEY,
            "approval_id": {"type": ID_TYPES, "maxLength": 64, "description": "Approval id."},
            "decision": {"type": "string", "enum": ["approve", "decline"], "description": "Your answer."},
        },
        ("issue_key", "approval_id", "decision"),
        read_only=False,
        idempotent=False,
        affects_people=True,
    ),
    _spec(
        "servicedesk_get_participants",
        "Request participants",
        "List a request's participants: name, email, account id.",
        get_participants,
        "servicedesk_requests",
        {"issue_key": KEY, **PAGE},
        ("issue_key",),
        read_only=True,
    ),
    _spec(
        "servicedesk_add_participants",
        "Add request participants",
        "Add people to a request as participants, by account id; they get its notifications.",
        add_participants,
        "servicedesk_requests",
        {"issue_key": KEY, "account_ids": ACCOUNT_IDS},
        ("issue_key", "account_ids"),
        read_only=False,
        idempotent=True,
        affects_people=True,
    ),
    _spec(
        "servicedesk_manage_notifications",
        "Request notifications",
        "Subscribe to or leave a request's notifications; without subscribe, say whether you are subscribed.",
        manage_notifications,
        "servicedesk_requests",
        {"issue_key": KEY, "subscribe": {"type": "boolean", "description": "Omit to check."}},
        ("issue_key",),
        read_only=False,
        idempotent=True,
    ),
    _spec(
        "servicedesk_list_organizations",
        "List organizations",
        "List customer organizations of a service desk, or of the site.",
        list_organizations,
        "servicedesk_customers",
        {"service_desk_id": DESK, **PAGE},
        (),
        read_only=True,
    ),
    _spec(
        "servicedesk_get_customers",
        "Find customers",
        "List a service desk's customers: name, email, account id.",
        get_customers,
        "servicedesk_customers",
        {"service_desk_id": DESK, "query": text_param("Part of a name or email."), **PAGE},
        ("service_desk_id",),
        read_only=True,
    ),
]
