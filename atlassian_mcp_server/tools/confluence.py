"""Confluence tools: read pages and spaces."""

from __future__ import annotations

import json
from typing import Any

from ..render import bound, fields_block, table
from . import limit_param
from .registry import Answer, ToolSpec

PAGE_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Numeric page id, e.g. 123456."}
CURSOR = {"type": "string", "maxLength": 2000, "description": "Cursor from the previous page."}


def get_page(services: Any, args: dict[str, Any]) -> Answer:
    fmt = args.get("format", "markdown")
    wire = "storage" if fmt == "storage" else "atlas_doc_format"
    page = services.confluence.get_page(args["page_id"], body_format=wire)
    body_obj = (page.get("body") or {}).get(wire) or {}
    raw = body_obj.get("value") or ""
    if fmt == "markdown":
        from ..content import adf_to_markdown

        body = adf_to_markdown(json.loads(raw)) if raw else ""
    else:
        body = raw
    version = page.get("version") or {}
    labels = [label.get("name") for label in ((page.get("labels") or {}).get("results") or [])]
    url = services.confluence.web_url(page.get("_links"))
    data = {
        "id": page.get("id"),
        "title": page.get("title"),
        "space_id": page.get("spaceId"),
        "parent_id": page.get("parentId"),
        "status": page.get("status"),
        "version": version.get("number"),
        "last_modified": version.get("createdAt"),
        "labels": labels,
        "url": url,
        "format": fmt,
        "body": body,
    }
    head = fields_block(
        [
            ("Id", data["id"]),
            ("Space id", data["space_id"]),
            ("Parent id", data["parent_id"]),
            ("Version", data["version"]),
            ("Last modified", (data["last_modified"] or "")[:16].replace("T", " ")),
            ("Labels", ", ".join(l for l in labels if l)),
            ("URL", url),
        ]
    )
    fence = "" if fmt == "markdown" else ("```json" if fmt == "adf" else "```xml")
    text = f"# {data['title']}\n{head}\n\n"
    text += f"{fence}\n{body}\n```" if fence else body
    return Answer(bound(text, "read the page in parts with confluence_update_page_section's headings, or use format=storage"), data)


def list_spaces(services: Any, args: dict[str, Any]) -> Answer:
    result = services.confluence.list_spaces(
        limit=args.get("limit", 25),
        space_type=args.get("space_type"),
        status=args.get("status", "current"),
        cursor=args.get("cursor"),
    )
    spaces = result.get("results") or []
    rows = [
        {
            "id": s.get("id"),
            "key": s.get("key"),
            "name": s.get("name"),
            "type": s.get("type"),
            "status": s.get("status"),
            "url": services.confluence.web_url(s.get("_links")),
        }
        for s in spaces
    ]
    text = table(["Key", "Name", "Type", "Id"], ([r["key"], r["name"], r["type"], r["id"]] for r in rows)) if rows else "No spaces found."
    cursor = result.get("next_cursor")
    if cursor:
        text += f'\n\nMore spaces: call again with cursor="{cursor}".'
    return Answer(bound(text, "lower limit"), {"spaces": rows, "next_cursor": cursor})


TOOLSETS = {"confluence_pages": "Find and read Confluence pages and spaces"}

TOOLS = [
    ToolSpec(
        name="confluence_get_page",
        title="Read a Confluence page",
        description="Read a Confluence page by id: title, version, labels, URL and body as Markdown (format adf/storage gives the raw body for lossless edits).",
        handler=get_page,
        module="confluence",
        toolset="confluence_pages",
        read_only=True,
        params={
            "page_id": PAGE_ID,
            "format": {"enum": ["markdown", "adf", "storage"], "default": "markdown", "description": "Body format."},
        },
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_list_spaces",
        title="List Confluence spaces",
        description="List Confluence spaces you can see, with key, name, type and id; page with cursor.",
        handler=list_spaces,
        module="confluence",
        toolset="confluence_pages",
        read_only=True,
        params={
            "limit": limit_param(25, 250, "spaces"),
            "space_type": {"enum": ["global", "personal", "collaboration", "knowledge_base"], "description": "Only this type."},
            "status": {"enum": ["current", "archived"], "default": "current", "description": "Space status."},
            "cursor": CURSOR,
        },
    ),
]
