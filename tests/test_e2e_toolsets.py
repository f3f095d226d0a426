"""End to end: the default profile, toolsets enabled on demand, and ids sent either way."""

from __future__ import annotations

import json
from typing import Any

import anyio
import mcp_types as types
from harness import mcp_server, run_with_server, text_of

DEFAULT = {"ATLASSIAN_TOOLSETS": "default", "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}


def _context_bytes(tools: list[Any]) -> int:
    """What clients put in the model's context: the compact JSON of name, description and inputSchema."""
    return sum(len(json.dumps({"name": t.name, "description": t.description, "inputSchema": t.input_schema}, separators=(",", ":"))) for t in tools)


def test_default_profile_fits_every_client(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.session.list_tools()

    for env in (DEFAULT, {"ATLASSIAN_TOOLSETS": ""}):  # `default`, and ATLASSIAN_TOOLSETS unset
        listed = run_with_server(cloud.env(**env), scenario)
        names = {t.name for t in listed.tools}
        assert len(listed.tools) <= 40 and _context_bytes(listed.tools) <= 20_000
        assert len(listed.model_dump_json(by_alias=True, exclude_none=True)) <= 40_000
        assert {
            "atlassian_toolsets",
            "atlassian_enable_toolset",
            "atlassian_search",
            "jira_search",
            "confluence_get_page",
            "servicedesk_create_request",
        } <= names
        assert "jira_list_boards" not in names and "jira_delete_issue" not in names
        assert all(t.title for t in listed.tools)


def test_enabling_a_toolset_lists_it_and_its_tools_answer(cloud: Any) -> None:
    changed = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            changed.set()

    async def main() -> Any:
        async with mcp_server(cloud.env(**DEFAULT), message_handler=on_message) as run:
            with anyio.fail_after(60):
                before = await run.call("jira_list_sprints", {"board_id": "1"})
                overview = await run.call("atlassian_toolsets")
                enabled = await run.call("atlassian_enable_toolset", {"toolset": "jira_agile"})
                await changed.wait()
                listed = {t.name for t in (await run.session.list_tools()).tools}
                sprints = await run.call("jira_list_sprints", {"board_id": "1"})  # a string board id
                again = await run.call("atlassian_enable_toolset", {"toolset": ["jira_agile"]})
                unknown = await run.call("atlassian_enable_toolset", {"toolset": "jira_teleport"})
                return before, overview, enabled, listed, sprints, again, unknown

    before, overview, enabled, listed, sprints, again, unknown = anyio.run(main)
    assert before.is_error and "atlassian_enable_toolset" in text_of(before) and "jira_agile" in text_of(before)
    rows = {r["name"]: r for r in overview.structured_content["toolsets"]}
    assert rows["jira_issues"]["enabled"] is False and rows["jira_agile"]["enabled"] is False and "jira_list_boards" in rows["jira_agile"]["tools"]
    assert not enabled.is_error and enabled.structured_content["enabled"] == ["jira_agile"]
    assert {"jira_list_boards", "jira_list_sprints", "jira_create_sprint"} <= listed
    assert not sprints.is_error, text_of(sprints)
    assert sprints.structured_content["board_id"] == 1
    assert not again.is_error and again.structured_content["enabled"] == []
    assert unknown.is_error and "jira_teleport" in text_of(unknown)


def test_enabling_never_widens_the_settings(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        await server.call("atlassian_enable_toolset", {"toolset": "all"})
        return {t.name for t in (await server.session.list_tools()).tools}

    names = run_with_server(cloud.env(ATLASSIAN_TOOLSETS="default", ATLASSIAN_READ_ONLY="true", ATLASSIAN_MODULES="jira"), scenario)
    assert "jira_list_boards" in names and "jira_create_sprint" not in names and "jira_delete_issue" not in names
    assert not any(n.startswith(("confluence_", "servicedesk_")) for n in names)


def test_fixed_surface_without_toolset_tools(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        listed = {t.name for t in (await server.session.list_tools()).tools}
        return listed, await server.call("jira_list_boards")

    names, call = run_with_server(cloud.env(ATLASSIAN_TOOLSETS="default", ATLASSIAN_DYNAMIC_TOOLSETS="false"), scenario)
    assert "atlassian_toolsets" not in names and "atlassian_enable_toolset" not in names and "jira_search" in names
    assert call.is_error and "ATLASSIAN_TOOLSETS" in text_of(call)


def test_ids_are_taken_as_strings_or_integers(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("confluence_get_page", {"page_id": 1002}),
            await server.call("jira_get_sprint_issues", {"sprint_id": "11"}),
            await server.call("jira_move_issues_to_sprint", {"sprint_id": 11, "issue_keys": "PROJ-1"}),
        )

    page, sprint, moved = run_with_server(cloud.env(), scenario)
    assert not page.is_error, text_of(page)
    assert page.structured_content["id"] == "1002"
    assert not sprint.is_error, text_of(sprint)
    assert not moved.is_error, text_of(moved)


def test_renamed_0_4_tools_and_parameters_still_answer(cloud: Any) -> None:
    from fakecloud import jsm

    async def scenario(server: Any) -> Any:
        listed = {t.name for t in (await server.session.list_tools()).tools}
        return (
            listed,
            await server.call("assets_get_objects", {"workspace_id": "ws-0001", "object_type_id": "10", "limit": 5}),
            await server.call("assets_get_object_types", {"workspace_id": "ws-0001"}),
        )

    jsm.seed(cloud.state)
    try:
        listed, objects, types_ = run_with_server(cloud.env(ATLASSIAN_API_URL=cloud.url), scenario)
    finally:
        jsm.seed(cloud.state)
    assert "assets_get_objects" not in listed and "assets_search_objects" in listed
    assert not objects.is_error, text_of(objects)
    assert "objectTypeId = 10" in objects.structured_content["aql"] and objects.structured_content["objects"]
    assert not types_.is_error, text_of(types_)
    old_allowlist = run_with_server(cloud.env(ATLASSIAN_TOOLS="assets_get_objects"), lambda s: s.session.list_tools())
    assert [t.name for t in old_allowlist.tools] == ["assets_search_objects"]


def test_prompts_stay_listed_when_their_tools_are_one_call_away(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return {p.name for p in (await server.session.list_prompts()).prompts}

    assert "log_time" in run_with_server(cloud.env(**DEFAULT), scenario)  # jira_add_worklog is in jira_worklog, enabled on demand
    assert "log_time" not in run_with_server(cloud.env(ATLASSIAN_TOOLSETS="default", ATLASSIAN_DYNAMIC_TOOLSETS="false"), scenario)


def test_coercion_fits_values_to_the_schema_and_no_further() -> None:
    from atlassian_mcp_server.server import coerce_arguments
    from atlassian_mcp_server.tools.catalogue import CATALOGUE

    spec = CATALOGUE.tool("confluence_create_page")
    assert spec is not None
    doc = {"type": "doc", "version": 1, "content": []}
    out = coerce_arguments(spec, {"space_key": 42, "content": doc, "parent_id": 1001, "title": True})
    assert out["space_key"] == "42" and out["parent_id"] == "1001" and json.loads(out["content"]) == doc
    assert out["title"] is True  # booleans are not ids: validation refuses them
    sprint = CATALOGUE.tool("jira_list_sprints")
    assert sprint is not None
    assert coerce_arguments(sprint, {"board_id": " 7 ", "start_at": "x"}) == {"board_id": 7, "start_at": "x"}
    assert coerce_arguments(sprint, {"board_id": "--5"}) == {"board_id": "--5"}  # left for validation to refuse
