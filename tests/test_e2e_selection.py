"""End to end: settings select which tools are listed and callable."""

from __future__ import annotations

import subprocess
from typing import Any

from harness import run_with_server, server_command, text_of


def _listed(env: dict[str, str]) -> set[str]:
    async def scenario(server: Any) -> Any:
        return await server.session.list_tools()

    return {t.name for t in run_with_server(env, scenario).tools}


def test_modules_filter(cloud: Any) -> None:
    names = _listed(cloud.env(ATLASSIAN_MODULES="confluence"))
    assert "confluence_get_page" in names and "atlassian_whoami" in names
    assert not any(n.startswith(("jira_", "servicedesk_")) for n in names)


def test_read_only_lists_no_write_tool(cloud: Any) -> None:
    from atlassian_mcp_server.tools.catalogue import CATALOGUE

    async def scenario(server: Any) -> Any:
        return await server.session.list_tools()

    listed = run_with_server(cloud.env(ATLASSIAN_READ_ONLY="true"), scenario).tools
    assert listed and all(t.annotations.read_only_hint for t in listed)
    writes = {t.name for t in CATALOGUE.tools if not t.read_only}
    assert not writes & {t.name for t in listed}


def test_in_memory_server_reads_only_the_given_env(cloud: Any, monkeypatch: Any) -> None:
    """The developer's own ATLASSIAN_* variables play no part in a test's server (as with a process)."""
    monkeypatch.setenv("ATLASSIAN_READ_ONLY", "true")
    monkeypatch.setenv("ATLASSIAN_MODULES", "confluence")
    names = _listed(cloud.env())
    assert {"jira_create_issue", "servicedesk_create_request", "confluence_create_page"} <= names


def test_allowlist_and_disabled_tool_call(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        listed = await server.session.list_tools()
        return listed, await server.call("jira_get_issue", {"issue_key": "PROJ-1"})

    listed, result = run_with_server(cloud.env(ATLASSIAN_TOOLS="jira_search,atlassian_whoami"), scenario)
    assert {t.name for t in listed.tools} == {"jira_search", "atlassian_whoami"}
    assert result.is_error and "disabled" in text_of(result) and "ATLASSIAN_TOOLS" in text_of(result)


def test_unknown_names_stop_start_up(cloud: Any) -> None:
    for env in ({"ATLASSIAN_TOOLS": "jira_search,jira_teleport"}, {"ATLASSIAN_MODULES": "jira,bitbucket"}, {"ATLASSIAN_TOOLSETS": "nope"}):
        proc = subprocess.run(
            server_command(), env={**cloud.env(), **env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
        )
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert any(bad in proc.stderr for bad in ("jira_teleport", "bitbucket", "nope"))


def test_help_and_version_need_no_settings() -> None:
    for flag, word in (("--help", "serves MCP over stdio"), ("--version", "atlassian-mcp-server ")):
        proc = subprocess.run([*server_command(), flag], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0 and word in proc.stdout


def test_unknown_names_are_refused_before_the_sdk_loads(cloud: Any) -> None:
    """A misspelt tool or toolset ends `serve` (stdio and HTTP) before the MCP SDK is imported: the
    refusal costs the user a tenth of a second, not the SDK's half-second import first."""
    import sys

    probe = "import sys; from atlassian_mcp_server.cli import main; rc = main(sys.argv[1:]); print(rc, 'mcp' in sys.modules, 'anyio' in sys.modules)"
    for argv, env in (
        (["serve"], {"ATLASSIAN_TOOLS": "jira_search,jira_teleport"}),
        (["serve"], {"ATLASSIAN_TOOLSETS": "nope"}),
        (["serve", "--transport", "http", "--port", "9"], {"ATLASSIAN_TOOLSETS": "nope"}),
    ):
        proc = subprocess.run(
            [sys.executable, "-c", probe, *argv], env={**cloud.env(), **env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30
        )
        assert proc.stdout.split() == ["2", "False", "False"], (proc.stdout, proc.stderr)
        assert "jira_teleport" in proc.stderr or "nope" in proc.stderr
