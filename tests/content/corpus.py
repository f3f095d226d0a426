"""A corpus of ADF documents covering every node, mark, nesting and odd text."""

from __future__ import annotations


def doc(*blocks):
    return {"type": "doc", "version": 1, "content": list(blocks)}


def t(text, *marks):
    node = {"type": "text", "text": text}
    if marks:
        node["marks"] = [m if isinstance(m, dict) else {"type": m} for m in marks]
    return node


def link(href, title=None):
    attrs = {"href": href}
    if title:
        attrs["title"] = title
    return {"type": "link", "attrs": attrs}


def p(*inline):
    return {"type": "paragraph", "content": list(inline)}


def h(level, *inline):
    return {"type": "heading", "attrs": {"level": level}, "content": list(inline)}


def li(*blocks):
    return {"type": "listItem", "content": list(blocks)}


def ul(*items):
    return {"type": "bulletList", "content": list(items)}


def ol(*items, order=None):
    node = {"type": "orderedList", "content": list(items)}
    if order is not None:
        node["attrs"] = {"order": order}
    return node


def task(state, *inline):
    return {"type": "taskItem", "attrs": {"localId": "t", "state": state}, "content": list(inline)}


def tasks(*items):
    return {"type": "taskList", "attrs": {"localId": "tl"}, "content": list(items)}


def decisions(*texts):
    items = [{"type": "decisionItem", "attrs": {"localId": "d", "state": "DECIDED"}, "content": [t(x)]} for x in texts]
    return {"type": "decisionList", "attrs": {"localId": "dl"}, "content": items}


def quote(*blocks):
    return {"type": "blockquote", "content": list(blocks)}


def code(text, language=None):
    node = {"type": "codeBlock", "content": [t(text)] if text else []}
    if language:
        node["attrs"] = {"language": language}
    return node


def panel(kind, *blocks):
    return {"type": "panel", "attrs": {"panelType": kind}, "content": list(blocks)}


def expand(title, *blocks, nested=False):
    return {"type": "nestedExpand" if nested else "expand", "attrs": {"title": title}, "content": list(blocks)}


def cell(*blocks, header=False):
    return {"type": "tableHeader" if header else "tableCell", "content": list(blocks)}


def row(*cells):
    return {"type": "tableRow", "content": list(cells)}


def table(*rows):
    return {"type": "table", "content": list(rows)}


def mention(ident, text=None):
    attrs = {"id": ident}
    if text:
        attrs["text"] = text
    return {"type": "mention", "attrs": attrs}


def status(text, color):
    return {"type": "status", "attrs": {"text": text, "color": color}}


def date(stamp):
    return {"type": "date", "attrs": {"timestamp": stamp}}


def media(ident, alt=None, collection=""):
    attrs = {"type": "file", "id": ident, "collection": collection}
    if alt:
        attrs["alt"] = alt
    return {"type": "media", "attrs": attrs}


def single(m, caption=None):
    content = [m] + ([{"type": "caption", "content": [t(caption)]}] if caption else [])
    return {"type": "mediaSingle", "attrs": {"layout": "center"}, "content": content}


BR = {"type": "hardBreak"}
DEEP = ol(li(p(t("l3")), ul(li(p(t("l4"))))))
RULE = {"type": "rule"}
LONG = "word " * 400 + "end"

