"""Confluence page writes end to end: create, update with version checks, section edits, move, delete."""

from __future__ import annotations

import json
from typing import Any

from fakecloud.confluence import BOB_ID, edit_as
from harness import run_with_server, text_of

MACRO_PAGE_HEAD = '<h1>Release 4.2</h1>\n<ac:structured-macro ac:name="toc" ac:schema-version="1" ac:macro-id="5f1c"/>\n<h2>Summary</h2>'
MACRO_PAGE_OLD = (  # the section starts right after the heading's closing tag
    '\n<p>Shipped by <ac:link><ri:user ri:account-id="557058:abc"/></ac:link>&nbsp;on time.</p>\n'
    '<ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="colour">Green</ac:parameter>'
    '<ac:parameter ac:name="title">DONE</ac:parameter></ac:structured-macro>\n'
)
MACRO_PAGE_TAIL = (
    "<h2>Changes</h2>\n"
    '<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="9e0a"><ac:parameter ac:name="language">python</ac:parameter>'
    '<ac:plain-text-body><![CDATA[print("<h2>Summary</h2> is not a heading")  # <b>&amp;</b>]]></ac:plain-text-body></ac:structured-macro>\n'
    '<ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">PROJ-1</ac:parameter></ac:structured-macro>\n'
    '<p><ac:image ac:width="300"><ri:attachment ri:filename="diagram.png"/></ac:image></p>\n'
    "<table><tbody><tr><th>Risk</th></tr><tr><td><p>None &lt;known&gt;</p></td></tr></tbody></table>\n"
    "<h2>Risks</h2>\n<p>None.</p>"
)


def _current(cloud: Any, page_id: str) -> dict[str, Any]:
    return cloud.state["conf_pages"][page_id]["versions"][-1]


def test_create_update_and_version_conflict(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out: dict[str, Any] = {}
        out["create"] = await server.call(
            "confluence_create_page",
            {"space_key": "OPS", "title": "Incident 42", "content": "## Impact\n\nLogins failed for **5 minutes**.", "parent_id": "2001"},
        )
        pid = out["create"].structured_content["id"]
        out["child"] = await server.call("confluence_create_page", {"title": "Incident 42 timeline", "content": "- 12:00 alert", "parent_id": pid})
        out["dup"] = await server.call("confluence_create_page", {"space_key": "OPS", "title": "Incident 42", "content": "again"})
        out["nowhere"] = await server.call("confluence_create_page", {"title": "Floating", "content": "x"})
        out["hidden"] = await server.call("confluence_create_page", {"space_key": "SECRET", "title": "Leak", "content": "x"})
        out["bad_adf"] = await server.call(
            "confluence_create_page",
            {"space_key": "ENG", "title": "Bad", "content": {"type": "doc", "version": 1, "content": [{"type": "nope"}]}, "content_format": "adf"},
        )
        out["good_adf"] = await server.call(
            "confluence_create_page",
            {
                "space_key": "ENG",
                "title": "From ADF",
                "content_format": "adf",
                "content": {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "raw adf"}]}]},
            },
        )
        out["storage"] = await server.call(
            "confluence_create_page", {"space_key": "ENG", "title": "From storage", "content": "<p>kept <em>as is</em></p>", "content_format": "storage"}
        )
        out["update"] = await server.call("confluence_update_page", {"page_id": pid, "content": "## Impact\n\nNone after the fix.", "version": 1})
        bob_version = edit_as(cloud.state, pid, BOB_ID, "Bob's follow-up notes.")
        out["stale"] = await server.call("confluence_update_page", {"page_id": pid, "content": "Overwrite attempt", "version": 2, "title": "Incident 42"})
        out["stale_no_title"] = await server.call("confluence_update_page", {"page_id": pid, "content": "Overwrite attempt", "version": 2})
        out["latest"] = await server.call(
            "confluence_update_page", {"page_id": pid, "content": "Final text.", "title": "Incident 42 (closed)", "version_message": "closing"}
        )
        out["missing"] = await server.call("confluence_update_page", {"page_id": "999999", "content": "x"})
        out["bob_version"] = bob_version
        return pid, out

    cloud.clear_log()
    pid, r = run_with_server(cloud.env(), scenario)

    created = r["create"].structured_content
    assert not r["create"].is_error and created["version"] == 1 and created["url"].endswith(f"/wiki/spaces/OPS/pages/{pid}")
    assert f"Created page **Incident 42** (id {pid}, version 1)" in text_of(r["create"])
    post = cloud.state["conf_pages"][pid]
    assert post["parentId"] == "2001" and post["versions"][0]["adf"]["content"][0]["type"] == "heading"
    strong = post["versions"][0]["adf"]["content"][1]["content"][1]
    assert strong == {"type": "text", "text": "5 minutes", "marks": [{"type": "strong"}]}
    child = r["child"].structured_content
    assert cloud.state["conf_pages"][child["id"]]["spaceId"] == "65538" and cloud.state["conf_pages"][child["id"]]["parentId"] == pid

    assert r["dup"].is_error and "400" in text_of(r["dup"]) and "already exists" in text_of(r["dup"])
    assert r["nowhere"].is_error and "Give space_key (or parent_id)" in text_of(r["nowhere"])
    assert r["hidden"].is_error and "you cannot see it" in text_of(r["hidden"])
    assert r["bad_adf"].is_error and "not valid ADF" in text_of(r["bad_adf"])
    assert _current(cloud, r["good_adf"].structured_content["id"])["adf"]["content"][0]["content"][0]["text"] == "raw adf"
    assert _current(cloud, r["storage"].structured_content["id"])["storage"] == "<p>kept <em>as is</em></p>"

    assert r["update"].structured_content["version"] == 2 and not r["update"].is_error

    for stale in (r["stale"], r["stale_no_title"]):
        text = text_of(stale)
        assert stale.is_error and f"it is now at version {r['bob_version']} by Bob Builder" in text and "Nothing was overwritten" in text
    assert "Bob's follow-up notes." in json.dumps(cloud.state["conf_pages"][pid]["versions"][2]["adf"])
    # The titled stale write reached Confluence and got its 409; the untitled one was stopped before any PUT.
    puts = cloud.requests_to(rf"^/wiki/api/v2/pages/{pid}$", "PUT")
    assert len(puts) == 3

    latest = r["latest"].structured_content
    assert latest["version"] == 4 and latest["title"] == "Incident 42 (closed)"
    assert _current(cloud, pid)["message"] == "closing" and _current(cloud, pid)["authorId"] != BOB_ID
    assert r["missing"].is_error and "404" in text_of(r["missing"])

    creates = cloud.requests_to(r"^/wiki/api/v2/pages$", "POST")
    assert len(creates) == 5  # the invalid ADF, the unplaced page and the hidden space were refused before sending


