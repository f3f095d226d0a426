"""ADF documents to Markdown: every block node, with the conventions in the package docstring."""

from __future__ import annotations

import re

from . import keep
from .md_inline import media_markdown, render_inline
from .nodes import INLINE_TYPES, plain_text, shallow
from .nodes import children as _content

_PANEL_TYPES = {"info", "note", "tip", "warning", "error", "success", "custom"}
_BULLETS = ("-", "*")
_ORDERED = (".", ")")
_LISTY = {"bulletList": "bullet", "taskList": "bullet", "decisionList": "bullet", "orderedList": "ordered"}


def adf_to_markdown(doc: dict, placeholders: bool = True) -> str:
    """Render an ADF document (or any ADF node) as Markdown; no text is ever dropped. Nodes Markdown
    cannot hold show as `<!--adf:ID ...-->` placeholders (see keep.py), or with `placeholders=False`
    (for excerpts, which are never written back) as plain `[name]` markers."""
    if not isinstance(doc, dict):
        raise ValueError(f"expected an ADF document (a JSON object), got {type(doc).__name__}")
    doc = shallow(doc)
    nodes = doc.get("content") if doc.get("type") == "doc" else [doc]
    token = keep.PLAIN.set(not placeholders)
    try:
        return "\n".join(_sequence(nodes if isinstance(nodes, list) else []))
    finally:
        keep.PLAIN.reset(token)


def _sequence(nodes: list) -> list[str]:
    """Render sibling blocks separated by blank lines; adjacent lists switch marker."""
    return _sequence_and_lead(nodes)[0]


def _sequence_and_lead(nodes: list) -> tuple[list[str], bool]:
    """`_sequence`, and whether its first line is paragraph text (an inline run or a paragraph),
    which a panel or expand puts right under its label line."""
    lines: list[str] = []
    lead = False
    previous_list: tuple[str, int] | None = None
    inline_run: list = []
    for node in nodes + [None]:
        if isinstance(node, dict) and _kind(node) in INLINE_TYPES:
            inline_run.append(node)
            continue
        if inline_run:
            block = _paragraph({"content": inline_run})
            lead = lead or (bool(block) and not lines)
            _append(lines, block)
            inline_run = []
            previous_list = None
        if not isinstance(node, dict):
            continue
        kind = _kind(node)
        if kind in _LISTY:
            family = _LISTY[kind]
            flip = 1 - previous_list[1] if previous_list and previous_list[0] == family else 0
            block = _list(node, flip)
            previous_list = (family, flip) if block else previous_list
        else:
            block = _block(node)
            previous_list = None if block else previous_list
        lead = lead or (bool(block) and not lines and node.get("type") == "paragraph")
        _append(lines, block)
    return lines, lead


def _append(lines: list[str], block: list[str]) -> None:
    if block:
        if lines:
            lines.append("")
        lines.extend(block)


def _block(node: dict) -> list[str]:
    kind = _kind(node)
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler:
        return handler(node)
    plain = keep.PLAIN.get()
    if keep.is_wrapper(node):
        lines = _paragraph({"content": [{"type": "text", "text": keep.marker(node)}]}) if plain else [keep.opening(node)]
        if any(isinstance(c, dict) and _kind(c) in INLINE_TYPES for c in _content(node)):
            _append(lines, _paragraph(node))
        else:
            _append(lines, _sequence(_content(node)))
        if not plain:
            _append(lines, [keep.closing(node)])
        return lines
    return _paragraph({"content": [{"type": "text", "text": keep.marker(node)}]}) if plain else [keep.opening(node)]


def _attrs(node: dict) -> dict:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _paragraph(node: dict) -> list[str]:
    text = render_inline(_content(node), "block")
    return text.split("\n") if text else []


def _heading(node: dict) -> list[str]:
    level = _attrs(node).get("level")
    level = min(max(int(level), 1), 6) if isinstance(level, (int, float)) else 1
    text = render_inline(_content(node), "heading")
    return ["#" * level + (" " + text if text else "")]


def _code(node: dict) -> list[str]:
    text = "".join(c.get("text", "") for c in _content(node) if isinstance(c, dict))
    language = _attrs(node).get("language")
    info = language.strip().replace("\n", " ") if isinstance(language, str) else ""
    char = "~" if "`" in info else "`"
    longest = max((len(r) for r in re.findall(re.escape(char) + "+", text)), default=0)
    fence = char * max(3, longest + 1)
    body = text.split("\n") if text else []
    return [fence + info] + body + [fence]


