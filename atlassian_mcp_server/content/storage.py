"""Confluence storage format (XHTML with ac:/ri: macros) to Markdown, through ADF nodes."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from typing import Any

from .adf_to_md import adf_to_markdown
from .fit import inline_of
from .nodes import INLINE_TYPES, new_local_id, paragraph, text_node

_VOID = {"br", "hr", "img", "col", "meta", "link", "input", "area", "base", "wbr", "source"}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_MARKS = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "s": "strike", "del": "strike", "strike": "strike", "code": "code", "tt": "code"}
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "pre",
    "hr",
    "div",
    "section",
    "ac:task-list",
    "ac:layout",
    "ac:layout-section",
    "ac:layout-cell",
    "ac:rich-text-body",
    "li",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
}
_INLINE_MACROS = {"status", "jira", "anchor"}
_PANELS = {"info": "info", "note": "warning", "warning": "error", "tip": "success", "panel": "note"}
_TRANSPARENT_MACROS = {"excerpt", "details", "section", "column", "div", "span", "excerpt-include"}
_COLOURS = {"grey": "neutral", "gray": "neutral", "red": "red", "yellow": "yellow", "green": "green", "blue": "blue", "purple": "purple"}


MAX_ELEMENT_DEPTH = 100


class _Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list = []


class _Raw(str):
    """Text from a CDATA section: kept exactly, never whitespace-collapsed."""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, {k: v or "" for k, v in attrs})
        if len(self.stack) > MAX_ELEMENT_DEPTH:
            return  # deeper markup keeps its text in the element at the limit (the converter recurses)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def unknown_decl(self, data):
        if data.startswith("CDATA["):
            self.stack[-1].children.append(_Raw(data[len("CDATA[") :]))


def parse_storage(xhtml: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(xhtml)
    builder.close()
    return builder.root


def storage_to_adf(xhtml: str) -> dict:
    """Confluence storage XHTML as an ADF-shaped document (for rendering, not for writing back)."""
    if not isinstance(xhtml, str):
        raise ValueError(f"expected storage-format XHTML text, got {type(xhtml).__name__}")
    text = xhtml.replace("@@@hl@@@", "<strong>").replace("@@@endhl@@@", "</strong>")
    return {"type": "doc", "version": 1, "content": _blocks(parse_storage(text).children)}


def storage_to_markdown(xhtml: str) -> str:
    """Confluence storage format (or a v1 search excerpt) as Markdown; highlights become bold."""
    return adf_to_markdown(storage_to_adf(xhtml), placeholders=False)


def _is_block(node) -> bool:
    if not isinstance(node, _Element):
        return False
    if node.tag == "ac:structured-macro":
        return node.attrs.get("ac:name", "") not in _INLINE_MACROS
    return node.tag in _BLOCK_TAGS


def _blocks(children: list) -> list[dict]:
    out: list[dict] = []
    run: list = []
    for child in children + [None]:
        if child is not None and not _is_block(child):
            run.append(child)
            continue
        if run:
            inline = _inlines(run, ())
            if any(n["type"] != "text" or n["text"].strip() for n in inline):
                out.append(paragraph(inline))
            run = []
        if child is not None:
            out.extend(_block(child))
    return out


def _block(el: _Element) -> list[dict]:
    tag = el.tag
    if tag == "p":
        return _blocks(el.children) or []
    if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        return [{"type": "heading", "attrs": {"level": int(tag[1])}, "content": _inlines(el.children, ())}]
    if tag in ("ul", "ol"):
        return [_list(el)]
    if tag == "li":
        return [{"type": "bulletList", "content": [_item(el)]}]
    if tag == "table":
        return [_table(el)]
    if tag == "blockquote":
        return [{"type": "blockquote", "content": _blocks(el.children) or [paragraph()]}]
    if tag == "pre":
        return [_code_block(_text(el), None)]
    if tag == "hr":
        return [{"type": "rule"}]
    if tag == "ac:task-list":
        return [_task_list(el)]
    if tag == "ac:structured-macro":
        return _macro(el)
    return _blocks(el.children)


def _list(el: _Element) -> dict:
    items = [_item(c) for c in el.children if isinstance(c, _Element)]
    if el.tag == "ol":
        node: dict[str, Any] = {"type": "orderedList", "content": items}
        start = el.attrs.get("start", "")
        if start.isdigit() and int(start) != 1:
            node["attrs"] = {"order": int(start)}
        return node
    return {"type": "bulletList", "content": items}


def _item(el: _Element) -> dict:
    children = el.children if el.tag == "li" else [el]
    return {"type": "listItem", "content": _blocks(children) or [paragraph()]}


def _table(el: _Element) -> dict:
    rows = []
    for tr in _descendants(el, "tr"):
        cells = [c for c in tr.children if isinstance(c, _Element) and c.tag in ("td", "th")]
        rows.append(
            {
                "type": "tableRow",
                "content": [{"type": "tableHeader" if c.tag == "th" else "tableCell", "content": _blocks(c.children) or [paragraph()]} for c in cells],
            }
        )
    return {"type": "table", "content": rows}


def _descendants(el: _Element, tag: str) -> list[_Element]:
    found = []
    for child in el.children:
        if isinstance(child, _Element):
            if child.tag == tag:
                found.append(child)
            elif child.tag != "table":
                found.extend(_descendants(child, tag))
    return found


def _task_list(el: _Element) -> dict:
    content: list[dict] = []
    for task in (c for c in el.children if isinstance(c, _Element) and c.tag == "ac:task"):
        status = _child(task, "ac:task-status")
        body = _child(task, "ac:task-body")
        done = status is not None and _text(status).strip() == "complete"
        nested = [c for c in (body.children if body else []) if isinstance(c, _Element) and c.tag == "ac:task-list"]
        rest = [c for c in (body.children if body else []) if c not in nested]
        content.append({"type": "taskItem", "attrs": {"localId": new_local_id(), "state": "DONE" if done else "TODO"}, "content": _inlines(rest, ())})
        content.extend(_task_list(n) for n in nested)
    return {"type": "taskList", "attrs": {"localId": new_local_id()}, "content": content}


def _child(el: _Element, tag: str) -> _Element | None:
    return next((c for c in el.children if isinstance(c, _Element) and c.tag == tag), None)


def _params(el: _Element) -> dict[str, str]:
    return {c.attrs.get("ac:name", ""): _text(c) for c in el.children if isinstance(c, _Element) and c.tag == "ac:parameter"}


def _text(el) -> str:
    if isinstance(el, str):
        return el
    return "".join(_text(c) for c in el.children)


def _code_block(text: str, language: str | None) -> dict:
    text = text[1:] if text.startswith("\n") else text
    node: dict = {"type": "codeBlock", "content": [text_node(text)] if text else []}
    if language:
        node["attrs"] = {"language": language}
    return node


def _macro(el: _Element) -> list[dict]:
    name = el.attrs.get("ac:name", "")
    params = _params(el)
    body = _child(el, "ac:rich-text-body")
    plain = _child(el, "ac:plain-text-body")
    if name in ("code", "noformat"):
        return _titled(params, [_code_block(_text(plain) if plain else "", params.get("language"))])
    blocks = _blocks(body.children) if body else []
    if name in _PANELS:
        return [{"type": "panel", "attrs": {"panelType": _PANELS[name]}, "content": _titled(params, blocks) or [paragraph()]}]
    if name == "expand":
        attrs = {"title": params["title"]} if params.get("title") else {}
        return [{"type": "expand", "attrs": attrs, "content": blocks or [paragraph()]}]
    if name in _TRANSPARENT_MACROS:
        return blocks
    marker = paragraph([{"type": "inlineExtension", "attrs": {"extensionKey": name or "macro"}}])
    if plain is not None:
        blocks.append(_code_block(_text(plain), None))
    return [marker] + blocks


def _titled(params: dict[str, str], blocks: list[dict]) -> list[dict]:
    title = params.get("title", "").strip()
    return ([paragraph([text_node(title, [{"type": "strong"}])])] if title else []) + blocks


def _inlines(children: list, marks: tuple) -> list[dict]:
    out: list[dict] = []
    for child in children:
        if isinstance(child, str):
            text = child if isinstance(child, _Raw) else _SPACE.sub(" ", child)
            if text:
                out.append(text_node(text, [{"type": m} if isinstance(m, str) else m for m in marks]))
        elif isinstance(child, _Element):
            out.extend(_inline(child, marks))
    return out


def _inline(el: _Element, marks: tuple) -> list[dict]:
    tag = el.tag
    if tag in _MARKS:
        mark = _MARKS[tag]
        return _inlines(el.children, marks if mark in marks else marks + (mark,))
    if tag == "br":
        return [{"type": "hardBreak"}]
    if tag == "a":
        href = el.attrs.get("href", "")
        link = {"type": "link", "attrs": {"href": href}}
        return _inlines(el.children, marks + (link,) if href else marks)
    if tag == "ac:link":
        return _ac_link(el, marks)
    if tag == "ac:image":
        return [_image(el)]
    if tag == "ac:emoticon":
        name = el.attrs.get("ac:name", "emoticon")
        fallback = el.attrs.get("ac:emoji-fallback") or f":{name}:"
        return [{"type": "emoji", "attrs": {"shortName": f":{name}:", "text": fallback}}]
    if tag == "time":
        return [_date(el.attrs.get("datetime", ""))]
    if tag == "ac:structured-macro":
        return _inline_macro(el)
    if tag in ("ac:parameter", "ri:attachment", "ri:page", "ri:user", "ri:url"):
        return []
    if _is_block(el):
        blocks = _block(el)
        inline: list[dict] = []
        for block in blocks:
            inline += ([{"type": "hardBreak"}] if inline else []) + _flat(block)
        return inline
    return _inlines(el.children, marks)


def _flat(block: dict) -> list[dict]:
    return inline_of([block])


def _ac_link(el: _Element, marks: tuple) -> list[dict]:
    body = _child(el, "ac:link-body") or _child(el, "ac:plain-text-link-body")
    label = _inlines(body.children, marks) if body else []
    for target in (c for c in el.children if isinstance(c, _Element)):
        if target.tag == "ri:user":
            ident = target.attrs.get("ri:account-id") or target.attrs.get("ri:userkey") or "unknown"
            text = "".join(n.get("text", "") for n in label if n["type"] == "text")
            attrs = {"id": ident, **({"text": text if text.startswith("@") else "@" + text} if text else {})}
            return [{"type": "mention", "attrs": attrs}]
        if target.tag == "ri:attachment":
            name = target.attrs.get("ri:filename", "attachment")
            link: dict[str, Any] = {"type": "link", "attrs": {"href": "attachment:" + name}}
            return _inlines(body.children, marks + (link,)) if body else [text_node(name, [_mark(m) for m in marks] + [link])]
        if target.tag in ("ri:page", "ri:blog-post", "ri:space"):
            name = target.attrs.get("ri:content-title") or target.attrs.get("ri:space-key") or "page"
            shown = "".join(n.get("text", "") for n in label if n["type"] == "text")
            return (
                label + ([text_node(f" ({target.tag[3:]}: {name})")] if shown.strip() != name else [])
                if label
                else [text_node(name, [_mark(m) for m in marks])]
            )
        if target.tag == "ri:url":
            link = {"type": "link", "attrs": {"href": target.attrs.get("ri:value", "")}}
            return _inlines(body.children, marks + (link,)) if body else [text_node(link["attrs"]["href"], [link])]
    return label or ([text_node(el.attrs["ac:anchor"])] if el.attrs.get("ac:anchor") else [])


def _mark(mark) -> dict:
    return {"type": mark} if isinstance(mark, str) else mark


def _image(el: _Element) -> dict:
    source = next((c for c in el.children if isinstance(c, _Element)), None)
    alt = el.attrs.get("ac:alt") or el.attrs.get("ac:title") or ""
    if source is not None and source.tag == "ri:url":
        url = source.attrs.get("ri:value", "")
    else:
        name = source.attrs.get("ri:filename", "image") if source is not None else "image"
        url, alt = "attachment:" + name, alt or name
    attrs = {"type": "external", "url": url}
    if alt:
        attrs["alt"] = alt
    return {"type": "media", "attrs": attrs}


def _date(value: str) -> dict:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return text_node(value or "[date]")
    stamp = datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()
    return {"type": "date", "attrs": {"timestamp": str(int(stamp) * 1000)}}


def _inline_macro(el: _Element) -> list[dict]:
    name = el.attrs.get("ac:name", "")
    params = _params(el)
    if name == "status":
        colour = _COLOURS.get(params.get("colour", params.get("color", "")).lower(), "neutral")
        title = params.get("title", "").strip() or colour.upper()
        return [{"type": "status", "attrs": {"text": title, "color": colour}}]
    if name == "jira":
        text = params.get("key") or params.get("jqlQuery") or params.get("jql") or ""
        return [{"type": "inlineExtension", "attrs": {"extensionKey": "jira", "text": text}}]
    if name == "anchor":
        return []
    blocks = _macro(el)
    return [n for b in blocks for n in (_flat(b) if b["type"] not in INLINE_TYPES else [b])]