def test_section_edit_keeps_every_other_byte(cloud: Any) -> None:
    original = MACRO_PAGE_HEAD + MACRO_PAGE_OLD + MACRO_PAGE_TAIL

    async def scenario(server: Any) -> Any:
        made = await server.call("confluence_create_page", {"space_key": "ENG", "title": "Release 4.2", "content": original, "content_format": "storage"})
        pid = made.structured_content["id"]
        out = {"pid": pid}
        out["edit"] = await server.call(
            "confluence_update_page_section", {"page_id": pid, "heading": "Summary", "content": "Shipped **late**, see [notes](https://example.com/n)."}
        )
        out["after_edit"] = _current(cloud, pid)["storage"]
        out["storage_edit"] = await server.call(
            "confluence_update_page_section",
            {"page_id": pid, "heading": "Risks", "content": "<p>One &amp; only.</p>", "content_format": "storage", "version": 2},
        )
        out["stale"] = await server.call("confluence_update_page_section", {"page_id": pid, "heading": "Risks", "content": "late", "version": 2})
        out["no_heading"] = await server.call("confluence_update_page_section", {"page_id": pid, "heading": "Rollout", "content": "x"})
        return out

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)
    pid = r["pid"]
    assert not r["edit"].is_error, text_of(r["edit"])
    assert r["edit"].structured_content["version"] == 2 and r["edit"].structured_content["section"] == "Summary"
    edited = r["after_edit"]
    assert edited.startswith(MACRO_PAGE_HEAD) and edited.endswith(MACRO_PAGE_TAIL)
    middle = edited[len(MACRO_PAGE_HEAD) : len(edited) - len(MACRO_PAGE_TAIL)]
    assert "<strong>late</strong>" in middle and 'href="https://example.com/n"' in middle and "DONE" not in middle

    final = _current(cloud, pid)["storage"]
    assert final == edited.replace("<h2>Risks</h2>\n<p>None.</p>", "<h2>Risks</h2><p>One &amp; only.</p>")
    reads = cloud.requests_to(rf"^/wiki/api/v2/pages/{pid}$", "GET")
    assert all(q["query"]["body-format"] == ["storage"] for q in reads)

    assert r["stale"].is_error and "it is now at version 3" in text_of(r["stale"])
    assert r["no_heading"].is_error and "No heading 'Rollout'" in text_of(r["no_heading"]) and "'Summary'" in text_of(r["no_heading"])
    assert len(cloud.requests_to(rf"^/wiki/api/v2/pages/{pid}$", "PUT")) == 2  # the stale and the unknown heading never wrote


