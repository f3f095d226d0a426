"""Corpus round trip: Markdown from ADF is a fixpoint, and every emitted document validates."""

import re
from collections import Counter

import pytest
from corpus import CORPUS, LOSSY

from atlassian_mcp_server.content import adf_to_markdown, validate_adf
from atlassian_mcp_server.content.nodes import plain_text
from atlassian_mcp_server.content.restore import convert

ALL = {**CORPUS, **LOSSY}


def test_corpus_is_large_enough():
    assert len(ALL) >= 60


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_documents_are_valid_adf(name):
    validate_adf(CORPUS[name])


@pytest.mark.parametrize("name", sorted(ALL))
def test_markdown_is_a_fixpoint(name):
    md = adf_to_markdown(ALL[name])
    back, problems = convert(md, ALL[name])  # placeholders resolve against the document read
    assert not problems
    if name != "unknown_node":  # the one document that is not valid ADF to begin with
        validate_adf(back)
    assert adf_to_markdown(back) == md


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_text_character_is_dropped(name):
    md = adf_to_markdown(ALL[name])
    have = Counter(re.sub(r"(?<!\\)&#(\d+);", lambda m: chr(int(m.group(1))), md))  # emphasis may spell a neighbour as &#NN;
    for char, count in Counter(plain_text(ALL[name]["content"])).items():
        if not char.isspace():
            assert have[char] >= count, (char, md)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_fast_schema_check_agrees_with_jsonschema_on_corpus(name):
    from atlassian_mcp_server.content.schema import _fast, _validator

    assert _fast()(CORPUS[name]) is _validator().is_valid(CORPUS[name]) is True
