"""Cases the property tests found, pinned so they stay fixed."""

from __future__ import annotations

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
