"""End to end: one MCP prompt per use case, naming only enabled tools, with argument completion."""

from __future__ import annotations

import re
from typing import Any

import pytest
from harness import run_with_server

ALL = {"document_work", "plan_work", "project_brief", "log_time", "triage_queue", "standup"}
ARGS = {
    "document_work": {"space": "ENG", "issues": "PROJ-1, PROJ-2"},
    "plan_work": {"project": "PROJ", "notes": "- build login\n- write docs"},
    "project_brief": {"project": "PROJ", "space": "ENG"},
    "log_time": {"day": "2026-11-24", "notes": "2h on the login bug"},
    "triage_queue": {"service_desk": "OPS"},
    "standup": {"since": "2026-11-23"},
}


def _fetch_all(env: dict[str, str]) -> Any:
    async def scenario(server: Any) -> Any:
        tools = {t.name for t in (await server.session.list_tools()).tools}
        listed = (await server.session.list_prompts()).prompts
        fetched = {p.name: await server.session.get_prompt(p.name, ARGS[p.name]) for p in listed}
        return tools, listed, fetched

    return run_with_server(env, scenario)


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({}, ALL),
        ({"ATLASSIAN_READ_ONLY": "true"}, {"project_brief", "triage_queue", "standup"}),
        ({"ATLASSIAN_MODULES": "confluence"}, {"document_work"}),
        ({"ATLASSIAN_MODULES": "confluence", "ATLASSIAN_READ_ONLY": "true"}, set()),
        ({"ATLASSIAN_MODULES": "service_desk"}, {"triage_queue"}),
    ],
)
def test_prompts_name_only_enabled_tools(cloud: Any, extra: dict[str, str], expected: set[str]) -> None:
    tools, listed, fetched = _fetch_all(cloud.env(**extra))
    assert {p.name for p in listed} == expected
    for name, result in fetched.items():
        text = result.messages[0].content.text
        named = set(re.findall(r"`([a-z]+_[a-z_]+)`", text))
        assert named, name
        assert named <= tools, (name, named - tools)
        for value in ARGS[name].values():
            assert value.splitlines()[0] in text
        assert "Good result" in text


def test_prompt_argument_errors(cloud: Any) -> None:
    from mcp.shared.exceptions import MCPError

    async def scenario(server: Any) -> Any:
        errors = []
        for name, args in (("plan_work", {}), ("standup", {"colour": "red"}), ("no_such_prompt", {})):
            try:
                await server.session.get_prompt(name, args)
            except MCPError as exc:
                errors.append(exc.message)
        return errors

    errors = run_with_server(cloud.env(), scenario)
    assert len(errors) == 3
    assert "needs the argument(s) project" in errors[0]
    assert "no argument(s) colour" in errors[1]
    assert "Unknown prompt" in errors[2]


def test_completions_for_projects_spaces_and_desks(cloud: Any) -> None:
    import mcp_types as types

    async def scenario(server: Any) -> Any:
        out = {}
        for prompt, argument, value in (("plan_work", "project", "PR"), ("document_work", "space", "E"), ("triage_queue", "service_desk", "")):
            result = await server.session.complete(types.PromptReference(type="ref/prompt", name=prompt), {"name": argument, "value": value})
            out[argument] = result.completion.values
        return out

    values = run_with_server(cloud.env(), scenario)
    assert "PROJ" in values["project"] and all(v.startswith("PR") for v in values["project"])
    assert values["space"] == ["ENG"]
    assert "OPS" in values["service_desk"]
