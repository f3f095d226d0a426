"""atlassian_search: one query over Jira and Confluence, run in parallel, merged into one ranked list."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..calls import report_progress
from ..errors import ApiError, AtlassianError, InvalidInput
from ..render import as_dict, bound, cell, guarded, records, stamp, table, value_text
from .query import narrow, quote
from .registry import Answer, ToolSpec

if TYPE_CHECKING:
    from ..services import Services

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _jira_filters(projects: list[str], since: str | None) -> list[str]:
    return [("project in (" + ", ".join(quote(p) for p in projects) + ")") if projects else "", f"updated >= {quote(since)}" if since else ""]


def _confluence_filters(spaces: list[str], since: str | None) -> list[str]:
    return [("space in (" + ", ".join(quote(s) for s in spaces) + ")") if spaces else "", f"lastmodified >= {quote(since)}" if since else ""]


def build_jql(query: str | None, projects: list[str], since: str | None, jql: str | None = None) -> str:
    """The user's JQL (or plain words) narrowed by the project and date filters (tools/query.py)."""
    words = f"text ~ {quote(query)}" if query and not jql else ""
    return narrow(jql, words, *_jira_filters(projects, since), default_order="ORDER BY updated DESC")


def build_cql(query: str | None, spaces: list[str], since: str | None, cql: str | None = None) -> str:
    """The user's CQL (or plain words, pages and blog posts) narrowed by the space and date filters."""
    words = f"text ~ {quote(query)}" if query and not cql else ""
    kinds = "" if cql else "type in (page, blogpost)"
    return narrow(cql, words, kinds, *_confluence_filters(spaces, since), default_order="ORDER BY lastmodified DESC")


def _jira(services: Services, jql: str, limit: int, token: str | None) -> tuple[list[dict[str, Any]], str | None]:
    from ..content import adf_to_markdown

    result = services.jira.search(jql, fields=["summary", "status", "updated", "issuetype", "description"], limit=limit, next_page_token=token)
    items = []
    for issue in records(result.get("issues")):
        f = as_dict(issue.get("fields"))
        description = f.get("description")
        excerpt = str(guarded(adf_to_markdown, description) if isinstance(description, dict) else (value_text(description) or ""))
        key = value_text(issue.get("key")) or ""
        items.append(
            {
                "product": "jira",
                "id": key,
                "title": value_text(f.get("summary")) or "",
                "where": value_text(as_dict(f.get("status")).get("name")) or "",
                "updated": stamp(f.get("updated"))[:10],
                "url": services.jira.browse_url(key),
                "excerpt": " ".join(excerpt.split())[:160],
            }
        )
    more = None if result.get("isLast", True) else result.get("nextPageToken")
    return items, more


