"""Emphasis survives the round trip: random text with random marks -> Markdown -> ADF keeps every
mark on every character, next to punctuation, letters, CJK text and other marks."""

from __future__ import annotations

import pytest
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


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(runs)
def test_every_mark_on_every_character_survives(pieces):
    doc = _doc(pieces)
    md = adf_to_markdown(doc)
    back = markdown_to_adf(md)
    assert _comparable(_chars(back)) == _comparable(_chars(doc)), md
    assert adf_to_markdown(back) == md  # and the Markdown is a fixpoint on the first pass


LINKED = st.sampled_from([("link:https://x/1",), ("link:https://x/1", "em"), ("link:https://x/2", "strong"), ("link:https://x/1", "strong", "em")])
linked_runs = st.lists(st.tuples(st.text(alphabet=CHARS, min_size=1, max_size=6), MARKS | LINKED), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(linked_runs)
def test_marks_survive_inside_and_beside_links(pieces):
    doc = _link_doc(pieces)
    md = adf_to_markdown(doc)
    back = markdown_to_adf(md)
    assert _comparable(_link_chars(back)) == _comparable(_link_chars(doc)), md
    assert adf_to_markdown(back) == md


def test_known_cases():
    def one(*pieces):
        return adf_to_markdown(_doc(pieces))

    assert one(("Note:", ("strong",)), ("text", ())) == "**Note:**&#116;ext"
    assert one(("前", ()), ("重要：", ("strong",)), ("后", ())) == "前**重要：**&#21518;"
    assert one(("foo", ("strong", "em")), (" bar", ("em",))) == "***foo** bar*"


def _link_doc(pieces) -> dict:
    """Like _doc, with `link:HREF` marks."""
    doc = _doc(pieces)
    for node in doc["content"][0]["content"]:
        for mark in node.get("marks", []):
            if mark["type"].startswith("link:"):
                mark.update(type="link", attrs={"href": mark["type"][5:]})
    return doc


def _link_chars(doc: dict) -> list[tuple[str, frozenset]]:
    """Characters with their marks, a link's href included; a space keeps its link (Markdown shows that)."""
    return _comparable_links(_all_link_chars(doc))


def _comparable_links(chars: list[tuple[str, frozenset]]) -> list[tuple[str, frozenset]]:
    kept = _comparable(chars)
    start = next(i for i, (c, _) in enumerate(chars) if not c.isspace()) if kept else 0
    return [(c, m or frozenset(x for x in chars[start + i][1] if x.startswith("link:"))) for i, (c, m) in enumerate(kept)]


def _all_link_chars(doc: dict) -> list[tuple[str, frozenset]]:
    return [
        (ch, frozenset(m["type"] + ":" + m["attrs"]["href"] if m["type"] == "link" else m["type"] for m in node.get("marks", [])))
        for block in doc["content"]
        for node in block.get("content", [])
        for ch in node.get("text", "")
    ]


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        # A space moved out of a run kept the run's emphasis: the delimiters depended on where the runs had
        # been cut, and the ADF read back (space unmarked) wrote `~~9*9*~~ ***9***`.
        ([("9", ("strike",)), ("9", ("em", "strike")), (" 9", ("strong", "em"))], "~~9*9*~~ **_9_**"),
        # So a space takes the emphasis both its neighbours share, whatever its own marks.
        ([("ab", ("em",)), (" ", ()), ("cd", ("em",))], "*ab cd*"),
        ([("ab", ("em",)), (" ", ("strong",)), ("cd", ("em",))], "*ab cd*"),
        ([("ab ", ("strong", "em")), ("cd", ("em",))], "***ab** cd*"),
        # A bare `9_9` inside `_..._`: once the last 9 became `&#57;` the `_` before it could close.
        ([("9", ("strong",)), ("9_9", ("em",)), (":", ("strong", "em"))], "**9**_9\\_&#57;**:**_"),
        ([("9", ("em",)), ("9_9", ("strong",)), (":", ("strong", "em"))], "*9*__9\\_&#57;*:*__"),
        (
            [("9", ("strong", "em")), ("9", ("strong",)), ("9_9", ()), ("9", ("strong", "em", "strike"))],
            "***9*&#57;**&#57;\\_&#57;**_~~9~~_**",
        ),
        # A space at the end of a link kept emphasis it shared with what followed: it left the link
        # (`[*-*](...) **_：_**`), or its delimiters were cut (`[***Z* **](...)`).
        ([("- ", ("link:https://x/1", "em")), ("：", ("strong", "em"))], "[*-* ](https://x/1)**_：_**"),
        (
            [("Z ", ("link:https://x/1", "strong", "em")), ("_", ("link:https://x/2", "strong"))],
            "[***Z*** ](https://x/1)[**\\_**](https://x/2)",
        ),
    ],
)
def test_round_trip_cases(pieces, expected):
    doc = _link_doc(pieces)
    md = adf_to_markdown(doc)
    assert md == expected
    back = markdown_to_adf(md)
    assert _comparable(_link_chars(back)) == _comparable(_link_chars(doc)), md
    assert adf_to_markdown(back) == md
