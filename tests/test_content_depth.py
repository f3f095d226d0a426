"""Deeply nested content never breaks a tool: every converter walks iteratively or stops at a
documented depth, and every call gets a tool result."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, storage_to_markdown, validate_adf


def nested(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "paragraph", "content": [{"type": "text", "text": "deepest words"}]}
    for n in range(levels):
        inner = [node] if n == 0 else [{"type": "paragraph", "content": [{"type": "text", "text": f"level {levels - n}"}]}, node]
        node = {"type": "bulletList", "content": [{"type": "listItem", "content": inner}]}
    return {"type": "doc", "version": 1, "content": [node]}


def test_converters_survive_any_depth_and_keep_the_text():
    md = adf_to_markdown(nested(450))
    assert "deepest words" in md and "level 1" in md and "level 449" in md
    assert storage_to_markdown("<div>" * 1000 + "inner text" + "</div>" * 1000) == "inner text"
    lists = "".join("  " * i + f"- item {i}\n" for i in range(40))
    doc = markdown_to_adf(lists)
    assert "item 39" in adf_to_markdown(doc)  # nothing cut at markdown-it's default 20 levels
    validate_adf(nested(20))
    for deep in (doc, nested(450)):
        try:
            validate_adf(deep)
        except ValueError as exc:
            assert "nests deeper than 100 JSON levels" in str(exc)
        else:
            raise AssertionError("a document too deep to check must be refused with a clear message")
    try:
        markdown_to_adf("".join("  " * i + "- x\n" for i in range(80)))
    except ValueError as exc:
        assert "more than 50 levels deep" in str(exc)
    else:
        raise AssertionError("Markdown deeper than the parser's limit must be refused, not cut")


def test_tools_answer_for_deep_descriptions_and_bodies(cloud: Any) -> None:
    issue = cloud.state["jira_issues"]["PROJ-1"]

    async def scenario(server: Any) -> Any:
        out = {}
        issue["fields"]["description"] = nested(200)  # 800 JSON levels: as deep as JSON decoders read
        out["md"] = await server.call("jira_get_issue", {"issue_key": "PROJ-1"})
        issue["fields"]["description"] = nested(200)
        out["adf"] = await server.call("jira_get_issue", {"issue_key": "PROJ-1", "format": "adf"})
        lists = "".join("  " * i + f"- item {i}\n" for i in range(35))
        out["create"] = await server.call("confluence_create_page", {"space_key": "ENG", "title": "Deep lists", "content": lists})
        return out

    out = run_with_server(cloud.env(), scenario)
    assert not out["md"].is_error and "deepest words" in text_of(out["md"])
    assert not out["adf"].is_error and "deepest words" in text_of(out["adf"])  # a tool result, not a JSON-RPC error
    assert not out["create"].is_error, text_of(out["create"])
