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
    """Every text a node carries, concatenated: text nodes and text-like attributes (iterative: any depth)."""
    parts: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("text"), str):
            parts.append(item["text"])
        attrs = item.get("attrs")
        if item.get("type") != "text" and isinstance(attrs, dict):
            for key in ("text", "shortName", "url", "title"):
                if isinstance(attrs.get(key), str):
                    parts.append(attrs[key])
                    break
        stack.append(item.get("content"))
    return "".join(parts)


MAX_DEPTH = 60
"""Nodes nested deeper than this (counting every node from the document down) are shown as plain
text: Markdown cannot nest that far (its parser stops at 20 levels of lists or quotes), and the
converters must never run out of stack, whatever a document holds."""


def shallow(doc: dict, limit: int = MAX_DEPTH) -> dict:
    """`doc` itself when no node is deeper than `limit`; otherwise a copy where each node at `limit`
    that has content becomes a paragraph of its plain text (no text is lost). Iterative."""
    level = [doc]  # the nodes at one depth, a level at a time: a node deeper than `limit` sits below one at `limit`
    for _ in range(limit):
        if not level:
            return doc
        level = [c for node in level for c in children(node) if isinstance(c, dict)]
    if not any(children(node) for node in level):
        return doc
    root = dict(doc)
    work: list[tuple[dict, int]] = [(root, 0)]
    while work:
        node, depth = work.pop()
        content = node.get("content")
        if not isinstance(content, list):
            continue
        copied = []
        for child in content:
            if not isinstance(child, dict):
                copied.append(child)
            elif depth + 1 >= limit and isinstance(child.get("content"), list) and child.get("content"):
                text = plain_text(child)
                copied.append(paragraph([text_node(text)] if text else []))
            else:
                child = dict(child)
                copied.append(child)
                work.append((child, depth + 1))
        node["content"] = copied
    return root


def children(node: dict) -> list:
    """A node's `content` when it is a list, else no children."""
    content = node.get("content")
    return content if isinstance(content, list) else []


def too_deep(doc, limit: int) -> bool:
    """Whether any JSON value inside `doc` is nested deeper than `limit` (iterative)."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
    return False
