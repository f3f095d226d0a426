"""Cases the property tests found, pinned so they stay fixed."""

from __future__ import annotations

import pytest

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, validate_adf


def test_caption_of_an_image_inside_a_table_cell_keeps_its_text() -> None:
    doc = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "table",
                "content": [
                    {
                        "type": "tableRow",
                        "content": [
                            {
                                "type": "tableCell",
                                "content": [
                                    {
                                        "type": "mediaSingle",
                                        "attrs": {"layout": "center"},
                                        "content": [
                                            {"type": "media", "attrs": {"type": "file", "id": "m", "collection": "", "alt": "a.png"}},
                                            {"type": "caption", "content": [{"type": "text", "text": "cap"}]},
                                        ],
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    md = adf_to_markdown(doc)
    assert "cap" in md and "media:m" in md
    validate_adf(markdown_to_adf(md))


def test_issue16_small_losses():
    # the same mark twice on one text node
    assert markdown_to_adf("**a **b** c**")["content"][0]["content"] == [{"type": "text", "text": "a b c", "marks": [{"type": "strong"}]}]
    # an email autolink is a mailto link, not a smart-link card
    assert markdown_to_adf("<me@x.io>")["content"][0]["content"][0]["marks"] == [{"type": "link", "attrs": {"href": "mailto:me@x.io"}}]
    # a media node with an empty id and a URL keeps its URL
    media = {"type": "media", "attrs": {"type": "file", "id": "", "url": "https://x.y/i.png", "collection": ""}}
    md = adf_to_markdown({"type": "doc", "version": 1, "content": [{"type": "mediaSingle", "content": [media]}]})
    assert md == "![](https://x.y/i.png)"
    # text inside an unknown node stays visible, between its placeholders
    unknown = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "futureNode", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "kept"}]}]}],
    }
    assert "\n\nkept\n\n" in adf_to_markdown(unknown)
    # labelled panels and expands are a fixpoint on the first pass
    for text in ("> [!WARNING]\n>\n> text", "> [!EXPAND] Title\n>\n> body", "> [!EXPAND] T\n> - a", "> [!NOTE]\n>\n> p1\n>\n> p2"):
        once = adf_to_markdown(markdown_to_adf(text))
        assert adf_to_markdown(markdown_to_adf(once)) == once


def test_text_with_two_links_renders_the_same_in_every_process() -> None:
    """The order of two link marks on one text came from a set, so it changed with the hash seed."""
    import os
    import subprocess
    import sys

    script = (
        "from atlassian_mcp_server.content import adf_to_markdown\n"
        "links = [{'type': 'link', 'attrs': {'href': h}} for h in ('https://a.example', 'https://b.example')]\n"
        "text = {'type': 'text', 'text': 'x y', 'marks': [*links, {'type': 'strong'}]}\n"
        "print(adf_to_markdown({'type': 'doc', 'content': [{'type': 'paragraph', 'content': [text, {'type': 'text', 'text': ' w'}]}]}))\n"
    )
    seen = {
        subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(seen) == 1, seen


def test_nested_panels_render_each_level_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel or expand whose first child is another one rendered that child twice (once to learn
    what it shows), so 30 levels took 2**30 renderings: a page could stall the server."""
    from atlassian_mcp_server.content import adf_to_md

    node: dict = {"type": "paragraph", "content": [{"type": "text", "text": "deep"}]}
    for level in range(30):
        node = {"type": "panel" if level % 2 else "expand", "attrs": {"panelType": "note", "title": f"L{level}"}, "content": [node]}
    calls = []
    real = adf_to_md._block
    monkeypatch.setattr(adf_to_md, "_block", lambda n: calls.append(n) or real(n))
    markdown = adf_to_markdown({"type": "doc", "version": 1, "content": [node]})
    assert len(calls) == 31  # 30 labelled blocks and the paragraph, each once
    assert markdown.count("[!EXPAND] L") == 15 and markdown.count("[!NOTE]") == 15 and markdown.endswith("deep")
