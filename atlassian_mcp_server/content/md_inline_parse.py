"""Markdown inline tokens (markdown-it syntax tree) to ADF inline nodes."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, unquote

from . import keep
from .nodes import text_node

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MARK_ORDER = {"link": 0, "strong": 1, "em": 2, "strike": 3, "code": 4}
_STATUS_COLORS = re.compile(r"neutral|purple|blue|red|yellow|green|#[0-9a-fA-F]{6}")
_WRAPPERS = {"strong": {"type": "strong"}, "em": {"type": "em"}, "s": {"type": "strike"}}


def convert_inline(children: list, marks: tuple = ()) -> list[dict]:
    """Convert inline syntax-tree children to merged ADF inline nodes."""
    out: list[dict] = []
    _walk(children, marks, out)
    return merge_text(out)


def _walk(children: list, marks: tuple, out: list[dict]) -> None:
    for node in children:
        kind = node.type
        if kind == "text":
            for piece in keep.inline_nodes(node.content):
                if isinstance(piece, str):
                    out.extend(split_breaks(piece, marks))
                else:
                    out.append(piece)
        elif kind == "text_special":
            _text(out, node.content, marks)
        elif kind in ("softbreak", "hardbreak"):
            out.append({"type": "hardBreak"})
        elif kind in _WRAPPERS:
            _walk(node.children, marks + (_WRAPPERS[kind],), out)
        elif kind == "code_inline":
            kept = tuple(m for m in marks if m["type"] == "link")
            _text(out, node.content, kept + ({"type": "code"},))
        elif kind == "link":
            _link(node, marks, out)
        elif kind == "image":
            out.append(image_inline(node, marks))
        else:
            _walk(node.children, marks, out)


def split_breaks(text: str, marks: tuple) -> list[dict]:
    """Raw text, where a literal `<br>` (the one HTML tag honoured) becomes a hard break."""
    out: list[dict] = []
    for i, piece in enumerate(_BR.split(text)):
        if i:
            out.append({"type": "hardBreak"})
        _text(out, piece, marks)
    return out


def _text(out: list[dict], text: str, marks: tuple) -> None:
    if text:
        ordered = sorted({m["type"]: m for m in marks}.values(), key=lambda m: _MARK_ORDER[m["type"]])  # each mark once
        out.append(text_node(text, [dict(m) for m in ordered]))


# What Atlassian's editor accepts as a link target (its isSafeUrl list): anything else is refused.
_SAFE_URL = re.compile(
    r"(?:https?://|ftps?://|sftp://|scp://|hipchat://|/|#|(?:mailto|skype|callto|facetime|git|irc6?|news|nntp|feed|cvs|svn|mvn|ssh"
    r"|itms|notes|sourcetree|urn|tel|xmpp|telnet|vnc|rdp|whatsapp|slack|sips?|magnet):)",
    re.IGNORECASE,
)


def is_safe_url(url: str) -> bool:
    """Whether Atlassian will keep `url` as a link or card (an empty target is harmless)."""
    return not url.strip() or _SAFE_URL.match(url.strip()) is not None


def plain(children: list) -> str:
    parts: list[str] = []
    for node in children:
        if node.type in ("text", "text_special", "code_inline"):
            parts.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            parts.append(plain(node.children))
    return "".join(parts)


def _link(node, marks: tuple, out: list[dict]) -> None:
    href = node.attrs.get("href", "")
    href = href if isinstance(href, str) else ""
    special = _special(href, plain(node.children))
    if special:
        out.append(special)
        return
    attrs = {"href": href}
    title = node.attrs.get("title")
    if isinstance(title, str) and title:
        attrs["title"] = title
    link = {"type": "link", "attrs": attrs}
    inner = tuple(m for m in marks if m["type"] != "link") + (link,)
    if not is_safe_url(href):  # Atlassian rejects it: the words stay, as text
        label = plain(node.children)
        if node.children and node.markup != "autolink":
            _walk(node.children, marks, out)
        shown = href if node.markup == "autolink" or not label else (f" ({href})" if href and href != label else "")
        _text(out, shown, tuple(m for m in marks if m["type"] != "link"))
    elif node.markup == "autolink" and href.startswith("mailto:"):
        _text(out, plain(node.children) or href[len("mailto:") :], inner)  # an email address is a link, not a card
    elif node.markup == "autolink":
        out.append({"type": "inlineCard", "attrs": {"url": href}})
    elif node.children:
        _walk(node.children, inner, out)
    else:
        _text(out, href or "link", inner)


def _special(href: str, label: str) -> dict | None:
    """Links with the pseudo-schemes accountid:, date: and status: become ADF nodes."""
    scheme, _, rest = href.partition(":")
    rest = unquote(rest)
    if scheme == "accountid" and rest:
        attrs = {"id": rest}
        if label:
            attrs["text"] = label
        return {"type": "mention", "attrs": attrs}
    if scheme == "date" and rest:
        stamp = _timestamp(rest)
        return {"type": "date", "attrs": {"timestamp": stamp}} if stamp else None
    if scheme == "status" and label.strip():
        color = rest.lower() if _STATUS_COLORS.fullmatch(rest.lower()) else "neutral"
        return {"type": "status", "attrs": {"text": label.strip(), "color": color}}
    return None


def _timestamp(value: str) -> str | None:
    if value.isdigit():
        return value
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return str(int(moment.timestamp()) * 1000)


def media_attrs(src: str, alt: str) -> dict:
    """Attributes of a media node for an image source (`media:ID?collection=C` or a URL)."""
    if src.startswith("media:"):
        ident, _, query = src[len("media:") :].partition("?")
        collection = parse_qs(query).get("collection", [""])[0]
        attrs = {"type": "file", "id": unquote(ident) or "unknown", "collection": collection}
    else:
        attrs = {"type": "external", "url": src}
    if alt:
        attrs["alt"] = alt
    return attrs


def image_inline(node, marks: tuple) -> dict:
    """An image inside text: mediaInline for attachments, otherwise a link showing the alt text."""
    src = node.attrs.get("src", "")
    src = src if isinstance(src, str) else ""
    alt = plain(node.children)
    if src.startswith("media:"):
        attrs = media_attrs(src, alt)
        attrs.pop("type")
        return {"type": "mediaInline", "attrs": {"type": "file", **attrs}}
    link = {"type": "link", "attrs": {"href": src}}
    kept = tuple(m for m in marks if m["type"] not in ("link", "code"))
    if not is_safe_url(src):
        return text_node(f"{alt} ({src})" if alt and src else alt or src or "image", [dict(m) for m in kept])
    return text_node(alt or src or "image", [link] + [dict(m) for m in kept])


def merge_text(nodes: list[dict]) -> list[dict]:
    out: list[dict] = []
    for node in nodes:
        if out and node["type"] == "text" and out[-1]["type"] == "text" and out[-1].get("marks") == node.get("marks"):
            out[-1] = dict(out[-1], text=out[-1]["text"] + node["text"])
        else:
            out.append(node)
    return out
