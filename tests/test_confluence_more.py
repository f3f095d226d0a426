"""End to end: Confluence blog posts, folders, page copies, templates and attachment removal."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from harness import run_with_server, text_of


@pytest.fixture(autouse=True)
def _confluence_as_seeded(cloud: Any) -> Any:
    """What these tests create (pages, copies, blog posts, folders) is gone again afterwards."""
    keys = ("conf_pages", "conf_blogposts", "conf_folders", "conf_attachments")
    saved = {k: copy.deepcopy(cloud.state[k]) for k in keys}
    yield
    for k in keys:
        cloud.state[k] = saved[k]


def test_blog_posts_list_read_create_update_with_version_rules(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        out = {
            "all": await server.call("confluence_list_blog_posts", {}),
            "eng": await server.call("confluence_list_blog_posts", {"space_key": "ENG"}),
            "one": await server.call("confluence_get_blog_post", {"blog_post_id": "4001"}),
            "raw": await server.call("confluence_get_blog_post", {"blog_post_id": "4001", "format": "storage"}),
            "page_id": await server.call("confluence_get_blog_post", {"blog_post_id": "1002"}),
            "created": await server.call(
                "confluence_create_blog_post", {"space_key": "OPS", "title": "Quarterly review", "content": "# Wins\n\n- faster deploys"}
            ),
            "no_space": await server.call("confluence_create_blog_post", {"space_key": "NOPE", "title": "x", "content": "x"}),
        }
        post_id = out["created"].structured_content["id"]
        out["updated"] = await server.call("confluence_update_blog_post", {"blog_post_id": post_id, "content": "Updated **body**", "version": 1})
        out["stale"] = await server.call("confluence_update_blog_post", {"blog_post_id": post_id, "content": "again", "version": 1})
        out["after"] = await server.call("confluence_get_blog_post", {"blog_post_id": post_id})
        return out

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "Release 1.2 is out" in t["all"] and "On-call changes" in t["all"]
    assert t["all"].index("On-call changes") < t["all"].index("Release 1.2 is out")  # newest first
    assert "On-call changes" not in t["eng"]
    assert "We shipped 1.2" in t["one"] and r["one"].structured_content["version"] == 1
    assert "<strong>1.2</strong>" in t["raw"]
    assert r["page_id"].is_error and "404" in t["page_id"]
    assert t["created"].startswith("Created blog post **Quarterly review**") and "/blog/" in t["created"]
    post = cloud.state["conf_blogposts"][r["created"].structured_content["id"]]
    assert post["spaceId"] == "65538" and json.loads(json.dumps(post["versions"][0]["adf"]))["content"][0]["type"] == "heading"
    assert r["no_space"].is_error and "NOPE" in t["no_space"]
    assert t["updated"].startswith("Updated blog post") and r["updated"].structured_content["version"] == 2
    assert r["stale"].is_error and "was changed since version 1" in t["stale"] and "Nothing was overwritten" in t["stale"]
    assert "Updated **body**" in t["after"]


def test_folders_read_create_and_show_in_trees(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "get": await server.call("confluence_get_folder", {"folder_id": "5001"}),
            "missing": await server.call("confluence_get_folder", {"folder_id": "999"}),
            "children": await server.call("confluence_get_page_children", {"page_id": "1001"}),
            "tree": await server.call("confluence_get_page_tree", {"page_id": "1001"}),
            "created": await server.call("confluence_create_folder", {"parent_id": "1003", "title": "Decisions"}),
            "top": await server.call("confluence_create_folder", {"space_key": "OPS", "title": "Archive"}),
            "nowhere": await server.call("confluence_create_folder", {"title": "Lost"}),
            "dup": await server.call("confluence_create_folder", {"parent_id": "1001", "title": "Design notes"}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "# Design notes (folder)" in t["get"] and r["get"].structured_content["parent_id"] == "1001"
    assert r["missing"].is_error
    assert "Design notes" in t["children"] and "folder" in t["children"]
    assert "Design notes (id 5001) [folder]" in t["tree"]
    made = r["created"].structured_content
    assert made["space_id"] == "65537" and made["parent_id"] == "1003" and cloud.state["conf_folders"][made["id"]]["title"] == "Decisions"
    assert r["top"].structured_content["space_id"] == "65538"
    assert r["nowhere"].is_error and "space_key" in t["nowhere"]
    assert r["dup"].is_error and "already exists" in t["dup"]


def test_copy_page_alone_or_with_children(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "to_space": await server.call("confluence_copy_page", {"page_id": "1003", "to_space": "OPS"}),
            "same_title": await server.call("confluence_copy_page", {"page_id": "1003", "to_parent_id": "1001"}),
            "renamed": await server.call("confluence_copy_page", {"page_id": "1003", "to_parent_id": "1001", "title": "Architecture v2", "copy_labels": False}),
            "both": await server.call("confluence_copy_page", {"page_id": "1003", "to_parent_id": "1001", "to_space": "OPS"}),
            "neither": await server.call("confluence_copy_page", {"page_id": "1003"}),
            "tree": await server.call("confluence_copy_page", {"page_id": "1002", "to_parent_id": "2001", "include_children": True, "title_prefix": "Ops: "}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "Copied page 1003 to **Architecture**" in t["to_space"] and "in space OPS" in t["to_space"]
    new = cloud.state["conf_pages"][r["to_space"].structured_content["id"]]
    assert new["spaceId"] == "65538" and new["parentId"] == "2001"
    assert r["same_title"].is_error and "already exists" in t["same_title"]
    assert "Architecture v2" in t["renamed"]
    assert r["both"].is_error and "exactly one" in t["both"] and r["neither"].is_error
    assert "task" in t["tree"] and "background" in t["tree"]
    titles = {p["versions"][-1]["title"]: p for p in cloud.state["conf_pages"].values() if p["spaceId"] == "65538"}
    assert {"Ops: Runbook: deploys", "Ops: Deploy checklist", "Ops: Rollback"} <= set(titles)
    assert titles["Ops: Deploy checklist"]["parentId"] == titles["Ops: Runbook: deploys"]["id"]


def test_templates_list_and_create_page_from_one(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "global": await server.call("confluence_list_templates", {}),
            "eng": await server.call("confluence_list_templates", {"space_key": "ENG"}),
            "page": await server.call("confluence_create_page", {"space_key": "ENG", "title": "Standup 2026-11-29", "template_id": "98305"}),
            "both": await server.call("confluence_create_page", {"space_key": "ENG", "title": "x", "template_id": "98305", "content": "x"}),
            "neither": await server.call("confluence_create_page", {"space_key": "ENG", "title": "x"}),
            "unknown": await server.call("confluence_create_page", {"space_key": "ENG", "title": "x", "template_id": "1"}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "Meeting notes" in t["global"] and "98305" in t["global"] and "Runbook" not in t["global"]
    assert [x["name"] for x in r["eng"].structured_content["templates"]] == ["Runbook"]
    page = cloud.state["conf_pages"][r["page"].structured_content["id"]]
    assert "<h2>Attendees</h2>" in page["versions"][0]["storage"]
    assert r["both"].is_error and "not both" in t["both"]
    assert r["neither"].is_error and "template_id" in t["neither"]
    assert r["unknown"].is_error and "404" in t["unknown"]


def test_delete_attachment_is_destructive_and_hidden_by_default(cloud: Any) -> None:
    cloud.state["conf_attachments"]["att8999"] = dict(copy.deepcopy(cloud.state["conf_attachments"]["att8001"]), id="att8999", title="old.log")

    async def listed(server: Any) -> Any:
        return {t.name for t in (await server.session.list_tools()).tools}

    assert "confluence_delete_attachment" not in run_with_server(cloud.env(), listed)
    deleted = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), lambda s: s.call("confluence_delete_attachment", {"attachment_id": "att8999"}))
    assert not deleted.is_error and "old.log" in text_of(deleted) and "att8999" not in cloud.state["conf_attachments"]
