"""Jira tools that find and read issues, their history, and delete them; plus the `jira://issue/{key}` reader."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import bound, fields_block, name_of, table
from ..params import choose, page_size, paging_note, text_param, when
from ..registry import Answer, ToolSpec
from .shared import FIELDS, ISSUE_KEY, MODULE, START_AT, person, to_markdown

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_issues"
_COLUMNS = ("issuetype", "status", "priority", "assignee", "updated", "summary")  # besides the key
_HEADER = ["Key", "Type", "Status", "Priority", "Assignee", "Updated", "Summary"]
_KEYS = ("key", "type", "status", "priority", "assignee", "updated", "summary")


def _issue_row(issue: dict[str, Any]) -> list[Any]:
    f = issue.get("fields") or {}
    return [
        issue.get("key"),
        name_of(f.get("issuetype")),
        name_of(f.get("status")),
        name_of(f.get("priority")),
        name_of(f.get("assignee")) or "Unassigned",
        (f.get("updated") or "")[:10],
        f.get("summary"),
    ]


def _shown(value: Any) -> str | None:
    """Any field value as one short line: people and options by name, ADF as flattened text."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        parts = [_shown(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        if value.get("type") == "doc":
            return " ".join(to_markdown(value).split())
        return name_of(value, "displayName", "name", "value", "key", "id")
    return str(value)


def _field_ids(services: Services, wanted: list[str] | None) -> list[str] | None:
    """Field names the user gave, turned into ids (ids, keys and `*all` pass through)."""
    if not wanted:
        return None
    known = None
    out = []
    for item in wanted:
        if item.startswith(("*", "-", "customfield_")) or re.fullmatch(r"[a-z][A-Za-z0-9_]*", item):  # an id already
            out.append(item)
            continue
        if known is None:
            known = [(f"{f.get('name')} ({f['id']})", (f["id"], f.get("key"), f.get("name")), f["id"]) for f in services.jira.fields() if "id" in f]
        out.append(choose("field", item, known))
    return out


def search_issues(services: Services, jql: str, *, fields: list[str] | None, limit: int, token: str | None, how_to_narrow: str) -> Answer:
    """Run one page of an enhanced JQL search and render it as a table (jira_search, sprint issues)."""
    ids = _field_ids(services, fields)
    extra = [f for f in ids or [] if f not in _COLUMNS and f != "key" and not f.startswith(("*", "-"))]
    wanted = list(dict.fromkeys([*_COLUMNS, *extra])) if ids else None
    result = services.jira.search(jql, fields=wanted, limit=limit, next_page_token=token)
    issues = result.get("issues") or []
    next_token = result.get("nextPageToken")
    is_last = bool(result.get("isLast", next_token is None)) or not next_token
    names = services.jira.field_names() if any(e.startswith("customfield_") for e in extra) else {}
    header = _HEADER + [names.get(e, e) for e in extra]
    rows = [_issue_row(i) + [_shown((i.get("fields") or {}).get(e)) for e in extra] for i in issues]
    if not issues:
        text = f"No issues match `{jql}`."
    else:
        text = f"{len(issues)} issue(s) for `{jql}`:\n\n" + table(header, rows)
    if not is_last:
        text += f'\n\nMore results: call again with next_page_token="{next_token}".'
    found = []
    for row in rows:
        item = dict(zip(_KEYS, row), url=services.jira.browse_url(row[0] or ""))
        if extra:
            item["fields"] = dict(zip(header[len(_KEYS) :], row[len(_KEYS) :]))
        found.append(item)
    data = {
        "issues": found,
        "next_page_token": None if is_last else next_token,
        "is_last": is_last,
    }
    return Answer(bound(text, how_to_narrow), data)


def search(services: Services, args: dict[str, Any]) -> Answer:
    jql = args["jql"]
    if not jql.strip():
        raise InvalidInput("jql must not be blank; e.g. 'project = PROJ AND statusCategory != Done'.")
    limit = args.get("limit") or args.get("max_results") or 50
    return search_issues(
        services, jql, fields=args.get("fields"), limit=limit, token=args.get("next_page_token"), how_to_narrow="narrow the JQL or lower limit"
    )


