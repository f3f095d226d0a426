"""Write-back without loss: Markdown edited from a document's current version becomes that version
again, with every node, attribute and mark Markdown cannot express carried over.

`write_back(markdown, current)` returns the document to send and the list of things it would still
lose (empty when nothing is lost). Unchanged Markdown gives back `current` itself. Otherwise the
Markdown is converted with its placeholders resolved against `current`, then merged with `current`:
blocks whose Markdown is unchanged are the original nodes; changed blocks of the same type keep the
original's attributes and block marks that Markdown cannot say (local ids, widths, colours, layout,
merged cells); text keeps the marks Markdown cannot say (underline, colours, sub/sup, inline-comment
annotations) on every character that survived the edit.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher

from . import keep
from .adf_to_md import _item, _sequence, adf_to_markdown, flatten_blocks
from .md_inline import render_inline
from .nodes import INLINE_TYPES, MAX_DEPTH

# Attributes the Markdown form sets; every other attribute of a matched node comes from the original.
_SAID = {
    "heading": {"level"},
    "orderedList": {"order"},
    "codeBlock": {"language"},
    "panel": {"panelType"},
    "expand": {"title"},
    "nestedExpand": {"title"},
    "taskItem": {"state"},
    "blockTaskItem": {"state"},
    "media": {"id", "collection", "alt", "url", "type"},
    "mediaInline": {"id", "collection", "alt", "type"},
    "status": {"text", "color"},
    "mention": {"id", "text"},
    "date": {"timestamp"},
    "inlineCard": {"url"},
}
_SAID_MARKS = {"strong", "em", "strike", "code", "link"}
_INLINE_HOLDERS = {"paragraph", "heading", "taskItem", "decisionItem", "caption"}
_TEXTUAL = {"emoji"}


def write_back(markdown: str, current: dict) -> tuple[dict, list[str]]:
    """The document to write for `markdown` edited from `current`, and what it would still lose."""
    from .md_to_adf import markdown_to_adf

    if not isinstance(current, dict) or current.get("type") != "doc":
        return markdown_to_adf(markdown), []
    if markdown.strip("\n") == adf_to_markdown(current).strip("\n"):
        return current, []
    new, problems = convert(markdown, current)
    merged = {**current, "content": _merge_blocks(_list(current.get("content")), new["content"])}
    return merged, problems + _lost(current, merged, keep.ids_in(markdown))


def convert(markdown: str, current: dict) -> tuple[dict, list[str]]:
    """Markdown to ADF with each placeholder resolved against `current`, and the placeholders that
    could not be placed."""
    from .md_to_adf import markdown_to_adf

    restorer = keep.Restorer(keep.index(current))
    token = keep.RESTORER.set(restorer)
    try:
        doc = markdown_to_adf(markdown)
    finally:
        keep.RESTORER.reset(token)
    _evict(doc, restorer)
    return doc, restorer.problems


def _evict(doc: dict, restorer: keep.Restorer) -> None:
    """Restored block nodes that landed inside inline content (a task, a heading) are reported."""
    stack = [doc]
    while stack:
        node = stack.pop()
        content = node.get("content")
        if not isinstance(content, list):
            continue
        if node.get("type") in _INLINE_HOLDERS or node.get("type") == "blockTaskItem":
            bad = [c for c in content if isinstance(c, dict) and c.get("type") in keep.BLOCK_TYPES]
            for c in bad:
                restorer.problem(f"{keep.describe(c)} cannot sit inside a {node.get('type')}")
            if bad:
                node["content"] = [c for c in content if not (isinstance(c, dict) and c.get("type") in keep.BLOCK_TYPES)]
        stack.extend(c for c in content if isinstance(c, dict) and c.get("type") not in INLINE_TYPES)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _key(node) -> str:
    """The Markdown a node shows as on its own: equal keys mean the model left it alone."""
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "tableRow":
        return "|".join(_key(c) for c in _list(node.get("content")))
    if kind in ("tableCell", "tableHeader"):
        return str(kind) + ":" + render_inline(flatten_blocks(_list(node.get("content"))), "cell")
    if kind in ("listItem", "taskItem", "decisionItem", "blockTaskItem"):
        return "\n".join(_item("- ", node))
    if kind in INLINE_TYPES:
        return render_inline([node], "block")
    if kind in ("layoutColumn", "caption", "media"):
        return str(kind) + ":" + "\n".join(_sequence(_list(node.get("content")))) + json.dumps(node.get("attrs"), sort_keys=True)
    return "\n".join(_sequence([node]))


def _merge_blocks(olds: list, news: list, depth: int = 0) -> list:
    old_keys = [_key(n) for n in olds]
    new_keys = [_key(n) for n in news]
    spare: dict[str, dict] = {}  # blocks the model deleted here, by key: a block moved elsewhere comes back whole
    out: list = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    ops = matcher.get_opcodes()
    for tag, i1, i2, _j1, _j2 in ops:
        if tag in ("delete", "replace"):
            for i in range(i1, i2):
                if old_keys[i]:
                    spare.setdefault(old_keys[i], olds[i])
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.extend(olds[i1:i2])
            continue
        out.extend(olds[i] for i in range(i1, i2) if not old_keys[i])  # invisible in Markdown: kept
        visible = [i for i in range(i1, i2) if old_keys[i]]
        pairs = list(zip(visible, range(j1, j2))) if tag == "replace" else []
        paired = {j: i for i, j in pairs if _same_type(olds[i], news[j])}
        for j in range(j1, j2):
            if new_keys[j] in spare:
                out.append(spare[new_keys[j]])
            elif j in paired:
                out.append(_merge(olds[paired[j]], news[j], depth + 1))
            else:
                out.append(news[j])
    return out


def _same_type(old, new) -> bool:
    return isinstance(old, dict) and isinstance(new, dict) and old.get("type") == new.get("type")


def _merge(old: dict, new: dict, depth: int = 0) -> dict:
    """`new` (from Markdown) with what Markdown cannot say taken from `old` (same type)."""
    if _key(old) == _key(new):
        return old
    if depth > MAX_DEPTH:
        return new
    kind = new.get("type")
    said = _SAID.get(str(kind), set())
    old_attrs = old.get("attrs") if isinstance(old.get("attrs"), dict) else {}
    new_attrs = new.get("attrs") if isinstance(new.get("attrs"), dict) else {}
    assert isinstance(old_attrs, dict) and isinstance(new_attrs, dict)
    merged = dict(new)
    attrs = {k: v for k, v in old_attrs.items() if k not in said}
    attrs.update({k: v for k, v in new_attrs.items() if k in said or k not in old_attrs})
    if attrs or "attrs" in old:
        merged["attrs"] = attrs
    if old.get("marks") and not new.get("marks") and kind != "text":
        merged["marks"] = old["marks"]
    olds, news = _list(old.get("content")), _list(new.get("content"))
    if "content" in new:
        if kind in _INLINE_HOLDERS:
            merged["content"] = merge_inline(olds, news)
        elif kind == "tableRow":
            merged["content"] = _merge_row(olds, news, depth)
        elif kind != "codeBlock":
            merged["content"] = _merge_blocks(olds, news, depth)
    order = list(old) + [k for k in merged if k not in old]
    return {k: merged[k] for k in order if k in merged}


def _merge_row(olds: list, news: list, depth: int) -> list:
    """Cells: a merged cell shows as one cell and padding; the padding is not a new cell."""
    width = sum(int((c.get("attrs") or {}).get("colspan") or 1) for c in olds if isinstance(c, dict))
    if width > len(olds) and len(news) == width and all(not _key_text(c) for c in news[len(olds) :]):
        news = news[: len(olds)]
    return [_merge(o, n, depth + 1) if _same_type(o, n) else n for o, n in zip(olds, news)] + news[len(olds) :]


def _key_text(cell) -> str:
    return render_inline(flatten_blocks(_list(cell.get("content"))), "cell") if isinstance(cell, dict) else ""


# -- inline content: character by character ------------------------------------------------------


def _units(nodes: list) -> list[tuple]:
    """(key, node, index) per character of text and per other inline node."""
    units: list[tuple] = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind == "text" and isinstance(node.get("text"), str):
            said = _said_marks(node)
            for i, ch in enumerate(node["text"]):
                units.append((("c", ch, said), node, i))
        elif kind in _TEXTUAL:
            text = render_inline([node], "block")
            for i, ch in enumerate(text):
                units.append((("c", ch, ()), node, -1 - i))
        else:
            units.append((("n", _key(node)), node, 0))
    return units


def _said_marks(node: dict) -> tuple:
    marks = node.get("marks") if isinstance(node.get("marks"), list) else []
    assert isinstance(marks, list)
    return tuple(sorted(json.dumps(m, sort_keys=True) for m in marks if isinstance(m, dict) and m.get("type") in _SAID_MARKS))


def _tokens(units: list[tuple]) -> tuple[list[tuple], list[int]]:
    """Units grouped into words (letters and digits with the same marks) and single other units:
    the keys to align, and where each token starts among the units."""
    keys: list[tuple] = []
    starts: list[int] = []
    for i, unit in enumerate(units):
        key = unit[0]
        wordy = key[0] == "c" and (key[1].isalnum() or key[1] == "_")
        if wordy and keys and i and _wordy(units[i - 1][0]) and units[i - 1][0][2] == key[2]:
            keys[-1] = keys[-1] + (key,)
        else:
            keys.append((key,))
            starts.append(i)
    starts.append(len(units))
    return keys, starts


def _wordy(key: tuple) -> bool:
    return key[0] == "c" and (key[1].isalnum() or key[1] == "_")


def merge_inline(olds: list, news: list) -> list:
    """New inline content, with the original nodes and unsaid marks wherever whole words survived."""
    old_units, new_units = _units(olds), _units(news)
    old_keys, old_starts = _tokens(old_units)
    new_keys, new_starts = _tokens(new_units)
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    out: list[dict] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        i1, i2, j1, j2 = old_starts[a1], old_starts[a2], new_starts[b1], new_starts[b2]
        if tag != "equal":
            out.extend(_plain_units(new_units[j1:j2]))
            continue
        j = j1
        for i in range(i1, i2):
            key, old_node, pos = old_units[i]
            _, new_node, _ = new_units[j]
            j += 1
            if key[0] == "n":
                out.append(old_node)
            elif pos < 0:  # a character of an emoji: the emoji comes back when all of it is there
                if pos == -1 and _whole_textual(old_units, i, i2, old_node):
                    out.append(old_node)
                elif not _whole_textual_at(old_units, i, i1, i2, old_node):
                    out.append(_char(key[1], new_node.get("marks")))
            else:
                out.append(_char(key[1], _carry(old_node, new_node)))
    return _join(out)


def _whole_textual(units: list, start: int, stop: int, node: dict) -> bool:
    size = len(render_inline([node], "block"))
    return start + size <= stop and all(units[start + k][1] is node and units[start + k][2] == -1 - k for k in range(size))


def _whole_textual_at(units: list, i: int, lo: int, stop: int, node: dict) -> bool:
    """Whether unit i belongs to an emoji that comes back whole (so its character is not repeated)."""
    start = i + units[i][2] + 1
    return start >= lo and _whole_textual(units, start, stop, node)


def _plain_units(units: list[tuple]) -> list[dict]:
    out: list[dict] = []
    for key, node, pos in units:
        if key[0] == "n":
            out.append(node)
        elif pos < 0:
            out.append(_char(key[1], None))
        else:
            out.append(_char(key[1], node.get("marks")))
    return out


def _carry(old: dict, new: dict) -> list | None:
    """The new character's marks plus the old character's marks Markdown cannot say."""
    old_marks = [m for m in _list(old.get("marks")) if isinstance(m, dict)]
    new_marks = [m for m in _list(new.get("marks")) if isinstance(m, dict)]
    if _said_marks(old) == _said_marks(new):
        return old_marks or None
    extra = [m for m in old_marks if m.get("type") not in _SAID_MARKS]
    if any(m.get("type") == "code" for m in new_marks):
        extra = [m for m in extra if m.get("type") == "annotation"]
    return new_marks + extra or None


def _char(ch: str, marks) -> dict:
    node: dict = {"type": "text", "text": ch}
    if marks:
        node["marks"] = marks
    return node


def _join(nodes: list[dict]) -> list[dict]:
    out: list[dict] = []
    for node in nodes:
        last = out[-1] if out else None
        if last is not None and node.get("type") == "text" and last.get("type") == "text" and last.get("marks") == node.get("marks") and last.get("_built"):
            last["text"] += node["text"]
        elif node.get("type") == "text" and "_built" not in node:
            out.append({**node, "_built": True})
        else:
            out.append(node)
    for node in out:
        node.pop("_built", None)
    return out


# -- what would be lost -------------------------------------------------------------------------


def _lost(old: dict, new: dict, shown: set[str]) -> list[str]:
    """Nodes kept as placeholders the model left in place, and inline comments, that are gone."""
    have_ids = set(keep.index(new))
    lost: list[str] = []
    for ident, (node, wraps) in keep.index(old).items():
        if ident in shown and ident not in have_ids and not (wraps and keep.node_id(node, True) in have_ids):
            lost.append(f"{keep.describe(node)} (placeholder adf:{ident})")
    old_notes, new_notes = _annotations(old), _annotations(new)
    for ident, text in old_notes.items():
        if ident not in new_notes:
            lost.append(f"the inline comment anchored on {text[:40]!r} (its anchor text was removed or rewritten)")
    return lost


def _annotations(doc) -> dict[str, str]:
    found: dict[str, str] = {}
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            for mark in _list(node.get("marks")):
                if isinstance(mark, dict) and mark.get("type") == "annotation":
                    ident = str((mark.get("attrs") or {}).get("id"))
                    found[ident] = found.get(ident, "") + str(node.get("text") or "")
            if isinstance(node.get("content"), list):
                stack.append(node["content"])
    return found


def refusal(what: str, lost: list[str], alternatives: str) -> str:
    """One message naming what a write would lose and how to proceed."""
    shown = "; ".join(lost[:8]) + (f"; and {len(lost) - 8} more" if len(lost) > 8 else "")
    return (
        f"Nothing was written: this Markdown would lose from {what}: {shown}. Keep each <!--adf:...--> placeholder "
        f"(move it to the top level of the body, or delete it to remove that node on purpose), {alternatives}, "
        "or pass allow_loss=true to write anyway."
    )
