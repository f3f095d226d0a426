"""Markdown to ADF with markdown-it-py: CommonMark, GFM tables, strikethrough and task lists."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import re
import threading
from typing import Any

from . import keep
from .fit import fit, inline_of
from .md_inline_parse import convert_inline, media_attrs, merge_text, plain, split_breaks
from .nodes import ALLOWED, INLINE_TYPES, new_local_id, paragraph

_TASK = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
_DECISION = re.compile(r"<>(?:[ \t]+|$)")
_LABEL = re.compile(
    r"\[!(INFO|NOTE|TIP|WARNING|ERROR|SUCCESS|CUSTOM|CAUTION|IMPORTANT|EXPAND)\][ \t]*",
    re.IGNORECASE,
)
_PANEL_ALIASES = {"caution": "error", "important": "warning"}
_PIPE = re.compile(r"(?<!\\)\|")
MAX_NESTING = 100  # block levels (a list and its item are two): deeper Markdown is refused, never cut
MAX_MARKDOWN = 1_000_000  # characters: the documented input size limit
_SOURCE: contextvars.ContextVar[list[str]] = contextvars.ContextVar("markdown_source_lines")


@functools.lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 2})
    md.enable(["table", "strikethrough"])
    md.disable(["text_join"])  # reference-style links are resolved on the way in
    # markdown-it-py types these as methods, but replacing them on the instance is its documented hook.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md


def markdown_to_adf(text: str) -> dict:
    """Convert Markdown to an ADF document that validates against the ADF schema."""
    if not isinstance(text, str):
        raise ValueError(f"expected Markdown text, got {type(text).__name__}")
    from markdown_it.tree import SyntaxTreeNode

    from ..errors import InvalidInput

    if len(text) > MAX_MARKDOWN:
        raise InvalidInput(f"The Markdown is {len(text):,} characters; the limit is {MAX_MARKDOWN:,}. Split it into several pages or comments.")
    tokens = _parser().parse(text)
    if any(t.level >= MAX_NESTING for t in tokens):
        raise InvalidInput(f"The Markdown nests lists or quotes more than {MAX_NESTING // 2} levels deep; flatten it.")
    with _collector_paused():
        tree = SyntaxTreeNode(tokens)
        token = _SOURCE.set(text.splitlines())
        try:
            return {"type": "doc", "version": 1, "content": _blocks(tree.children, "doc")}
        finally:
            _SOURCE.reset(token)
            _untie(tree)


def _untie(tree) -> None:
    """Break the syntax tree's parent <-> child cycles, so it is freed at once, not by the collector."""
    stack = [tree]
    while stack:
        node = stack.pop()
        stack.extend(node._children)
        node._children = []
        node._parent = None


