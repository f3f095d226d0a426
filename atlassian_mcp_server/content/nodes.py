"""Small shared facts about ADF nodes: builders, plain text, allowed children."""

from __future__ import annotations

import uuid
from typing import Any

INLINE_TYPES = frozenset(
    {
        "text",
        "hardBreak",
        "mention",
        "emoji",
        "date",
        "status",
        "inlineCard",
        "placeholder",
        "inlineExtension",
        "mediaInline",
    }
)

# Child block types the Markdown converter may put in each container (a subset of the schema).
_COMMON = {"paragraph", "bulletList", "orderedList", "codeBlock", "mediaSingle"}
ALLOWED = {
    "doc": _COMMON
    | {
        "heading",
        "taskList",
        "decisionList",
        "blockquote",
        "rule",
        "panel",
        "table",
        "expand",
        "mediaGroup",
        "blockCard",
        "embedCard",
        "extension",
        "bodiedExtension",
        "layoutSection",
        "syncBlock",
        "bodiedSyncBlock",
    },
    "listItem": _COMMON | {"taskList"},
    "blockquote": _COMMON | {"mediaGroup"},
    "panel": _COMMON | {"heading", "blockCard", "mediaGroup", "taskList", "rule", "decisionList"},
    "expand": _COMMON
    | {
        "heading",
        "panel",
        "blockquote",
        "rule",
        "mediaGroup",
        "decisionList",
        "taskList",
        "table",
        "blockCard",
        "embedCard",
        "nestedExpand",
    },
    "nestedExpand": _COMMON
    | {
        "heading",
        "mediaGroup",
        "taskList",
        "decisionList",
        "rule",
        "panel",
        "blockquote",
    },
    "tableCell": _COMMON
    | {
        "panel",
        "blockquote",
        "rule",
        "heading",
        "mediaGroup",
        "decisionList",
        "taskList",
        "blockCard",
        "embedCard",
        "nestedExpand",
    },
}
ALLOWED["tableHeader"] = ALLOWED["tableCell"]
ALLOWED["layoutSection"] = {"layoutColumn"}
ALLOWED["layoutColumn"] = ALLOWED["doc"] - {"layoutSection", "bodiedSyncBlock"}
ALLOWED["bodiedExtension"] = ALLOWED["doc"] - {"layoutSection", "bodiedExtension", "bodiedSyncBlock", "syncBlock"}
ALLOWED["bodiedSyncBlock"] = ALLOWED["doc"] - {"bodiedSyncBlock", "syncBlock"}


def new_local_id() -> str:
    """A fresh localId, as the Atlassian editors write them."""
    return str(uuid.uuid4())


def text_node(text: str, marks: list[dict] | None = None) -> dict:
    node: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        node["marks"] = marks
    return node


def paragraph(content: list[dict] | None = None) -> dict:
    return {"type": "paragraph", "content": content or []}


def plain_text(node) -> str:
    """Every text a node carries, concatenated: text nodes and text-like attributes."""
    parts: list[str] = []
    _collect_text(node, parts)
    return "".join(parts)


def _collect_text(node, parts: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _collect_text(child, parts)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("text"), str):
        parts.append(node["text"])
    attrs = node.get("attrs")
    if node.get("type") != "text" and isinstance(attrs, dict):
        for key in ("text", "shortName", "url", "title"):
            if isinstance(attrs.get(key), str):
                parts.append(attrs[key])
                break
    _collect_text(node.get("content"), parts)
