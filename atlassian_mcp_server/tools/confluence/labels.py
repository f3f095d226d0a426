"""Confluence tools for labels."""

from __future__ import annotations

from functools import partial
from typing import Any

from ...render import bound, records, table
from .. import limit_param
from ..registry import Answer
from ._common import CURSOR, PAGE_ID, more, tool

LABEL = {"type": "string", "pattern": "^[^\\s:]{1,255}$", "description": "Label name, no spaces."}


def _label_rows(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": lab.get("id"), "name": lab.get("name"), "prefix": lab.get("prefix")} for lab in labels]


def get_page_labels(services: Any, args: dict[str, Any]) -> Answer:
    result = services.confluence.page_labels(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = _label_rows(records(result.get("results")))
    cursor = result.get("next_cursor")
    text = f"Labels on page {args['page_id']}: " + ", ".join(str(r["name"]) for r in rows) if rows else f"Page {args['page_id']} has no labels."
    return Answer(text + more(cursor, "labels"), {"labels": rows, "next_cursor": cursor})


def list_labels(services: Any, args: dict[str, Any]) -> Answer:
    result = services.confluence.labels(prefix=args.get("prefix"), limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = _label_rows(records(result.get("results")))
    cursor = result.get("next_cursor")
    text = table(["Name", "Prefix", "Id"], ([r["name"], r["prefix"], r["id"]] for r in rows)) if rows else "No labels found."
    return Answer(bound(text + more(cursor, "labels"), "lower limit"), {"labels": rows, "next_cursor": cursor})


def add_labels(services: Any, args: dict[str, Any]) -> Answer:
    page_id = args["page_id"]
    names = list(dict.fromkeys(n.lower() for n in args["labels"]))
    result = services.confluence.add_labels(page_id, names)
    now = [str(lab.get("name")) for lab in records((result or {}).get("results"))]
    data = {"page_id": page_id, "added": names, "labels": now}
    return Answer(f"Labelled page {page_id} with {', '.join(names)}; its labels are now: {', '.join(now) or '-'}.", data)


def remove_label(services: Any, args: dict[str, Any]) -> Answer:
    page_id, name = args["page_id"], args["label"]
    services.confluence.remove_label(page_id, name)
    return Answer(f"Removed label {name} from page {page_id}.", {"page_id": page_id, "removed": name})


_tool = partial(tool, "confluence_labels")

TOOLS = [
    _tool(
        "confluence_get_page_labels",
        "Read page labels",
        "List the labels on a page.",
        get_page_labels,
        {"page_id": PAGE_ID, "limit": limit_param(25, 250, "labels"), "cursor": CURSOR},
        ("page_id",),
        read_only=True,
    ),
    _tool(
        "confluence_list_labels",
        "List labels",
        "List the labels used on the site.",
        list_labels,
        {"limit": limit_param(25, 250, "labels"), "prefix": {"enum": ["global", "my", "team", "system"], "description": "Only this prefix."}, "cursor": CURSOR},
        read_only=True,
    ),
    _tool(
        "confluence_add_labels",
        "Label a page",
        "Add labels to a page, keeping its others.",
        add_labels,
        {"page_id": PAGE_ID, "labels": {"type": "array", "items": LABEL, "minItems": 1, "maxItems": 20, "description": "Label names (1-20)."}},
        ("page_id", "labels"),
        read_only=False,
        idempotent=True,
    ),
    _tool(
        "confluence_remove_label",
        "Remove a label",
        "Remove one label from a page.",
        remove_label,
        {"page_id": PAGE_ID, "label": LABEL},
        ("page_id", "label"),
        read_only=False,
        destructive=True,
        idempotent=True,
    ),
]
