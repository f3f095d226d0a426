"""End to end: Jira versions, components, saved filters and attachment removal through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from harness import run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_versions_list_create_update(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "all": await server.call("jira_list_versions", {"project_key": "PROJ"}),
            "unreleased": await server.call("jira_list_versions", {"project_key": "PROJ", "status": ["unreleased"]}),
            "page": await server.call("jira_list_versions", {"project_key": "PROJ", "limit": 2}),
            "created": await server.call(
                "jira_create_version", {"project_key": "PROJ", "name": "3.0", "start_date": "2026-12-01", "release_date": "2027-01-15"}
            ),
            "dup": await server.call("jira_create_version", {"project_key": "PROJ", "name": "1.2"}),
            "dates": await server.call("jira_create_version", {"project_key": "PROJ", "name": "x", "start_date": "2027-02-01", "release_date": "2027-01-01"}),
            "bad_date": await server.call("jira_create_version", {"project_key": "PROJ", "name": "x", "release_date": "15/01/2027"}),
            "renamed": await server.call("jira_update_version", {"version": "2.0", "project_key": "PROJ", "name": "2.0-beta"}),
            "released": await server.call("jira_update_version", {"version": "10201", "released": True, "release_date": "2026-11-28"}),
            "archived": await server.call("jira_update_version", {"version": "1.1", "project_key": "PROJ", "archived": True}),
            "by_name_alone": await server.call("jira_update_version", {"version": "1.1", "archived": True}),
            "nothing": await server.call("jira_update_version", {"version": "10201"}),
            "unknown": await server.call("jira_update_version", {"version": "9.9", "project_key": "PROJ", "released": True}),
            "after": await server.call("jira_list_versions", {"project_key": "PROJ"}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "1.1" in t["all"] and "released" in t["all"] and "10202" in t["all"]
    assert [v["name"] for v in r["unreleased"].structured_content["versions"]] == ["1.2", "2.0"]
    assert r["page"].structured_content["next_start_at"] == 2 and "start_at=2" in t["page"]
    assert not r["created"].is_error and r["created"].structured_content["release_date"] == "2027-01-15"
    assert r["dup"].is_error and "already exists" in t["dup"]
    assert r["dates"].is_error and "start_date must not be after release_date" in t["dates"]
    assert r["bad_date"].is_error and "release_date" in t["bad_date"]
    assert r["renamed"].structured_content["name"] == "2.0-beta"
    assert r["released"].structured_content["state"] == "released" and r["released"].structured_content["release_date"] == "2026-11-28"
    assert r["archived"].structured_content["state"] == "archived"
    assert r["by_name_alone"].is_error and "give project_key too" in t["by_name_alone"]
    assert r["nothing"].is_error and "Nothing to change" in t["nothing"]
    assert r["unknown"].is_error and "No version is named '9.9'" in t["unknown"] and "1.2 (id 10201)" in t["unknown"]
    assert "2.0-beta" in t["after"] and "3.0" in t["after"]


def test_components_list_and_create(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "list": await server.call("jira_list_components", {"project_key": "PROJ"}),
            "none": await server.call("jira_list_components", {"project_key": "OPS"}),
            "created": await server.call(
                "jira_create_component", {"project_key": "PROJ", "name": "Mobile", "lead": "me", "default_assignee": "COMPONENT_LEAD"}
            ),
            "dup": await server.call("jira_create_component", {"project_key": "PROJ", "name": "web"}),
            "bad_type": await server.call("jira_create_component", {"project_key": "PROJ", "name": "X", "default_assignee": "ME"}),
            "after": await server.call("jira_list_components", {"project_key": "PROJ", "query": "mob"}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "API" in t["list"] and "Web" in t["list"] and "10100" in t["list"]
    assert "No components in OPS" in t["none"]
    assert not r["created"].is_error and r["created"].structured_content["assignee_type"] == "COMPONENT_LEAD"
    body = [q for q in cloud.requests_to("/rest/api/3/component$", "POST")]
    assert len(body) == 2  # the duplicate reached Jira and was refused there; the bad enum never left
    assert r["dup"].is_error and "already exists" in t["dup"]
    assert r["bad_type"].is_error
    assert [c["name"] for c in r["after"].structured_content["components"]] == ["Mobile"]


def test_filters_mine_by_name_and_one(cloud: Any) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        return {
            "mine": await server.call("jira_list_filters", {}),
            "named": await server.call("jira_list_filters", {"name": "board"}),
            "one": await server.call("jira_get_filter", {"filter_id": "10401"}),
            "missing": await server.call("jira_get_filter", {"filter_id": "999"}),
            "bad": await server.call("jira_get_filter", {"filter_id": "abc"}),
        }

    r = run_with_server(cloud.env(), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert {f["name"] for f in r["mine"].structured_content["filters"]} == {"My open bugs", "Release 1.2 scope", "Ops incidents"}
    assert "jira_search" in t["mine"]
    assert [f["name"] for f in r["named"].structured_content["filters"]] == ["Team board filter"]
    assert "fixVersion = 1.2 ORDER BY rank" in t["one"] and r["one"].structured_content["jql"] == "fixVersion = 1.2 ORDER BY rank"
    assert r["missing"].is_error and r["bad"].is_error


def test_delete_attachment_is_destructive_and_hidden_by_default(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        names = {t.name for t in (await server.session.list_tools()).tools}
        return names, await server.call("jira_delete_attachment", {"attachment_id": "10500"})

    names, hidden = run_with_server(cloud.env(), scenario)
    assert "jira_delete_attachment" not in names and hidden.is_error and "ATLASSIAN_ENABLE_DESTRUCTIVE" in text_of(hidden)

    async def enabled(server: Any) -> Any:
        return await server.call("jira_delete_attachment", {"attachment_id": "10500"}), await server.call("jira_get_attachments", {"issue_key": "PROJ-1"})

    deleted, left = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), enabled)
    assert not deleted.is_error and "notes.txt" in text_of(deleted)
    assert "notes.txt" not in text_of(left) and "screenshot.png" in text_of(left)
    assert cloud.requests_to(r"/rest/api/3/attachment/10500$", "DELETE")
