"""Write-back without loss, through the real tools against the fake cloud: a page, an issue
description or a comment read as Markdown and written back keeps every node Markdown cannot hold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fakecloud import rich_content
from harness import run_with_server, text_of


def _latest(cloud: Any, page_id: str) -> dict[str, Any]:
    return cloud.state["conf_pages"][page_id]["versions"][-1]


@pytest.mark.parametrize("page_id", sorted(rich_content.PAGES))
def test_page_read_and_written_back_unchanged_is_byte_identical(cloud: Any, page_id: str) -> None:
    before = _latest(cloud, page_id)
    raw_before = json.dumps(before["adf"])

    async def scenario(server: Any) -> Any:
        read = await server.call("confluence_get_page", {"page_id": page_id})
        wrote = await server.call("confluence_update_page", {"page_id": page_id, "content": read.structured_content["body"]})
        return read, wrote

    cloud.clear_log()
    read, wrote = run_with_server(cloud.env(), scenario)
    assert not wrote.is_error, text_of(wrote)
    after = _latest(cloud, page_id)
    assert len(cloud.requests_to(rf"^/wiki/api/v2/pages/{page_id}$", "PUT")) == 1
    assert json.dumps(after["adf"]) == raw_before  # same nodes, attributes, marks and key order
    assert after["storage"] == before["storage"]  # storage pages keep their storage byte for byte


def test_edited_page_keeps_macros_layouts_comments_cards_and_attributes(cloud: Any) -> None:
    page_id = "1100"
    before = _latest(cloud, page_id)["adf"]

    async def scenario(server: Any) -> Any:
        read = await server.call("confluence_get_page", {"page_id": page_id})
        md = read.structured_content["body"]
        edited = md.replace("Freeze starts Friday.", "Freeze starts Thursday.").replace("by the team", "by the whole team")
        edited = edited.replace("Left column text.", "Left column, edited.").replace("| pager rota |", "| pager rota, weekly |")
        edited = edited.replace("Ship on Monday", "Ship on Tuesday").replace("Canary first", "Canary hosts first")
        wrote = await server.call("confluence_update_page", {"page_id": page_id, "content": edited})
        return md, wrote

    md, wrote = run_with_server(cloud.env(), scenario)
    assert not wrote.is_error, text_of(wrote)
    assert "<!--adf:" in md and "[toc]" not in md
    after = _latest(cloud, page_id)["adf"]
    text = json.dumps(after)
    for changed in ("Freeze starts Thursday.", "by the whole team", "Left column, edited.", "pager rota, weekly", "Ship on Tuesday", "Canary hosts first"):
        assert changed in text
    by_type = {b["type"]: b for b in after["content"]}
    old_by_type = {b["type"]: b for b in before["content"]}
    for kind in ("extension", "bodiedExtension", "blockCard", "embedCard", "mediaSingle", "codeBlock", "heading"):
        assert by_type[kind] == old_by_type[kind], kind  # untouched blocks are the original nodes
    assert by_type["panel"]["attrs"] == old_by_type["panel"]["attrs"]  # custom icon and colour
    assert by_type["expand"]["attrs"] == old_by_type["expand"]["attrs"]
    assert by_type["table"]["attrs"] == old_by_type["table"]["attrs"]
    assert [r["content"][0].get("attrs") for r in by_type["table"]["content"]] == [r["content"][0].get("attrs") for r in old_by_type["table"]["content"]]
    assert by_type["table"]["content"][1] == old_by_type["table"]["content"][1]  # the merged cells
    assert by_type["layoutSection"]["attrs"] == old_by_type["layoutSection"]["attrs"]
    assert [c["attrs"] for c in by_type["layoutSection"]["content"]] == [c["attrs"] for c in old_by_type["layoutSection"]["content"]]
    assert by_type["decisionList"]["attrs"] == old_by_type["decisionList"]["attrs"]
    assert by_type["decisionList"]["content"][0]["attrs"] == old_by_type["decisionList"]["content"][0]["attrs"]
    first = next(b for b in after["content"] if b["type"] == "paragraph")["content"]
    marks = {json.dumps(m, sort_keys=True) for n in first for m in n.get("marks", [])}
    for kind in ("annotation", "subsup", "underline", "textColor", "backgroundColor"):
        assert any(f'"type": "{kind}"' in m for m in marks), kind
    assert {n["type"] for n in first} >= {"inlineExtension", "emoji"}
    assert [n for n in first if n["type"] == "text" and "reviewed" in n["text"]][0]["marks"][0]["type"] == "annotation"


def test_removed_placeholder_removes_the_node_and_lost_anchor_is_refused(cloud: Any) -> None:
    page_id = "1101"

    async def scenario(server: Any) -> Any:
        out = {}
        md = (await server.call("confluence_get_page", {"page_id": page_id})).structured_content["body"]
        macro = next(line for line in md.splitlines() if "recently-updated" in line)
        out["removed"] = await server.call("confluence_update_page", {"page_id": page_id, "content": md.replace(macro, "")})
        md2 = (await server.call("confluence_get_page", {"page_id": "1100"})).structured_content["body"]
        out["anchor"] = await server.call("confluence_update_page", {"page_id": "1100", "content": md2.replace("reviewed", "checked")})
        out["bogus"] = await server.call("confluence_update_page", {"page_id": "1100", "content": md2 + "\n\n<!--adf:0badc0de extension-->"})
        out["moved"] = await server.call(
            "confluence_update_page", {"page_id": "1100", "content": md2.replace("- [x] Tag the build", "- [x] Tag the build\n  " + md2.splitlines()[0])}
        )
        out["allowed"] = await server.call("confluence_update_page", {"page_id": "1100", "content": md2.replace("reviewed", "checked"), "allow_loss": True})
        return md, out

    md, out = run_with_server(cloud.env(), scenario)
    assert not out["removed"].is_error, text_of(out["removed"])
    layout = _latest(cloud, page_id)["adf"]
    assert "recently-updated" not in json.dumps(layout) and layout["content"][0]["type"] == "layoutSection"
    anchor = text_of(out["anchor"])
    assert out["anchor"].is_error and "inline comment anchored on 'reviewed'" in anchor and "allow_loss=true" in anchor
    assert out["bogus"].is_error and "names nothing on the current version" in text_of(out["bogus"])
    assert out["moved"].is_error and "cannot sit inside" in text_of(out["moved"])
    assert not out["allowed"].is_error and "checked" in json.dumps(_latest(cloud, "1100")["adf"])


def test_jira_description_and_comment_written_back_unchanged_and_edited(cloud: Any) -> None:
    rich_content.use_rich_issue(cloud)
    key, comment_id = rich_content.RICH_ISSUE, rich_content.RICH_COMMENT_ID

    async def scenario(server: Any) -> Any:
        out = {}
        desc = (await server.call("jira_get_issue", {"issue_key": key})).structured_content["description"]
        out["same"] = await server.call("jira_update_issue", {"issue_key": key, "description": desc})
        out["after_same"] = json.dumps(cloud.state["jira_issues"][key]["fields"]["description"])
        out["edit"] = await server.call("jira_update_issue", {"issue_key": key, "description": desc.replace("step one", "step one, then wait")})
        comments = (await server.call("jira_get_comments", {"issue_key": key})).structured_content["comments"]
        body = next(c["body"] for c in comments if c["id"] == comment_id)
        out["comment"] = await server.call("jira_edit_comment", {"issue_key": key, "comment_id": comment_id, "comment": body})
        out["comment_after"] = next(c for c in cloud.state["jira_issues"][key]["fields"]["comment"]["comments"] if c["id"] == comment_id)["body"]
        out["comment_edit"] = await server.call(
            "jira_edit_comment", {"issue_key": key, "comment_id": comment_id, "comment": body.replace("please look at", "please review")}
        )
        return desc, out

    desc, out = run_with_server(cloud.env(), scenario)
    assert not out["same"].is_error, text_of(out["same"])
    assert out["after_same"] == json.dumps(rich_content.ISSUE_DESCRIPTION)
    assert not out["edit"].is_error, text_of(out["edit"])
    after = cloud.state["jira_issues"][key]["fields"]["description"]
    assert "step one, then wait" in json.dumps(after)
    assert after["content"][:5] == rich_content.ISSUE_DESCRIPTION["content"][:5]
    assert after["content"][5]["content"][1] == rich_content.ISSUE_DESCRIPTION["content"][5]["content"][1]  # underline kept
    assert not out["comment"].is_error and out["comment_after"] == rich_content.ISSUE_COMMENT
    assert not out["comment_edit"].is_error
    edited = next(c for c in cloud.state["jira_issues"][key]["fields"]["comment"]["comments"] if c["id"] == comment_id)["body"]
    nodes = edited["content"][0]["content"]
    assert nodes[0] == rich_content.ISSUE_COMMENT["content"][0]["content"][0]  # mention with its accessLevel
    assert nodes[-1] == rich_content.ISSUE_COMMENT["content"][0]["content"][-1]  # status with its localId
    assert "please review" in json.dumps(edited)


def test_section_edit_with_placeholders_is_refused_not_written_as_text(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        md = (await server.call("confluence_get_page", {"page_id": "1101"})).structured_content["body"]
        return await server.call("confluence_update_page_section", {"page_id": "1101", "heading": "Left", "content": md})

    cloud.clear_log()
    result = run_with_server(cloud.env(), scenario)
    assert result.is_error and "placeholders" in text_of(result) and "confluence_update_page" in text_of(result)
    assert not cloud.requests_to(r"^/wiki/api/v2/pages/1101$", "PUT")