CORPUS = {
    "empty": doc(),
    "plain": doc(p(t("Hello world."))),
    "two_paragraphs": doc(p(t("First.")), p(t("Second."))),
    "headings": doc(*[h(n, t(f"Heading {n}")) for n in range(1, 7)]),
    "heading_marks": doc(h(2, t("Mixed "), t("bold", "strong"), t(" and "), t("code", "code"))),
    "heading_trailing_hash": doc(h(3, t("C#")), h(2, t("issue #"))),
    "strong_em": doc(p(t("a "), t("bold", "strong"), t(" "), t("italic", "em"), t(" "), t("both", "strong", "em"))),
    "strike_code": doc(p(t("gone", "strike"), t(" and "), t("x = 1", "code"))),
    "nested_marks": doc(p(t("bold ", "strong"), t("bold-italic", "strong", "em"), t(" bold", "strong"))),
    "marks_with_spaces": doc(p(t("x"), t(" spaced ", "strong"), t("y"))),
    "code_backticks": doc(p(t("use "), t("a`b", "code"), t(" and "), t("``", "code"), t(" ok"))),
    "code_spaces": doc(p(t(" padded ", "code"), t(" and "), t("  ", "code"))),
    "links": doc(
        p(t("see "), t("docs", link("https://example.com/docs?a=1&b=2", "The docs")), t(" and "), t("bold link", link("https://example.com"), "strong"))
    ),
    "link_odd_href": doc(p(t("odd", link("https://example.com/a b(c)")), t(" "), t("amp", link("https://x.io/?q=&amp;")))),
    "link_code": doc(p(t("code link", link("https://e.com"), "code"))),
    "hard_breaks": doc(p(t("line one"), BR, t("line two"), BR, BR, t("after blank"))),
    "leading_break": doc(p(BR, t("starts with a break"))),
    "markdown_metachars": doc(p(t("*not bold* _not em_ `not code` [not](link) ~~no~~ \\ back"))),
    "line_start_chars": doc(
        p(t("# not a heading")), p(t("- not a list")), p(t("1. not ordered")), p(t("> not a quote")), p(t("+ plus")), p(t("---")), p(t("===")), p(t("2) paren"))
    ),
    "line_start_after_break": doc(p(t("x"), BR, t("# h"), BR, t("- l"), BR, t("3. n"), BR, t("==="))),
    "html_text": doc(p(t("<b>bold?</b> <script>alert(1)</script> <br> a < b > c"))),
    "entities": doc(p(t("&amp; &copy; &#65; & plain"))),
    "pipes": doc(p(t("a | b | c")), p(t("x | y"), BR, t("--- | ---"))),
    "emoji_text": doc(p(t("Party 🎉 time — naïve café ✓"))),
    "rtl": doc(p(t("שלום עולם")), p(t("مرحبا بالعالم"))),
    "cjk": doc(p(t("日本語のテキスト、中文文本。"))),
    "long_line": doc(p(t(LONG))),
    "underscores": doc(p(t("snake_case_name and _edge and mid_ dle"))),
    "tildes": doc(p(t("~/path and a~b and ~~ double"))),
    "exclamation": doc(p(t("wow!"), t("link", link("https://x.y")))),
    "brackets": doc(p(t("[ ] not a task and [x] neither"))),
    "bullets": doc(ul(li(p(t("one"))), li(p(t("two"))), li(p(t("three"))))),
    "ordered": doc(ol(li(p(t("one"))), li(p(t("two"))))),
    "ordered_start": doc(ol(li(p(t("nine"))), li(p(t("ten"))), order=9)),
    "ordered_zero": doc(ol(li(p(t("zero"))), order=0)),
    "nested_lists": doc(ul(li(p(t("a")), ul(li(p(t("a1")), ol(li(p(t("deep"))))))), li(p(t("b"))))),
    "list_multi_paragraph": doc(ul(li(p(t("first")), p(t("second para"))), li(p(t("next"))))),
    "list_with_code": doc(ol(li(p(t("run:")), code("make test\nmake lint", "bash")))),
    "adjacent_lists": doc(ul(li(p(t("a")))), ul(li(p(t("b")))), ol(li(p(t("c")))), ol(li(p(t("d"))))),
    "list_line_breaks": doc(ul(li(p(t("first line"), BR, t("second line"))))),
    "tasks": doc(tasks(task("TODO", t("write tests")), task("DONE", t("write code")))),
    "nested_tasks": doc(tasks(task("TODO", t("parent")), tasks(task("DONE", t("child"))))),
    "task_marks": doc(tasks(task("TODO", t("ship "), t("v2", "strong"), t(" for "), mention("abc", "@Ann")))),
    "decisions": doc(decisions("We ship Friday", "Use ADF")),
    "blockquote": doc(quote(p(t("quoted")), p(t("second")))),
    "blockquote_list": doc(quote(ul(li(p(t("in quote")))), code("x"))),
    "code_block": doc(code("def f():\n    return 1", "python")),
    "code_no_lang": doc(code("plain text\n\n  indented")),
    "code_fences_inside": doc(code("```\ninner\n```", "markdown")),
    "code_trailing_newline": doc(code("a\n")),
    "code_empty": doc(code("")),
    "rule": doc(p(t("above")), RULE, p(t("below"))),
    "panels": doc(*[panel(k, p(t(f"{k} text"))) for k in ("info", "note", "tip", "warning", "error", "success")]),
    "panel_rich": doc(panel("info", h(3, t("Title")), ul(li(p(t("point")))), code("x = 1"))),
    "panel_list_first": doc(panel("warning", ul(li(p(t("careful")))))),
    "expand": doc(expand("Details", p(t("hidden text")), code("log"))),
    "expand_untitled": doc({"type": "expand", "attrs": {}, "content": [p(t("body"))]}),
    "nested_expand": doc(expand("Outer", p(t("x")), expand("Inner", p(t("y")), nested=True))),
    "table_header": doc(table(row(cell(p(t("Name")), header=True), cell(p(t("Value")), header=True)), row(cell(p(t("a"))), cell(p(t("1")))))),
    "table_no_header": doc(table(row(cell(p(t("a"))), cell(p(t("b")))), row(cell(p(t("c"))), cell(p(t("d")))))),
    "table_pipes_marks": doc(table(row(cell(p(t("a|b"))), cell(p(t("x|y", "code")))), row(cell(p(t("bold", "strong"))), cell(p(t("l", link("https://x.y"))))))),
    "table_ragged": doc(table(row(cell(p(t("1"))), cell(p(t("2"))), cell(p(t("3")))), row(cell(p(t("only")))))),
    "table_breaks": doc(table(row(cell(p(t("one"), BR, t("two")))))),
    "table_inline_nodes": doc(table(row(cell(p(mention("x1", "@X"), t(" "), status("OK", "green")))))),
    "mentions": doc(p(t("ping "), mention("557058:f00-ba7", "@Jane Doe"), t(" and "), mention("5b10ac8d82e05b22cc7d4ef5", "@Bob"))),
    "mention_no_text": doc(p(mention("abc123"))),
    "mention_odd_name": doc(p(mention("id-1", "@Name [with] *stars*"))),
    "status": doc(p(status("IN PROGRESS", "blue"), t(" "), status("DONE", "green"), t(" "), status("custom", "#ff0000"))),
    "dates": doc(p(t("due "), date("1709251200000"), t(" exact "), date("1709251234567"))),
    "emoji": doc(p(t("hi "), {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}})),
    "inline_card": doc(p(t("see "), {"type": "inlineCard", "attrs": {"url": "https://x.atlassian.net/browse/A-1"}})),
    "media_single": doc(single(media("abc-123", "diagram.png", "contentId-42"))),
    "media_caption": doc(single(media("m1", "shot.png"), caption="A screenshot")),
    "media_external": doc(single({"type": "media", "attrs": {"type": "external", "url": "https://x.y/i.png", "alt": "ext"}})),
    "media_group": doc({"type": "mediaGroup", "content": [media("f1", "a.pdf"), media("f2", "b.zip")]}),
    "media_inline": doc(p(t("file "), {"type": "mediaInline", "attrs": {"type": "file", "id": "mi1", "collection": "", "alt": "x.txt"}}, t(" here"))),
    "deep_nesting": doc(quote(ul(li(p(t("l1")), ul(li(p(t("l2")), DEEP)))))),
    "mixed_page": doc(
        h(1, t("Release notes")),
        p(t("Owner: "), mention("u1", "@Owner")),
        panel("note", p(t("Read me first"))),
        h(2, t("Changes")),
        ul(li(p(t("Fixed "), t("bug", "strong"))), li(p(t("Added "), t("feature", "em")))),
        tasks(task("TODO", t("announce"))),
        table(row(cell(p(t("k")), header=True)), row(cell(p(t("v"))))),
    ),
    "unicode_marks": doc(p(t("Ünïcödé", "strong"), t(" "), t("ñ", "em"))),
    "punctuation_heavy": doc(p(t("Q: what's 2+2? A: 4! (yes) {braces} \"quotes\" 'single' #tag @at $dollar %"))),
    "colons": doc(p(t("time 10:30:45 and :smile: text"))),
    "numbers_start": doc(p(t("2024. A year")), p(t("10) items"))),
    "whitespace_edges": doc(p(t("  trimmed  "))),
    "sentence_after_list": doc(ul(li(p(t("item")))), p(t("after the list"))),
    "blockquote_then_quote_panel": doc(quote(p(t("q"))), panel("tip", p(t("p")))),
    "headings_then_lists": doc(h(2, t("Steps")), ol(li(p(t("first"))), li(p(t("second"))))),
}

