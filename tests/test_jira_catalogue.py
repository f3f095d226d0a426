"""The Jira tool declarations: honest annotations, toolsets, the seed's names, a light import, and value checks."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from harness import run_with_server

from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.errors import InvalidInput
from atlassian_mcp_server.tools.catalogue import CATALOGUE
from atlassian_mcp_server.tools.jira.screens import Screen
from atlassian_mcp_server.tools.jira.worklog import jira_time
from atlassian_mcp_server.tools.registry import Catalogue, select

JIRA = Catalogue(
    tools=tuple(t for t in CATALOGUE.tools if t.module == "jira"),
    toolsets={k: v for k, v in CATALOGUE.toolsets.items() if k.startswith("jira_")},
)

DESTRUCTIVE = {"jira_delete_issue", "jira_delete_comment", "jira_delete_issue_link", "jira_remove_watcher"}


def _size(t: Any) -> int:
    face = {"name": t.name, "description": t.description, "inputSchema": t.input_schema(), "annotations": t.annotations()}
    return len(json.dumps(face, separators=(",", ":")))


def test_annotations_toolsets_and_footprint() -> None:
    tools = JIRA.tools
    assert len(tools) == 37 and len({t.name for t in tools}) == 37
    assert all(t.module == "jira" and t.toolset in JIRA.toolsets for t in tools)
    assert {t.toolset for t in tools} == set(JIRA.toolsets)
    assert {t.name for t in tools if t.destructive} == DESTRUCTIVE
    for t in tools:
        assert not (t.read_only and t.destructive), t.name
        assert t.annotations()["readOnlyHint"] is t.read_only, t.name
        assert t.read_only or t.annotations()["destructiveHint"] is t.destructive, t.name
        assert t.description.endswith(".") and len(t.description) <= 140, t.name
    sizes = [_size(t) for t in tools]
    assert max(sizes) < 1750 and sum(sizes) / len(sizes) < 680


def test_seed_names_and_parameters_are_kept() -> None:
    by_name = {t.name: t for t in JIRA.tools}
    for name, params in {
        "jira_search": {"jql", "max_results", "limit", "fields", "next_page_token"},
        "jira_get_issue": {"issue_key", "fields", "expand", "format"},
        "jira_create_issue": {"project_key", "summary", "description", "issue_type"},
        "jira_update_issue": {"issue_key", "summary", "description"},
        "jira_add_comment": {"issue_key", "comment"},
    }.items():
        assert params <= set(by_name[name].params), name
    assert by_name["jira_create_issue"].required == ("project_key", "summary")


def test_selection_by_toolset_read_only_and_destructive() -> None:
    env = {"ATLASSIAN_SITE_URL": "https://example.atlassian.net"}
    everything = {t.name for t in select(JIRA, Settings.from_env(env))}
    assert not everything & DESTRUCTIVE and len(everything) == 33
    assert DESTRUCTIVE <= {t.name for t in select(JIRA, Settings.from_env({**env, "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}))}
    reads = {t.name for t in select(JIRA, Settings.from_env({**env, "ATLASSIAN_READ_ONLY": "true", "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}))}
    assert reads == {t.name for t in JIRA.tools if t.read_only} and "jira_get_worklogs" in reads and "jira_add_worklog" not in reads


def test_toolsets_select_what_is_listed(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return {t.name for t in (await server.session.list_tools()).tools}

    names = run_with_server(cloud.env(ATLASSIAN_TOOLSETS="jira_agile,jira_watchers"), scenario)
    jira_names = {n for n in names if n.startswith("jira_")}
    assert jira_names == {
        "jira_list_boards",
        "jira_list_sprints",
        "jira_get_sprint_issues",
        "jira_move_issues_to_sprint",
        "jira_create_sprint",
        "jira_update_sprint",
        "jira_get_watchers",
        "jira_add_watcher",
    }


def test_declarations_import_nothing_heavy() -> None:
    code = (
        "import sys, atlassian_mcp_server.tools.catalogue as c; c.CATALOGUE; "
        "print([m for m in ('requests', 'markdown_it', 'atlassian_mcp_server.content', 'atlassian_mcp_server.clients.jira') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


SCREEN = {
    "summary": {"name": "Summary", "required": True, "schema": {"type": "string", "system": "summary"}},
    "description": {"name": "Description", "schema": {"type": "string", "system": "description"}},
    "reporter": {"name": "Reporter", "required": True, "hasDefaultValue": True, "schema": {"type": "user"}},
    "components": {
        "name": "Components",
        "schema": {"type": "array", "items": "component"},
        "allowedValues": [{"id": "1", "name": "Web"}, {"id": "2", "name": "API"}],
    },
    "customfield_1": {"name": "Tier", "required": True, "schema": {"type": "option"}, "allowedValues": [{"id": "7", "value": "Gold"}]},
    "customfield_2": {"name": "Points", "schema": {"type": "number"}},
    "customfield_3": {"name": "Sprint", "schema": {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint"}},
    "customfield_4": {"name": "Team", "schema": {"type": "string"}},
    "customfield_5": {"name": "team", "schema": {"type": "option"}},
    "customfield_6": {"name": "Notes", "schema": {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea"}},
    "parent": {"name": "Parent", "schema": {"type": "issuelink", "system": "parent"}},
    "timetracking": {"name": "Time tracking", "schema": {"type": "timetracking"}},
    "duedate": {"name": "Due date", "schema": {"type": "date"}},
}


def test_screen_turns_plain_values_into_jira_json() -> None:
    screen = Screen(SCREEN, "the test screen")
    people = {"me": "acc-1"}
    built = screen.build(
        {
            "Summary": "Hi",
            "components": ["api", "1"],
            "Tier": "gold",
            "Points": "2.5",
            "customfield_3": [12],
            "Parent": "PROJ-1",
            "Time tracking": "2h",
            "Due date": "2026-01-31",
            "reporter": "me",
            "customfield_4": {"raw": True},
        },
        people.__getitem__,
    )
    assert built == {
        "summary": "Hi",
        "components": [{"id": "2"}, {"id": "1"}],
        "customfield_1": {"id": "7"},
        "customfield_2": 2.5,
        "customfield_3": 12,
        "parent": {"key": "PROJ-1"},
        "timetracking": {"originalEstimate": "2h"},
        "duedate": "2026-01-31",
        "reporter": {"accountId": "acc-1"},
        "customfield_4": {"raw": True},
    }
    rich = screen.build({"Description": "**x**", "Notes": "y", "components": None}, people.__getitem__)
    assert rich["description"]["type"] == "doc" and rich["customfield_6"]["type"] == "doc" and rich["components"] == []
    assert screen.missing_required({"summary"}) == ["Tier (customfield_1, option; one of Gold)"]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"Team": "x"}, "ambiguous: it matches Team (customfield_4); team (customfield_5)"),
        ({"Colour": "x"}, "Unknown field 'Colour' on the test screen; choose one of: Components (components)"),
        ({"Tier": "Silver"}, "Unknown value for Tier 'Silver' on the test screen; choose one of: Gold."),
        ({"Points": "many"}, "Points needs a number"),
        ({"Due date": "tomorrow"}, "Due date needs a date like 2026-12-31"),
        ({"Sprint": "next"}, "needs a sprint id"),
        ({"summary": "a", "Summary": "b"}, "Field Summary is given twice"),
    ],
)
def test_screen_refuses_what_jira_would(values: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Screen(SCREEN, "the test screen").build(values, lambda who: who)
    assert message in str(caught.value)


def test_worklog_start_times() -> None:
    assert jira_time("2026-11-20T09:30:00+01:00") == "2026-11-20T09:30:00.000+0100"
    assert jira_time("2026-11-20T08:00:00Z") == "2026-11-20T08:00:00.000+0000"
    local = jira_time("2026-11-20")
    assert local.startswith("2026-11-20T00:00:00.000") and len(local) == 28
    assert len(jira_time(None)) == 28
    with pytest.raises(InvalidInput):
        jira_time("last tuesday")