def _links(f: dict[str, Any]) -> str:
    out = []
    for link in f.get("issuelinks") or []:
        kind = link.get("type") or {}
        if "outwardIssue" in link:
            text = f"{kind.get('outward', 'relates to')} {link['outwardIssue'].get('key')}"
        elif "inwardIssue" in link:
            text = f"{kind.get('inward', 'relates to')} {link['inwardIssue'].get('key')}"
        else:
            continue
        out.append(f"{text} (link {link['id']})" if link.get("id") else text)
    return "; ".join(out)


def _history_lines(histories: list[dict[str, Any]]) -> list[str]:
    lines = []
    for h in histories:
        for item in h.get("items") or []:
            lines.append(
                f"- {when(h.get('created'))} {person(h.get('author')) or 'Someone'}: {item.get('field')} "
                f"{item.get('fromString') or '-'} → {item.get('toString') or '-'}"
            )
    return lines


def get_issue(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    fmt = args.get("format", "markdown")
    issue = services.jira.get_issue(key, fields=_field_ids(services, args.get("fields")), expand=",".join(args.get("expand") or []) or None)
    f = issue.get("fields") or {}
    real_key = issue.get("key", key)
    url = services.jira.browse_url(real_key)
    description = f.get("description")
    body = description if fmt == "adf" else to_markdown(description)
    tt = f.get("timetracking") or {}
    parent = f.get("parent") or {}
    custom: dict[str, str] = {}
    if any(k.startswith("customfield_") and f[k] not in (None, "", [], {}) for k in f):
        names = services.jira.field_names()
        for k, v in f.items():
            shown = _shown(v) if k.startswith("customfield_") else None
            if shown:
                custom[names.get(k, k)] = shown
    attachments = [f"{a.get('filename')} (id {a.get('id')})" for a in f.get("attachment") or []]
    pairs = [
        ("Type", name_of(f.get("issuetype"))),
        ("Status", name_of(f.get("status"))),
        ("Priority", name_of(f.get("priority"))),
        ("Assignee", name_of(f.get("assignee")) or ("Unassigned" if "assignee" in f else None)),
        ("Reporter", name_of(f.get("reporter"))),
        ("Labels", ", ".join(f.get("labels") or [])),
        ("Components", ", ".join(name_of(c) or "" for c in f.get("components") or [])),
        ("Fix versions", ", ".join(name_of(c) or "" for c in f.get("fixVersions") or [])),
        ("Parent", f"{parent.get('key')} {((parent.get('fields') or {}).get('summary') or '')}".strip() if parent else None),
        ("Subtasks", ", ".join(s.get("key", "") for s in f.get("subtasks") or [])),
        ("Links", _links(f)),
        ("Attachments", ", ".join(attachments)),
        ("Watchers", (f.get("watches") or {}).get("watchCount")),
        ("Created", when(f.get("created"))),
        ("Updated", when(f.get("updated"))),
        ("Due", f.get("duedate")),
        ("Resolution", name_of(f.get("resolution"))),
        ("Estimate", tt.get("originalEstimate")),
        ("Remaining", tt.get("remainingEstimate")),
        ("Logged", tt.get("timeSpent")),
    ]
    pairs += sorted(custom.items())
    lines = [f"# {real_key}: {f.get('summary', '')}", url, "", fields_block(pairs)]
    if fmt != "adf" and body:
        lines += ["", "## Description", "", body]
    comments = ((f.get("comment") or {}).get("comments")) or []
    if comments and fmt != "adf":
        lines += ["", f"## Last comments ({len(comments[-5:])} of {(f.get('comment') or {}).get('total', len(comments))})"]
        for c in comments[-5:]:
            lines += ["", f"**{person(c.get('author')) or 'Someone'}** ({when(c.get('created'))}, id {c.get('id')}):", to_markdown(c.get("body"))]
    histories = (issue.get("changelog") or {}).get("histories") or []
    if histories:
        lines += ["", f"## Changes (last {min(len(histories), 10)})", *_history_lines(histories[-10:])]
    text = "\n".join(lines)
    data: dict[str, Any] = {"key": real_key, "id": issue.get("id"), "url": url, "summary": f.get("summary")}
    data.update({k.lower().replace(" ", "_"): v for k, v in pairs if v not in (None, "", [])})
    if custom:
        data["custom_fields"] = custom
    data["description"] = body
    from ...content.nodes import too_deep

    if fmt == "adf" and too_deep(description, 200):  # structured output nests at most ~255 levels
        data["description"] = json.dumps(description, ensure_ascii=False, separators=(",", ":"))
    if fmt == "adf":
        text += "\n\n## Description (ADF)\n\n```json\n" + json.dumps(description, ensure_ascii=False, separators=(",", ":")) + "\n```"
    return Answer(bound(text, "ask for fewer fields"), data)


def read_issue_resource(services: Services, key: str) -> str:
    """The `jira://issue/{key}` resource: the issue as Markdown, as jira_get_issue shows it."""
    return get_issue(services, {"issue_key": key}).text


def get_changelog(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start_at", 0)
    page = services.jira.changelog(key, start_at=start, limit=args.get("limit", 20))
    values = page.get("values") or []
    rows = [
        [when(h.get("created")), person(h.get("author")), item.get("field"), item.get("fromString"), item.get("toString")]
        for h in values
        for item in h.get("items") or []
    ]
    note, next_start = paging_note(start, len(values), page.get("total"), page.get("isLast"))
    text = f"No changes recorded on {key}." if not values else f"Changes to {key}:\n\n" + table(["When", "Who", "Field", "From", "To"], rows) + note
    data = {
        "issue_key": key,
        "changes": [dict(zip(("when", "who", "field", "from", "to"), r)) for r in rows],
        "total": page.get("total"),
        "next_start_at": next_start,
    }
    return Answer(bound(text, "lower limit and page with start_at"), data)


def delete_issue(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    services.jira.delete_issue(key, delete_subtasks=bool(args.get("delete_subtasks")))
    extra = " and its subtasks" if args.get("delete_subtasks") else ""
    return Answer(f"Deleted {key}{extra}. This cannot be undone.", {"deleted": key, "subtasks_deleted": bool(args.get("delete_subtasks"))})


TOOLS = [
    ToolSpec(
        name="jira_search",
        title="Search Jira issues",
        description="Find Jira issues with JQL. Answers a table; page with next_page_token.",
        handler=search,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "jql": text_param("JQL, e.g. 'project = PROJ AND status = \"In Progress\" ORDER BY updated DESC'.", 4000),
            "fields": {**FIELDS, "description": "Extra columns: field ids or names."},
            "limit": page_size(50, 100),
            "max_results": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Alias of limit."},
            "next_page_token": {"type": "string", "maxLength": 2000, "description": "Token from the previous page."},
        },
        required=("jql",),
    ),
    ToolSpec(
        name="jira_get_issue",
        title="Read a Jira issue",
        description="Read one Jira issue: fields (custom ones by name), links, time tracking, description as Markdown, last comments.",
        handler=get_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "issue_key": ISSUE_KEY,
            "fields": FIELDS,
            "expand": {
                "type": "array",
                "items": {"type": "string", "enum": ["changelog", "renderedFields", "names", "transitions"]},
                "maxItems": 4,
                "description": "changelog adds recent changes.",
            },
            "format": {"type": "string", "enum": ["markdown", "adf"], "default": "markdown", "description": "adf: the raw description."},
        },
        required=("issue_key",),
    ),
]

# Listed after every other Jira tool in the catalogue: needed less often.
RARE_TOOLS = [
    ToolSpec(
        name="jira_get_changelog",
        title="Jira issue history",
        description="List who changed which field of an issue, when, from what to what (oldest first).",
        handler=get_changelog,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": ISSUE_KEY, "limit": page_size(20, 100), "start_at": START_AT},
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_delete_issue",
        title="Delete a Jira issue",
        description="Delete an issue for good (no undo). Issues with subtasks need delete_subtasks=true.",
        handler=delete_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"issue_key": ISSUE_KEY, "delete_subtasks": {"type": "boolean", "default": False, "description": "Also delete its subtasks."}},
        required=("issue_key",),
    ),
]
