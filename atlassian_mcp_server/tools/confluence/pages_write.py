"""Confluence tools that create, edit, move and delete pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ..params import text_param
from ..registry import Answer, ToolSpec
from ._common import CONTENT_FORMAT, MODULE, PAGE_ID, SPACE, VERSION, content_param, outgoing_body, write_answer

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_pages"


def create_page(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    parent = args.get("parent_id")
    body = outgoing_body(args["content"], args.get("content_format", "markdown"))
    if args.get("space_key"):
        space_id = client.space_id(args["space_key"])
    elif parent:
        space_id = str(client.get_page(parent, body_format=None, include_labels=False).get("spaceId"))
    else:
        raise InvalidInput("Give space_key (or parent_id) to say where the page goes.")
    page = client.create_page(space_id, args["title"], body, parent_id=parent)
    return Answer(*write_answer("Created", services, page))


def update_page(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    page_id = args["page_id"]
    body = kept_body(services, args) if args.get("content_format", "markdown") == "markdown" else outgoing_body(args["content"], args["content_format"])
    based_on = args.get("version")
    title = args.get("title")
    if based_on is None or not title:
        current = client.get_page(page_id, body_format=None, include_labels=False)
        number = (current.get("version") or {}).get("number") or 0
        if based_on is not None and based_on != number:
            client.raise_conflict(page_id, based_on, current.get("version"))
        based_on = number if based_on is None else based_on
        title = title or current.get("title")
    page = client.update_page(page_id, title=title, body=body, version=based_on + 1, message=args.get("version_message"), based_on=based_on)
    return Answer(*write_answer("Updated", services, page))


def kept_body(services: Services, args: dict[str, Any]) -> dict[str, str]:
    """The ADF body for Markdown edited from the page's current version, keeping every node Markdown
    cannot hold (sent back byte for byte when nothing changed); refused when something would be lost."""
    from ... import content

    markdown, page_id = args["content"], args["page_id"]
    if not isinstance(markdown, str):
        raise InvalidInput("content must be Markdown text unless content_format is adf.")
    current = services.confluence.get_page(page_id, body_format="atlas_doc_format", include_labels=False)
    raw = (((current.get("body") or {}).get("atlas_doc_format")) or {}).get("value") or ""
    try:
        doc = json.loads(raw) if raw else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        return outgoing_body(markdown, "markdown")
    written, lost = content.write_back(markdown, doc)
    if lost and not args.get("allow_loss"):
        raise InvalidInput(
            content.refusal(f"page {page_id}", lost, "edit only the section you mean with confluence_update_page_section, send content_format=adf")
        )
    if written is doc:
        return {"representation": "atlas_doc_format", "value": raw}
    return {"representation": "atlas_doc_format", "value": json.dumps(written, ensure_ascii=False)}


def update_section(services: Services, args: dict[str, Any]) -> Answer:
    """Read-modify-write of one heading's section; every other byte of the page is sent back as read."""
    from ... import content

    client = services.confluence
    page_id, heading, fmt = args["page_id"], args["heading"], args.get("content_format", "markdown")
    via_adf = fmt == "adf"
    page = client.get_page(page_id, body_format="atlas_doc_format" if via_adf else "storage", include_labels=False)
    version = page.get("version") or {}
    number = version.get("number") or 0
    if args.get("version") is not None and args["version"] != number:
        client.raise_conflict(page_id, args["version"], version)
    raw = ((page.get("body") or {}).get("atlas_doc_format" if via_adf else "storage") or {}).get("value") or ""
    try:
        if via_adf:
            new_part = json.loads(outgoing_body(args["content"], "adf")["value"])
            updated = content.replace_section_adf(json.loads(raw), heading, new_part.get("content") or [])
            body = outgoing_body(updated, "adf")
        else:
            text = args["content"]
            if not isinstance(text, str):
                raise InvalidInput("content must be text unless content_format is adf.")
            if fmt == "markdown" and content.placeholders_in(text):
                raise InvalidInput(
                    "This section content holds <!--adf:...--> placeholders, which a section edit cannot restore; "
                    "edit the whole page with confluence_update_page (which restores them), or leave those lines out."
                )
            new_part = text if fmt == "storage" else content.markdown_to_storage(text)
            body = {"representation": "storage", "value": content.replace_section_storage(raw, heading, new_part)}
    except (LookupError, ValueError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(f"Cannot edit section {heading!r} of page {page_id}: {exc}") from exc
    updated_page = client.update_page(page_id, title=page.get("title"), body=body, version=number + 1, message=args.get("version_message"), based_on=number)
    return Answer(*write_answer("Updated", services, updated_page, section=heading))


def move_page(services: Services, args: dict[str, Any]) -> Answer:
    page_id, target, position = args["page_id"], args["target_id"], args.get("position", "append")
    services.confluence.move_page(page_id, position, target)
    where = {"append": "a child of", "before": "the sibling just before", "after": "the sibling just after"}[position]
    return Answer(f"Moved page {page_id}: it is now {where} page {target}.", {"id": page_id, "target_id": target, "position": position})


def delete_page(services: Services, args: dict[str, Any]) -> Answer:
    page_id = args["page_id"]
    services.confluence.delete_page(page_id)
    return Answer(f"Deleted page {page_id}: it is in the space's trash, where a space admin can restore it.", {"id": page_id, "deleted": True})


VERSION_MESSAGE = text_param("History note.", 500)
ALLOW_LOSS = {"type": "boolean", "description": "Write even if nodes would be lost."}

TOOLS = [
    ToolSpec(
        name="confluence_create_page",
        title="Create a page",
        description="Create a page in a space, optionally under a parent page.",
        handler=create_page,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=False,
        params={
            "space_key": {**SPACE, "description": "Space key or id (default: the parent's)."},
            "title": text_param("Page title."),
            "content": content_param("Page body"),
            "parent_id": {**PAGE_ID, "description": "Parent page id."},
            "content_format": CONTENT_FORMAT,
        },
        required=("title", "content"),
    ),
    ToolSpec(
        name="confluence_update_page",
        title="Replace a page's body",
        description="Replace a page's whole body (and title); never overwrites a newer edit by someone else.",
        handler=update_page,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=False,
        params={
            "page_id": PAGE_ID,
            "content": content_param("New body"),
            "title": text_param("New title."),
            "version": VERSION,
            "content_format": CONTENT_FORMAT,
            "version_message": VERSION_MESSAGE,
            "allow_loss": ALLOW_LOSS,
        },
        required=("page_id", "content"),
    ),
    ToolSpec(
        name="confluence_update_page_section",
        title="Edit one section of a page",
        description="Replace the content under one heading, leaving the rest of the page (macros too) byte for byte.",
        handler=update_section,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=False,
        params={
            "page_id": PAGE_ID,
            "heading": text_param("The heading's text."),
            "content": content_param("New section body, no heading"),
            "version": VERSION,
            "content_format": CONTENT_FORMAT,
        },
        required=("page_id", "heading", "content"),
    ),
    ToolSpec(
        name="confluence_move_page",
        title="Move a page",
        description="Move a page and its children under, before or after another page, in any space.",
        handler=move_page,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={
            "page_id": PAGE_ID,
            "target_id": {**PAGE_ID, "description": "Page to move it to."},
            "position": {"enum": ["append", "before", "after"], "default": "append", "description": "append = last child of target."},
        },
        required=("page_id", "target_id"),
    ),
    ToolSpec(
        name="confluence_delete_page",
        title="Delete a page",
        description="Delete a page (it goes to the space's trash).",
        handler=delete_page,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"page_id": PAGE_ID},
        required=("page_id",),
    ),
]
