"""Property tests: random Markdown and random ADF trees never break the converters or lose text."""

import json
import re
from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, ValidationError, validators

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, validate_adf
from atlassian_mcp_server.content.schema import _schema

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters never used by any syntax piece below: each one of them must reach the ADF.
PAYLOAD = "abcdefghijklmnopqrstuvwyzéжאع日🎉ß"
SYNTAX = [
    "**",
    "*",
    "_",
    "__",
    "`",
    "```",
    "~~",
    "~",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "<",
    ">",
    "#",
    "## ",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "> ",
    "\n",
    "\n\n",
    "|",
    " | ",
    "|---|---|\n",
    "---",
    "===",
    "\\",
    "&",
    "&#",
    "!",
    "- [ ] ",
    "- [X] ",
    "- <> ",
    "> [!NOTE]\n",
    "> [!EXPAND] ",
    "<BR>",
    "    ",
    "\t",
    " ",
    "](https://e.com/",
    "<https://e.com/",
    "@",
    ":",
    '"',
    "'",
    "{",
    "}",
]
markdown_text = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(PAYLOAD, min_size=1, max_size=8)), max_size=40).map("".join)


def strings_of(node):
    """Every string value in an ADF tree except node types and generated ids."""
    if isinstance(node, dict):
        return "".join(strings_of(v) for k, v in node.items() if k not in ("type", "localId"))
    if isinstance(node, list):
        return "".join(strings_of(v) for v in node)
    return node if isinstance(node, str) else ""


@SETTINGS
@given(markdown_text)
def test_random_markdown_converts_validates_and_keeps_text(text):
    adf = markdown_to_adf(text)
    validate_adf(adf)
    have = Counter(strings_of(adf))
    for char, count in Counter(c for c in text if c in PAYLOAD).items():
        assert have[char] >= count, (char, text, json.dumps(adf, ensure_ascii=False))
    adf_to_markdown(adf)


# Random ADF trees built from the schema's node and mark types.
words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
MARKS = [
    {"type": "strong"},
    {"type": "em"},
    {"type": "strike"},
    {"type": "code"},
    {"type": "underline"},
    {"type": "subsup", "attrs": {"type": "sup"}},
    {"type": "textColor", "attrs": {"color": "#ff0000"}},
    {"type": "backgroundColor", "attrs": {"color": "#00ff00"}},
    {"type": "link", "attrs": {"href": "https://e.com/x"}},
    {"type": "annotation", "attrs": {"id": "a", "annotationType": "inlineComment"}},
]
text_nodes = st.builds(
    lambda s, m: {"type": "text", "text": s, **({"marks": m} if m else {})}, words, st.lists(st.sampled_from(MARKS), max_size=3, unique_by=lambda m: m["type"])
)
INLINE_LEAVES = [
    {"type": "hardBreak"},
    {"type": "mention", "attrs": {"id": "557058:abc", "text": "@Ann"}},
    {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}},
    {"type": "date", "attrs": {"timestamp": "1709251200000"}},
    {"type": "status", "attrs": {"text": "DONE", "color": "green"}},
    {"type": "inlineCard", "attrs": {"url": "https://e.com/card"}},
    {"type": "placeholder", "attrs": {"text": "type here"}},
    {"type": "inlineExtension", "attrs": {"extensionKey": "jira", "extensionType": "x", "text": "A-1"}},
    {"type": "mediaInline", "attrs": {"type": "file", "id": "m1", "collection": "c"}},
]
inline = st.lists(st.one_of(text_nodes, st.sampled_from(INLINE_LEAVES)), max_size=6)


def _wrap(kind, attrs=None):
    def build(content):
        node = {"type": kind, "content": content}
        if attrs:
            node["attrs"] = dict(attrs)
        return node

    return build


def _blocks(children):
    items = st.lists(children, min_size=1, max_size=3)
    para_list = st.lists(st.builds(_wrap("paragraph"), inline), min_size=1, max_size=2)
    list_items = st.lists(st.builds(_wrap("listItem"), para_list), min_size=1, max_size=3)
    task_items = st.lists(st.builds(_wrap("taskItem", {"localId": "t", "state": "DONE"}), inline), min_size=1, max_size=3)
    cells = st.lists(st.one_of(st.builds(_wrap("tableCell"), items), st.builds(_wrap("tableHeader"), items)), min_size=1, max_size=3)
    block_tasks = st.lists(st.builds(_wrap("blockTaskItem", {"localId": "b", "state": "TODO"}), para_list), min_size=1, max_size=2)
    rows = st.lists(st.builds(_wrap("tableRow"), cells), min_size=1, max_size=3)
    columns = st.lists(st.builds(_wrap("layoutColumn", {"width": 50}), items), min_size=2, max_size=2)
    return st.one_of(
        st.builds(_wrap("blockquote"), items),
        st.builds(_wrap("panel", {"panelType": "info"}), items),
        st.builds(_wrap("expand", {"title": "T"}), items),
        st.builds(_wrap("nestedExpand", {"title": "N"}), items),
        st.builds(_wrap("bulletList"), list_items),
        st.builds(_wrap("orderedList", {"order": 3}), list_items),
        st.builds(_wrap("taskList", {"localId": "l"}), task_items),
        st.builds(_wrap("taskList", {"localId": "l"}), block_tasks),
        st.builds(_wrap("bodiedSyncBlock", {"resourceId": "r", "localId": "l"}), items),
        st.builds(_wrap("table"), rows),
        st.builds(_wrap("layoutSection"), columns),
        st.builds(_wrap("bodiedExtension", {"extensionKey": "details", "extensionType": "x"}), items),
        st.builds(lambda c: {"type": "listItem", "content": c}, items),
    )


