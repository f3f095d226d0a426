"""Make converted blocks fit where the ADF schema allows them, keeping their text."""

from __future__ import annotations

from .nodes import ALLOWED, INLINE_TYPES, paragraph

_CONTAINERS = {"blockquote", "panel", "expand", "nestedExpand", "bodiedExtension", "layoutSection", "layoutColumn", "bodiedSyncBlock"}
_PREFIX = {"taskItem": None, "decisionItem": "<> "}


def fit(blocks: list[dict], allowed: set[str]) -> list[dict]:
    """Replace each block the container does not allow with the closest allowed form."""
    out: list[dict] = []
    for block in blocks:
        if block["type"] in allowed:
            out.append(block)
        else:
            out.extend(_lower(block, allowed))
    return out


def _lower(block: dict, allowed: set[str]) -> list[dict]:
    kind = block["type"]
    content = block.get("content", [])
    if kind == "heading":
        return [paragraph(content)]
    if kind == "expand" and "nestedExpand" in allowed:
        return [_retype(block, "nestedExpand")]
    if kind == "nestedExpand" and "expand" in allowed:
        return [_retype(block, "expand")]
    if kind in _CONTAINERS:
        title = (block.get("attrs") or {}).get("title")
        lead = [paragraph([{"type": "text", "text": title}])] if title else []
        return fit(lead + content, allowed)
    if kind == "mediaGroup" and "mediaSingle" in allowed:
        return [{"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [m]} for m in content]
    if kind == "rule":
        return []
    if kind in ("taskList", "decisionList", "table"):
        return [paragraph(line) for line in _lines(block) if line]
    return [paragraph(inline_of([block]))]


def _retype(block: dict, kind: str) -> dict:
    attrs = {k: v for k, v in (block.get("attrs") or {}).items() if k in ("title", "localId")}
    return {"type": kind, "attrs": attrs, "content": fit(block.get("content", []), ALLOWED[kind])}


def _lines(block: dict) -> list[list[dict]]:
    """Task, decision and table structures as lines of inline nodes."""
    kind = block["type"]
    lines: list[list[dict]] = []
    for child in block.get("content", []):
        if kind == "table":
            cells = [inline_of(cell.get("content", [])) for cell in child.get("content", [])]
            line: list[dict] = []
            for i, cell in enumerate(cells):
                line += ([{"type": "text", "text": " | "}] if i else []) + cell
            lines.append(line)
        elif child["type"] in ("taskList", "decisionList"):
            lines.extend(_lines(child))
        else:
            state = (child.get("attrs") or {}).get("state")
            prefix = _PREFIX.get(child["type"]) or ("[x] " if state == "DONE" else "[ ] ")
            lines.append([{"type": "text", "text": prefix}] + inline_of([child]))
    return lines


def inline_of(blocks: list[dict]) -> list[dict]:
    """Blocks as one inline run: paragraphs joined by hard breaks, code kept as code marks."""
    out: list[dict] = []
    for block in blocks:
        kind = block.get("type")
        if kind in INLINE_TYPES:
            piece = [block]
        elif kind in ("paragraph", "heading", "taskItem", "decisionItem", "caption"):
            piece = list(block.get("content", []))
        elif kind == "codeBlock":
            text = "".join(t.get("text", "") for t in block.get("content", []))
            piece = []
            for line in text.split("\n"):
                piece += [{"type": "hardBreak"}] if piece else []
                piece += [{"type": "text", "text": line, "marks": [{"type": "code"}]}] if line else []
        elif kind == "media":
            piece = _media_text(block)
        else:
            piece = []
            for child in block.get("content", []):
                part = inline_of([child])
                if part:
                    piece += ([{"type": "hardBreak"}] if piece else []) + part
        if piece:
            out += ([{"type": "hardBreak"}] if out else []) + piece
    return out


def _media_text(block: dict) -> list[dict]:
    attrs = block.get("attrs") or {}
    label = attrs.get("alt") or attrs.get("url") or ""
    return [{"type": "text", "text": label}] if label else []
