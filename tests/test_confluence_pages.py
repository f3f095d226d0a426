"""Confluence pages and spaces end to end: reads, the page tree, spaces (one hidden), the page resource."""

from __future__ import annotations

import json
from typing import Any

from harness import run_with_server, text_of


def test_read_pages_trees_and_spaces(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        calls = {
            "by_title": ("confluence_get_page", {"title": "Architecture", "space_key": "ENG"}),
            "adf": ("confluence_get_page", {"page_id": "1002", "format": "adf"}),
            "missing": ("confluence_get_page", {"page_id": "999999"}),
            "hidden_page": ("confluence_get_page", {"page_id": "3001"}),
            "no_title": ("confluence_get_page", {"title": "No such page", "space_key": "ENG"}),
            "nothing": ("confluence_get_page", {}),
            "children": ("confluence_get_page_children", {"page_id": "1001"}),
            "children_page": ("confluence_get_page_children", {"page_id": "1001", "limit": 1}),
            "tree": ("confluence_get_page_tree", {"page_id": "1001", "depth": 3}),
            "shallow": ("confluence_get_page_tree", {"page_id": "1001", "depth": 1}),
            "space_by_key": ("confluence_get_space", {"space_id": "ENG", "include_icon": True}),
            "space_by_id": ("confluence_get_space", {"space_id": "65538"}),
            "hidden_key": ("confluence_get_space", {"space_id": "SECRET"}),
            "hidden_id": ("confluence_get_space", {"space_id": "65541"}),
            "space_pages": ("confluence_get_space_pages", {"space_id": "ENG", "limit": 3}),
            "hidden_space_pages": ("confluence_get_space_pages", {"space_id": "SECRET"}),
            "personal": ("confluence_list_spaces", {"space_type": "personal"}),
        }
        out = {name: await server.call(tool, args) for name, (tool, args) in calls.items()}
        out["more_pages"] = await server.call(
            "confluence_get_space_pages", {"space_id": "ENG", "limit": 3, "cursor": out["space_pages"].structured_content["next_cursor"]}
        )
        out["resource"] = await server.session.read_resource("confluence://page/1003")
        out["templates"] = await server.session.list_resource_templates()
        return out

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)

    page = r["by_title"]
    assert not page.is_error, text_of(page)
    assert page.structured_content["id"] == "1003" and page.structured_content["labels"] == ["architecture"]
    assert "# Architecture" in text_of(page) and "This page describes Architecture." in text_of(page)
    title_lookup = cloud.requests_to(r"^/wiki/api/v2/pages$")[0]
    assert title_lookup["query"]["title"] == ["Architecture"] and title_lookup["query"]["space-id"] == ["65537"]

    raw = r["adf"].structured_content["body"]
    assert raw == json.dumps(cloud.state["conf_pages"]["1002"]["versions"][-1]["adf"])  # byte for byte
    assert "```json" in text_of(r["adf"])

    assert r["missing"].is_error and "404" in text_of(r["missing"])
    assert r["hidden_page"].is_error and "404" in text_of(r["hidden_page"])
    assert r["no_title"].is_error and "No page titled 'No such page' in space ENG" in text_of(r["no_title"])
    assert r["nothing"].is_error and "Give page_id, or title" in text_of(r["nothing"])

    kids = r["children"].structured_content
    assert [c["title"] for c in kids["children"]][:2] == ["Runbook: deploys", "Architecture"]  # tree order; later tests add more
    assert r["children_page"].structured_content["next_cursor"] and 'cursor="' in text_of(r["children_page"])

    tree = text_of(r["tree"])
    assert "- Runbook: deploys (id 1002)\n  - Deploy checklist (id 1004)\n    - Rollback (id 1005)\n- Architecture (id 1003)" in tree
    shallow = [n["id"] for n in r["shallow"].structured_content["descendants"]]
    assert shallow[:2] == ["1002", "1003"] and "1004" not in shallow
    assert cloud.requests_to(r"/descendants$")[1]["query"]["depth"] == ["1"]

    space = r["space_by_key"].structured_content
    assert space["key"] == "ENG" and space["id"] == "65537" and space["homepage_id"] == "1001"
    assert space["description"] == "Home of the Engineering team." and space["icon"].endswith("icon.png")
    assert r["space_by_id"].structured_content["key"] == "OPS"
    assert r["hidden_key"].is_error and "Space 'SECRET' does not exist or you cannot see it" in text_of(r["hidden_key"])
    assert r["hidden_id"].is_error and "404" in text_of(r["hidden_id"])
    assert r["hidden_space_pages"].is_error and "you cannot see it" in text_of(r["hidden_space_pages"])

    first, second = r["space_pages"].structured_content, r["more_pages"].structured_content
    assert len(first["pages"]) == 3 and first["next_cursor"]
    titles = {p["title"] for p in first["pages"] + second["pages"]}
    assert {"Engineering Home", "Runbook: deploys", "Architecture", "Deploy checklist", "Rollback"} <= titles
    assert "Board minutes" not in titles
    assert [s["key"] for s in r["personal"].structured_content["spaces"]] == ["~ada"]

    # The key ENG was resolved once and cached for the rest of the process.
    assert len([q for q in cloud.requests_to(r"^/wiki/api/v2/spaces$") if q["query"].get("keys") == ["ENG"]]) == 1

    contents = r["resource"].contents[0]
    assert contents.text.startswith("# Architecture\n") and "This page describes Architecture." in contents.text
    assert "confluence://page/{id}" in [t.uri_template for t in r["templates"].resource_templates]


def test_ambiguous_title_lists_the_candidates(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        for space in ("ENG", "OPS"):
            made = await server.call("confluence_create_page", {"space_key": space, "title": "Twin notes", "content": f"In {space}."})
            assert not made.is_error, text_of(made)
        both = await server.call("confluence_get_page", {"title": "Twin notes"})
        one = await server.call("confluence_get_page", {"title": "Twin notes", "space_key": "OPS"})
        return both, one

    both, one = run_with_server(cloud.env(), scenario)
    assert both.is_error and "2 pages are titled 'Twin notes'" in text_of(both)
    assert "space id 65537" in text_of(both) and "space id 65538" in text_of(both)
    assert not one.is_error and one.structured_content["body"].strip() == "In OPS."
