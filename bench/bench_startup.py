"""Cold start: process start to the tools/list answer over stdio, next to the SDK floor.

The floor is a process that only imports `mcp.server.lowlevel` and `mcp.server.stdio`. Both are
measured in this run, interleaved, so machine noise hits them alike. Also reports peak RSS after
tools/list and the byte size of the tools/list result. Last line: one JSON object of figures.
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
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}
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


def time_server() -> tuple[float, int, int]:
    """Seconds from spawn to the tools/list answer; peak RSS (KB) of the child; result bytes."""
    start = time.perf_counter()
    proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env(), text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(INIT) + "\n" + json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n" + json.dumps(LIST) + "\n")
    proc.stdin.flush()
    size = 0
    while True:
        line = proc.stdout.readline()
        message = json.loads(line)
        if message.get("id") == 1:
            size = len(json.dumps(message["result"], separators=(",", ":")).encode())
            break
    elapsed = time.perf_counter() - start
    with open(f"/proc/{proc.pid}/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    proc.stdin.close()
    proc.wait(timeout=30)
    return elapsed, rss, size


def time_floor() -> tuple[float, int]:
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
    proc.wait(timeout=30)
    return elapsed, rss


def main() -> None:
    server, floor, server_rss, floor_rss = [], [], [], []
    size = 0
    time_server()  # warm the file cache for both
    time_floor()
    for _ in range(RUNS):
        s, rss, size = time_server()
        f, frss = time_floor()
        server.append(s)
        floor.append(f)
        server_rss.append(rss)
        floor_rss.append(frss)
    figures = {
        "runs": RUNS,
        "startup_s": round(statistics.median(server), 4),
        "floor_s": round(statistics.median(floor), 4),
        "startup_ratio": round(statistics.median(server) / statistics.median(floor), 3),
        "rss_mb": round(statistics.median(server_rss) / 1024, 1),
        "floor_rss_mb": round(statistics.median(floor_rss) / 1024, 1),
        "rss_over_floor_mb": round((statistics.median(server_rss) - statistics.median(floor_rss)) / 1024, 1),
        "tools_list_bytes": size,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
