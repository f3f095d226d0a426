"""ADF inline nodes to Markdown: marks, escaping, mentions, dates, status and media."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

from . import keep

# Context: "block" (a paragraph line), "heading" (one line), "cell" (one table-cell line).
_MARK_RANK = {"link": 0, "strong": 1, "em": 2, "strike": 3, "code": 4}
_DELIMS = {"strong": "**", "em": "*", "strike": "~~"}
_OTHER = {"strong": "__", "em": "_"}
_DAY_MS = 86_400_000
# An inline piece: ("atom", markdown) for ready Markdown, or ("text", text, ()) for unmarked text to escape.
_Piece = tuple[str, str] | tuple[str, str, tuple[()]]
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# One regex pass instead of a loop per character (one alternative per rule in _escape; every one matches a
# single character and looks only at the unescaped text around it). `[^\W_]` is exactly str.isalnum.
_ESCAPE_RULES = r"[\\*`\[\]]|(?<![^\W_])_|_(?![^\W_])|(?<![^~])~|~(?![^~])|<(?!\s)|!\Z|" + _ENTITY.pattern
_ESCAPE = re.compile(_ESCAPE_RULES)
_ESCAPE_PIPES = re.compile(_ESCAPE_RULES + r"|\|")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*")
_LINE_START_CHAR = re.compile(r"[#>+=\-\d]")
_LINE_START = [
    (re.compile(r"#{1,6}(?=[ \t]|$)"), 0),
    (re.compile(r">"), 0),
    (re.compile(r"[-+](?=[ \t]|$)"), 0),
    (re.compile(r"\d{1,9}[.)](?=[ \t]|$)"), -1),
    (re.compile(r"=+[ \t]*$"), 0),
    (re.compile(r"-+[ \t]*$"), 0),
]


class _Open(str):
    """An opening emphasis delimiter in the output."""


class _Shut(str):
    """A closing emphasis delimiter in the output."""


class _Fixed(str):
    """Output that is Markdown already (atoms, code spans, links' brackets and targets)."""


def render_inline(nodes: list, ctx: str = "block") -> str:
    """Render inline ADF nodes; hard breaks become newlines (block) or `<br>` (heading, cell)."""
    items = _normalise(_items(nodes))
    pipes = ctx == "cell" or (ctx == "block" and any(item[0] == "break" for item in items))
    lines: list[str] = []
    if any(len(item) == 3 and item[2] for item in items):
        lines = _marked_lines(items, pipes, ctx)
    else:  # no marks (most text): no delimiter to open, close or flank, so a line is its escaped text and atoms
        out: list[str] = []
        for item in items:
            if item[0] == "break":
                lines.append("".join(out))
                out = []
            else:
                out.append(item[1] if item[0] == "atom" else _escape(item[1], pipes))
        lines.append("".join(out))
    if lines == [""]:
        return ""
    if ctx == "block":
        return "\n".join(_escape_line_start(line) if line else "\\" for line in lines)
    text = "<br>".join(lines)
    if ctx == "heading" and text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def _marked_lines(items: list[tuple], pipes: bool, ctx: str) -> list[str]:
    """The lines of inline items some of which carry marks: emphasis delimiters, links and code spans."""
    lasting = _lasting(items)
    lines: list[str] = []
    out: list[str] = []
    stack: list[tuple] = []
    closed: set[tuple] = set()  # marks closed on this line: one reopened inside another `*` span alternates to `_`
    for index, item in enumerate(items):
        if item[0] != "text" or not item[2]:
            _close(stack, 0, out)
        if item[0] == "break":
            lines.append(_flanked(out))
            out = []
            closed.clear()
            continue
        if item[0] == "atom":
            out.append(_Fixed(item[1]))
            continue
        _, text, marks = item
        keep = 0
        while keep < len(stack) and stack[keep][:3] in marks or keep < len(stack) and stack[keep][:-1] in marks and stack[keep][-1] == "alt":
            keep += 1
        closed.update(m[:-1] if m[-1] == "alt" else m for m in stack[keep:])
        _close(stack, keep, out)
        opened = {m[:-1] if m[-1] == "alt" else m for m in stack}
        opening = sorted((m for m in marks if m not in opened), key=lambda m: (m[0] != "link", m[0] == "code", -lasting[index].get(m, 0)))
        if not text.strip() and not (marks and marks[-1][0] == "code"):
            opening = [m for m in opening if m[0] not in _DELIMS]  # spaces never open emphasis
        lead = text[: len(text) - len(text.lstrip())] if any(m[0] in _DELIMS for m in opening) else ""
        if lead and not (marks and marks[-1][0] == "code"):  # emphasis opens after the spaces, never before
            out.append(_escape(lead, pipes))
            text = text[len(lead) :]
        for mark in opening:
            stack.append(mark)
            delim = _DELIMS.get(mark[0], "")
            reopened = mark in closed and any(o[0] in _OTHER and o[-1] != "alt" for o in stack[:-1])
            if mark[0] in _OTHER and (reopened or (out and isinstance(out[-1], _Shut) and out[-1][0] == delim[0])):
                delim = _OTHER[mark[0]]  # `**a**_b_`, not `**a***b*`: one run cannot both close and open
                stack[-1] = mark + ("alt",)
            out.append(_Fixed("[") if mark[0] == "link" else _Open(delim))
        if marks and marks[-1][0] == "code":
            out.append(_Fixed(_code_span(text, ctx)))
        else:
            out.append(_escape(text, pipes))
    _close(stack, 0, out)
    lines.append(_flanked(out))
    return lines


def _lasting(items: list[tuple]) -> list[dict]:
    """For each item, how many text items from it on each of its marks lasts (longer ones open first)."""
    out: list[dict] = [{} for _ in items]
    following: dict = {}
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if item[0] == "text" and not item[1].strip():  # spaces neither count nor break a run
            out[index] = {m: following.get(m, 0) for m in item[2]}
            continue
        following = {m: following.get(m, 0) + 1 for m in item[2]} if item[0] == "text" else {}
        out[index] = following
    return out


def _flanked(pieces: list[str]) -> str:
    """Join a line's pieces so that CommonMark reads every emphasis delimiter as we meant it: where a
    delimiter run could not open (closing) because of the punctuation beside it and a letter on the
    other side, that letter is written as a character reference (`**Note:**&#116;ext`)."""
    if not any(isinstance(p, (_Open, _Shut)) for p in pieces):  # no emphasis delimiter: nothing to flank
        return "".join(pieces)
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

    def punct(ch: str) -> bool:
        return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)

    def scan(last: str, nxt: str, marker: str) -> tuple[bool, bool]:
        """(can open, can close), as markdown-it's scanDelims decides."""
        lp, np_, lw, nw = punct(last), punct(nxt), isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
        left = not (nw or (np_ and not (lw or lp)))
        right = not (lw or (lp and not (nw or np_)))
        split = marker != "_"
        return left and (split or not right or lp), right and (split or not left or np_)

    pieces = [p for p in pieces if p]
    for _ in range(len(pieces)):  # a fix can change the next run's neighbour: again until none is needed
        if not _flank_pass(pieces, punct, scan, isWhiteSpace):
            break
    return "".join(pieces)


