"""Confluence tools that find content: words or CQL, titles, labels."""

from __future__ import annotations

import html
import re
from functools import partial
from typing import Any

from ...render import as_dict, bound, guarded, records, table, value_text
from .. import limit_param, text_param
from ..registry import Answer
from ._common import CURSOR, SPACE, more, tool, when

_CQL_CLAUSE = re.compile(
    r"\b(text|title|space(\.\w+)?|type|label|ancestor|parent|id|creator|contributor|created|lastmodified|mention|macro|content|favourite|watcher)"
    r"\s*(=|!=|~|!~|>=|<=|>|<|\s(not\s+)?in\s*\()",
    re.IGNORECASE,
)
_ORDER_BY = re.compile(r"\s+order\s+by\s+.*$", re.IGNORECASE | re.DOTALL)
HL, END_HL = "@@@hl@@@", "@@@endhl@@@"


def quote(value: str) -> str:
    """A CQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_cql(query: str) -> bool:
    return bool(_CQL_CLAUSE.search(query))


def build_cql(query: str, *, space_key: str | None = None, content_type: str | None = None) -> str:
    """Plain words become `text ~ "..."`; CQL stays as given; filters are ANDed before any ORDER BY."""
    query = query.strip()
    order = ""
    if is_cql(query):
        match = _ORDER_BY.search(query)
        if match:
            order, query = match.group(0), query[: match.start()]
        where = query
    else:
        where = f"text ~ {quote(query)}"
    filters = []
    if space_key:
        filters.append(f"space = {quote(space_key)}")
    if content_type:
        filters.append(f"type = {content_type}")
    if filters:
        where = " AND ".join([f"({where})" if is_cql(query) else where, *filters])
    return where + order


def excerpt_markdown(excerpt: str | None) -> str:
    """A v1 `highlight` excerpt (HTML-escaped, @@@hl@@@ markers) as one line of Markdown with bold hits."""
    text = (excerpt or "").replace(HL, "\x00").replace(END_HL, "\x01")
    text = " ".join(html.unescape(text).split())
    return text.replace("\x00", "**").replace("\x01", "**")


def plain_title(title: str | None) -> str:
    return html.unescape((title or "").replace(HL, "").replace(END_HL, ""))


def _search_answer(services: Any, cql: str, args: dict[str, Any], default_limit: int) -> Answer:
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
    return Answer(bound(text + more(cursor, "results"), "narrow the query or lower limit"), data)


def search(services: Any, args: dict[str, Any]) -> Answer:
    cql = build_cql(args["query"], space_key=args.get("space_key"), content_type=args.get("type"))
    return _search_answer(services, cql, args, 10)


def search_content(services: Any, args: dict[str, Any]) -> Answer:
    space_key = None
    if args.get("space_id"):
        space_key = args["space_id"]
        if space_key.isdigit():
            space_key = services.confluence.get_space(space_key).get("key")
    cql = build_cql(f"title ~ {quote(args['query'])}", space_key=space_key, content_type="page")
    return _search_answer(services, cql, args, 25)


def search_by_label(services: Any, args: dict[str, Any]) -> Answer:
    label = args["label_id"]
    client = services.confluence
    if not label.isdigit():
        return _search_answer(services, build_cql(f"label = {quote(label)}", content_type="page"), args, 25)
    result = client.label_pages(label, limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = [
        {"id": p.get("id"), "title": p.get("title"), "space_id": p.get("spaceId"), "url": client.web_url(p.get("_links"))}
        for p in records(result.get("results"))
    ]
    cursor = result.get("next_cursor")
    text = table(["Title", "Id", "Space id"], ([r["title"], r["id"], r["space_id"]] for r in rows)) if rows else f"No pages carry label {label}."
    return Answer(bound(text + more(cursor, "pages"), "lower limit"), {"pages": rows, "next_cursor": cursor})


_read = partial(tool, "confluence_search")

TOOLS = [
    _read(
        "confluence_search",
        "Search Confluence",
        "Search Confluence by words, or by CQL given as is (e.g. label = x AND space = ENG); results with excerpts.",
        search,
        {
            "query": text_param("Words, or a CQL query.", 2000),
            "space_key": {**SPACE, "description": "Only this space key."},
            "type": {"enum": ["page", "blogpost", "comment", "attachment"], "description": "Only this content type."},
            "limit": limit_param(10, 50),
            "cursor": CURSOR,
        },
        ("query",),
    ),
    _read(
        "confluence_search_content",
        "Find pages by title",
        "Find pages whose title contains these words.",
        search_content,
        {"query": text_param("Title words."), "space_id": SPACE, "limit": limit_param(25, 50), "cursor": CURSOR},
        ("query",),
    ),
    _read(
        "confluence_search_by_label",
        "Find pages by label",
        "List the pages carrying a label.",
        search_by_label,
        {"label_id": text_param("Label name or id."), "limit": limit_param(25, 50), "cursor": CURSOR},
        ("label_id",),
    ),
]
