"""ADF inline nodes to Markdown: marks, escaping, mentions, dates, status and media."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

# Context: "block" (a paragraph line), "heading" (one line), "cell" (one table-cell line).
_MARK_RANK = {"link": 0, "strong": 1, "em": 2, "strike": 3, "code": 4}
_DELIMS = {"strong": "**", "em": "*", "strike": "~~"}
_DAY_MS = 86_400_000
# An inline piece: ("atom", markdown) for ready Markdown, or ("text", text, ()) for unmarked text to escape.
_Piece = tuple[str, str] | tuple[str, str, tuple[()]]
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*")
_LINE_START = [
    (re.compile(r"#{1,6}(?=[ \t]|$)"), 0),
    (re.compile(r">"), 0),
    (re.compile(r"[-+](?=[ \t]|$)"), 0),
    (re.compile(r"\d{1,9}[.)](?=[ \t]|$)"), -1),
    (re.compile(r"=+[ \t]*$"), 0),
    (re.compile(r"-+[ \t]*$"), 0),
]


def render_inline(nodes: list, ctx: str = "block") -> str:
    """Render inline ADF nodes; hard breaks become newlines (block) or `<br>` (heading, cell)."""
    items = _normalise(_items(nodes))
    pipes = ctx == "cell" or (ctx == "block" and any(item[0] == "break" for item in items))
    lines: list[str] = []
    out: list[str] = []
    stack: list[tuple] = []
    for item in items:
        if item[0] != "text" or not item[2]:
            _close(stack, 0, out)
        if item[0] == "break":
            lines.append("".join(out))
            out = []
            continue
        if item[0] == "atom":
            out.append(item[1])
            continue
        _, text, marks = item
        keep = 0
        while keep < len(stack) and stack[keep] in marks:
            keep += 1
        _close(stack, keep, out)
        for mark in marks:
            if mark not in stack:
                stack.append(mark)
                out.append("[" if mark[0] == "link" else _DELIMS.get(mark[0], ""))
        if marks and marks[-1][0] == "code":
            out.append(_code_span(text, ctx))
        else:
            out.append(_escape(text, pipes))
    _close(stack, 0, out)
    lines.append("".join(out))
    if lines == [""]:
        return ""
    if ctx == "block":
        return "\n".join(_escape_line_start(line) if line else "\\" for line in lines)
    text = "<br>".join(lines)
    if ctx == "heading" and text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def _close(stack: list, keep: int, out: list[str]) -> None:
    while len(stack) > keep:
        mark = stack.pop()
        if mark[0] == "link":
            out.append("](" + link_target(mark[1], mark[2]) + ")")
        elif mark[0] != "code":
            out.append(_DELIMS[mark[0]])


def _items(nodes) -> list[tuple]:
    """Flatten inline nodes into ("text", str, marks) / ("atom", md) / ("break",) items."""
    items: list[tuple] = []
    for node in nodes if isinstance(nodes, list) else []:
        if not isinstance(node, dict):
            continue
        kind = node.get("type") if isinstance(node.get("type"), str) else ""
        raw_attrs = node.get("attrs")
        attrs = raw_attrs if isinstance(raw_attrs, dict) else {}
        if kind == "text":
            raw_text = node.get("text")
            text = raw_text if isinstance(raw_text, str) else ""
            marks = _marks(node.get("marks"))
            for i, piece in enumerate(re.split(r"\r\n|\r|\n", text)):
                if i:
                    items.append(("break",))
                if piece:
                    items.append(("text", piece, marks))
        elif kind == "hardBreak":
            items.append(("break",))
        elif kind in _ATOMS:
            items.append(_ATOMS[kind](attrs))
        elif kind in _TEXTUAL:
            items.append(("text", _TEXTUAL[kind](attrs), ()))
        else:
            if kind not in KNOWN_BLOCKS:
                items.append(("text", _marker(kind, attrs), ()))
            items.extend(_items(node.get("content")))
    return items


def _marks(raw) -> tuple:
    marks: list[tuple] = []
    for mark in raw if isinstance(raw, list) else []:
        kind = mark.get("type") if isinstance(mark, dict) and isinstance(mark.get("type"), str) else None
        if kind == "link":
            attrs = mark.get("attrs") or {}
            marks.append(("link", str(attrs.get("href", "")), attrs.get("title")))
        elif kind in _MARK_RANK:
            marks.append((kind,))
    if any(m[0] == "code" for m in marks):
        marks = [m for m in marks if m[0] in ("link", "code")]
    return tuple(sorted(set(marks), key=lambda m: _MARK_RANK[m[0]]))


def _normalise(items: list[tuple]) -> list[tuple]:
    """Trim whitespace at line edges, drop trailing breaks, keep edge spaces out of delimiters."""
    lines: list[list[tuple]] = [[]]
    for item in items:
        if item[0] == "break":
            lines.append([])
        else:
            lines[-1].append(item)
    for line in lines:
        _strip_edge(line, 0, str.lstrip)
        _strip_edge(line, -1, str.rstrip)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    while len(lines) > 1 and not lines[0]:
        lines.pop(0)
    out: list[tuple] = []
    for i, line in enumerate(lines):
        if i:
            out.append(("break",))
        out.extend(_merge(_split_edge_spaces(_merge(line))))
    return out


def _merge(line: list[tuple]) -> list[tuple]:
    out: list[tuple] = []
    for item in line:
        if out and item[0] == "text" and out[-1][0] == "text" and out[-1][2] == item[2]:
            out[-1] = ("text", out[-1][1] + item[1], item[2])
        else:
            out.append(item)
    return out


def _is_code(item) -> bool:
    return item[0] == "text" and bool(item[2]) and item[2][-1][0] == "code"


def _strip_edge(line: list[tuple], end: int, strip) -> None:
    while line and line[end][0] == "text" and not _is_code(line[end]):
        text = strip(line[end][1])
        if text:
            line[end] = ("text", text, line[end][2])
            return
        line.pop(end)


def _split_edge_spaces(line: list[tuple]) -> list[tuple]:
    out: list[tuple] = []
    for i, item in enumerate(line):
        if item[0] != "text" or _is_code(item) or not any(m[0] in _DELIMS for m in item[2]):
            out.append(item)
            continue
        prev = line[i - 1][2] if i and line[i - 1][0] == "text" else ()
        nxt = line[i + 1][2] if i + 1 < len(line) and line[i + 1][0] == "text" else ()
        text, marks = item[1], item[2]
        body = text.strip()
        if not body:
            out.append(("text", text, tuple(m for m in marks if m in prev and m in nxt or m[0] == "link")))
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        if lead:
            out.append(("text", lead, tuple(m for m in marks if m in prev or m[0] not in _DELIMS)))
        out.append(("text", body, marks))
        if trail:
            out.append(("text", trail, tuple(m for m in marks if m in nxt or m[0] not in _DELIMS)))
    return out


def _escape(text: str, pipes: bool) -> str:
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i < last else ""
        if ch in "\\*`[]":
            out.append("\\" + ch)
        elif ch == "_" and not (before.isalnum() and after.isalnum()):
            out.append("\\_")
        elif ch == "~" and (before in ("", "~") or after in ("", "~")):
            out.append("\\~")
        elif ch == "<" and not after.isspace():
            out.append("\\<")
        elif ch == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        elif ch == "!" and i == last:
            out.append("\\!")
        elif ch == "|" and pipes:
            out.append("\\|")
        else:
            out.append(ch)
    return "".join(out)


def _escape_line_start(line: str) -> str:
    for pattern, where in _LINE_START:
        match = pattern.match(line)
        if match:
            cut = match.end() + where if where else match.start()
            return line[:cut] + "\\" + line[cut:]
    return line


def _code_span(text: str, ctx: str) -> str:
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip(" ")):
        text = " " + text + " "
    if ctx == "cell":
        text = text.replace("|", "\\|")
    return fence + text + fence


def link_target(href: str, title=None) -> str:
    """A link destination (and optional title) that parses back to exactly `href`."""
    if not href or re.search(r"[\s<>()\\]|[\x00-\x1f]", href):
        dest = "<" + re.sub(r"([<>\\])", r"\\\1", href.replace("\n", " ")) + ">"
    else:
        dest = _ENTITY.sub(r"\\&", href)
    if isinstance(title, str) and title:
        dest += ' "' + re.sub(r'(["\\])', r"\\\1", title) + '"'
    return dest


def _label(text: str) -> str:
    return _escape(text.replace("\n", " "), True)


def _mention(attrs: dict) -> tuple[str, str]:
    ident = str(attrs.get("id", ""))
    raw = attrs.get("text")
    text = raw if isinstance(raw, str) and raw else "@" + ident
    return ("atom", f"[{_label(text)}]({link_target('accountid:' + ident)})")


def _date(attrs: dict) -> _Piece:
    stamp = str(attrs.get("timestamp", ""))
    if not stamp.isdigit():
        return ("text", stamp or "[date]", ())
    try:
        day = datetime.fromtimestamp(int(stamp) // 1000, tz=timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return ("text", stamp, ())
    target = day if int(stamp) % _DAY_MS == 0 else stamp
    return ("atom", f"[{day}](date:{target})")


def _status(attrs: dict) -> _Piece:
    text = str(attrs.get("text") or "")
    color = str(attrs.get("color") or "neutral")
    if not text:
        return ("text", "[status]", ())
    return ("atom", f"[{_label(text)}]({link_target('status:' + color)})")


def _card(attrs: dict) -> _Piece:
    url = attrs.get("url")
    if not isinstance(url, str) or not url:
        raw = attrs.get("data")
        data = raw if isinstance(raw, dict) else {}
        return ("text", str(data.get("url") or data.get("name") or "[card]"), ())
    if _AUTOLINK.fullmatch(url):
        return ("atom", "<" + url + ">")
    return ("atom", f"[{_label(url)}]({link_target(url)})")


def media_markdown(attrs: dict, caption: str | None = None) -> str:
    """An image line for a media node: `![alt](media:ID?collection=C)` or `![alt](URL)`."""
    alt = _label(str(attrs.get("alt") or ""))
    if attrs.get("type") == "external" or ("url" in attrs and "id" not in attrs):
        target = str(attrs.get("url") or "")
    else:
        target = "media:" + str(attrs.get("id") or "")
        if attrs.get("collection"):
            target += "?collection=" + str(attrs["collection"])
    return f"![{alt}]({link_target(target, caption)})"


def _marker(kind, attrs: dict) -> str:
    key = attrs.get("extensionKey") or kind or "node"
    text = attrs.get("text")
    return f"[{key}: {text}]" if isinstance(text, str) and text else f"[{key}]"


def _emoji(attrs: dict) -> str:
    return str(attrs.get("text") or attrs.get("shortName") or "[emoji]")


def _placeholder(attrs: dict) -> str:
    return str(attrs.get("text") or "[placeholder]")


_ATOMS: dict[str, Callable[[dict], _Piece]] = {
    "mention": _mention,
    "date": _date,
    "status": _status,
    "inlineCard": _card,
    "mediaInline": lambda attrs: ("atom", media_markdown(attrs)),
    "media": lambda attrs: ("atom", media_markdown(attrs)),
}
_TEXTUAL: dict[str, Callable[[dict], str]] = {
    "emoji": _emoji,
    "placeholder": _placeholder,
    "inlineExtension": lambda attrs: _marker("inlineExtension", attrs),
}
KNOWN_BLOCKS = frozenset(
    {
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
        "rule",
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
        "blockCard",
        "embedCard",
        "layoutSection",
        "layoutColumn",
    }
)