EXT = {"extensionType": "com.atlassian.confluence.macro.core", "extensionKey": "toc"}

# Nodes that Markdown cannot hold exactly: their Markdown must still be a fixpoint.
LOSSY = {
    "layout": doc(
        {
            "type": "layoutSection",
            "content": [
                {"type": "layoutColumn", "attrs": {"width": 50}, "content": [p(t("left"))]},
                {"type": "layoutColumn", "attrs": {"width": 50}, "content": [p(t("right"))]},
            ],
        }
    ),
    "extension": doc({"type": "extension", "attrs": dict(EXT)}, p(t("after"))),
    "bodied_extension": doc({"type": "bodiedExtension", "attrs": dict(EXT, extensionKey="details"), "content": [p(t("inside macro"))]}),
    "inline_extension": doc(p(t("issue "), {"type": "inlineExtension", "attrs": dict(EXT, extensionKey="jira", text="ABC-1")})),
    "block_card": doc({"type": "blockCard", "attrs": {"url": "https://x.y/page"}}),
    "embed_card": doc({"type": "embedCard", "attrs": {"url": "https://x.y/video", "layout": "center"}}),
    "placeholder": doc(p({"type": "placeholder", "attrs": {"text": "Type here"}})),
    "underline_sub_sup": doc(
        p(
            t("under", "underline"),
            t(" H"),
            t("2", {"type": "subsup", "attrs": {"type": "sub"}}),
            t("O x"),
            t("2", {"type": "subsup", "attrs": {"type": "sup"}}),
        )
    ),
    "colors": doc(
        p(t("red", {"type": "textColor", "attrs": {"color": "#ff0000"}}), t(" "), t("bg", {"type": "backgroundColor", "attrs": {"color": "#00ff00"}}))
    ),
    "table_blocks_in_cell": doc(table(row(cell(p(t("para one")), p(t("para two")), ul(li(p(t("item")))), code("x = 1\ny = 2")), cell(p(t("b")))))),
    "table_header_column": doc(table(row(cell(p(t("k")), header=True), cell(p(t("v")))), row(cell(p(t("k2")), header=True), cell(p(t("v2")))))),
    "table_colspan": doc(table(row(cell(p(t("a"))), cell(p(t("b")))), row({"type": "tableCell", "attrs": {"colspan": 2}, "content": [p(t("wide"))]}))),
    "empty_paragraphs": doc(p(), p(t("text")), p()),
    "alignment": doc({"type": "paragraph", "marks": [{"type": "alignment", "attrs": {"align": "center"}}], "content": [t("centred")]}),
    "sync_block": doc({"type": "syncBlock", "attrs": {"resourceId": "r", "localId": "l"}}),
    "unknown_node": doc({"type": "futureNode", "content": [p(t("future text"))]}),
    "emoji_no_text": doc(p({"type": "emoji", "attrs": {"shortName": ":partyparrot:"}})),
    "task_with_nested_first": doc(tasks(tasks(task("TODO", t("orphan"))), task("DONE", t("x")))),
    "decision_marks": doc(decisions("Plain decision")),
    "trailing_break": doc(p(t("text"), BR)),
    "code_with_newline_mark": doc(p(t("a\nb", "code"))),
}