LEAF_BLOCKS = [
    {"type": "rule"},
    {"type": "codeBlock", "attrs": {"language": "py"}, "content": [{"type": "text", "text": "x = `1`\n```"}]},
    {"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [{"type": "media", "attrs": {"type": "file", "id": "m", "collection": ""}}]},
    {
        "type": "mediaSingle",
        "attrs": {"layout": "center"},
        "content": [
            {"type": "media", "attrs": {"type": "file", "id": "m", "collection": "", "alt": "a.png"}},
            {"type": "caption", "content": [{"type": "text", "text": "cap"}]},
        ],
    },
    {"type": "mediaGroup", "content": [{"type": "media", "attrs": {"type": "external", "url": "https://e.com/i.png"}}]},
    {"type": "blockCard", "attrs": {"url": "https://e.com/b"}},
    {"type": "embedCard", "attrs": {"url": "https://e.com/e", "layout": "center"}},
    {"type": "extension", "attrs": {"extensionKey": "toc", "extensionType": "x"}},
    {"type": "syncBlock", "attrs": {"resourceId": "r", "localId": "l"}},
    {
        "type": "decisionList",
        "attrs": {"localId": "d"},
        "content": [{"type": "decisionItem", "attrs": {"localId": "i", "state": "DECIDED"}, "content": [{"type": "text", "text": "ok"}]}],
    },
    {"type": "futureNode", "attrs": {"text": "unknown"}},
]
leaf = st.one_of(
    st.builds(_wrap("paragraph"), inline),
    st.builds(lambda lv, c: {"type": "heading", "attrs": {"level": lv}, "content": c}, st.integers(1, 6), inline),
    st.builds(lambda s: {"type": "codeBlock", "content": [{"type": "text", "text": s}]}, words),
    st.sampled_from(LEAF_BLOCKS),
)
adf_docs = st.builds(lambda c: {"type": "doc", "version": 1, "content": c}, st.lists(st.recursive(leaf, _blocks, max_leaves=12), max_size=4))


def texts_of(node):
    if isinstance(node, dict):
        own = node.get("text", "") if node.get("type") == "text" else ""
        attrs = node.get("attrs") or {}
        if node.get("type") in ("mention", "status", "placeholder", "inlineExtension"):
            own += attrs.get("text", "")
        return own + texts_of(node.get("content", []))
    if isinstance(node, list):
        return "".join(texts_of(n) for n in node)
    return ""


def test_generator_covers_the_schema_node_types():
    covered = {"doc", "paragraph", "heading", "text", "codeBlock", "tableCell", "tableRow", "taskItem", "decisionItem", "media", "layoutColumn", "listItem"} | {
        n["type"] for n in INLINE_LEAVES + LEAF_BLOCKS
    }
    covered |= {
        "blockquote",
        "panel",
        "expand",
        "nestedExpand",
        "bulletList",
        "orderedList",
        "taskList",
        "table",
        "layoutSection",
        "bodiedExtension",
        "tableHeader",
        "blockTaskItem",
        "bodiedSyncBlock",
        "caption",
    }
    schema_types = set()
    for name, definition in _schema()["definitions"].items():
        if name.endswith("_node"):
            schema_types.update(definition.get("properties", {}).get("type", {}).get("enum", []))
    assert schema_types - covered == set()


_ESCAPED_BACKSLASH_THEN_NEIGHBOUR = [{"type": "text", "text": "\\0"}, {"type": "text", "text": "0", "marks": [{"type": "strong"}, {"type": "strike"}]}]


@SETTINGS
@given(adf_docs)
@example({"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": _ESCAPED_BACKSLASH_THEN_NEIGHBOUR}]})  # `\\&#48;**~~0~~**`
def test_random_adf_renders_and_keeps_text(doc):
    md = adf_to_markdown(doc)
    # emphasis may spell a neighbour as &#NN;: decoded unless its & is escaped (an odd run of backslashes before it)
    have = Counter(re.sub(r"(?<!\\)((?:\\\\)*)&#(\d+);", lambda m: m.group(1) + chr(int(m.group(2))), md))
    for char, count in Counter(texts_of(doc)).items():
        if not char.isspace():
            assert have[char] >= count, (char, md)
    back = markdown_to_adf(md)
    validate_adf(back)


def _mutations(doc):
    """The document plus a few broken variants, so the fast check meets invalid input too."""
    yield doc
    if doc["content"]:
        first = doc["content"][0]
        yield {**doc, "content": [{**first, "attrs": {"bogus": 1}}] + doc["content"][1:]}
        yield {**doc, "content": [{**first, "type": "paragraph"}] + doc["content"][1:]}
        yield {**doc, "content": doc["content"] + [{"type": "text", "text": ""}]}
    yield {**doc, "version": 2}


small_docs = st.builds(lambda c: {"type": "doc", "version": 1, "content": c}, st.lists(st.recursive(leaf, _blocks, max_leaves=2), max_size=2))


def _any_of(validator, any_of, instance, schema):
    """jsonschema's anyOf, deciding each branch by `is_valid` (the same verdict) instead of listing all
    its errors: on a nested invalid document the full lists grow exponentially (seconds a document)."""
    if not any(validator.evolve(schema=branch).is_valid(instance) for branch in any_of):
        yield ValidationError(f"{instance!r} is not valid under any of the given schemas")


# The reference the fast check is compared with: Draft 4 as jsonschema implements it, anyOf decided as above.
Reference = validators.extend(Draft4Validator, {"anyOf": _any_of})


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_docs)
def test_fast_check_agrees_with_jsonschema(doc):
    from atlassian_mcp_server.content.schema import _fast, _validator

    reference = Reference(_validator().schema)
    for variant in _mutations(doc):
        assert _fast()(variant) == reference.is_valid(variant)
