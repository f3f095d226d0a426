"""A hostile-input corpus driven through the real server: every id and key parameter of every tool.

Each hostile value must either be refused before anything is sent, or reach Atlassian only as one
percent-encoded path segment (or as an encoded query value): never as path syntax. The fake cloud
logs the exact raw paths it received, and every request must be a documented operation.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from harness import run_with_server, text_of

from atlassian_mcp_server.tools.catalogue import CATALOGUE

HOSTILE = [
    "../../rest/api/3/myself",
    "..",
    "%2e%2e%2fmyself",
    "1?expand=everything",
    "1#fragment",
    "1;jsessionid=x",
    "1\r\nX-Injected: yes",
    "1\x00",
    "ＰＲＯＪ－１／．．",  # full-width look-alikes
    "https://evil.example/steal",
    "//evil.example/x",
    "1/../../2",
    " ",
    "x" * 5000,
]

ID_NAME = re.compile(r"(^|_)(id|key|ids|keys)$")


def _sample(name: str, schema: dict[str, Any]) -> Any:
    """A plausible valid value for a required argument, from its schema alone."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [_sample(name, schema.get("items", {"type": "string"}))]
    if kind == "object":
        return {}
    pattern = schema.get("pattern", "")
    if "0-9" in pattern or "\\d" in pattern:
        return "1002"
    return "PROJ-1" if "key" in name else "sample text"


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for spec in CATALOGUE.tools:
        base = {name: _sample(name, spec.params[name]) for name in spec.required}
        for name, schema in spec.params.items():
            if not ID_NAME.search(name):
                continue
            for value in HOSTILE:
                args = dict(base)
                args[name] = [value] if schema.get("type") == "array" else value
                cases.append((spec.name, name, args))
    return cases


CASES = _cases()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 200
    assert len({(tool, param) for tool, param, _ in CASES}) >= 30


def _value_of(args: dict[str, Any], param: str) -> str:
    value = args[param]
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_ids_never_become_path_syntax(cloud: Any, chunk: int, tmp_path: Any) -> None:
    mine = CASES[chunk::4]

    async def scenario(server: Any) -> Any:
        outcomes = []
        for tool, param, args in mine:
            before = len(cloud.log)
            result = await server.call(tool, args)
            outcomes.append((tool, param, args, result, cloud.log[before:]))
        alive = await server.call("atlassian_whoami")
        return outcomes, alive

    env = cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true", ATLASSIAN_FILE_ROOT=str(tmp_path), ATLASSIAN_MAX_RETRIES="0")
    outcomes, alive = run_with_server(env, scenario)
    assert not alive.is_error
    for tool, param, args, result, sent in outcomes:
        value = _value_of(args, param)
        assert "Traceback" not in text_of(result)
        for request in sent:
            path = request["path"]
            assert request["operation"] is not None, (tool, param, value, path)
            if value in ("..", " "):
                assert f"/{value}/" not in path + "/", (tool, param, path)
            elif any(ch in value for ch in "/?#;%\r\n\x00") or not value.isascii():
                # Never raw in the path; where it is in the path at all, it is one encoded segment.
                assert value not in path, (tool, param, value, path)
                fragment = value.split("/")[0] if "/" in value else None
                if fragment and f"/{fragment}/" in path:
                    assert quote(value, safe="") in path, (tool, param, value, path)
