"""Bodies for the fake Confluence: seed documents and a crude storage <-> ADF conversion.

Real Confluence converts between representations on its own; the fake only needs something
plausible: headings and paragraphs keep their text, everything else becomes paragraphs of text.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any


def page_adf(title: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Overview"}]},
            {"type": "paragraph", "content": [{"type": "text", "text": f"This page describes {title}."}]},
            {
                "type": "bulletList",
                "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "first point"}]}]},
                    {
                        "type": "listItem",
                        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "second point", "marks": [{"type": "strong"}]}]}],
                    },
                ],
            },
        ],
    }


def page_storage(title: str) -> str:
    return (
        f"<h2>Overview</h2><p>This page describes {html.escape(title)}.</p>"
        "<ul><li><p>first point</p></li><li><p><strong>second point</strong></p></li></ul>"
        '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>Note</p></ac:rich-text-body></ac:structured-macro>'
    )


def _text(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return node.get("text") or ""
    return "".join(_text(c) for c in node.get("content") or [])


def adf_blocks(doc: dict[str, Any]) -> list[str]:
    """Text of each paragraph, heading and code block, in order."""
    blocks: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("type") in ("paragraph", "heading", "codeBlock"):
            blocks.append(_text(node))
            return
        for child in node.get("content") or []:
            walk(child)

    walk(doc)
    return blocks


def adf_text(doc: dict[str, Any]) -> str:
    return "\n".join(adf_blocks(doc))


def adf_to_storage(doc: dict[str, Any]) -> str:
    out = []
    for node in doc.get("content") or []:
        if node.get("type") == "heading":
            level = (node.get("attrs") or {}).get("level", 1)
            out.append(f"<h{level}>{html.escape(_text(node))}</h{level}>")
        else:
            out += [f"<p>{html.escape(t)}</p>" for t in adf_blocks(node)]
    return "".join(out)


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.kind = "p"
        self.buf: list[str] = []

    def _flush(self) -> None:
        text = "".join(self.buf).strip()
        if text:
            self.blocks.append((self.kind, text))
        self.buf, self.kind = [], "p"

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "ac:plain-text-body"):
            self._flush()
            self.kind = tag if tag.startswith("h") and len(tag) == 2 else "p"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "ac:plain-text-body"):
            self._flush()

    def handle_data(self, data: str) -> None:
        self.buf.append(data)


def storage_to_adf(storage: str) -> dict[str, Any]:
    parser = _Blocks()
    parser.feed(storage)
    parser.close()
    parser._flush()
    content = []
    for kind, text in parser.blocks:
        node: dict[str, Any] = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
        if kind != "p":
            node = {"type": "heading", "attrs": {"level": int(kind[1])}, "content": node["content"]}
        content.append(node)
    return {"type": "doc", "version": 1, "content": content}