def _flank_pass(pieces: list[str], punct, scan, white) -> bool:
    changed = False
    # Delimiters opened minus closed so far, by delimiter character: kept as the pass moves right
    # (summing the pieces before each run instead made a line of n marked runs cost n**2).
    # Every delimiter before a run was in an earlier run, and the pass only rewrites plain text.
    pending_by: dict[str, int] = {}
    i = 0
    while i < len(pieces):
        if not isinstance(pieces[i], (_Open, _Shut)):
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and isinstance(pieces[j + 1], (_Open, _Shut)) and pieces[j + 1][0] == pieces[i][0]:
            j += 1
        before = pieces[i - 1] if i else ""
        after = pieces[j + 1] if j + 1 < len(pieces) else ""
        last, nxt = (before[-1] if before else " "), (after[0] if after else " ")
        run = pieces[i : j + 1]
        can_open, can_close = scan(last, nxt, pieces[i][0])
        plain_before = before and not isinstance(before, (_Open, _Shut, _Fixed))
        plain_after = after and not isinstance(after, (_Open, _Shut, _Fixed))
        opens, shuts = any(isinstance(p, _Open) for p in run), any(isinstance(p, _Shut) for p in run)
        pending = pending_by.get(pieces[i][0], 0)
        pending_by[pieces[i][0]] = pending + sum(1 if isinstance(p, _Open) else -1 for p in run)
        if opens and not (can_open and (shuts or not can_close or not pending)) and plain_before and not punct(last) and not white(ord(last)):
            rest = before[:-1]
            if rest.endswith("_") and not rest.endswith("\\_"):  # `a_b` stayed bare: `a_&#98;` would flank
                rest = rest[:-1] + "\\_"
            pieces[i - 1] = rest + f"&#{ord(last)};"
            changed = True
        elif shuts and not (can_close and (opens or not can_open)) and plain_after and not punct(nxt) and not white(ord(nxt)):
            pieces[j + 1] = _Fixed(f"&#{ord(nxt)};")
            rest = after[1:]
            pieces.insert(j + 2, "\\" + rest if rest.startswith("_") else rest)  # as above
            changed = True
        i = j + 1
    return changed


