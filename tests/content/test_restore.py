"""Write-back on the corpus: read -> write back is the same document, through the merge path too."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from corpus import CORPUS, LOSSY

from atlassian_mcp_server.content import adf_to_markdown, write_back

sys.path.insert(0, str(Path(__file__).parents[1]))
from fakecloud import rich_content  # noqa: E402

RICH = {
    "rich_release_page": rich_content.RELEASE_PAGE,
    "rich_layout_page": rich_content.LAYOUT_PAGE,
    "rich_issue_description": rich_content.ISSUE_DESCRIPTION,
    "rich_issue_comment": rich_content.ISSUE_COMMENT,
}
ALL = {**CORPUS, **LOSSY, **RICH}


@pytest.mark.parametrize("name", sorted(ALL))
def test_unchanged_markdown_writes_the_document_itself(name):
    doc = copy.deepcopy(ALL[name])
    written, lost = write_back(adf_to_markdown(doc), doc)
    assert written is doc and not lost


@pytest.mark.parametrize("name", sorted(ALL))
def test_an_added_paragraph_keeps_every_other_node_byte_for_byte(name):
    doc = copy.deepcopy(ALL[name])
    written, lost = write_back(adf_to_markdown(doc) + "\n\nOne more paragraph.", doc)
    assert not lost
    assert json.dumps(written["content"][:-1]) == json.dumps(doc["content"])
    assert written["content"][-1]["content"][0]["text"] == "One more paragraph."


@pytest.mark.parametrize("name", sorted(RICH))
def test_a_paragraph_added_first_keeps_every_other_node(name):
    doc = copy.deepcopy(ALL[name])
    written, lost = write_back("First words.\n\n" + adf_to_markdown(doc), doc)
    assert not lost and json.dumps(written["content"][1:]) == json.dumps(doc["content"])


def test_marks_markdown_cannot_say_stay_on_surviving_words():
    doc = copy.deepcopy(rich_content.RELEASE_PAGE)
    md = adf_to_markdown(doc).replace("This release was", "This big release was").replace("underlined and", "underlined, and")
    written, lost = write_back(md, doc)
    assert not lost
    para = next(b for b in written["content"] if b["type"] == "paragraph")
    texts = {n.get("text"): [m["type"] for m in n.get("marks", [])] for n in para["content"] if n["type"] == "text"}
    assert texts["This big release was "] == [] and texts["reviewed"] == ["annotation"] and texts["underlined"] == ["underline"]
    assert texts["signed off"] == ["strong", "annotation"] and texts["2"] == ["subsup"]
    assert [n["type"] for n in para["content"]].count("emoji") == 1


def test_a_rewritten_anchor_and_an_unknown_placeholder_are_named():
    doc = copy.deepcopy(rich_content.RELEASE_PAGE)
    md = adf_to_markdown(doc)
    _, lost = write_back(md.replace("reviewed", "checked") + "\n\n<!--adf:0123abcd extension-->", doc)
    assert any("'reviewed'" in item for item in lost) and any("0123abcd" in item for item in lost)


def test_a_container_placeholder_without_its_closing_is_refused():
    doc = copy.deepcopy(rich_content.LAYOUT_PAGE)
    md = "\n".join(line for line in adf_to_markdown(doc).splitlines() if not line.startswith("<!--/adf:"))
    _, lost = write_back(md, doc)
    assert lost and "has no closing" in lost[0]


def test_deleting_a_container_placeholder_pair_keeps_its_text():
    doc = copy.deepcopy(rich_content.RELEASE_PAGE)
    md = adf_to_markdown(doc)
    ids = {line[8:16] for line in md.splitlines() if "layoutSection" in line or "layoutColumn" in line}
    lines = [line for line in md.splitlines() if not any(f"adf:{i}" in line for i in ids)]
    written, lost = write_back("\n".join(lines), doc)
    assert not lost
    assert "layoutSection" not in json.dumps(written) and "Left column text." in json.dumps(written)


SPEC = json.loads((Path(__file__).parent / "data" / "commonmark_spec_examples.json").read_text(encoding="utf-8"))["examples"]


def test_commonmark_spec_examples_are_a_fixpoint_and_write_back_whole():
    """All 649 CommonMark spec examples: Markdown from their ADF reads back as the same Markdown on
    the first pass, and written back (unchanged, or with a paragraph added) keeps every node."""
    from atlassian_mcp_server.content import markdown_to_adf, validate_adf

    assert len(SPEC) == 649
    for md in SPEC:
        doc = markdown_to_adf(md)
        validate_adf(doc)
        shown = adf_to_markdown(doc)
        assert adf_to_markdown(markdown_to_adf(shown)) == shown, md
        written, lost = write_back(shown, doc)
        assert written is doc and not lost
        written, lost = write_back(shown + "\n\nend", doc)
        assert not lost and json.dumps(written["content"][:-1]) == json.dumps(doc["content"]), md


def test_words_typed_between_layout_columns_are_refused():
    doc = copy.deepcopy(rich_content.LAYOUT_PAGE)
    md = adf_to_markdown(doc)
    first_close = next(line for line in md.splitlines() if line.startswith("<!--/adf:"))
    _, lost = write_back(md.replace(first_close, first_close + "\n\nstray words"), doc)
    assert any("cannot sit directly inside a layoutSection" in item for item in lost)