_GC_LOCK = threading.Lock()
_GC_USERS = [0, False]  # conversions running, and whether the first one paused the collector


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while converting: a conversion allocates millions of
    short-lived objects and creates no cycles (see _untie), and collecting during it cost more than
    the conversion itself. Shared by concurrent conversions; restored when the last one ends."""
    with _GC_LOCK:
        if _GC_USERS[0] == 0:
            _GC_USERS[1] = gc.isenabled()
            gc.disable()
        _GC_USERS[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS[0] -= 1
            if _GC_USERS[0] == 0 and _GC_USERS[1]:
                gc.enable()


def _blocks(children: list, container: str) -> list[dict]:
    out: list[dict] = []
    restorer = keep.RESTORER.get()
    allowed = ALLOWED.get(container, ALLOWED["doc"])
    i = 0
    while i < len(children):
        child = children[i]
        i += 1
        match = _alone(child) if restorer is not None else None
        if match is not None and restorer is not None and _is_inline(restorer.nodes.get(match.group(2))):
            match = None  # an inline node alone in its paragraph
        if match is None:
            top_table = container == "doc" and child.type == "table"
            out.extend(_table(child, _SOURCE.get()) if top_table else _block(child))
            continue
        assert restorer is not None
        found = restorer.nodes.get(match.group(2))
        if match.group(1) or found is None:
            what = "closes nothing open here" if match.group(1) and found else "names nothing on the current version"
            restorer.problem(f"placeholder {match.group(0)} {what}")
            continue
        node, wraps = found
        if wraps:
            end = next((j for j in range(i, len(children)) if _closes(children[j], match.group(2))), None)
            if end is None:
                restorer.problem(f"placeholder {match.group(0)} has no closing <!--/adf:{match.group(2)}--> after it")
                continue
            inner = _blocks(children[i:end], str(node.get("type")))
            i = end + 1
            node = {**node, "content": inner}
        restorer.placed.add(match.group(2))
        out.append(node)
    if restorer is None:
        return fit(out, allowed)
    out = _settle(keep.lift(out), allowed, container, restorer)
    wider = allowed | {b["type"] for b in out if b["type"] not in keep.BLOCK_TYPES}
    fitted = fit(out, wider)
    for block in fitted:
        if block["type"] not in wider:  # e.g. words typed between two layout columns
            restorer.problem(f"a {block['type']} cannot sit directly inside a {container}; put it inside one of its parts")
    return [block for block in fitted if block["type"] in wider]


def _settle(blocks: list[dict], allowed: set[str], container: str, restorer: keep.Restorer) -> list[dict]:
    """Restored nodes stay where the schema allows them; elsewhere they are reported, not flattened."""
    out = []
    for block in blocks:
        kind = block["type"]
        if (kind in keep.OPAQUE_BLOCKS or kind in keep.WRAPPERS) and kind not in allowed:
            restorer.problem(f"{keep.describe(block)} cannot sit inside a {container}")
        else:
            out.append(block)
    return out


def _is_inline(found) -> bool:
    return found is not None and found[0].get("type") in INLINE_TYPES


def _alone(child):
    """The placeholder a paragraph consists of, if it is only that."""
    if child.type != "paragraph" or not child.children:
        return None
    words = child.children[0].children
    if len(words) != 1 or words[0].type != "text":
        return None
    return keep.PLACEHOLDER.fullmatch(words[0].content.strip())


def _closes(child, ident: str) -> bool:
    match = _alone(child)
    return match is not None and bool(match.group(1)) and match.group(2) == ident


def _block(node) -> list[dict]:
    kind = node.type
    if kind == "paragraph":
        return [_paragraph(node)]
    if kind == "heading":
        level = int(node.tag[1])
        return [{"type": "heading", "attrs": {"level": level}, "content": _inline(node)}]
    if kind in ("fence", "code_block"):
        return [_code(node)]
    if kind == "hr":
        return [{"type": "rule"}]
    if kind == "blockquote":
        return [_blockquote(node)]
    if kind == "bullet_list":
        return [_bullet_list(node)]
    if kind == "ordered_list":
        return [_ordered_list(node)]
    if kind == "table":
        return _table(node)
    return [paragraph(split_breaks(node.content, ()))] if node.content else []


def _inline(node) -> list[dict]:
    inline = node.children[0] if node.children else None
    return convert_inline(inline.children) if inline is not None else []


def _paragraph(node) -> dict:
    inline = node.children[0].children if node.children else []
    images = [c for c in inline if c.type == "image"]
    rest = [c for c in inline if c.type != "image"]
    if images and all(c.type in ("softbreak", "text") and not c.content.strip() for c in rest):
        media = [{"type": "media", "attrs": media_attrs(i.attrs.get("src") or "", plain(i.children))} for i in images]
        if len(media) == 1:
            single: dict[str, Any] = {"type": "mediaSingle", "attrs": {"layout": "center"}, "content": media}
            title = images[0].attrs.get("title")
            if isinstance(title, str) and title.strip():
                single["content"].append({"type": "caption", "content": [{"type": "text", "text": title.strip()}]})
            return single
        return {"type": "mediaGroup", "content": media}
    return paragraph(convert_inline(inline))


def _code(node) -> dict:
    text = node.content[:-1] if node.content.endswith("\n") else node.content
    block: dict = {"type": "codeBlock"}
    language = (node.info or "").strip()
    if language:
        block["attrs"] = {"language": language}
    block["content"] = [{"type": "text", "text": text}] if text else []
    return block


def _blockquote(node) -> dict:
    children = list(node.children)
    first = children[0] if children and children[0].type == "paragraph" else None
    words = first.children[0].children if first is not None and first.children else []
    match = _LABEL.match(words[0].content) if words and words[0].type == "text" else None
    if not match:
        return {"type": "blockquote", "content": _blocks(children, "blockquote") or [paragraph()]}
    label = match.group(1).lower()
    cut = next((i for i, w in enumerate(words) if w.type in ("softbreak", "hardbreak")), len(words))
    remainder = words[0].content[match.end() :]
    if label == "expand":
        title = (remainder + plain(words[1:cut])).strip()
        lead = convert_inline(words[cut + 1 :])
    else:
        title = None
        lead = split_breaks(remainder, ()) + convert_inline(words[1:cut])
        tail = convert_inline(words[cut + 1 :])
        lead = lead + ([{"type": "hardBreak"}] if lead and tail else []) + tail
    blocks = ([paragraph(lead)] if lead else []) + [b for c in children[1:] for b in _block(c)]
    if label == "expand":
        attrs = {"title": title} if title else {}
        return {"type": "expand", "attrs": attrs, "content": fit(blocks, ALLOWED["expand"]) or [paragraph()]}
    kind = _PANEL_ALIASES.get(label, label)
    return {"type": "panel", "attrs": {"panelType": kind}, "content": fit(blocks, ALLOWED["panel"]) or [paragraph()]}


def _ordered_list(node) -> dict:
    items = [_list_item(i) for i in node.children]
    result: dict[str, Any] = {"type": "orderedList", "content": items}
    start = node.attrs.get("start")
    if isinstance(start, int) and start != 1:
        result["attrs"] = {"order": start}
    return result


def _list_item(item) -> dict:
    return {"type": "listItem", "content": _blocks(item.children, "listItem") or [paragraph()]}


def _marker(item, pattern: re.Pattern):
    """The checkbox or decision marker at the start of a list item, with its length."""
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return None
    words = first.children[0].children
    if not words or words[0].type != "text":
        return None
    return pattern.match(words[0].content)


def _bullet_list(node) -> dict:
    items = list(node.children)
    if items and all(_marker(i, _TASK) for i in items):
        return _task_list(items)
    if items and all(_marker(i, _DECISION) for i in items):
        content = [_decision(i) for i in items]
        return {"type": "decisionList", "attrs": {"localId": new_local_id()}, "content": content}
    return {"type": "bulletList", "content": [_list_item(i) for i in items]}


def _strip_marker(item, match) -> tuple[list[dict], list]:
    """Inline content of the item's first paragraph without its marker, and the other children."""
    words = item.children[0].children[0].children
    lead = split_breaks(words[0].content[match.end() :], ())
    return merge_text(lead + convert_inline(words[1:])), list(item.children[1:])


