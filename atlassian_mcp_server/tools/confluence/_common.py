"""Shared pieces of the Confluence tools: parameter schemas, body formats, the answer of a page write."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, guarded

if TYPE_CHECKING:
    from ...services import Services

MODULE = "confluence"

PAGE_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Numeric page id."}
COMMENT_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Comment id."}
SPACE = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Space key or id."}
READ_FORMAT = {"type": "string", "enum": ["markdown", "adf", "storage"], "default": "markdown", "description": "markdown, or raw adf/storage."}
CONTENT_FORMAT = {"type": "string", "enum": ["markdown", "adf", "storage"], "default": "markdown", "description": "markdown, adf (JSON) or storage (XHTML)."}
VERSION = {"type": "integer", "minimum": 1, "description": "Version you read; refused if the page changed since."}


def content_param(what: str) -> dict[str, Any]:
    return {"type": "string", "maxLength": 1_000_000, "description": f"{what}, as content_format says (adf: the JSON document)."}


def wire_format(fmt: str) -> str:
    """The Confluence body-format a read format is fetched in."""
    return "storage" if fmt == "storage" else "atlas_doc_format"


def body_text(obj: dict[str, Any], fmt: str) -> str:
    """The body of a page/comment/version as Markdown, or the raw value for adf/storage."""
    wire = wire_format(fmt)
    raw = as_dict(as_dict(obj.get("body")).get(wire)).get("value") or ""
    if not isinstance(raw, str):  # a site that inlines the document instead of its JSON text
        raw = json.dumps(raw, ensure_ascii=False)
    if fmt != "markdown":
        return raw
    if not raw:
        return ""
    from ...content import adf_to_markdown

    return str(guarded(lambda: adf_to_markdown(json.loads(raw))))


def outgoing_body(content: Any, content_format: str) -> dict[str, str]:
    """The `body` of a write: Markdown becomes ADF; adf is validated first; storage passes through."""
    if content_format == "storage":
        if not isinstance(content, str):
            raise InvalidInput("content must be XHTML text when content_format is storage.")
        return {"representation": "storage", "value": content}
    from ...content import markdown_to_adf, validate_adf

    if content_format == "adf":
        doc = content
        if isinstance(content, str):
            try:
                doc = json.loads(content)
            except ValueError as exc:
                raise InvalidInput(f"content is not a JSON ADF document ({exc}); send the document object.") from exc
        try:
            validate_adf(doc)
        except ValueError as exc:
            raise InvalidInput(f"content is not valid ADF: {exc}") from exc
    else:
        if not isinstance(content, str):
            raise InvalidInput("content must be Markdown text unless content_format is adf.")
        doc = markdown_to_adf(content)
    return {"representation": "atlas_doc_format", "value": json.dumps(doc, ensure_ascii=False)}


def write_answer(verb: str, services: Services, page: dict[str, Any], **extra: Any) -> tuple[str, dict[str, Any]]:
    """What a page write answers: id, title, version and URL, not the page."""
    data = {
        "id": page.get("id"),
        "title": page.get("title"),
        "version": as_dict(page.get("version")).get("number"),
        "space_id": page.get("spaceId"),
        "parent_id": page.get("parentId"),
        "url": services.confluence.web_url(page.get("_links")),
        **extra,
    }
    text = f"{verb} page **{data['title']}** (id {data['id']}, version {data['version']})"
    return text + (f": {data['url']}" if data["url"] else "."), data


def template_body(services: Services, template_id: str) -> dict[str, str]:
    """The storage body of a page template (confluence_list_templates), as a page write's `body`."""
    found = services.confluence.template(template_id)
    value = (((found.get("body") or {}).get("storage")) or {}).get("value")
    if not isinstance(value, str):
        raise InvalidInput(f"Template {template_id} has no page body to copy; choose another with confluence_list_templates.")
    return {"representation": "storage", "value": value}
