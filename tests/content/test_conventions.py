"""The Markdown conventions, written out: what models read and what they may write."""

import pytest
from corpus import BR, CORPUS, doc, link, mention, p, t

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, validate_adf


def to_adf(md):
    result = markdown_to_adf(md)
    validate_adf(result)
    return result["content"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("mentions", "ping [@Jane Doe](accountid:557058:f00-ba7) and [@Bob](accountid:5b10ac8d82e05b22cc7d4ef5)"),
        ("status", "[IN PROGRESS](status:blue) [DONE](status:green) [custom](status:#ff0000)"),
        ("dates", "due [2024-03-01](date:2024-03-01) exact [2024-03-01](date:1709251234567)"),
        ("tasks", "- [ ] write tests\n- [x] write code"),
        ("decisions", "- <> We ship Friday\n- <> Use ADF"),
        ("panel_list_first", "> [!WARNING]\n>\n> - careful"),
        ("expand", "> [!EXPAND] Details\n> hidden text\n>\n> ```\n> log\n> ```"),
        ("hard_breaks", "line one\nline two\n\\\nafter blank"),
        ("html_text", "\\<b>bold?\\</b> \\<script>alert(1)\\</script> \\<br> a < b > c"),
        ("table_no_header", "|  |  |\n| --- | --- |\n| a | b |\n| c | d |"),
        ("ordered_start", "9. nine\n10. ten"),
        ("media_single", "![diagram.png](media:abc-123?collection=contentId-42)"),
        ("inline_card", "see <https://x.atlassian.net/browse/A-1>"),
        ("line_start_chars", "\\# not a heading\n\n\\- not a list\n\n1\\. not ordered\n\n\\> not a quote\n\n\\+ plus\n\n\\---\n\n\\===\n\n2\\) paren"),
    ],
)
def test_rendering(name, expected):
    assert adf_to_markdown(CORPUS[name]) == expected


def test_mention_restores_account_id():
    [para] = to_adf("hi [@Jane](accountid:557058:abc)")
    assert para["content"][1] == {"type": "mention", "attrs": {"id": "557058:abc", "text": "@Jane"}}


def test_html_arrives_as_text():
    [para] = to_adf("<b>bold</b> <script>x()</script>\n\n<div>block</div>")[:1]
    assert para["content"] == [t("<b>bold</b> <script>x()</script>")]
    assert to_adf("<div>block</div>")[0]["content"] == [t("<div>block</div>")]


def test_br_is_the_one_tag_honoured():
    [para] = to_adf("a<br>b<BR/>c")
    assert [n["type"] for n in para["content"]] == ["text", "hardBreak", "text", "hardBreak", "text"]


def test_escaped_markdown_stays_text():
    assert to_adf("\\*x\\* \\[ \\] \\<b>")[0]["content"] == [t("*x* [ ] <b>")]


def test_task_list_and_states():
    [tasks] = to_adf("- [ ] a\n- [x] b\n- [X] c")
    assert tasks["type"] == "taskList"
    assert [i["attrs"]["state"] for i in tasks["content"]] == ["TODO", "DONE", "DONE"]


def test_mixed_list_is_not_a_task_list():
    [lst] = to_adf("- [ ] a\n- b")
    assert lst["type"] == "bulletList"


def test_nested_bullets_under_task_become_tasks():
    [tasks] = to_adf("- [ ] deploy\n  - staging\n  - prod")
    assert [n["type"] for n in tasks["content"]] == ["taskItem", "taskList"]


@pytest.mark.parametrize(
    "label, kind",
    [
        ("INFO", "info"),
        ("NOTE", "note"),
        ("TIP", "tip"),
        ("WARNING", "warning"),
        ("ERROR", "error"),
        ("SUCCESS", "success"),
        ("CAUTION", "error"),
        ("IMPORTANT", "warning"),
        ("note", "note"),
    ],
)
def test_panels(label, kind):
    [panel] = to_adf(f"> [!{label}]\n> careful")
    assert panel == {"type": "panel", "attrs": {"panelType": kind}, "content": [p(t("careful"))]}


def test_panel_text_on_marker_line():
    [panel] = to_adf("> [!TIP] same line\n> next")
    assert panel["content"] == [p(t("same line"), BR, t("next"))]


def test_expand_title():
    [expand] = to_adf("> [!EXPAND] More *info*\n> body")
    assert expand["attrs"] == {"title": "More info"}
    assert expand["content"] == [p(t("body"))]


def test_status_and_date():
    [para] = to_adf("[DONE](status:GREEN) [x](date:2024-03-01) [bad](date:soon)")
    assert para["content"][0] == {"type": "status", "attrs": {"text": "DONE", "color": "green"}}
    assert para["content"][2] == {"type": "date", "attrs": {"timestamp": "1709251200000"}}
    assert para["content"][3] == t(" bad (date:soon)")  # not a date, and not a link Atlassian accepts


def test_heading_inside_list_is_fitted_to_schema():
    [lst] = to_adf("- # heading in list\n- > quote in list\n- | a |\n  |---|\n  | b |")
    kinds = [b["type"] for item in lst["content"] for b in item["content"]]
    assert set(kinds) <= {"paragraph"}


def test_code_keeps_only_link_mark():
    [para] = to_adf("**`x`** [`y`](http://e.com)")
    assert para["content"][0]["marks"] == [{"type": "code"}]
    assert [m["type"] for m in para["content"][2]["marks"]] == ["link", "code"]


def test_images():
    assert to_adf("![a](media:ID1?collection=c)")[0]["type"] == "mediaSingle"
    assert to_adf("![a](media:1) ![b](https://x/b.png)")[0]["type"] == "mediaGroup"
    [para] = to_adf("text ![a](https://x/a.png)")
    assert para["content"][1] == t("a", {"type": "link", "attrs": {"href": "https://x/a.png"}})


def test_empty_text_gives_valid_empty_doc():
    assert markdown_to_adf("") == {"type": "doc", "version": 1, "content": []}
    assert markdown_to_adf("   \n\n") == {"type": "doc", "version": 1, "content": []}


def test_unicode_link_targets_are_kept_verbatim():
    [para] = to_adf("[x](https://example.com/ä?q=a%20b)")
    assert para["content"][0]["marks"][0]["attrs"]["href"] == "https://example.com/ä?q=a%20b"


def test_reference_links_are_resolved():
    [para] = to_adf("[A][a] and [a]\n\n[a]: https://x.y")
    assert para["content"] == [t("A", link("https://x.y")), t(" and "), t("a", link("https://x.y"))]


def test_links_atlassian_would_refuse_stay_text():
    [para] = to_adf("[rel](docs/a.md) <a+b+c:d> [top](#top) <me@x.io>")
    assert para["content"][0] == t("rel (docs/a.md) a+b+c:d ")
    assert para["content"][1] == t("top", link("#top"))
    assert para["content"][3] == t("me@x.io", link("mailto:me@x.io"))


def test_mention_without_name():
    assert adf_to_markdown(doc(p(mention("abc")))) == "[@abc](accountid:abc)"


def test_non_document_input_is_rejected():
    with pytest.raises(ValueError):
        adf_to_markdown("not a doc")
    with pytest.raises(ValueError):
        markdown_to_adf(None)