def _quote(lines: list[str]) -> list[str]:
    return [("> " + line) if line else ">" for line in lines]


def _blockquote(node: dict) -> list[str]:
    return _quote(_sequence(_content(node)))


def _labelled(label: str, node: dict) -> list[str]:
    # Each child is rendered once: rendering the first one again to learn its kind doubled the
    # work at every level, so nested panels took time exponential in their depth.
    body, lead = _sequence_and_lead(_content(node))
    if body and not lead:
        body = [""] + body
    return _quote([label] + body)


def _panel(node: dict) -> list[str]:
    kind = _attrs(node).get("panelType")
    kind = kind if kind in _PANEL_TYPES else "info"
    return _labelled(f"[!{kind.upper()}]", node)


def _expand(node: dict) -> list[str]:
    title = _attrs(node).get("title")
    title = render_inline([{"type": "text", "text": title}], "heading") if isinstance(title, str) else ""
    return _labelled("[!EXPAND]" + (" " + title if title else ""), node)


def _list(node: dict, flip: int) -> list[str]:
    kind = _kind(node)
    lines: list[str] = []
    number = _attrs(node).get("order", 1) if kind == "orderedList" else 1
    number = int(number) if isinstance(number, (int, float)) and number >= 0 else 1
    for item in _content(node):
        if not isinstance(item, dict):
            continue
        if kind == "orderedList":
            marker = f"{number}{_ORDERED[flip]} "
            number += 1
        else:
            marker = _BULLETS[flip] + " "
        if item.get("type") == "taskList" and kind == "taskList":
            nested = _list(item, 0)
            lines.extend((pad_line(line) for line in nested) if lines else nested)
            continue
        lines.extend(_item(marker, item))
    return lines


def pad_line(line: str, pad: str = "  ") -> str:
    return pad + line if line else ""


def _item(marker: str, item: dict) -> list[str]:
    kind = _kind(item)
    if kind == "taskItem":
        box = "[x] " if _attrs(item).get("state") == "DONE" else "[ ] "
        body = _paragraph({"content": _content(item)})
        body = [box + body[0]] + body[1:] if body else [box.rstrip()]
    elif kind == "blockTaskItem":
        box = "[x] " if _attrs(item).get("state") == "DONE" else "[ ] "
        body = _paragraph({"content": _joined_inline(_content(item))})
        body = [box + body[0]] + body[1:] if body else [box.rstrip()]
    elif kind == "decisionItem":
        body = _paragraph({"content": _content(item)})
        body = ["<> " + body[0]] + body[1:] if body else ["<>"]
    else:
        body = _item_blocks(_content(item)) if kind == "listItem" else _sequence([item])
    if not body:
        return [marker.rstrip()]
    pad = " " * len(marker)
    return [marker + body[0]] + [pad_line(line, pad) for line in body[1:]]


def _item_blocks(blocks: list) -> list[str]:
    """List item children: a list right after a paragraph stays tight."""
    lines: list[str] = []
    previous = None
    for block in blocks:
        rendered = _sequence([block])
        if not rendered:
            continue
        tight = previous == "paragraph" and isinstance(block, dict) and _kind(block) in _LISTY
        if lines and not tight:
            lines.append("")
        lines.extend(rendered)
        previous = block.get("type") if isinstance(block, dict) else None
    return lines


def _joined_inline(blocks: list) -> list:
    """Block children flattened to one inline run, separated by hard breaks."""
    out: list = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if out:
            out.append({"type": "hardBreak"})
        if _kind(block) in ("paragraph", "heading"):
            out.extend(_content(block))
        else:
            out.extend(flatten_blocks([block]))
    return out


