"""Jira workflow tools: see and apply transitions, assign issues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, records, table
from ..params import choose
from ..registry import Answer, ToolSpec
from .screens import Screen
from .shared import ISSUE_KEY, MODULE, issue_ref, markdown_param, people, resolve_user, to_adf

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_workflow"
_UNASSIGN = ("none", "unassigned", "nobody")


def _to(t: dict[str, Any]) -> str:
    return str(as_dict(t.get("to")).get("name") or "?")


def _label(t: dict[str, Any]) -> str:
    return f"{t.get('name')} (id {t.get('id')}) → {_to(t)}"


def _required(t: dict[str, Any]) -> list[str]:
    return [
        str(m.get("name") or fid) for fid, m in as_dict(t.get("fields")).items() if isinstance(m, dict) and m.get("required") and not m.get("hasDefaultValue")
    ]


def get_transitions(services: Services, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    ts = records(services.jira.transitions(args["issue_key"]))
    rows = [[t.get("id"), t.get("name"), _to(t), ", ".join(_required(t)) or "-"] for t in ts]
    text = (
        f"No transitions are available to you on {key} now."
        if not ts
        else f"Transitions for {key}:\n\n" + table(["Id", "Transition", "To status", "Needs"], rows)
    )
    data = {"issue_key": key, "transitions": [{"id": r[0], "name": r[1], "to_status": r[2], "required_fields": _required(t)} for r, t in zip(rows, ts)]}
    return Answer(text, data)


def _pick(ts: list[dict[str, Any]], wanted: str, key: str) -> dict[str, Any]:
    """By transition id or name first; otherwise by the status it leads to (ambiguity is an error)."""
    target = wanted.strip().lower()
    direct = [t for t in ts if target in (str(t.get("id")).lower(), str(t.get("name") or "").lower())]
    if len(direct) == 1:
        return direct[0]
    options = [(_label(t), (t.get("id"), t.get("name")) if direct else (_to(t),), t) for t in ts]
    return choose("transition or status", wanted, options, f" for {key}")


def transition_issue(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    ts = services.jira.transitions(args["issue_key"])
    if not ts:
        raise InvalidInput(f"No transitions are available to you on {key}; check its status and your permissions.")
    t = _pick(ts, args["transition"], key)
    screen = Screen(t.get("fields") or {}, f"the '{t.get('name')}' transition screen of {key}")
    values = dict(args.get("fields") or {})
    if args.get("resolution"):
        values["resolution"] = args["resolution"]
    fields = screen.build(values, people(services))
    missing = screen.missing_required(set(fields))
    if missing:
        raise InvalidInput(f"The '{t.get('name')}' transition needs: {'; '.join(missing)}. Pass them in fields (resolution has its own argument).")
    comment = args.get("comment")
    inline = comment and t.get("hasScreen", True)
    update = {"comment": [{"add": {"body": to_adf(comment)}}]} if comment and inline else None
    services.jira.transition(args["issue_key"], str(t["id"]), fields=fields, update=update)
    if comment and not inline:  # a transition without a screen takes no comment: add it on its own
        services.jira.add_comment(args["issue_key"], to_adf(comment))
    extra = "".join(f"; {screen.fields[f].get('name') or f} set" for f in fields)
    said = " with a comment" if comment else ""
    text = f"{key}: '{t.get('name')}' applied{said}; status is now {_to(t)}{extra}.\n{url}"
    return Answer(text, {"key": key, "url": url, "transition_id": t.get("id"), "status": _to(t), "fields_set": list(fields)})


def assign_issue(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    who = args["assignee"].strip()
    if who.lower() in _UNASSIGN:
        services.jira.assign(args["issue_key"], None)
        return Answer(f"{key} is now unassigned.\n{url}", {"key": key, "url": url, "assignee": None})
    account_id, name = resolve_user(services, who)
    services.jira.assign(args["issue_key"], account_id)
    return Answer(f"Assigned {key} to {name}.\n{url}", {"key": key, "url": url, "assignee": name, "account_id": account_id})


TOOLS = [
    ToolSpec(
        name="jira_get_transitions",
        title="Jira transitions",
        description="List the transitions an issue can take now, with target status and required fields.",
        handler=get_transitions,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": ISSUE_KEY},
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_transition_issue",
        title="Move a Jira issue",
        description="Move an issue in its workflow by transition (id or name) or target status; optional comment, resolution, fields.",
        handler=transition_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": ISSUE_KEY,
            "transition": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Transition id/name or target status, e.g. Done."},
            "comment": markdown_param("Comment to add"),
            "resolution": {"type": "string", "minLength": 1, "maxLength": 60, "description": "e.g. Done."},
            "fields": {"type": "object", "maxProperties": 30, "description": "Other screen fields by name or id."},
        },
        required=("issue_key", "transition"),
    ),
    ToolSpec(
        name="jira_assign_issue",
        title="Assign a Jira issue",
        description="Assign an issue to a person, or unassign it.",
        handler=assign_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        affects_people=True,
        params={
            "issue_key": ISSUE_KEY,
            "assignee": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Account id, email, name, 'me' or 'none'."},
        },
        required=("issue_key", "assignee"),
    ),
]
