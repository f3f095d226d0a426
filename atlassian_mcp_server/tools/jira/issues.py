"""Jira tools that find and read issues, their history, and delete them; plus the `jira://issue/{key}` reader."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, as_list, bound, fields_block, guarded, name_of, records, stamp, table, value_text
from ..params import choose, page_size, paging_note, text_param
from ..registry import Answer, ToolSpec
from .shared import FIELDS, ISSUE_KEY, MODULE, START_AT, person, to_markdown

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_issues"
_COLUMNS = ("issuetype", "status", "priority", "assignee", "updated", "summary")  # besides the key
_HEADER = ["Key", "Type", "Status", "Priority", "Assignee", "Updated", "Summary"]
_KEYS = ("key", "type", "status", "priority", "assignee", "updated", "summary")


def _issue_row(issue: dict[str, Any]) -> list[Any]:
    f = as_dict(issue.get("fields"))
    return [
        value_text(issue.get("key")),
        guarded(name_of, f.get("issuetype")),
        guarded(name_of, f.get("status")),
        guarded(name_of, f.get("priority")),
        guarded(name_of, f.get("assignee")) or "Unassigned",
        stamp(f.get("updated"))[:10],
        value_text(f.get("summary")),
    ]


def _shown(value: Any) -> str | None:
    """Any field value as one short line (see render.value_text); a shape it cannot read shows raw."""
    return guarded(value_text, value)


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
            known = [
                (f"{f.get('name')} ({f['id']})", (f["id"], f.get("key"), f.get("name")), f["id"])
                for f in records(services.jira.fields())
                if isinstance(f.get("id"), str)
            ]
        out.append(choose("field", item, known))
    return out


def search_issues(services: Services, jql: str, *, fields: list[str] | None, limit: int, token: str | None, how_to_narrow: str) -> Answer:
    """Run one page of an enhanced JQL search and render it as a table (jira_search, sprint issues)."""
    ids = _field_ids(services, fields)
    extra = [f for f in ids or [] if f not in _COLUMNS and f != "key" and not f.startswith(("*", "-"))]
    wanted = list(dict.fromkeys([*_COLUMNS, *extra])) if ids else None
    result = services.jira.search(jql, fields=wanted, limit=limit, next_page_token=token)
    issues = [i for i in as_list(result.get("issues")) if isinstance(i, dict)]
    next_token = result.get("nextPageToken")
    is_last = bool(result.get("isLast", next_token is None)) or not next_token
    names = services.jira.field_names() if any(e.startswith("customfield_") for e in extra) else {}
    header = _HEADER + [str(names.get(e) or e) for e in extra]
    rows = [_issue_row(i) + [_shown(as_dict(i.get("fields")).get(e)) for e in extra] for i in issues]
    if not issues:
        text = f"No issues match `{jql}`."
    else:
        text = f"{len(issues)} issue(s) for `{jql}`:\n\n" + table(header, rows, limit=400)
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
    for link in as_list(f.get("issuelinks")):
        link = as_dict(link)
        kind = as_dict(link.get("type"))
        side = "outward" if "outwardIssue" in link else "inward" if "inwardIssue" in link else None
        if side is None:
            continue
        other = as_dict(link[f"{side}Issue"])
        status = name_of(as_dict(other.get("fields")).get("status"))
        text = f"{kind.get(side, 'relates to')} {other.get('key')}" + (f" ({status})" if status else "")
        out.append(f"{text} (link {link['id']})" if link.get("id") else text)
    return "; ".join(out)


LONG_VALUE = 100  # longer (or multi-line) changelog values go to a section of their own, whole


def change_items(histories: Any) -> list[dict[str, Any]]:
    """Every changelog item, flattened: when, who, field, from, to (the display strings, else the raw ids)."""
    out = []
    for h in as_list(histories):
        h = as_dict(h)
        for item in as_list(h.get("items")):
            item = as_dict(item)
            out.append(
                {
                    "when": stamp(h.get("created")),
                    "who": guarded(person, h.get("author")),
                    "field": value_text(item.get("field")),
                    "from": _change_value(item.get("fromString"), item.get("from")),
                    "to": _change_value(item.get("toString"), item.get("to")),
                }
            )
    return out


def _change_value(shown: Any, raw_id: Any) -> str | None:
    text = shown if isinstance(shown, str) else value_text(shown)
    return text or value_text(raw_id)


def change_table(changes: list[dict[str, Any]], whole: str, *, as_table: bool = True) -> str:
    """The changes as a compact table (or bullet lines); a long value is cut there, said so, and given whole in a section below."""
    rows: list[list[Any]] = []
    long: list[tuple[int, dict[str, Any], str, str]] = []
    for change in changes:
        row = [change["when"], change["who"], change["field"]]
        for side in ("from", "to"):
            value = change[side] or ""
            if len(value) > LONG_VALUE or "\n" in value:
                long.append((len(long) + 1, change, side, value))
                row.append(" ".join(value.split())[:60] + f"… (cut: whole value in [{len(long)}] below)")
            else:
                row.append(value)
        rows.append(row)
    if as_table:
        text = table(["When", "Who", "Field", "From", "To"], rows, limit=200)
    else:
        text = "\n".join(f"- {r[0]} {r[1] or 'Someone'}: {r[2]} {r[3] or '-'} → {r[4] or '-'}" for r in rows)
    if long:
        text += f"\n\n### Whole values ({whole})"
        for n, change, side, value in long:
            text += f"\n\n[{n}] {change['field']}, {side} ({change['when']}):\n\n" + _fenced(value)
    return text


def _fenced(value: str) -> str:
    fence = "~~~~" if "```" in value else "```"
    return f"{fence}\n{value}\n{fence}"


def get_issue(services: Services, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    fmt = args.get("format", "markdown")
    issue = services.jira.get_issue(key, fields=_field_ids(services, args.get("fields")), expand=",".join(args.get("expand") or []) or None)
    f = as_dict(issue.get("fields"))
    real_key = value_text(issue.get("key")) or key
    url = services.jira.browse_url(real_key)
    description = f.get("description")
    body = description if fmt == "adf" else guarded(to_markdown, description)
    tt = as_dict(f.get("timetracking"))
    parent = as_dict(f.get("parent"))
    custom: dict[str, str] = {}
    if any(k.startswith("customfield_") and f[k] not in (None, "", [], {}) for k in f):
        names = services.jira.field_names()
        for k, v in f.items():
            shown = _shown(v) if k.startswith("customfield_") else None
            if shown:
                custom[str(names.get(k) or k)] = shown
    pairs = [
        ("Project", guarded(_project, f.get("project"))),
        ("Type", guarded(name_of, f.get("issuetype"))),
        ("Status", guarded(name_of, f.get("status"))),
        ("Priority", guarded(name_of, f.get("priority"))),
        ("Assignee", guarded(name_of, f.get("assignee")) or ("Unassigned" if "assignee" in f else None)),
        ("Reporter", guarded(name_of, f.get("reporter"))),
        ("Labels", _shown(f.get("labels"))),
        ("Components", _shown(f.get("components"))),
        ("Affects versions", _shown(f.get("versions"))),
        ("Fix versions", _shown(f.get("fixVersions"))),
        ("Parent", guarded(_parent, parent)),
        ("Subtasks", guarded(lambda: ", ".join(str(as_dict(s).get("key", "")) for s in as_list(f.get("subtasks"))))),
        ("Links", guarded(_links, f)),
        ("Attachments", guarded(lambda: ", ".join(f"{as_dict(a).get('filename')} (id {as_dict(a).get('id')})" for a in as_list(f.get("attachment"))))),
        ("Watchers", as_dict(f.get("watches")).get("watchCount")),
        ("Created", stamp(f.get("created"))),
        ("Updated", stamp(f.get("updated"))),
        ("Due", _shown(f.get("duedate"))),
        ("Resolution", guarded(name_of, f.get("resolution"))),
        ("Resolved", stamp(f.get("resolutiondate"))),
        ("Estimate", _shown(tt.get("originalEstimate"))),
        ("Remaining", _shown(tt.get("remainingEstimate"))),
        ("Logged", _shown(tt.get("timeSpent"))),
        ("Environment", _shown(f.get("environment"))),
        ("Work log", guarded(_worklog, f.get("worklog"))),
    ]
    pairs += sorted(custom.items())
    lines = [f"# {real_key}: {value_text(f.get('summary')) or ''}", url, "", fields_block(pairs)]
    if fmt != "adf" and body:
        lines += ["", "## Description", "", str(body)]
    comment_field = f.get("comment")
    comments = [c for c in as_list(as_dict(comment_field).get("comments") if isinstance(comment_field, dict) else comment_field) if isinstance(c, dict)]
    total = as_dict(comment_field).get("total")
    total = total if isinstance(total, int) and total >= len(comments) else len(comments)
    if comments and fmt != "adf":
        last = comments[-5:]
        more = "; read them all with jira_get_comments" if total > len(last) else ""
        lines += ["", f"## Comments ({total} in all, the last {len(last)} shown{more})"]
        for c in last:
            lines += [
                "",
                f"**{guarded(person, c.get('author')) or 'Someone'}** ({stamp(c.get('created'))}, id {c.get('id')}):",
                guarded(to_markdown, c.get("body")) or "",
            ]
    changelog = as_dict(issue.get("changelog"))
    histories = as_list(changelog.get("histories"))
    if histories:
        changes = change_items(histories[-10:])
        every = changelog.get("total") if isinstance(changelog.get("total"), int) and changelog["total"] >= len(histories) else len(histories)
        lines += ["", f"## Changes (last {min(len(histories), 10)} of {every}; jira_get_changelog pages through all)"]
        lines.append(change_table(changes, "also in jira_get_changelog", as_table=False))
    text = "\n".join(lines)
    data: dict[str, Any] = {"key": real_key, "id": issue.get("id"), "url": url, "summary": f.get("summary")}
    data.update({k.lower().replace(" ", "_"): v for k, v in pairs if v not in (None, "", [])})
    if custom:
        data["custom_fields"] = custom
    data["comment_total"] = total
    data["description"] = body
    from ...content.nodes import too_deep

    if fmt == "adf" and too_deep(description, 200):  # structured output nests at most ~255 levels
        data["description"] = json.dumps(description, ensure_ascii=False, separators=(",", ":"))
    if fmt == "adf":
        text += "\n\n## Description (ADF)\n\n```json\n" + json.dumps(description, ensure_ascii=False, separators=(",", ":")) + "\n```"
    return Answer(bound(text, "ask for fewer fields"), data)


def _project(project: Any) -> str | None:
    if not isinstance(project, dict):
        return value_text(project)
    name, key = value_text(project.get("name")), value_text(project.get("key"))
    return f"{name} ({key})" if name and key else name or key


def _worklog(field: Any) -> str | None:
    """The last 3 work log entries (a list, or Jira's `{worklogs: [...], total}` page) in one line."""
    entries = records(as_dict(field).get("worklogs") if isinstance(field, dict) else field)
    if not entries:
        return None
    total = as_dict(field).get("total")
    total = total if isinstance(total, int) and total >= len(entries) else len(entries)
    shown = []
    for w in entries[-3:]:
        said = " ".join(str(guarded(to_markdown, w.get("comment")) or "").split())
        shown.append(
            f"{value_text(w.get('timeSpent')) or '?'} by {guarded(person, w.get('author')) or 'someone'} ({stamp(w.get('started'))[:10]}{guarded(_visibility, w) or ''})"
            + (f": {said}" if said else "")
        )
    more = f" ({total} in all; jira_get_worklogs lists them)" if total > len(shown) else ""
    return "; ".join(shown) + more


def _visibility(comment: dict[str, Any]) -> str:
    """`, visible to role Administrators` for a restricted comment."""
    seen = as_dict(comment.get("visibility"))
    name = value_text(seen.get("value")) or value_text(seen.get("identifier"))
    return f", visible to {value_text(seen.get('type')) or 'group'} {name}" if name else ""


def _parent(parent: dict[str, Any]) -> str | None:
    """The parent issue: key, summary, and its type and status when Jira nests them."""
    if not parent:
        return None
    pf = as_dict(parent.get("fields"))
    extra = ", ".join(x for x in (name_of(pf.get("issuetype")), name_of(pf.get("status"))) if x)
    text = f"{value_text(parent.get('key')) or ''} {value_text(pf.get('summary')) or ''}".strip()
    return f"{text} ({extra})" if extra else text


def read_issue_resource(services: Services, key: str) -> str:
    """The `jira://issue/{key}` resource: the issue as Markdown, as jira_get_issue shows it."""
    return get_issue(services, {"issue_key": key}).text


def get_changelog(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start_at", 0)
    page = services.jira.changelog(key, start_at=start, limit=args.get("limit", 20))
    values = as_list(page.get("values"))
    changes = change_items(values)
    total = page.get("total") if isinstance(page.get("total"), int) else None
    is_last = page.get("isLast") if isinstance(page.get("isLast"), bool) else None
    note, next_start = paging_note(start, len(values), total, is_last)
    text = f"No changes recorded on {key}." if not values else f"Changes to {key}:\n\n" + change_table(changes, "as Jira stores them") + note
    data = {"issue_key": key, "changes": changes, "total": total, "next_start_at": next_start}
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
