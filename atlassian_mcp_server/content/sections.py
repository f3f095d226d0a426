"""Replace the content under one heading, in ADF or storage format, leaving the rest untouched."""

from __future__ import annotations

from html.parser import HTMLParser

from .nodes import plain_text

_VOID = {"br", "hr", "img", "col", "meta", "link", "input", "area", "base", "wbr", "source"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _normal(text: str) -> str:
    return " ".join(text.split())


def _pick(found: list[dict], heading: str) -> dict:
    """The one heading whose text equals `heading`, or a LookupError / ValueError naming the options."""
    wanted = _normal(heading)
    matches = [h for h in found if h["text"] == wanted]
    if not matches and wanted.startswith("#"):
        wanted = _normal(wanted.lstrip("#"))
        matches = [h for h in found if h["text"] == wanted]
    if not matches:
        names = ", ".join(repr(h["text"]) for h in found) or "none"
        raise LookupError(f"No heading {wanted!r} on the page; headings are: {names}.")
    if len(matches) > 1:
        where = ", ".join(f"#{found.index(h) + 1} (level {h['level']})" for h in matches)
        raise ValueError(f"Heading {wanted!r} appears {len(matches)} times: {where}; rename one first.")
    return matches[0]


def replace_section_adf(doc: dict, heading: str, new_content: list[dict]) -> dict:
    """A copy of `doc` where the blocks under `heading` (to the next heading of the same or
    higher level in the same container) are `new_content`; every other node is kept as is."""
    if not isinstance(doc, dict) or not isinstance(doc.get("content"), list):
        raise ValueError("expected an ADF document with a content list")
    if not isinstance(new_content, list) or not all(isinstance(n, dict) for n in new_content):
        raise ValueError("new_content must be a list of ADF block nodes")
    found: list[dict] = []
    _find_adf(doc, (), found)
    match = _pick(found, heading)
    return _rebuild(doc, match["path"], match["index"], new_content)


def _find_adf(node: dict, path: tuple, found: list[dict]) -> None:
    for index, child in enumerate(node.get("content") or []):
        if not isinstance(child, dict):
            continue
        if child.get("type") == "heading":
            level = (child.get("attrs") or {}).get("level", 1)
            found.append({"text": _normal(plain_text(child.get("content") or [])), "level": level, "path": path, "index": index})
        elif isinstance(child.get("content"), list) and child.get("type") != "paragraph":
            _find_adf(child, path + (index,), found)


def _rebuild(node: dict, path: tuple, index: int, new_content: list[dict]) -> dict:
    siblings = node["content"]
    if path:
        head, rest = path[0], path[1:]
        copy = list(siblings)
        copy[head] = _rebuild(siblings[head], rest, index, new_content)
        return {**node, "content": copy}
    level = (siblings[index].get("attrs") or {}).get("level", 1)
    end = next(
        (
            j
            for j in range(index + 1, len(siblings))
            if isinstance(siblings[j], dict) and siblings[j].get("type") == "heading" and (siblings[j].get("attrs") or {}).get("level", 1) <= level
        ),
        len(siblings),
    )
    return {**node, "content": siblings[: index + 1] + list(new_content) + siblings[end:]}


class _HeadingScanner(HTMLParser):
    """Offsets of every heading and of every element's closing tag in storage XHTML."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.stack: list[int] = [0]
        self.closes: dict[int, int] = {0: len(source)}
        self.headings: list[dict] = []
        self.current: dict | None = None
        self.next_id = 1

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in _HEADINGS and self.current is None:
            self.current = {"level": _HEADINGS[tag], "parent": self.stack[-1], "start": self._offset(), "tag": tag, "parts": []}
        if tag not in _VOID:
            self.stack.append(self.next_id)
            self.next_id += 1

    def handle_endtag(self, tag):
        start = self._offset()
        if self.current is not None and tag == self.current["tag"]:
            self.current["end"] = self.source.index(">", start) + 1
            self.current["text"] = _normal("".join(self.current.pop("parts")))
            self.headings.append(self.current)
            self.current = None
        if tag not in _VOID and len(self.stack) > 1:
            self.closes[self.stack.pop()] = start

    def handle_data(self, data):
        if self.current is not None:
            self.current["parts"].append(data)


def replace_section_storage(xhtml: str, heading: str, new_xhtml: str) -> str:
    """`xhtml` with the markup under `heading` replaced by `new_xhtml`; every other byte kept."""
    scanner = _HeadingScanner(xhtml)
    scanner.feed(xhtml)
    scanner.close()
    found = scanner.headings
    match = _pick(found, heading)
    later = [h for h in found if h["parent"] == match["parent"] and h["start"] >= match["end"] and h["level"] <= match["level"]]
    end = later[0]["start"] if later else scanner.closes.get(match["parent"], len(xhtml))
    return xhtml[: match["end"]] + new_xhtml + xhtml[end:]
