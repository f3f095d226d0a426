"""What the benchmarks share: the server command, its environment, the fake cloud, an MCP session."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(os.environ.get("BENCH_TESTS_DIR") or ROOT / "tests")  # where tests/fakecloud lives
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))


def knob(name: str, default: float) -> Any:
    """A size knob from the environment (BENCH_*), as int when the default is an int."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return int(raw) if isinstance(default, int) else float(raw)


def server_command() -> list[str]:
    """The installed console script next to this interpreter, as an MCP client starts it."""
    exe = Path(sys.executable).parent / ("atlassian-mcp-server.exe" if os.name == "nt" else "atlassian-mcp-server")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("atlassian-mcp-server")
    return [found] if found else [sys.executable, "-m", "atlassian_mcp_server"]


def base_env(**settings: str) -> dict[str, str]:
    """A clean environment: no ATLASSIAN_* from the caller's shell leaks into a measurement."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH", "LANG", "SYSTEMROOT", "TMPDIR")}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.setdefault("HOME", tempfile.gettempdir())
    env["ATLASSIAN_LOG_LEVEL"] = "WARNING"
    env.update(settings)
    return env


def fake_cloud() -> Any:
    """A FakeCloud (tests/fakecloud), not yet started: use it as a context manager.

    Its handler writes the headers and the body of a response in two sends; with Nagle's
    algorithm on, the body then waits for the client's delayed ACK (~40 ms on Linux) on every
    keep-alive request. A real Atlassian front end does not stall like that, so the benchmarks
    switch Nagle off (TCP_NODELAY, the stdlib's own `disable_nagle_algorithm` switch).
    """
    from fakecloud import FakeCloud

    cloud = FakeCloud()
    cloud._server.RequestHandlerClass.disable_nagle_algorithm = True
    return cloud


def time_service(cloud: Any) -> list[float]:
    """Record the fake's own service time (seconds, one entry per request) from now on.

    Measured inside the fake, from its handler being called (request line and headers read) to
    the last byte of the answer written: what the cloud costs, not what the server costs.
    """
    base = cloud._server.RequestHandlerClass
    times: list[float] = []

    class Timed(base):  # type: ignore[misc, valid-type]
        def _timed(self) -> None:
            start = time.perf_counter()
            try:
                base._serve(self)
            finally:
                times.append(time.perf_counter() - start)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _timed

    cloud._server.RequestHandlerClass = Timed
    return times


@contextlib.asynccontextmanager
async def mcp_session(env: dict[str, str]) -> AsyncIterator[Any]:
    """The real server over stdio, driven by the MCP SDK client, initialized and ready."""
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    command = server_command()
    config_dir = tempfile.mkdtemp(prefix="amcp-bench-")
    full_env = {"ATLASSIAN_CONFIG_DIR": config_dir, **env}
    params = StdioServerParameters(command=command[0], args=command[1:], env=full_env)
    try:
        with open(os.devnull, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    yield session
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


def server_cpu_s() -> float | None:
    """CPU seconds (user + system) used so far by this process's atlassian-mcp-server child; None off Linux.

    The SDK's stdio client does not expose the child's pid, so it is found in /proc.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if b"atlassian-mcp-server" in cmdline or b"atlassian_mcp_server" in cmdline:
                return (int(fields[11]) + int(fields[12])) / tick
    return None


def text_of(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


class BenchError(Exception):
    """A benchmark cannot measure what it set out to (a tool answered an error, the server died)."""


def checked(result: Any, what: str) -> Any:
    """The result, or a clear failure when the tool answered isError (a benchmark of an error is no benchmark)."""
    if result.is_error:
        raise BenchError(f"{what} answered an error: {text_of(result)[:300]}")
    return result


def run(main: Callable[[], dict[str, Any]]) -> None:
    """Run a benchmark: its figures as the last stdout line, or one line on stderr and exit status 1."""
    try:
        figures = main()
    except BaseException as exc:  # noqa: BLE001 - unwrap task-group errors into one readable line
        while getattr(exc, "exceptions", None):  # an exception group (3.11+, or anyio's backport)
            exc = exc.exceptions[0]  # type: ignore[attr-defined]
        if isinstance(exc, KeyboardInterrupt):
            raise
        sys.stderr.write(f"{Path(sys.argv[0]).name} failed: {type(exc).__name__}: {exc}\n")
        raise SystemExit(1) from None
    emit(figures)


def compact(value: Any) -> bytes:
    """JSON as a wire would carry it: no spaces, UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def emit(figures: dict[str, Any]) -> None:
    """The benchmark's result: one JSON object, always the last line of stdout."""
    sys.stdout.write(json.dumps(figures) + "\n")
    sys.stdout.flush()


def server_pid() -> int | None:
    """The pid of this process's atlassian-mcp-server child (found in /proc, like server_cpu_s); None off Linux."""
    for children in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"atlassian-mcp-server" in cmdline or b"atlassian_mcp_server" in cmdline:
                return int(pid)
    return None