def test_section_edit_in_adf(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        made = await server.call(
            "confluence_create_page", {"space_key": "ENG", "title": "ADF sections", "content": "## One\n\nfirst\n\n## Two\n\nsecond *kept*"}
        )
        pid = made.structured_content["id"]
        new = {"type": "doc", "version": 1, "content": [{"type": "rule"}, {"type": "paragraph", "content": [{"type": "text", "text": "replaced"}]}]}
        edit = await server.call("confluence_update_page_section", {"page_id": pid, "heading": "One", "content": new, "content_format": "adf"})
        return pid, edit

    pid, edit = run_with_server(cloud.env(), scenario)
    assert not edit.is_error, text_of(edit)
    content = _current(cloud, pid)["adf"]["content"]
    assert [n["type"] for n in content] == ["heading", "rule", "paragraph", "heading", "paragraph"]
    assert content[4]["content"][1] == {"type": "text", "text": "kept", "marks": [{"type": "em"}]}


def test_move_and_delete(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out = {}
        a = (await server.call("confluence_create_page", {"space_key": "ENG", "title": "Mover", "content": "a"})).structured_content["id"]
        b = (await server.call("confluence_create_page", {"title": "Mover child", "content": "b", "parent_id": a})).structured_content["id"]
        out["ids"] = (a, b)
        out["under"] = await server.call("confluence_move_page", {"page_id": a, "target_id": "1003"})
        out["parent_after_under"] = cloud.state["conf_pages"][a]["parentId"]
        out["across"] = await server.call("confluence_move_page", {"page_id": a, "target_id": "2001", "position": "after"})
        out["loop"] = await server.call("confluence_move_page", {"page_id": a, "target_id": b})
        out["hidden"] = await server.call("confluence_move_page", {"page_id": a, "target_id": "3001"})
        out["delete_off"] = await server.call("confluence_delete_page", {"page_id": a})
        return out

    async def deleting(server: Any) -> Any:
        pid = (await server.call("confluence_create_page", {"space_key": "OPS", "title": "Short-lived", "content": "bye"})).structured_content["id"]
        gone = await server.call("confluence_delete_page", {"page_id": pid})
        again = await server.call("confluence_get_page", {"page_id": pid})
        listed = await server.session.list_tools()
        return pid, gone, again, listed

    r = run_with_server(cloud.env(), scenario)
    a, b = r["ids"]
    assert not r["under"].is_error and r["parent_after_under"] == "1003"
    assert f"Moved page {a}: it is now a child of page 1003." == text_of(r["under"])
    assert cloud.state["conf_pages"][a]["parentId"] is None and cloud.state["conf_pages"][b]["spaceId"] == "65538"  # children follow
    moves = cloud.requests_to(r"^/wiki/rest/api/content/\d+/move/")
    assert moves[0]["path"] == f"/wiki/rest/api/content/{a}/move/append/1003"
    assert r["loop"].is_error and "400" in text_of(r["loop"])
    assert r["hidden"].is_error and "404" in text_of(r["hidden"])
    assert r["delete_off"].is_error and "ATLASSIAN_ENABLE_DESTRUCTIVE=true" in text_of(r["delete_off"])

    pid, gone, again, listed = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), deleting)
    assert not gone.is_error and f"Deleted page {pid}" in text_of(gone)
    assert cloud.state["conf_pages"][pid]["status"] == "trashed"
    assert again.is_error and "404" in text_of(again)
    delete = next(t for t in listed.tools if t.name == "confluence_delete_page")
    assert delete.annotations.destructive_hint is True and delete.annotations.read_only_hint is False
