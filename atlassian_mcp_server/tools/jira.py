"""Jira tools: search and read issues."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInput
from ..render import bound, fields_block, name_of, table
from . import limit_param, text_param
from .registry import Answer, ToolSpec

ISSUE_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Issue key or id, e.g. PROJ-123."}
FIELDS = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 100}, "maxItems": 100, "description": "Field ids or names to return (default: the usual ones)."}


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


def search(services: Any, args: dict[str, Any]) -> Answer:
    jql = args["jql"]
    limit = args.get("limit") or args.get("max_results") or 50
    result = services.jira.search(
        jql, fields=args.get("fields"), limit=limit, next_page_token=args.get("next_page_token")
    )
    issues = result.get("issues") or []
    token = result.get("nextPageToken")
    is_last = result.get("isLast", token is None)
    if not issues:
        text = f"No issues match `{jql}`."
    else:
        text = table(["Key", "Type", "Status", "Priority", "Assignee", "Updated", "Summary"], (_issue_row(i) for i in issues))
        text = f"{len(issues)} issue(s) for `{jql}`:\n\n{text}"
    if not is_last and token:
        text += f"\n\nMore results: call again with next_page_token=\"{token}\"."
    data = {
        "issues": [
            dict(zip(("key", "type", "status", "priority", "assignee", "updated", "summary"), _issue_row(i)), url=services.jira.browse_url(i.get("key", "")))
            for i in issues
        ],
        "next_page_token": token if not is_last else None,
        "is_last": bool(is_last),
    }
    return Answer(bound(text, "narrow the JQL or lower limit"), data)




def _custom_value(value: Any) -> str | None:
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        parts = [_custom_value(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        if value.get("type") == "doc":
            from ..content import adf_to_markdown

            return " ".join(adf_to_markdown(value).split())
        return name_of(value, "displayName", "name", "value", "key", "id")
    return str(value)


def get_issue(services: Any, args: dict[str, Any]) -> Answer:
    key = args["issue_key"]
    fmt = args.get("format", "markdown")
    issue = services.jira.get_issue(key, fields=args.get("fields"), expand=",".join(args.get("expand") or []) or None)
    f = issue.get("fields") or {}
    real_key = issue.get("key", key)
    url = services.jira.browse_url(real_key)
    description = f.get("description")
    if fmt == "adf":
        body = description
    elif isinstance(description, dict):
        from ..content import adf_to_markdown

        body = adf_to_markdown(description)
    else:
        body = description or ""

    tt = f.get("timetracking") or {}
    links = []
    for link in f.get("issuelinks") or []:
        kind = link.get("type") or {}
        if "outwardIssue" in link:
            links.append(f"{kind.get('outward', 'relates to')} {link['outwardIssue'].get('key')}")
        elif "inwardIssue" in link:
            links.append(f"{kind.get('inward', 'relates to')} {link['inwardIssue'].get('key')}")
    parent = f.get("parent") or {}
    custom: dict[str, str] = {}
    if any(k.startswith("customfield_") and f[k] not in (None, "", [], {}) for k in f):
        names = services.jira.field_names()
        for k, v in f.items():
            if k.startswith("customfield_"):
                shown = _custom_value(v)
                if shown:
                    custom[names.get(k, k)] = shown

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
        ("Links", "; ".join(links)),
        ("Created", (f.get("created") or "")[:16].replace("T", " ")),
        ("Updated", (f.get("updated") or "")[:16].replace("T", " ")),
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
        from ..content import adf_to_markdown

        lines += ["", f"## Last comments ({len(comments[-5:])} of {(f.get('comment') or {}).get('total', len(comments))})"]
        for c in comments[-5:]:
            text = adf_to_markdown(c["body"]) if isinstance(c.get("body"), dict) else (c.get("body") or "")
            lines += ["", f"**{name_of(c.get('author')) or 'Someone'}** ({(c.get('created') or '')[:16].replace('T', ' ')}):", text]
    text = "\n".join(lines)
    data: dict[str, Any] = {"key": real_key, "id": issue.get("id"), "url": url, "summary": f.get("summary")}
    data.update({k.lower().replace(" ", "_"): v for k, v in pairs if v not in (None, "", [])})
    if custom:
        data["custom_fields"] = custom
    data["description"] = body
    if fmt == "adf":
        text += "\n\n## Description (ADF)\n\n```json\n" + _json(description) + "\n```"
    return Answer(bound(text, "ask for fewer fields"), data)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _check_jql(args: dict[str, Any]) -> None:
    if not args["jql"].strip():
        raise InvalidInput("jql must not be blank; e.g. 'project = PROJ AND statusCategory != Done'.")


def _search(services: Any, args: dict[str, Any]) -> Answer:
    _check_jql(args)
    return search(services, args)


TOOLSETS = {"jira_issues": "Find, read, create and edit Jira issues"}

TOOLS = [
    ToolSpec(
        name="jira_search",
        title="Search Jira issues",
        description="Find Jira issues with JQL, newest first unless the JQL orders otherwise. Answers a table; page with next_page_token.",
        handler=_search,
        module="jira",
        toolset="jira_issues",
        read_only=True,
        params={
            "jql": text_param("JQL, e.g. 'project = PROJ AND status = \"In Progress\" ORDER BY updated DESC'.", 4000),
            "fields": FIELDS,
            "limit": limit_param(50, 100, "issues"),
            "max_results": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Alias of limit."},
            "next_page_token": {"type": "string", "maxLength": 2000, "description": "Token from the previous page."},
        },
        required=("jql",),
    ),
    ToolSpec(
        name="jira_get_issue",
        title="Read a Jira issue",
        description="Read one Jira issue: status, people, dates, links, time tracking, custom fields by name, description as Markdown and the last comments.",
        handler=get_issue,
        module="jira",
        toolset="jira_issues",
        read_only=True,
        params={
            "issue_key": ISSUE_KEY,
            "fields": FIELDS,
            "expand": {"type": "array", "items": {"enum": ["changelog", "renderedFields", "names", "transitions"]}, "maxItems": 4, "description": "Extra sections to include."},
            "format": {"enum": ["markdown", "adf"], "default": "markdown", "description": "adf returns the raw description document."},
        },
        required=("issue_key",),
    ),
]