def _close(stack: list, keep: int, out: list[str]) -> None:
    trail = ""
    if len(stack) > keep and out and type(out[-1]) is str and any(m[0] in _DELIMS for m in stack[keep:]):
        body = out[-1].rstrip(" \t")
        if body and not body.endswith("\\"):  # emphasis closes before the spaces, never after
            out[-1], trail = body, out[-1][len(body) :]
    while len(stack) > keep:
        mark = stack.pop()
        if mark[0] == "link":
            out.append(_Fixed("](" + link_target(mark[1], mark[2]) + ")"))
        elif mark[0] != "code":
            out.append(_Shut(_OTHER[mark[0]] if mark[-1] == "alt" else _DELIMS[mark[0]]))
    if trail:
        out.append(trail)


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
            if "\n" not in text and "\r" not in text:  # one line: the split below would give just `text`
                if text:
                    items.append(("text", text, marks))
                continue
            for i, piece in enumerate(_NEWLINE.split(text)):
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
        elif kind == keep.RAW:
            if not keep.PLAIN.get():
                items.append(("atom", str(node.get("text"))))
        elif kind in keep.OPAQUE_INLINE or kind in keep.OPAQUE_BLOCKS or kind in keep.WRAPPERS or kind not in keep.KNOWN_BLOCKS:
            if keep.PLAIN.get():
                items.append(("text", keep.marker(node), ()))
                if kind in keep.WRAPPERS or kind not in keep.KNOWN_BLOCKS:
                    items.extend(_items(node.get("content")))
            elif keep.is_wrapper(node):  # a bodied macro or layout inside a table cell: its text stays visible
                items.append(("atom", keep.opening(node)))
                items.extend(_items(node.get("content")))
                items.append(("atom", keep.closing(node)))
            else:
                items.append(("atom", keep.opening(node)))
        else:
            items.extend(_items(node.get("content")))
    return items


def _marks(raw) -> tuple:
    if not raw:  # most text has no marks
        return ()
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
    return tuple(sorted(set(marks), key=_mark_order))


