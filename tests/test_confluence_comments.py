"""Confluence comments and labels end to end: footer comments with replies, inline comments, labels."""

from __future__ import annotations

import json
from typing import Any

from harness import run_with_server, text_of


def test_footer_and_inline_comments(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out: dict[str, Any] = {}
        out["footer"] = await server.call("confluence_get_page_comments", {"page_id": "1002"})
        out["thread"] = await server.call("confluence_get_comment", {"comment_id": "7001"})
        out["inline_one"] = await server.call("confluence_get_comment", {"comment_id": "7101"})
        out["inline"] = await server.call("confluence_get_inline_comments", {"page_id": "1002"})
        out["open"] = await server.call("confluence_get_inline_comments", {"page_id": "1002", "resolution_status": "resolved"})
        out["no_comment"] = await server.call("confluence_get_comment", {"comment_id": "123"})
        out["hidden"] = await server.call("confluence_get_page_comments", {"page_id": "3001"})
        pid = (
            await server.call("confluence_create_page", {"space_key": "ENG", "title": "Comment target", "content": "The cache is warm. The cache is cold."})
        ).structured_content["id"]
        out["pid"] = pid
        out["add"] = await server.call("confluence_add_comment", {"page_id": pid, "comment": "Looks **good**."})
        out["reply"] = await server.call(
            "confluence_add_comment", {"page_id": pid, "comment": "Agreed.", "parent_comment_id": out["add"].structured_content["id"]}
        )
        out["storage"] = await server.call("confluence_add_comment", {"page_id": pid, "comment": "<p>raw</p>", "content_format": "storage"})
        out["anchor"] = await server.call(
            "confluence_add_inline_comment", {"page_id": pid, "text_selection": "The cache", "comment": "Which cache?", "occurrence": 2}
        )
        out["absent"] = await server.call("confluence_add_inline_comment", {"page_id": pid, "text_selection": "hot", "comment": "?"})
        out["too_far"] = await server.call("confluence_add_inline_comment", {"page_id": pid, "text_selection": "The cache", "comment": "?", "occurrence": 3})
        out["new_thread"] = await server.call("confluence_get_comment", {"comment_id": out["add"].structured_content["id"]})
        return out

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)

    footer = r["footer"].structured_content["comments"]
    assert [c["id"] for c in footer] == ["7001", "7003"]  # replies are not top level
    assert footer[0]["author"] == "Bob Builder" and footer[0]["body"] == "Do we roll back automatically?"
    assert "### Bob Builder" in text_of(r["footer"]) and "confluence_get_comment" in text_of(r["footer"])
    assert len(cloud.requests_to(r"^/wiki/api/v2/users-bulk$")) == 1  # names are cached afterwards

    thread = r["thread"].structured_content
    assert thread["kind"] == "footer" and [x["id"] for x in thread["replies"]] == ["7002"]
    assert thread["replies"][0]["author"] == "Ada Agent" and "> Yes, see the" in text_of(r["thread"])
    inline_one = r["inline_one"].structured_content
    assert inline_one["kind"] == "inline" and inline_one["selection"] == "first point"

    inline = r["inline"].structured_content["comments"]
    assert [(c["id"], c["resolution"], c["selection"]) for c in inline] == [("7101", "open", "first point"), ("7102", "resolved", "describes")]
    assert "On: “first point”" in text_of(r["inline"])
    assert [c["id"] for c in r["open"].structured_content["comments"]] == ["7102"]
    assert cloud.requests_to(r"/inline-comments$")[1]["query"]["resolution-status"] == ["resolved"]
    assert r["no_comment"].is_error and "404" in text_of(r["no_comment"])
    assert r["hidden"].is_error and "404" in text_of(r["hidden"])

    comments = cloud.state["conf_comments"]
    added = comments[r["add"].structured_content["id"]]
    assert added["pageId"] == r["pid"] and added["adf"]["content"][0]["content"][1]["marks"] == [{"type": "strong"}]
    reply = comments[r["reply"].structured_content["id"]]
    assert reply["parentCommentId"] == added["id"] and "reply to comment" in text_of(r["reply"])
    assert comments[r["storage"].structured_content["id"]]["storage"] == "<p>raw</p>"

    assert not r["anchor"].is_error, text_of(r["anchor"])
    anchored = comments[r["anchor"].structured_content["id"]]
    assert anchored["selection"] == "The cache" and anchored["kind"] == "inline"
    assert r["absent"].is_error and "does not appear on page" in text_of(r["absent"])
    assert r["too_far"].is_error and "appears 2 time(s)" in text_of(r["too_far"])
    assert len(cloud.requests_to(r"^/wiki/api/v2/inline-comments$", "POST")) == 1
    assert [x["body"] for x in r["new_thread"].structured_content["replies"]] == ["Agreed."]


def test_labels(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out: dict[str, Any] = {}
        pid = (await server.call("confluence_create_page", {"space_key": "ENG", "title": "Labelled doc", "content": "x"})).structured_content["id"]
        out["pid"] = pid
        out["page"] = await server.call("confluence_get_page_labels", {"page_id": "1002"})
        out["all"] = await server.call("confluence_list_labels", {"limit": 2})
        out["mine"] = await server.call("confluence_list_labels", {"prefix": "my"})
        out["add"] = await server.call("confluence_add_labels", {"page_id": pid, "labels": ["Release-Notes", "q4", "q4"]})
        out["bad"] = await server.call("confluence_add_labels", {"page_id": pid, "labels": ["two words"]})
        out["remove_off"] = await server.call("confluence_remove_label", {"page_id": pid, "label": "q4"})
        return out

    async def removing(server: Any) -> Any:
        pid = next(p["id"] for p in cloud.state["conf_pages"].values() if p["versions"][-1]["title"] == "Labelled doc")
        return (
            await server.call("confluence_remove_label", {"page_id": pid, "label": "q4"}),
            await server.call("confluence_remove_label", {"page_id": pid, "label": "q4"}),
            await server.call("confluence_get_page_labels", {"page_id": pid}),
        )

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)
    assert [lab["name"] for lab in r["page"].structured_content["labels"]] == ["runbook"]
    assert len(r["all"].structured_content["labels"]) == 2 and r["all"].structured_content["next_cursor"]
    assert [lab["name"] for lab in r["mine"].structured_content["labels"]] == ["favourite"]
    assert r["add"].structured_content["labels"] == ["release-notes", "q4"]
    sent = cloud.requests_to(r"^/wiki/rest/api/content/\d+/label$", "POST")
    assert len(sent) == 1 and sent[0]["path"] == f"/wiki/rest/api/content/{r['pid']}/label"
    assert r["bad"].is_error and "'labels.0' is not valid" in text_of(r["bad"])
    assert r["remove_off"].is_error and "ATLASSIAN_ENABLE_DESTRUCTIVE" in text_of(r["remove_off"])

    removed, again, left = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), removing)
    assert not removed.is_error and "Removed label q4" in text_of(removed)
    assert again.is_error and "404" in text_of(again) and "is not on content" in text_of(again)
    assert [lab["name"] for lab in left.structured_content["labels"]] == ["release-notes"]
    deletes = cloud.requests_to(r"^/wiki/rest/api/content/\d+/label$", "DELETE")
    assert deletes[0]["query"]["name"] == ["q4"]
    assert json.dumps(cloud.state["conf_pages"]["1002"]["labels"]) == json.dumps([{"id": "9001", "name": "runbook", "prefix": "global"}])
