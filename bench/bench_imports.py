"""Start-up imports: what the server imports before answering tools/list that the SDK floor does not.

Runs the server and the floor (`import mcp.server.lowlevel, mcp.server.stdio`) with
PYTHONPROFILEIMPORTTIME=1, answers initialize + tools/list, and compares the module sets. The
self times are `-X importtime`'s (inflated by the profiling itself, so read them as shares, not
as wall time); each is the minimum over BENCH_IMPORT_RUNS runs (default 3) to damp noise.
`deferred_but_loaded` lists modules the design says must load on first use, not at start
(requests, markdown-it, the clients, the content layer, jsonschema). Last line: JSON figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from typing import Any

from _harness import BenchError, base_env, knob, run, server_command

RUNS = knob("BENCH_IMPORT_RUNS", 3)
TOP = knob("BENCH_TOP", 15)
DEFERRED = ("requests", "urllib3", "markdown_it", "jsonschema", "atlassian_mcp_server.clients", "atlassian_mcp_server.content", "atlassian_mcp_server.http")
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")
SETTINGS = {
    "ATLASSIAN_SITE_URL": "https://bench.atlassian.net",
    "ATLASSIAN_EMAIL": "bench@example.com",
    "ATLASSIAN_API_TOKEN": "bench-token",
    "ATLASSIAN_ENABLE_DESTRUCTIVE": "true",
    "PYTHONPROFILEIMPORTTIME": "1",
}
MESSAGES = [
    {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
]


def parse(stderr: str) -> dict[str, int]:
    """Module -> self time in microseconds, from importtime's stderr lines."""
    out: dict[str, int] = {}
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m:
            out[m.group(4)] = int(m.group(1))
    return out


def profile_server() -> dict[str, int]:
    with tempfile.TemporaryFile("w+") as err:  # a file, not a pipe: importtime's output must never block the child
        proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=base_env(**SETTINGS), text=True)
        assert proc.stdin and proc.stdout
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in MESSAGES))
        proc.stdin.flush()
        while True:
            line = proc.stdout.readline()
            if not line:
                err.seek(0)
                raise BenchError(f"server exited before answering tools/list: {err.read()[-400:]}")
            if json.loads(line).get("id") == 1:
                break
        proc.stdin.close()
        proc.wait(timeout=30)
        err.seek(0)
        return parse(err.read())


def profile_floor() -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", "import mcp.server.lowlevel, mcp.server.stdio"],
        env=base_env(PYTHONPROFILEIMPORTTIME="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return parse(done.stderr)


def fastest(runs: list[dict[str, int]]) -> dict[str, int]:
    names = set().union(*runs)
    return {n: min(r[n] for r in runs if n in r) for n in names}


def main() -> dict[str, Any]:
    server = fastest([profile_server() for _ in range(RUNS)])
    floor = fastest([profile_floor() for _ in range(RUNS)])
    extra = {n: us for n, us in server.items() if n not in floor}
    ours = {n: us for n, us in extra.items() if n.startswith("atlassian_mcp_server")}
    deferred = sorted(n for n in server if any(n == d or n.startswith(d + ".") for d in DEFERRED))
    top = sorted(extra.items(), key=lambda kv: -kv[1])[:TOP]
    return {
        "floor_modules": len(floor),
        "server_modules": len(server),
        "extra_modules": len(extra),
        "extra_self_ms": round(sum(extra.values()) / 1000, 1),
        "package_modules": len(ours),
        "package_self_ms": round(sum(ours.values()) / 1000, 1),
        "floor_self_ms": round(sum(floor.values()) / 1000, 1),
        "deferred_but_loaded": deferred,
        "largest_extra": [{"module": n, "self_ms": round(us / 1000, 2)} for n, us in top],
    }


if __name__ == "__main__":
    run(main)