def _mark_order(mark: tuple) -> tuple:
    """Marks in rank order; two links on one text (no editor writes that) by their target and title,
    so that the order never depends on a set's (hash-seeded) order."""
    return (_MARK_RANK[mark[0]], repr(mark[1:]))


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
    """Whitespace carries no emphasis of its own (Markdown cannot show it): every run of spaces outside
    code takes exactly the emphasis both its neighbours share (none where a link begins or ends beside
    it), whatever it had. The runs, and so the delimiters written for them, then depend on the visible
    characters only, and the ADF our Markdown reads back to writes the same Markdown again.

    Only runs at the edges of a text (and texts of spaces alone) are split off: a run inside a text has
    that text on both sides, so it keeps the text's marks, and an unmarked text keeps none; the result,
    once merged, is the same as splitting at every run."""
    if not any(item[0] == "text" and item[2] for item in line):  # no marks anywhere: nothing to share
        return line
    parts: list[tuple] = []
    for item in line:
        if item[0] != "text" or _is_code(item) or not item[2]:
            parts.append(item)
            continue
        text = item[1]
        body = text.strip()
        if not body:  # spaces alone (an empty text splits into nothing)
            if text:
                parts.append(item)
            continue
        start = len(text) - len(text.lstrip())
        end = start + len(body)
        if start:
            parts.append(("text", text[:start], item[2]))
        parts.append(("text", body, item[2]))
        if end < len(text):
            parts.append(("text", text[end:], item[2]))
    blank = [p[0] == "text" and not _is_code(p) and not p[1].strip() for p in parts]
    before: list[tuple] = []  # the marks of the nearest non-blank part on each side of each part
    shown: tuple = ()
    for i, part in enumerate(parts):
        before.append(shown)
        if not blank[i]:
            shown = () if part[0] != "text" else part[2]
    after: list[tuple] = [()] * len(parts)
    shown = ()
    for i in range(len(parts) - 1, -1, -1):
        after[i] = shown
        if not blank[i]:
            shown = () if parts[i][0] != "text" else parts[i][2]
    out: list[tuple] = []
    for i, part in enumerate(parts):
        if not blank[i]:
            out.append(part)
            continue
        own = {m for m in part[2] if m[0] not in _DELIMS}
        if all({m for m in side if m[0] not in _DELIMS} == own for side in (before[i], after[i])):  # same link
            own |= {m for m in before[i] if m in after[i] and m[0] in _DELIMS}
        out.append(("text", part[1], tuple(sorted(own, key=_mark_order))))
    return out


def _escape(text: str, pipes: bool) -> str:
    """Backslash-escape what Markdown would read as syntax, each character judged by its neighbours in
    `text`: always `\\ * ` [ ]`; `_` unless between two letters or digits; `~` at an edge or beside another
    `~`; `<` unless whitespace follows; `&` starting an entity; `!` at the very end; `|` in cells (`pipes`)."""
    return (_ESCAPE_PIPES if pipes else _ESCAPE).sub(r"\\\g<0>", text)


def _escape_line_start(line: str) -> str:
    if not _LINE_START_CHAR.match(line):  # every pattern below starts with one of these characters
        return line
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


_BARE_UNSAFE = re.compile(r"[\s<>()\\]|[\x00-\x1f]")  # what a bare link destination cannot hold
_ANGLED_ESCAPE = re.compile(r"([<>\\])")
_TITLE_ESCAPE = re.compile(r'(["\\])')


def link_target(href: str, title=None) -> str:
    """A link destination (and optional title) that parses back to exactly `href`."""
    if not href or _BARE_UNSAFE.search(href):
        dest = "<" + _ANGLED_ESCAPE.sub(r"\\\1", href.replace("\n", " ")) + ">"
    else:
        dest = _ENTITY.sub(r"\\&", href)
    if isinstance(title, str) and title:
        dest += ' "' + _TITLE_ESCAPE.sub(r"\\\1", title) + '"'
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
    if attrs.get("type") == "external" or (attrs.get("url") and not attrs.get("id")):
        target = str(attrs.get("url") or "")
    else:
        target = "media:" + str(attrs.get("id") or "")
        if attrs.get("collection"):
            target += "?collection=" + str(attrs["collection"])
    return f"![{alt}]({link_target(target, caption)})"


def _emoji(attrs: dict) -> str:
    return str(attrs.get("text") or attrs.get("shortName") or "[emoji]")


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
}
