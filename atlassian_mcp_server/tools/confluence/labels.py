"""Confluence tools for labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import bound, records, table
from ..params import CURSOR, cursor_note, page_size
from ..registry import Answer, ToolSpec
from ._common import MODULE, PAGE_ID

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_labels"

LABEL = {"type": "string", "pattern": "^[^\\s:]{1,255}$", "description": "Label name, no spaces."}


def _label_rows(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": lab.get("id"), "name": lab.get("name"), "prefix": lab.get("prefix")} for lab in labels]


def get_page_labels(services: Services, args: dict[str, Any]) -> Answer:
    result = services.confluence.page_labels(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = _label_rows(records(result.get("results")))
    cursor = result.get("next_cursor")
    text = f"Labels on page {args['page_id']}: " + ", ".join(str(r["name"]) for r in rows) if rows else f"Page {args['page_id']} has no labels."
    return Answer(text + cursor_note(cursor, "labels"), {"labels": rows, "next_cursor": cursor})


def list_labels(services: Services, args: dict[str, Any]) -> Answer:
    result = services.confluence.labels(prefix=args.get("prefix"), limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = _label_rows(records(result.get("results")))
    cursor = result.get("next_cursor")
    text = table(["Name", "Prefix", "Id"], ([r["name"], r["prefix"], r["id"]] for r in rows)) if rows else "No labels found."
    return Answer(bound(text + cursor_note(cursor, "labels"), "lower limit"), {"labels": rows, "next_cursor": cursor})


def add_labels(services: Services, args: dict[str, Any]) -> Answer:
    page_id = args["page_id"]
    names = list(dict.fromkeys(n.lower() for n in args["labels"]))
    result = services.confluence.add_labels(page_id, names)
    now = [str(lab.get("name")) for lab in records((result or {}).get("results"))]
    data = {"page_id": page_id, "added": names, "labels": now}
    return Answer(f"Labelled page {page_id} with {', '.join(names)}; its labels are now: {', '.join(now) or '-'}.", data)


def remove_label(services: Services, args: dict[str, Any]) -> Answer:
    page_id, name = args["page_id"], args["label"]
    services.confluence.remove_label(page_id, name)
    return Answer(f"Removed label {name} from page {page_id}.", {"page_id": page_id, "removed": name})


TOOLS = [
    ToolSpec(
        name="confluence_get_page_labels",
        title="Read page labels",
        description="List the labels on a page.",
        handler=get_page_labels,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "limit": page_size(25, 250, "labels"), "cursor": CURSOR},
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_list_labels",
        title="List labels",
        description="List the labels used on the site.",
        handler=list_labels,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "limit": page_size(25, 250, "labels"),
            "prefix": {"type": "string", "enum": ["global", "my", "team", "system"], "description": "Only this prefix."},
            "cursor": CURSOR,
        },
    ),
    ToolSpec(
        name="confluence_add_labels",
        title="Label a page",
        description="Add labels to a page, keeping its others.",
        handler=add_labels,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={"page_id": PAGE_ID, "labels": {"type": "array", "items": LABEL, "minItems": 1, "maxItems": 20, "description": "Label names (1-20)."}},
        required=("page_id", "labels"),
    ),
    ToolSpec(
        name="confluence_remove_label",
        title="Remove a label",
        description="Remove one label from a page.",
        handler=remove_label,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"page_id": PAGE_ID, "label": LABEL},
        required=("page_id", "label"),
    ),
]
