"""Placeholders for ADF nodes that Markdown cannot hold: `<!--adf:ID what-->`.

The Markdown a model reads shows each such node as a short HTML comment with a stable id (a hash of
the node, so the same node always gets the same id and a changed node a new one). Containers
(layouts, bodied macros, unknown nodes with content) open with `<!--adf:ID what-->` and close with
`<!--/adf:ID-->` around their Markdown content. On write the id is looked up in the current version
of the document and the exact node comes back; a placeholder the model deleted removes its node.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import re

from .nodes import INLINE_TYPES

# Nodes shown as one opaque placeholder (no Markdown form, no editable content).
OPAQUE_BLOCKS = frozenset({"extension", "syncBlock", "blockCard", "embedCard"})
OPAQUE_INLINE = frozenset({"inlineExtension", "placeholder"})
# Nodes whose content stays editable Markdown between an opening and a closing placeholder.
WRAPPERS = frozenset({"bodiedExtension", "layoutSection", "layoutColumn", "bodiedSyncBlock"})

RAW = "__markdown__"  # a pseudo inline node whose text is Markdown already (a placeholder in a table cell)
PLACEHOLDER = re.compile(r"<!--(/?)adf:([0-9a-f]{8})(?: [^<>]*?)?-->")
_UNSAFE = re.compile(r"[^A-Za-z0-9 :/.#?=%,+@-]+")
_SPACES = re.compile(r" +")
_DASHES = re.compile(r"--+")


def node_id(node: dict, whole: bool = False) -> str:
    """Eight hex digits from the node's JSON; a wrapper's content is left out (it stays editable)
    unless the node is shown `whole` (as one opaque placeholder, e.g. inside a table cell)."""
    shown = node if whole or not is_wrapper(node) else {k: v for k, v in node.items() if k != "content"}
    raw = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def is_wrapper(node: dict) -> bool:
    kind = node.get("type")
    kind = kind if isinstance(kind, str) else ""  # a type that is not a string (a malformed document) reads as unknown
    return kind in WRAPPERS or (isinstance(node.get("content"), list) and kind not in _KNOWN_WITH_CONTENT)


def describe(node: dict) -> str:
    """A few safe words saying what the node is (for the reader; ignored on write)."""
    kind = str(node.get("type") or "node")
    attrs = node.get("attrs") if isinstance(node.get("attrs"), dict) else {}
    assert isinstance(attrs, dict)
    words = [kind]
    for key in ("extensionKey", "url", "text", "width", "layout"):
        value = attrs.get(key)
        if isinstance(value, (str, int, float)) and str(value):
            words.append(str(value))
    text = _UNSAFE.sub(" ", " ".join(words)).strip()
    text = _DASHES.sub("-", _SPACES.sub(" ", text))
    return text[:80].rstrip()


PLAIN: contextvars.ContextVar[bool] = contextvars.ContextVar("adf_plain_markers", default=False)


def marker(node: dict) -> str:
    """The plain-text marker shown instead of a placeholder where nothing is written back (excerpts)."""
    attrs = node.get("attrs") if isinstance(node.get("attrs"), dict) else {}
    assert isinstance(attrs, dict)
    key = attrs.get("extensionKey") or attrs.get("url") or node.get("type") or "node"
    text = attrs.get("text")
    return f"[{key}: {text}]" if isinstance(text, str) and text else f"[{key}]"


def opening(node: dict, whole: bool = False) -> str:
    return f"<!--adf:{node_id(node, whole)} {describe(node)}-->"


def closing(node: dict) -> str:
    return f"<!--/adf:{node_id(node)}-->"


def index(doc) -> dict[str, tuple[dict, bool]]:
    """Every placeholder-able node of a document by id, with whether its placeholder wraps editable
    content (True) or stands for the whole node (False); iterative, so any depth."""
    found: dict[str, tuple[dict, bool]] = {}
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type") if isinstance(node.get("type"), str) else ""
        if kind in OPAQUE_BLOCKS or kind in OPAQUE_INLINE or (kind != "doc" and is_wrapper(node)) or kind not in _KNOWN:
            if kind != "doc":
                wraps = is_wrapper(node)
                found.setdefault(node_id(node), (node, wraps))
                if wraps:
                    found.setdefault(node_id(node, True), (node, False))
        content = node.get("content")
        if isinstance(content, list):
            stack.append(content)
    return found


def ids_in(markdown: str) -> set[str]:
    return {m.group(2) for m in PLACEHOLDER.finditer(markdown) if not m.group(1)}


_KNOWN_WITH_CONTENT = frozenset(
    {
        "doc",
        "paragraph",
        "heading",
        "bulletList",
        "orderedList",
        "listItem",
        "taskList",
        "taskItem",
        "blockTaskItem",
        "decisionList",
        "decisionItem",
        "blockquote",
        "codeBlock",
        "panel",
        "table",
        "tableRow",
        "tableCell",
        "tableHeader",
        "expand",
        "nestedExpand",
        "mediaSingle",
        "mediaGroup",
        "caption",
    }
)
# The block types the Markdown writer knows by name (a block outside these is kept as a placeholder).
KNOWN_BLOCKS = _KNOWN_WITH_CONTENT - {"doc"} | {"rule", "blockCard", "embedCard", "layoutSection", "layoutColumn"}
_KNOWN = _KNOWN_WITH_CONTENT | INLINE_TYPES | {"media", "rule"} | OPAQUE_BLOCKS | OPAQUE_INLINE | WRAPPERS


class Restorer:
    """The nodes of the current version that placeholders may name, and what went wrong placing them."""

    def __init__(self, nodes: dict[str, tuple[dict, bool]]) -> None:
        self.nodes = nodes
        self.problems: list[str] = []
        self.placed: set[str] = set()

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)


RESTORER: contextvars.ContextVar[Restorer | None] = contextvars.ContextVar("adf_restorer", default=None)
BLOCK_TYPES = _KNOWN_WITH_CONTENT - {"doc", "caption"} | OPAQUE_BLOCKS | WRAPPERS | {"rule"}


def inline_nodes(text: str) -> list:
    """Text split around placeholders: str pieces and restored nodes (unknown ids become problems)."""
    restorer = RESTORER.get()
    if restorer is None or "<!--" not in text:
        return [text]
    out: list = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        found = restorer.nodes.get(match.group(2))
        if match.group(1) or found is None or found[1]:
            if found is None:
                restorer.problem(f"placeholder {match.group(0)} names nothing on the current version")
            else:
                restorer.problem(f"placeholder {match.group(0)} must stand alone on its own line")
            continue
        out.append(text[last : match.start()])
        out.append(found[0])
        restorer.placed.add(match.group(2))
        last = match.end()
    out.append(text[last:])
    return [piece for piece in out if piece != ""]


def lift(blocks: list[dict]) -> list[dict]:
    """Paragraphs holding a restored block node are split around it; other holders report it."""
    out: list[dict] = []
    for block in blocks:
        content = block.get("content")
        if (
            block.get("type") not in ("paragraph", "heading")
            or not isinstance(content, list)
            or not any(isinstance(c, dict) and c.get("type") in BLOCK_TYPES for c in content)
        ):
            out.append(block)
            continue
        if block.get("type") != "paragraph":
            restorer = RESTORER.get()
            for c in content:
                if c.get("type") in BLOCK_TYPES and restorer is not None:
                    restorer.problem(f"{describe(c)} cannot sit inside a {block.get('type')}")
            out.append({**block, "content": [c for c in content if c.get("type") not in BLOCK_TYPES]})
            continue
        run: list[dict] = []
        for c in content:
            if c.get("type") in BLOCK_TYPES:
                if [n for n in run if n.get("type") != "hardBreak"]:
                    out.append({**block, "content": _trim(run)})
                out.append(c)
                run = []
            else:
                run.append(c)
        if [n for n in run if n.get("type") != "hardBreak"]:
            out.append({**block, "content": _trim(run)})
    return out


def _trim(run: list[dict]) -> list[dict]:
    while run and run[0].get("type") == "hardBreak":
        run = run[1:]
    while run and run[-1].get("type") == "hardBreak":
        run = run[:-1]
    return run
