"""Overhead: median round trip of a cheap tool call over stdio, minus the fake cloud's own service time.

One server process, driven by the MCP SDK client; calls are sequential, so the service time the
fake records during a call (bench/_harness.time_service) belongs to that call. Also times a call
refused by argument validation (no thread, no HTTP): the SDK-and-stdio part of the round trip;
and the server process's CPU time per call (from /proc, Linux only), which load barely disturbs.
Knobs: BENCH_CALLS (500), BENCH_TOOL/BENCH_ARGS (default atlassian_whoami). Last line: JSON figures.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from typing import Any

import anyio
from _harness import BenchError, base_env, checked, fake_cloud, knob, mcp_session, median, run, server_cpu_s, time_service

CALLS = knob("BENCH_CALLS", 500)
TOOL = os.environ.get("BENCH_TOOL") or "atlassian_whoami"
ARGS = json.loads(os.environ.get("BENCH_ARGS") or "{}")
WARMUP = 20


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def main() -> dict[str, Any]:
    with fake_cloud() as cloud:
        service = time_service(cloud)

        async def scenario() -> dict[str, Any]:
            async with mcp_session(base_env(**cloud.env())) as session:
                for _ in range(WARMUP):
                    checked(await session.call_tool(TOOL, ARGS), TOOL)
                round_trips, served, overheads = [], [], []
                cpu_before = server_cpu_s()
                for _ in range(CALLS):
                    seen = len(service)
                    start = time.perf_counter()
                    checked(await session.call_tool(TOOL, ARGS), TOOL)
                    rt = time.perf_counter() - start
                    svc = sum(service[seen:])
                    round_trips.append(rt)
                    served.append(svc)
                    overheads.append(rt - svc)
                cpu_after = server_cpu_s()
                refused = []
                for _ in range(max(5, CALLS // 5)):
                    start = time.perf_counter()
                    result = await session.call_tool(TOOL, {"no_such_argument": 1})
                    refused.append(time.perf_counter() - start)
                    if not result.is_error:
                        raise BenchError(f"{TOOL} accepted an unknown argument; the protocol-only figure needs a refusal")
                deciles = statistics.quantiles(overheads, n=10)
                return {
                    "calls": CALLS,
                    "tool": TOOL,
                    "requests_per_call": round(len(service) / (CALLS + WARMUP), 2),
                    "round_trip_ms": ms(median(round_trips)),
                    "service_ms": ms(median(served)),
                    "overhead_ms": ms(median(overheads)),
                    "overhead_p90_ms": ms(deciles[-1]),
                    "protocol_only_ms": ms(median(refused)),
                    # CPU the server process spent per call: steady when the machine is busy, unlike round trips.
                    "server_cpu_per_call_ms": None if cpu_before is None or cpu_after is None else ms((cpu_after - cpu_before) / CALLS),
                }

        return anyio.run(scenario)


if __name__ == "__main__":
    run(main)
