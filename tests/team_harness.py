"""Drive team servers: `atlassian-mcp-server serve --transport http` processes on loopback ports, and MCP
clients over Streamable HTTP that spread their requests over several replicas like a load balancer.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from harness import server_command


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replica:
    """One server process; `url` is its /mcp endpoint."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, errlog: Any, host: str = "127.0.0.1"):
        self.proc = proc
        self.port = port
        self.errlog = errlog
        self.base = f"http://{host}:{port}"
        self.url = self.base + "/mcp"

    def stderr(self) -> str:
        self.errlog.flush()
        self.errlog.seek(0)
        return self.errlog.read().decode("utf-8", "replace")

    def rss_kib(self) -> int:
        """Resident memory of the process (Linux /proc)."""
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the process has used so far (Linux /proc)."""
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(env: dict[str, str], *args: str, port: int | None = None, wait: bool = True) -> Replica:
    port = port or free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith("ATLASSIAN_")}
    full.update({"ATLASSIAN_CONFIG_DIR": tempfile.mkdtemp(prefix="amcp-team-"), "ATLASSIAN_LOG_LEVEL": "INFO", **env})
    errlog = tempfile.TemporaryFile()
    proc = subprocess.Popen([*server_command(), "serve", "--transport", "http", "--port", str(port), *args], env=full, stdout=errlog, stderr=errlog)
    replica = Replica(proc, port, errlog)
    if wait:
        wait_healthy(replica)
    return replica


def wait_healthy(replica: Replica, timeout: float = 30.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.proc.poll() is not None:
            raise AssertionError(f"server exited with {replica.proc.returncode}: {replica.stderr()}")
        try:
            if requests.get(replica.base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server did not become healthy: {replica.stderr()}")


def stop(replica: Replica) -> int:
    if replica.proc.poll() is None:
        replica.proc.send_signal(signal.SIGTERM)
        try:
            replica.proc.wait(30)
        except subprocess.TimeoutExpired:
            replica.proc.kill()
            replica.proc.wait(10)
    return replica.proc.returncode


@contextlib.contextmanager
def replicas(env: dict[str, str], count: int = 1, *args: str) -> Iterator[list[Replica]]:
    started: list[Replica] = []
    try:
        for _ in range(count):
            started.append(start(env, *args))
        yield started
    finally:
        for replica in started:
            stop(replica)


_TURNS: dict[tuple[int, ...], Iterator[int]] = {}


def round_robin_client(urls: list[str], headers: dict[str, str] | None = None, timeout: float = 60.0) -> Any:
    """An httpx client for the MCP SDK whose requests go to the replicas in turn (what a load balancer does).

    The turn is shared by every client of the same replicas, as one balancer in front of them would.
    """
    import httpx2
    from mcp.shared._httpx_utils import create_mcp_http_client

    ports = tuple(int(u.split(":")[2].split("/")[0]) for u in urls)
    turns = _TURNS.setdefault(ports, itertools.cycle(ports))

    class RoundRobin(httpx2.AsyncHTTPTransport):
        async def handle_async_request(self, request: Any) -> Any:
            request.url = request.url.copy_with(port=next(turns))
            return await super().handle_async_request(request)

    client = create_mcp_http_client(headers=headers, timeout=httpx2.Timeout(timeout))
    client._transport = RoundRobin()
    return client


@contextlib.asynccontextmanager
async def session(urls: list[str] | str, headers: dict[str, str] | None = None, **kw: Any) -> AsyncIterator[Any]:
    """An initialized MCP ClientSession over Streamable HTTP, spread over the replicas at `urls`."""
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    urls = [urls] if isinstance(urls, str) else urls
    async with round_robin_client(urls, headers) as client:
        async with streamable_http_client(urls[0], http_client=client) as (read, write):
            async with ClientSession(read, write, **kw) as mcp:
                await mcp.initialize()
                yield mcp
