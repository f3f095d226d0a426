"""The tool table: every declaration is complete and honest, and selection filters it."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from atlassian_mcp_server.config import MODULES, Settings
from atlassian_mcp_server.errors import ConfigError
from atlassian_mcp_server.tools.catalogue import CATALOGUE
from atlassian_mcp_server.tools.registry import select

SITE = {"ATLASSIAN_SITE_URL": "https://acme.atlassian.net"}
TOOLS = list(CATALOGUE.tools)


@pytest.mark.parametrize("spec", TOOLS, ids=[t.name for t in TOOLS])
def test_declaration_is_complete(spec) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]{2,63}", spec.name)
    assert spec.module in (*MODULES, "atlassian")
    assert spec.toolset in CATALOGUE.toolsets
    assert spec.title and spec.description.endswith(".") and len(spec.description) <= 320
    Draft202012Validator.check_schema(spec.input_schema(strict=True))
    for name, schema in spec.params.items():
        assert schema.get("description"), f"{spec.name}.{name} has no description"
    for required in spec.required:
        assert required in spec.params
    if spec.destructive:
        assert not spec.read_only
    annotations = spec.annotations()
    assert annotations["readOnlyHint"] is spec.read_only and annotations["title"] == spec.title
    if spec.read_only:  # destructive/idempotent hints do not apply to tools that only read
        assert "destructiveHint" not in annotations and "idempotentHint" not in annotations
    else:  # a write says whether it destroys (the protocol's default would be "yes")
        assert annotations["destructiveHint"] is spec.destructive
        assert annotations.get("idempotentHint", False) is bool(spec.idempotent)


def _settings(**env: str) -> Settings:
    return Settings.from_env({**SITE, **env})


def test_default_selection_hides_destructive_only() -> None:
    enabled = select(CATALOGUE, _settings())
    assert {t.name for t in enabled} == {t.name for t in TOOLS if not t.destructive}


def test_read_only_keeps_only_reads() -> None:
    enabled = select(CATALOGUE, _settings(ATLASSIAN_READ_ONLY="true", ATLASSIAN_ENABLE_DESTRUCTIVE="true"))
    assert enabled and all(t.read_only for t in enabled)


def test_modules_and_toolsets_filter() -> None:
    enabled = select(CATALOGUE, _settings(ATLASSIAN_MODULES="jira"))
    assert {t.module for t in enabled} <= {"jira", "atlassian"}
    first_toolset = next(t.toolset for t in TOOLS if t.module == "confluence")
    enabled = select(CATALOGUE, _settings(ATLASSIAN_TOOLSETS=first_toolset))
    assert {t.toolset for t in enabled} <= {first_toolset, "atlassian"}


@pytest.mark.parametrize("env, word", [({"ATLASSIAN_TOOLS": "jira_search,jira_fly"}, "jira_fly"), ({"ATLASSIAN_TOOLSETS": "everything"}, "everything")])
def test_unknown_names_are_refused(env: dict[str, str], word: str) -> None:
    with pytest.raises(ConfigError, match=word):
        select(CATALOGUE, _settings(**env))


def test_tools_list_stays_small() -> None:
    """The whole catalogue costs a model under 600 bytes per tool on average (issue 9's target)."""
    import json

    sizes = [
        len(json.dumps({"name": t.name, "description": t.description, "inputSchema": t.input_schema(), "annotations": t.annotations()}, separators=(",", ":")))
        for t in TOOLS
    ]
    assert sum(sizes) / len(sizes) < 600


def test_listed_schema_is_lean_but_validation_is_strict() -> None:
    spec = TOOLS[0]
    assert "additionalProperties" not in spec.input_schema()
    assert spec.input_schema(strict=True)["additionalProperties"] is False
