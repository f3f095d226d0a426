"""Drive the real server: start the installed `atlassian-mcp-server` over stdio with the MCP SDK client.

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
    """One server process: the MCP session plus what the process wrote to stderr."""

    def __init__(self, session: Any, errlog: Any):
        self.session = session
        self._errlog = errlog

    def stderr(self) -> str:
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


def run_with_server(env: dict[str, str], scenario: Callable[[ServerRun], Awaitable[Any]], **session_kw: Any) -> Any:
    """Start the real server, run `scenario(server)` against it, shut it down, return the result.

    `session_kw` goes to the SDK's ClientSession (e.g. `logging_callback`).
    """

    async def main() -> Any:
        async with mcp_server(env, **session_kw) as server:
            with anyio.fail_after(60):
                return await scenario(server)

    return anyio.run(main)


def text_of(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)