def flatten_blocks(blocks: list) -> list:
    """Blocks as inline nodes (for table cells): lists become `- ` lines, code becomes code spans."""
    out: list = []

    def line(nodes: list) -> None:
        if out:
            out.append({"type": "hardBreak"})
        out.extend(nodes)

    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = _kind(block)
        if kind in INLINE_TYPES:
            line([block])
        elif kind in ("paragraph", "heading"):
            line(_content(block))
        elif kind == "codeBlock":
            for text in "".join(c.get("text", "") for c in _content(block)).split("\n"):
                line([{"type": "text", "text": text, "marks": [{"type": "code"}]}] if text else [])
        elif kind in ("bulletList", "orderedList", "taskList", "decisionList"):
            for i, item in enumerate(_content(block)):
                prefix = _flat_prefix(kind, block, item, i)
                inner = flatten_blocks(_content(item)) if isinstance(item, dict) else []
                line([{"type": "text", "text": prefix}] + inner)
        elif kind in ("mediaSingle", "mediaGroup"):
            line([m for m in _content(block) if isinstance(m, dict) and m.get("type") == "media"])
            for caption in _content(block):  # a caption inside a cell stays as its own line of text
                if isinstance(caption, dict) and caption.get("type") == "caption" and _content(caption):
                    line(_content(caption))
        elif kind == "rule":
            line([{"type": "text", "text": "---"}])
        elif kind in ("panel", "expand", "nestedExpand", "blockquote"):
            label = _marker_text(block)
            if label:
                line([{"type": "text", "text": label}])
            inner = flatten_blocks(_content(block))
            if inner:
                line(inner)
        elif keep.is_wrapper(block):  # bodied macros, layouts, unknown nodes: their text stays visible
            line([{"type": keep.RAW, "text": keep.opening(block)}])
            inner = flatten_blocks(_content(block))
            if inner:
                line(inner)
            line([{"type": keep.RAW, "text": keep.closing(block)}])
        else:  # macros, cards: one placeholder
            line([block])
    return out


def _flat_prefix(kind: str, block: dict, item, index: int) -> str:
    if kind == "orderedList":
        start = _attrs(block).get("order", 1)
        return f"{int(start) + index if isinstance(start, (int, float)) else index + 1}. "
    if kind == "taskList" and isinstance(item, dict) and item.get("type") != "taskList":
        return "[x] " if _attrs(item).get("state") == "DONE" else "[ ] "
    return "<> " if kind == "decisionList" else "- "


def _marker_text(node: dict) -> str:
    title = _attrs(node).get("title")
    return title if isinstance(title, str) else ""


def _table(node: dict) -> list[str]:
    rows = [r for r in _content(node) if isinstance(r, dict)]
    cells = [[c for c in _content(r) if isinstance(c, dict)] for r in rows]
    width = max((len(r) for r in cells), default=0)
    if not width:
        return []
    header = cells[0] if all(c.get("type") == "tableHeader" for c in cells[0]) and cells[0] else None
    body = cells[1:] if header else cells
    lines = [_row(header or [], width), "|" + " --- |" * width]
    lines.extend(_row(r, width) for r in body)
    return lines


def _row(cells: list, width: int) -> str:
    texts = [render_inline(flatten_blocks(_content(c)), "cell") for c in cells]
    texts += [""] * (width - len(texts))
    return "|" + "".join(f" {t} |" if t else "  |" for t in texts)


def _media_single(node: dict) -> list[str]:
    media = [c for c in _content(node) if isinstance(c, dict) and c.get("type") == "media"]
    captions = [c for c in _content(node) if isinstance(c, dict) and c.get("type") == "caption"]
    caption = plain_text(captions[0]).replace("\n", " ").strip() if captions else None
    return [media_markdown(_attrs(m), caption) for m in media][:1] or [keep.opening(node, True)]


def _media_group(node: dict) -> list[str]:
    media = [c for c in _content(node) if isinstance(c, dict) and c.get("type") == "media"]
    return [" ".join(media_markdown(_attrs(m)) for m in media)] if media else []


def _rule(node: dict) -> list[str]:
    return ["---"]


def _stray_item(node: dict) -> list[str]:
    return _item("- ", node)


def _kind(node: dict) -> str:
    """A node's type; a type that is not a string (a malformed document) reads as unknown."""
    kind = node.get("type")
    return kind if isinstance(kind, str) else ""


_HANDLERS = {
    "paragraph": _paragraph,
    "heading": _heading,
    "codeBlock": _code,
    "blockquote": _blockquote,
    "panel": _panel,
    "expand": _expand,
    "nestedExpand": _expand,
    "table": _table,
    "mediaSingle": _media_single,
    "mediaGroup": _media_group,
    "rule": _rule,
    "listItem": _stray_item,
    "taskItem": _stray_item,
    "decisionItem": _stray_item,
    "blockTaskItem": _stray_item,
}
