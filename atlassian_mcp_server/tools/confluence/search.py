"""Confluence tools that find content: words or CQL, titles, labels."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from ...render import as_dict, bound, guarded, records, table, value_text
from ..params import CURSOR, cursor_note, page_size, text_param, when
from ..query import narrow, quote
from ..registry import Answer, ToolSpec
from ._common import MODULE, SPACE

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_search"

_CQL_CLAUSE = re.compile(
    r"\b(text|title|space(\.\w+)?|type|label|ancestor|parent|id|creator|contributor|created|lastmodified|mention|macro|content|favourite|watcher)"
    r"\s*(=|!=|~|!~|>=|<=|>|<|\s(not\s+)?in\s*\()",
    re.IGNORECASE,
)
HL, END_HL = "@@@hl@@@", "@@@endhl@@@"


def is_cql(query: str) -> bool:
    return bool(_CQL_CLAUSE.search(query))


def build_cql(query: str, *, space_key: str | None = None, content_type: str | None = None) -> str:
    """Plain words become `text ~ "..."`; CQL is only narrowed by the filters (tools/query.py), its ORDER BY kept last."""
    query = query.strip()
    words = "" if is_cql(query) else f"text ~ {quote(query)}"
    filters = (f"space = {quote(space_key)}" if space_key else "", f"type = {content_type}" if content_type else "")
    return narrow(None, words, *filters) if words else narrow(query, *filters)


def _title_cql(title: str, space_key: str | None) -> str:
    return narrow(None, f"title ~ {quote(title)}", f"space = {quote(space_key)}" if space_key else "", "type = page")


def excerpt_markdown(excerpt: str | None) -> str:
    """A v1 `highlight` excerpt (HTML-escaped, @@@hl@@@ markers) as one line of Markdown with bold hits."""
    text = (excerpt or "").replace(HL, "\x00").replace(END_HL, "\x01")
    text = " ".join(html.unescape(text).split())
    return text.replace("\x00", "**").replace("\x01", "**")


def plain_title(title: str | None) -> str:
    return html.unescape((title or "").replace(HL, "").replace(END_HL, ""))


def _search_answer(services: Services, cql: str, args: dict[str, Any], default_limit: int) -> Answer:
    client = services.confluence
    result = client.search(cql, limit=args.get("limit", default_limit), cursor=args.get("cursor"))
    rows = []
    for r in records(result.get("results")):
        content = as_dict(r.get("content"))
        space = as_dict(r.get("resultGlobalContainer"))
        rows.append(
            {
                "id": value_text(content.get("id")),
                "type": value_text(content.get("type") or r.get("entityType")),
                "title": plain_title(value_text(r.get("title") or content.get("title"))),
                "space": value_text(space.get("title")),
                "excerpt": guarded(excerpt_markdown, value_text(r.get("excerpt"))),
                "last_modified": value_text(r.get("lastModified")),
                "url": client.web_url({"webui": value_text(r.get("url")) or value_text(as_dict(content.get("_links")).get("webui"))}),
            }
        )
    cursor = result.get("next_cursor")
    total = result.get("totalSize") if isinstance(result.get("totalSize"), int) else None
    if not rows:
        text = f"Nothing matches `{cql}`."
    else:
        lines = [f"{len(rows)} of {total if total is not None else '?'} result(s) for `{cql}`:"]
        for r in rows:
            lines.append(f"- **{r['title']}** ({r['type']} {r['id']}, {r['space'] or '-'}, {when(r['last_modified'])[:10]}) {r['url'] or ''}".rstrip())
            if r["excerpt"]:
                lines.append(f"  > {r['excerpt']}")
        text = "\n".join(lines)
    data = {"cql": cql, "results": rows, "total": total, "next_cursor": cursor}
    return Answer(bound(text + cursor_note(cursor, "results"), "narrow the query or lower limit"), data)


def search(services: Services, args: dict[str, Any]) -> Answer:
    cql = build_cql(args["query"], space_key=args.get("space_key"), content_type=args.get("type"))
    return _search_answer(services, cql, args, 10)


def search_content(services: Services, args: dict[str, Any]) -> Answer:
    space_key = None
    if args.get("space_id"):
        space_key = args["space_id"]
        if space_key.isdigit():
            space_key = services.confluence.get_space(space_key).get("key")
    cql = _title_cql(args["query"], space_key)
    return _search_answer(services, cql, args, 25)


def search_by_label(services: Services, args: dict[str, Any]) -> Answer:
    label = args["label_id"]
    client = services.confluence
    if not label.isdigit():
        return _search_answer(services, narrow(None, f"label = {quote(label)}", "type = page"), args, 25)
    result = client.label_pages(label, limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = [
        {"id": p.get("id"), "title": p.get("title"), "space_id": p.get("spaceId"), "url": client.web_url(p.get("_links"))}
        for p in records(result.get("results"))
    ]
    cursor = result.get("next_cursor")
    text = table(["Title", "Id", "Space id"], ([r["title"], r["id"], r["space_id"]] for r in rows)) if rows else f"No pages carry label {label}."
    return Answer(bound(text + cursor_note(cursor, "pages"), "lower limit"), {"pages": rows, "next_cursor": cursor})


TOOLS = [
    ToolSpec(
        name="confluence_search",
        title="Search Confluence",
        description="Search Confluence by words, or by CQL given as is (e.g. label = x AND space = ENG); results with excerpts.",
        handler=search,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "query": text_param("Words, or a CQL query.", 2000),
            "space_key": {**SPACE, "description": "Only this space key."},
            "type": {"type": "string", "enum": ["page", "blogpost", "comment", "attachment"], "description": "Only this content type."},
            "limit": page_size(10, 50, "results"),
            "cursor": CURSOR,
        },
        required=("query",),
    ),
    ToolSpec(
        name="confluence_search_content",
        title="Find pages by title",
        description="Find pages whose title contains these words.",
        handler=search_content,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"query": text_param("Title words."), "space_id": SPACE, "limit": page_size(25, 50, "results"), "cursor": CURSOR},
        required=("query",),
    ),
    ToolSpec(
        name="confluence_search_by_label",
        title="Find pages by label",
        description="List the pages carrying a label.",
        handler=search_by_label,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"label_id": text_param("Label name or id."), "limit": page_size(25, 50, "results"), "cursor": CURSOR},
        required=("label_id",),
    ),
]
