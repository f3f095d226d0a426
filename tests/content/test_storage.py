"""Confluence storage format to Markdown: every macro listed in the issue, plus search excerpts."""

import pytest

from atlassian_mcp_server.content import markdown_to_storage, storage_to_markdown


def macro(name, params="", body=""):
    parameters = "".join(f'<ac:parameter ac:name="{k}">{v}</ac:parameter>' for k, v in params.items()) if params else ""
    return f'<ac:structured-macro ac:name="{name}" ac:schema-version="1">{parameters}{body}</ac:structured-macro>'


CASES = [
    ("paragraphs", "<p>Hello <strong>bold</strong> <em>em</em> <code>x</code> <s>gone</s></p><p>Two</p>", "Hello **bold** *em* `x` ~~gone~~\n\nTwo"),
    ("headings", "<h1>One</h1><h3>Three &amp; more</h3>", "# One\n\n### Three & more"),
    (
        "code",
        macro("code", {"language": "python"}, "<ac:plain-text-body><![CDATA[if a < b:\n    print('<x>')]]></ac:plain-text-body>"),
        "```python\nif a < b:\n    print('<x>')\n```",
    ),
    ("code_titled", macro("code", {"title": "Run"}, "<ac:plain-text-body><![CDATA[make]]></ac:plain-text-body>"), "**Run**\n\n```\nmake\n```"),
    ("info", macro("info", {"title": "Heads up"}, "<ac:rich-text-body><p>Read this.</p></ac:rich-text-body>"), "> [!INFO]\n> **Heads up**\n>\n> Read this."),
    ("note", macro("note", body="<ac:rich-text-body><p>n</p></ac:rich-text-body>"), "> [!WARNING]\n> n"),
    ("warning", macro("warning", body="<ac:rich-text-body><p>w</p></ac:rich-text-body>"), "> [!ERROR]\n> w"),
    ("tip", macro("tip", body="<ac:rich-text-body><p>t</p></ac:rich-text-body>"), "> [!SUCCESS]\n> t"),
    ("status", "<p>State: " + macro("status", {"colour": "Green", "title": "DONE"}) + "</p>", "State: [DONE](status:green)"),
    ("status_grey", "<p>" + macro("status", {"colour": "Grey", "title": "NEW"}) + "</p>", "[NEW](status:neutral)"),
    ("expand", macro("expand", {"title": "More"}, "<ac:rich-text-body><p>hidden</p></ac:rich-text-body>"), "> [!EXPAND] More\n> hidden"),
    ("toc", macro("toc") + "<p>after</p>", "\\[toc\\]\n\nafter"),
    ("jira_key", "<p>See " + macro("jira", {"server": "System JIRA", "key": "ABC-123"}) + "</p>", "See \\[jira: ABC-123\\]"),
    ("jira_jql", macro("jira", {"jqlQuery": "project = ABC"}), "\\[jira: project = ABC\\]"),
    ("user", '<p>Hi <ac:link><ri:user ri:account-id="557058:abc" /></ac:link></p>', "Hi [@557058:abc](accountid:557058:abc)"),
    (
        "image_attachment",
        '<p><ac:image ac:alt="diagram"><ri:attachment ri:filename="d.png" /></ac:image></p>',
        "![diagram](<attachment:d.png>)" if False else "![diagram](attachment:d.png)",
    ),
    ("image_url", '<ac:image><ri:url ri:value="https://x.y/i.png" /></ac:image>', "![](https://x.y/i.png)"),
    (
        "attachment_link",
        '<p><ac:link><ri:attachment ri:filename="spec.pdf" /><ac:plain-text-link-body><![CDATA[the spec]]></ac:plain-text-link-body></ac:link></p>',
        "[the spec](attachment:spec.pdf)",  # the label keeps its target
    ),
    (
        "page_link_with_label",
        '<p><ac:link><ri:page ri:content-title="Runbook" /><ac:link-body>the runbook</ac:link-body></ac:link></p>',
        "the runbook (page: Runbook)",
    ),
    ("attachment_link_bare", '<p><ac:link><ri:attachment ri:filename="spec.pdf" /></ac:link></p>', "[spec.pdf](attachment:spec.pdf)"),
    ("page_link", '<p><ac:link><ri:page ri:content-title="Home" /></ac:link></p>', "Home"),
    (
        "table",
        "<table><tbody><tr><th>K</th><th>V</th></tr><tr><td>a</td><td><p>b</p><p>c</p></td></tr></tbody></table>",
        "| K | V |\n| --- | --- |\n| a | b<br>c |",
    ),
    (
        "tasks",
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>do it</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id>"
        "<ac:task-status>complete</ac:task-status><ac:task-body><strong>done</strong></ac:task-body></ac:task></ac:task-list>",
        "- [ ] do it\n- [x] **done**",
    ),
    ("lists", '<ul><li>a<ul><li>b</li></ul></li></ul><ol start="3"><li>c</li></ol>', "- a\n  - b\n\n3. c"),
    ("links_breaks", '<p><a href="https://e.com">e</a><br />next</p>', "[e](https://e.com)\nnext"),
    ("emoticon", '<p><ac:emoticon ac:name="smile" ac:emoji-fallback="🙂" /></p>', "🙂"),
    ("date", '<p><time datetime="2024-03-01" /></p>', "[2024-03-01](date:2024-03-01)"),
    (
        "layout",
        '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><p>L</p></ac:layout-cell>'
        "<ac:layout-cell><p>R</p></ac:layout-cell></ac:layout-section></ac:layout>",
        "L\n\nR",
    ),
    ("unknown_macro", macro("children", {"depth": "2"}), "\\[children\\]"),
    ("unknown_macro_body", macro("custom", body="<ac:rich-text-body><p>kept</p></ac:rich-text-body>"), "\\[custom\\]\n\nkept"),
    ("html_text", "<p>a &lt;b&gt; tag and *stars*</p>", "a \\<b> tag and \\*stars\\*"),
    ("whitespace", "<p>\n  spaced\n   out  </p>\n\n<p>x</p>", "spaced out\n\nx"),
    ("pre", "<pre>raw\n  text</pre>", "```\nraw\n  text\n```"),
    ("blockquote_hr", "<blockquote><p>q</p></blockquote><hr />", "> q\n\n---"),
]