def _confluence(services: Services, cql: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    from ..content import storage_to_markdown

    result = services.confluence.search(cql, limit=limit, cursor=cursor)
    items = []
    for hit in records(result.get("results")):
        content = as_dict(hit.get("content"))
        container = as_dict(hit.get("resultGlobalContainer"))
        links = as_dict(content.get("_links"))
        items.append(
            {
                "product": "confluence",
                "id": value_text(content.get("id")) or "",
                "title": value_text(content.get("title") or hit.get("title")) or "",
                "where": value_text(container.get("title")) or "",
                "updated": stamp(hit.get("lastModified"))[:10],
                "url": services.confluence.web_url(links) or (services.confluence.site_url + "/wiki" + hit["url"] if isinstance(hit.get("url"), str) else None),
                "excerpt": " ".join(str(guarded(storage_to_markdown, value_text(hit.get("excerpt")) or "")).split())[:160],
            }
        )
    return items, result.get("next_cursor")


def _score(item: dict[str, Any], words: list[str]) -> tuple[int, str]:
    title = item["title"].lower()
    hits = sum(1 for w in words if w in title)
    exact = 1 if words and " ".join(words) in title else 0
    return (exact * 2 + (1 if words and hits == len(words) else 0), item["updated"])


def search_everywhere(services: Services, args: dict[str, Any]) -> Answer:
    settings = services.settings
    query = (args.get("query") or "").strip() or None
    since = args.get("updated_since")
    if since and not _DATE.match(since):
        raise InvalidInput("updated_since must be a date like 2026-11-01.")
    wanted = args.get("products") or ["jira", "confluence"]
    enabled = {"jira": "jira" in settings.modules, "confluence": "confluence" in settings.modules}
    jql = build_jql(query, args.get("projects") or [], since, args.get("jql")) if query or args.get("jql") or args.get("projects") or since else None
    cql = build_cql(query, args.get("spaces") or [], since, args.get("cql")) if query or args.get("cql") or args.get("spaces") or since else None
    if not (jql or cql) or (not query and not args.get("jql") and not args.get("cql") and not since and not args.get("projects") and not args.get("spaces")):
        raise InvalidInput("Give query (plain words), or jql / cql, or at least one filter (projects, spaces, updated_since).")
    limit = args.get("limit", 10)
    notes: list[str] = []
    jobs: dict[str, Callable[[], tuple[list[dict[str, Any]], str | None]]] = {}
    for product in ("jira", "confluence"):
        if product not in wanted:
            continue
        if not enabled[product]:
            notes.append(f"{product.title()} is not enabled (ATLASSIAN_MODULES), so it was not searched.")
        elif product == "jira":
            jobs["jira"] = lambda: _jira(services, jql, limit, args.get("jira_next_page_token"))  # type: ignore[arg-type]
        else:
            jobs["confluence"] = lambda: _confluence(services, cql, limit, args.get("confluence_cursor"))  # type: ignore[arg-type]

    results: dict[str, tuple[list[dict[str, Any]], str | None]] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        futures = {name: pool.submit(contextvars.copy_context().run, job) for name, job in jobs.items()}
        for done, (name, future) in enumerate(futures.items(), start=1):
            label = name.title()
            try:
                results[name] = future.result()
                report_progress(done, len(futures), f"{label} searched")
            except ApiError as exc:
                if exc.status == 404:
                    notes.append(f"{label} is not available on this site (404), so only the other product was searched.")
                else:
                    notes.append(f"{label} search failed: {exc}")
            except AtlassianError as exc:
                notes.append(f"{label} search failed: {exc}")
    if jobs and not results:
        raise AtlassianError(" ".join(notes) or "Both searches failed.")

    words = [w.lower() for w in (query or "").split()]
    merged = [item for items, _ in results.values() for item in items]
    merged.sort(key=lambda item: _score(item, words), reverse=True)
    cursors = {name: more for name, (_, more) in results.items()}
    rows = [[i["product"], i["id"], i["title"], i["where"], i["updated"], i["excerpt"]] for i in merged]
    text = table(["Product", "Key/Id", "Title", "Status/Space", "Updated", "Excerpt"], rows) if rows else "Nothing found."
    links = "\n".join(f"- {cell(i['id'])}: {i['url']}" for i in merged if i.get("url"))
    if links:
        text += "\n\n" + links
    if cursors.get("jira"):
        text += f'\n\nMore Jira results: call again with jira_next_page_token="{cursors["jira"]}".'
    if cursors.get("confluence"):
        text += f'\n\nMore Confluence results: call again with confluence_cursor="{cursors["confluence"]}".'
    if notes:
        text += "\n\n" + "\n".join(f"Note: {n}" for n in notes)
    data = {
        "results": merged,
        "jql": jql if "jira" in results else None,
        "cql": cql if "confluence" in results else None,
        "jira_next_page_token": cursors.get("jira"),
        "confluence_cursor": cursors.get("confluence"),
        "notes": notes,
    }
    return Answer(bound(text, "narrow the query or lower limit"), data)


_LIST = {"type": "array", "items": {"type": "string", "maxLength": 255}, "maxItems": 20}

TOOLS = [
    ToolSpec(
        name="atlassian_search",
        title="Search Jira and Confluence",
        description="Search Jira issues and Confluence pages at once with plain words (or JQL/CQL); one ranked list with links and excerpts.",
        handler=search_everywhere,
        module="atlassian",
        toolset="atlassian_search",
        read_only=True,
        modules_any=("jira", "confluence"),
        params={
            "query": {"type": "string", "maxLength": 500, "description": "Plain words."},
            "products": {"type": "array", "items": {"type": "string", "enum": ["jira", "confluence"]}, "description": "Default both."},
            "jql": {"type": "string", "maxLength": 4000, "description": "JQL; projects and updated_since narrow it."},
            "cql": {"type": "string", "maxLength": 4000, "description": "CQL; spaces and updated_since narrow it."},
            "projects": {**_LIST, "description": "Jira project keys."},
            "spaces": {**_LIST, "description": "Space keys."},
            "updated_since": {"type": "string", "maxLength": 10, "description": "YYYY-MM-DD."},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10, "description": "Per product."},
            "jira_next_page_token": {"type": "string", "maxLength": 2000, "description": "From the last answer."},
            "confluence_cursor": {"type": "string", "maxLength": 2000, "description": "From the last answer."},
        },
    ),
]
