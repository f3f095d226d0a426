"""Drive the real server with the MCP SDK client: in memory, or as the installed process over stdio.

`run_with_server` (the default for behaviour tests) builds the server with `build_server()` in this
process and talks to it through the SDK's in-memory transport: the same JSON-RPC messages, the same
handshake, the same handlers and fake cloud, in about a tenth of a second. `run_with_process` and
`mcp_server` start the installed `atlassian-mcp-server` over stdio instead: kept for what only a
process shows (stdout purity, the console script, its stderr, the CLI, cancellation of a real pipe).

Imported by tests as `from harness import run_with_server, text_of` (a module name of its own:
`conftest` is ambiguous once a sub-folder has a conftest.py of its own).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio


def server_command() -> list[str]:
    """The installed console script next to this interpreter, as an MCP client would start it."""
    exe = Path(sys.executable).parent / ("atlassian-mcp-server.exe" if os.name == "nt" else "atlassian-mcp-server")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("atlassian-mcp-server")
    if found:
        return [found]
    return [sys.executable, "-m", "atlassian_mcp_server"]


class ServerRun:
    """One server: the MCP session plus, for a process, what it wrote to stderr."""

    def __init__(self, session: Any, errlog: Any = None):
        self.session = session
        self._errlog = errlog

    def stderr(self) -> str:
        if self._errlog is None:
            raise RuntimeError("an in-memory server has no stderr: use run_with_process for a test that reads it")
        self._errlog.flush()
        self._errlog.seek(0)
        return self._errlog.read()

    async def call(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        return await self.session.call_tool(name, arguments or {})


@contextlib.asynccontextmanager
async def mcp_server(env: dict[str, str], cwd: str | None = None, modern: bool = False, **session_kw: Any) -> AsyncIterator[ServerRun]:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    command = server_command()
    config_dir = tempfile.mkdtemp(prefix="amcp-config-")
    full_env = {"ATLASSIAN_CONFIG_DIR": config_dir, "ATLASSIAN_LOG_LEVEL": "INFO", **env}
    params = StdioServerParameters(command=command[0], args=command[1:], env=full_env, cwd=cwd)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write, **session_kw) as session:
                if modern:  # the handshake-free revision: server/discover instead of initialize
                    await session.discover()
                else:
                    await session.initialize()
                yield ServerRun(session, errlog)
        shutil.rmtree(config_dir, ignore_errors=True)


@contextlib.asynccontextmanager
async def memory_server(env: dict[str, str], **client_kw: Any) -> AsyncIterator[ServerRun]:
    """`build_server()` in this process, reached through the SDK's in-memory transport after the
    usual initialize handshake. Settings come from `env` alone (plus a fresh config dir), and the
    process environment is, while it runs, what the stdio client would give a server process:
    the developer's own ATLASSIAN_*, proxy or DISPLAY variables play no part."""
    from unittest import mock

    from mcp.client import Client
    from mcp.client.stdio import get_default_environment

    from atlassian_mcp_server.config import Settings
    from atlassian_mcp_server.server import build_server

    config_dir = tempfile.mkdtemp(prefix="amcp-config-")
    full_env = {"ATLASSIAN_CONFIG_DIR": config_dir, "ATLASSIAN_LOG_LEVEL": "INFO", **env}
    try:
        with mock.patch.dict(os.environ, {**get_default_environment(), **full_env}, clear=True):
            server = build_server(Settings.from_env(full_env))
            async with Client(server, mode="legacy", cache=None, **client_kw) as client:
                yield ServerRun(client.session)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


def run_with_server(env: dict[str, str], scenario: Callable[[ServerRun], Awaitable[Any]], **client_kw: Any) -> Any:
    """Build the server in memory, run `scenario(server)` against it, shut it down, return the result.

    `client_kw` goes to the SDK's Client (e.g. `message_handler`).
    """

    async def main() -> Any:
        async with memory_server(env, **client_kw) as server:
            with anyio.fail_after(60):
                return await scenario(server)

    return anyio.run(main)


def run_with_process(env: dict[str, str], scenario: Callable[[ServerRun], Awaitable[Any]], **session_kw: Any) -> Any:
    """Start the installed server process over stdio, run `scenario(server)`, stop it, return the result.

    For end-to-end tests only (see the module docstring). `session_kw` goes to the SDK's
    ClientSession (e.g. `logging_callback`).
    """

    async def main() -> Any:
        async with mcp_server(env, **session_kw) as server:
            with anyio.fail_after(60):
                return await scenario(server)

    return anyio.run(main)


def raw_exchange(env: dict[str, str], lines: list[str], wanted: set[int]) -> dict[int, Any]:
    """Start the installed server, write `lines` (JSON-RPC messages, one per line) to its stdin as a
    client that speaks no SDK would, read stdout until each id in `wanted` is answered, then close
    stdin and wait for the exit. The answers by id."""
    import json
    import subprocess

    proc = subprocess.Popen(
        server_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
        text=True,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write("".join(line + "\n" for line in lines))
    proc.stdin.flush()
    answers: dict[int, Any] = {}
    while not wanted <= set(answers):
        message = json.loads(proc.stdout.readline())
        if "id" in message:
            answers[message["id"]] = message
    proc.stdin.close()
    proc.wait(timeout=30)
    return answers


def text_of(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)