@pytest.mark.parametrize("name, xhtml, expected", CASES, ids=[c[0] for c in CASES])
def test_storage_to_markdown(name, xhtml, expected):
    assert storage_to_markdown(xhtml) == expected


def test_search_excerpt_highlights_become_bold():
    excerpt = "the @@@hl@@@release@@@endhl@@@ notes for @@@hl@@@Q3@@@endhl@@@..."
    assert storage_to_markdown(excerpt) == "the **release** notes for **Q3**..."


def test_unbalanced_markup_keeps_text():
    assert storage_to_markdown("<p>open <strong>never closed</p><p>next</em></p>") == "open **never closed**\n\nnext"


def test_markdown_to_storage_escapes_and_builds_macros():
    xhtml = markdown_to_storage("# A & <b>\n\n- [x] done\n\n```sh\necho ']]>'\n```\n\n> [!TIP]\n> tip")
    assert "<h1>A &amp; &lt;b&gt;</h1>" in xhtml
    assert "<ac:task-status>complete</ac:task-status>" in xhtml
    assert "<![CDATA[echo ']]]]><![CDATA[>']]>" in xhtml
    assert '<ac:structured-macro ac:name="tip">' in xhtml


def test_markdown_to_storage_round_trips_through_storage_reader():
    md = "Hello **world** [@Ann](accountid:1)\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"
    assert storage_to_markdown(markdown_to_storage(md)) == md.replace("@Ann", "@1")
