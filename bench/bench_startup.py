"""Cold start: process start to the tools/list answer over stdio, next to the SDK floor.

The floor is a process that only imports `mcp.server.lowlevel` and `mcp.server.stdio`. Beside it
runs a one-tool low-level SDK server answering the same two requests: what serving stdio costs
any server. All are measured in this run, interleaved, so machine noise hits them alike. Also
reports peak RSS after tools/list, the byte size of the tools/list result, and each process's CPU
time (user + system), which a busy machine disturbs far less than wall time.
Knobs: BENCH_RUNS (15), BENCH_WARMUP (1 unmeasured round first). Last line: one JSON object of figures.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
INIT = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}
LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


def server_command() -> list[str]:
    exe = Path(sys.executable).parent / "atlassian-mcp-server"
    return [str(exe)] if exe.exists() else [shutil.which("atlassian-mcp-server") or "atlassian-mcp-server"]


def env() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "ATLASSIAN_SITE_URL": "https://bench.atlassian.net",
        "ATLASSIAN_EMAIL": "bench@example.com",
        "ATLASSIAN_API_TOKEN": "bench-token",
        "ATLASSIAN_ENABLE_DESTRUCTIVE": "true",
    }


def reap(proc: subprocess.Popen[str]) -> float:
    """Wait for the child; its CPU seconds (user + system) over its whole life.

    CPU time barely moves when other processes compete for the machine, so it steadies the
    comparison on a busy host where wall-clock medians swing.
    """
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


SDK_SERVER = """
import anyio, mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
TOOL = types.Tool(name="echo", description="Echo.", input_schema={"type": "object"})
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[TOOL])
async def call_tool(ctx, params):
    return types.CallToolResult(content=[])
server = Server("floor", on_list_tools=list_tools, on_call_tool=call_tool)
async def main():
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
anyio.run(main)
"""


def time_server(command: list[str] | None = None) -> tuple[float, int, int, float]:
    """Seconds from spawn to the tools/list answer; peak RSS (KB) of the child; result bytes; CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(command or server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env(), text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(INIT) + "\n" + json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n" + json.dumps(LIST) + "\n")
    proc.stdin.flush()
    size = 0
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"{(command or server_command())[0]} exited before answering tools/list (exit status {proc.wait()}); run it by hand to see why")
        message = json.loads(line)
        if message.get("id") == 1:
            size = len(json.dumps(message["result"], separators=(",", ":")).encode())
            break
    elapsed = time.perf_counter() - start
    with open(f"/proc/{proc.pid}/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    proc.stdin.close()
    return elapsed, rss, size, reap(proc)


def time_floor() -> tuple[float, int, float]:
    code = "import mcp.server.lowlevel, mcp.server.stdio, sys; sys.stdout.write('ok\\n'); sys.stdout.flush(); sys.stdin.readline()"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin and proc.stdout
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    with open(f"/proc/{proc.pid}/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    proc.stdin.write("\n")
    proc.stdin.close()
    return elapsed, rss, reap(proc)


def main() -> None:
    server, floor, sdk, server_rss, floor_rss, server_cpu, floor_cpu, sdk_cpu = [], [], [], [], [], [], [], []
    size = 0
    sdk_command = [sys.executable, "-c", SDK_SERVER]
    for _ in range(WARMUP):  # warm the file cache for all three
        time_server()
        time_floor()
        time_server(sdk_command)
    for _ in range(RUNS):
        s, rss, size, scpu = time_server()
        f, frss, fcpu = time_floor()
        k, _, _, kcpu = time_server(sdk_command)
        server.append(s)
        floor.append(f)
        sdk.append(k)
        server_rss.append(rss)
        floor_rss.append(frss)
        server_cpu.append(scpu)
        floor_cpu.append(fcpu)
        sdk_cpu.append(kcpu)
    med = statistics.median
    figures = {
        "runs": RUNS,
        "startup_s": round(med(server), 4),
        "floor_s": round(med(floor), 4),
        "startup_ratio": round(med(server) / med(floor), 3),
        "paired_ratio": round(med(s / f for s, f in zip(server, floor)), 3),
        "startup_cpu_s": round(med(server_cpu), 4),
        "floor_cpu_s": round(med(floor_cpu), 4),
        "cpu_ratio": round(med(server_cpu) / med(floor_cpu), 3),
        # A one-tool low-level SDK server answering the same two requests: what serving stdio costs any server.
        "sdk_server_s": round(med(sdk), 4),
        "sdk_server_cpu_s": round(med(sdk_cpu), 4),
        "over_sdk_server_ms": round((med(server) - med(sdk)) * 1000, 1),
        "over_sdk_server_cpu_ms": round((med(server_cpu) - med(sdk_cpu)) * 1000, 1),
        "rss_mb": round(med(server_rss) / 1024, 1),
        "floor_rss_mb": round(med(floor_rss) / 1024, 1),
        "rss_over_floor_mb": round((med(server_rss) - med(floor_rss)) / 1024, 1),
        "tools_list_bytes": size,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
