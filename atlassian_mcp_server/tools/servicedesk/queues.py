"""JSM queues (an agent's work lists) and knowledge base search."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ...render import as_dict, bound, cell, name_of, records, stamp, table, value_text
from ..params import last_page_note, page_size, pick, text_param
from ..registry import Answer, ToolSpec
from ._common import DESK, ID_TYPES, MODULE, START, resolve_desk, text

if TYPE_CHECKING:
    from ...services import Services

_HIGHLIGHT = re.compile(r"@@@hl@@@(.*?)@@@endhl@@@", re.S)
_TAG = re.compile(r"<[^>]+>")


def list_queues(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    desk = resolve_desk(services, args["service_desk_id"])
    result = services.servicedesk.queues(desk, start=start, limit=args.get("limit", 50))
    queues = [{"id": q.get("id"), "name": q.get("name"), "count": q.get("issueCount"), "jql": q.get("jql")} for q in records(result.get("values"))]
    if not queues:
        return Answer(f"Service desk {desk} has no queues you can see.", {"queues": [], "next_start": None})
    note, next_start = last_page_note(result, start, len(queues), "queues")
    text_ = table(["Id", "Name", "Requests"], ([q["id"], q["name"], q["count"]] for q in queues)) + note
    return Answer(text_, {"service_desk_id": desk, "queues": queues, "next_start": next_start})


def get_queue_issues(services: Services, args: dict[str, Any]) -> Answer:
    sd, start = services.servicedesk, args.get("start", 0)
    desk = resolve_desk(services, args["service_desk_id"])
    queue = text(args["queue_id"])
    if not queue.isdigit():
        queue = str(pick(records(sd.queues(desk, limit=100).get("values")), queue, "queue")["id"])
    result = sd.queue_issues(desk, queue, start=start, limit=args.get("limit", 50))
    issues = []
    for issue in records(result.get("values")):
        f = as_dict(issue.get("fields"))
        issues.append(
            {
                "key": issue.get("key"),
                "status": name_of(f.get("status")),
                "priority": name_of(f.get("priority")),
                "assignee": name_of(f.get("assignee")),
                "reporter": name_of(f.get("reporter")),
                "created": stamp(f.get("created")) or None,
                "summary": f.get("summary"),
                "url": sd.request_url(issue.get("key", "")),
            }
        )
    if not issues:
        return Answer(f"Queue {queue} is empty.", {"queue_id": queue, "issues": [], "next_start": None})
    rows = ([i["key"], i["status"], i["priority"], i["assignee"] or "Unassigned", i["created"], i["summary"]] for i in issues)
    note, next_start = last_page_note(result, start, len(issues), "requests in this queue")
    text_ = table(["Key", "Status", "Priority", "Assignee", "Created", "Summary"], rows) + note
    return Answer(bound(text_, "lower limit and page with start"), {"queue_id": queue, "issues": issues, "next_start": next_start})


def excerpt_markdown(excerpt: str, bold: bool = True) -> str:
    """A knowledge base excerpt as Markdown: highlighted terms in bold, tags dropped, entities decoded."""
    marked = _HIGHLIGHT.sub(lambda m: f"**{m.group(1)}**" if bold else m.group(1), excerpt or "")
    return " ".join(html.unescape(_TAG.sub("", marked)).split())


def _cursor(result: dict[str, Any]) -> str | None:
    nxt = as_dict(result.get("_links")).get("next")
    if not nxt or result.get("isLastPage", True):
        return None
    values = parse_qs(urlsplit(nxt).query).get("cursor")
    return values[0] if values else None


def search_knowledge_base(services: Services, args: dict[str, Any]) -> Answer:
    query = args["query"]
    desk = resolve_desk(services, args["service_desk_id"]) if args.get("service_desk_id") is not None else None
    result = services.servicedesk.search_articles(query, desk=desk, cursor=args.get("cursor"), limit=args.get("limit", 10))
    articles = []
    for a in records(result.get("values")):
        source = as_dict(a.get("source"))
        articles.append(
            {
                "title": excerpt_markdown(value_text(a.get("title")) or "", bold=False),
                "excerpt": excerpt_markdown(value_text(a.get("excerpt")) or ""),
                "page_id": source.get("pageId"),
                "space_key": source.get("spaceKey"),
                "url": as_dict(a.get("content")).get("iframeSrc"),
            }
        )
    if not articles:
        return Answer(f"No knowledge base articles match {query!r}.", {"articles": [], "cursor": None})
    blocks = []
    for n, a in enumerate(articles, 1):
        where = f" (Confluence page {a['page_id']} in space {a['space_key']})" if a["page_id"] else ""
        blocks.append(f"{n}. **{a['title']}**{where}\n   {cell(a['excerpt'], 400)}\n   {a['url'] or ''}".rstrip())
    cursor = _cursor(result)
    text_ = f"Knowledge base articles for {query!r}:\n\n" + "\n".join(blocks)
    if any(a["page_id"] for a in articles):
        text_ += "\n\nRead a whole article with confluence_get_page and its page id."
    if cursor:
        text_ += f'\n\nMore articles: call again with cursor="{cursor}".'
    return Answer(bound(text_, "lower limit"), {"articles": articles, "cursor": cursor})


TOOLS = [
    ToolSpec(
        name="servicedesk_list_queues",
        title="List queues",
        description="List a service desk's queues (agents' work lists): id, name, count.",
        handler=list_queues,
        module=MODULE,
        toolset="servicedesk_queues",
        read_only=True,
        params={"service_desk_id": DESK, "limit": page_size(50), "start": START},
        required=("service_desk_id",),
    ),
    ToolSpec(
        name="servicedesk_get_queue_issues",
        title="Requests in a queue",
        description="List the requests in a queue, in queue order.",
        handler=get_queue_issues,
        module=MODULE,
        toolset="servicedesk_queues",
        read_only=True,
        params={
            "service_desk_id": DESK,
            "queue_id": {"type": ID_TYPES, "maxLength": 255, "description": "Queue id or name."},
            "limit": page_size(50),
            "start": START,
        },
        required=("service_desk_id", "queue_id"),
    ),
    ToolSpec(
        name="servicedesk_search_knowledge_base",
        title="Search the knowledge base",
        description="Search knowledge base articles: titles, excerpts and Confluence page ids.",
        handler=search_knowledge_base,
        module=MODULE,
        toolset="servicedesk_knowledge_base",
        read_only=True,
        params={
            "query": text_param("Words to look for."),
            "service_desk_id": DESK,
            "limit": page_size(10, 50),
            "cursor": {"type": "string", "maxLength": 2000, "description": "From the previous page."},
        },
        required=("query",),
    ),
]
