"""Section replacement: only the content under the chosen heading changes."""

import copy

import pytest
from corpus import doc, h, p, panel, t

from atlassian_mcp_server.content import replace_section_adf, replace_section_storage


def page():
    return doc(
        h(1, t("Intro")),
        p(t("a")),
        h(2, t("Plan")),
        p(t("old")),
        h(3, t("Detail")),
        p(t("d")),
        h(2, t("Risks")),
        p(t("r")),
        panel("info", h(2, t("Inside")), p(t("i")), p(t("j"))),
    )


def test_replaces_until_next_heading_of_same_level():
    original = page()
    before = copy.deepcopy(original)
    result = replace_section_adf(original, "Plan", [p(t("new"))])
    assert [n.get("content", [{}])[0].get("text") for n in result["content"][:5]] == ["Intro", "a", "Plan", "new", "Risks"]
    assert result["content"][5] is original["content"][7]
    assert original == before


def test_nested_heading_inside_panel():
    result = replace_section_adf(page(), "Inside", [p(t("x"))])
    assert result["content"][-1]["content"] == [h(2, t("Inside")), p(t("x"))]


def test_missing_heading_lists_available():
    with pytest.raises(LookupError, match="'Intro', 'Plan', 'Detail'"):
        replace_section_adf(page(), "Nope", [])


def test_ambiguous_heading():
    with pytest.raises(ValueError, match="appears 2 times"):
        replace_section_adf(doc(h(2, t("X")), h(2, t("X"))), "X", [])


def test_heading_with_hashes_and_spacing():
    result = replace_section_adf(page(), "##  Risks ", [])
    assert result["content"][-1] == h(2, t("Risks"))


STORAGE = (
    "<h1>Intro</h1><p>keep &amp; this</p>\n"
    '<h2>Plan</h2><p>old</p><ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[<h2>Fake</h2>]]>'
    "</ac:plain-text-body></ac:structured-macro>\n<h3>Sub</h3><p>s</p>\n"
    '<h2 class="x">Risks &amp; issues</h2><p>r</p>'
    "<ac:layout><ac:layout-section><ac:layout-cell><h2>Cell</h2><p>c</p></ac:layout-cell>"
    "<ac:layout-cell><p>other</p></ac:layout-cell></ac:layout-section></ac:layout>"
)


def test_storage_replace_keeps_every_other_byte():
    result = replace_section_storage(STORAGE, "Plan", "<p>new</p>")
    start = STORAGE.index("<h2>Plan</h2>") + len("<h2>Plan</h2>")
    end = STORAGE.index('<h2 class="x">')
    assert result == STORAGE[:start] + "<p>new</p>" + STORAGE[end:]


def test_storage_heading_in_layout_cell_stops_at_cell_end():
    result = replace_section_storage(STORAGE, "Cell", "<p>n</p>")
    assert result == STORAGE.replace("<h2>Cell</h2><p>c</p>", "<h2>Cell</h2><p>n</p>")


def test_storage_entities_in_heading_text():
    result = replace_section_storage(STORAGE, "Risks & issues", "<p>n</p>")
    assert result.endswith('<h2 class="x">Risks &amp; issues</h2><p>n</p>')


def test_storage_cdata_headings_are_not_headings():
    with pytest.raises(LookupError, match="'Intro', 'Plan', 'Sub', 'Risks & issues', 'Cell'"):
        replace_section_storage(STORAGE, "Fake", "")


def test_storage_last_section_runs_to_end():
    xhtml = "<h1>A</h1><p>1</p><h1>B</h1><p>2</p>\n"
    assert replace_section_storage(xhtml, "B", "<p>3</p>") == "<h1>A</h1><p>1</p><h1>B</h1><p>3</p>"


def test_storage_ambiguous():
    with pytest.raises(ValueError, match="appears 2 times"):
        replace_section_storage("<h1>A</h1><h2>A</h2>", "A", "")
