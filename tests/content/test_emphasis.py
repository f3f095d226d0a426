"""Emphasis survives the round trip: random text with random marks -> Markdown -> ADF keeps every
mark on every character, next to punctuation, letters, CJK text and other marks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf

CHARS = "ab Z9:.,!?\"'()-*_~`[]#<>&;/\\前重要：后。「」é🎉 "
MARKS = st.sampled_from([(), ("strong",), ("em",), ("strike",), ("strong", "em"), ("em", "strike"), ("strong", "em", "strike"), ("code",)])
runs = st.lists(st.tuples(st.text(alphabet=CHARS, min_size=1, max_size=6), MARKS), min_size=1, max_size=8)


def _doc(pieces) -> dict:
    content = []
    for text, marks in pieces:
        node: dict = {"type": "text", "text": text}
        if marks:
            node["marks"] = [{"type": m} for m in marks]
        content.append(node)
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": content}]}


def _chars(doc: dict) -> list[tuple[str, frozenset]]:
    out = []
    for block in doc["content"]:
        for node in block.get("content", []):
            for ch in node.get("text", ""):
                out.append((ch, frozenset(m["type"] for m in node.get("marks", []))))
    return out


def _comparable(chars: list[tuple[str, frozenset]]) -> list[tuple[str, frozenset]]:
    """Edge spaces of the paragraph go, and a space carries no emphasis Markdown could show."""
    text = "".join(c for c, _ in chars)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return [(c, marks if (not c.isspace() or "code" in marks) else frozenset()) for c, marks in chars[start:end]]


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(runs)
def test_every_mark_on_every_character_survives(pieces):
    doc = _doc(pieces)
    md = adf_to_markdown(doc)
    back = markdown_to_adf(md)
    assert _comparable(_chars(back)) == _comparable(_chars(doc)), md
    assert adf_to_markdown(back) == md  # and the Markdown is a fixpoint on the first pass


def test_known_cases():
    def one(*pieces):
        return adf_to_markdown(_doc(pieces))

    assert one(("Note:", ("strong",)), ("text", ())) == "**Note:**&#116;ext"
    assert one(("前", ()), ("重要：", ("strong",)), ("后", ())) == "前**重要：**&#21518;"
    assert one(("foo", ("strong", "em")), (" bar", ("em",))) == "***foo** bar*"