def _task_list(items: list) -> dict:
    content: list[dict] = []
    for item in items:
        match = _marker(item, _TASK)
        inline, rest = _strip_marker(item, match)
        nested: list[dict] = []
        for child in rest:
            if child.type in ("bullet_list", "ordered_list"):
                nested.append(_as_task_list(_block(child)[0]))
            else:
                inline = inline + [{"type": "hardBreak"}] + inline_of(_block(child))
        state = "TODO" if match.group(1) == " " else "DONE"
        content.append({"type": "taskItem", "attrs": {"localId": new_local_id(), "state": state}, "content": inline})
        content.extend(nested)
    return {"type": "taskList", "attrs": {"localId": new_local_id()}, "content": content}


def _as_task_list(block: dict) -> dict:
    if block["type"] == "taskList":
        return block
    items = []
    for item in block.get("content", []):
        items.append({"type": "taskItem", "attrs": {"localId": new_local_id(), "state": "TODO"}, "content": inline_of(item.get("content", []))})
    return {"type": "taskList", "attrs": {"localId": new_local_id()}, "content": items}


def _decision(item) -> dict:
    inline, rest = _strip_marker(item, _marker(item, _DECISION))
    for child in rest:
        inline = inline + [{"type": "hardBreak"}] + inline_of(_block(child))
    return {"type": "decisionItem", "attrs": {"localId": new_local_id(), "state": "DECIDED"}, "content": inline}


def _table(node, source: list[str] | None = None) -> list[dict]:
    """A GFM table; at top level, cells beyond the header's width (which markdown-it drops) are kept."""
    rows: list[dict] = []
    for section in node.children:
        for row in section.children:
            header = section.type == "thead"
            cells = [_cell(c, header) for c in row.children]
            if source and row.map and not header:
                cells += _extra_cells(source[row.map[0]], len(cells))
            if header and all(not c.children or not c.children[0].children for c in row.children):
                continue
            rows.append({"type": "tableRow", "content": cells})
    return [{"type": "table", "content": rows}] if rows else []


def _extra_cells(line: str, count: int) -> list[dict]:
    from markdown_it.tree import SyntaxTreeNode

    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    parts = _PIPE.split(text)
    extra = []
    for part in parts[count:]:
        tokens = _parser().parseInline(part.strip().replace("\\|", "|"))
        inline = SyntaxTreeNode(tokens).children[0].children if tokens else []
        extra.append({"type": "tableCell", "content": [paragraph(convert_inline(inline))]})
    return extra


def _cell(cell, header: bool) -> dict:
    inline = cell.children[0].children if cell.children else []
    content = convert_inline(inline)
    media = [n for n in content if n["type"] != "hardBreak"]
    if len(media) == 1 and media[0]["type"] == "mediaInline" and len(content) == 1:
        block = _paragraph(cell)
    else:
        block = paragraph(content)
    return {"type": "tableHeader" if header else "tableCell", "content": [block]}
