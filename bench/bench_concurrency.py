"""Concurrency: N calls fired at once against a fake cloud that takes 100 ms per request, next to one call.

One server process over stdio (MCP SDK client). After a warm-up call (so per-process caches and
lazy imports are paid), it times one call, then N concurrent calls, alternating, and reports the
medians and their ratio. A ratio near 1 means the thread-pool bridge runs calls side by side.
Knobs: BENCH_CONCURRENCY (8), BENCH_LATENCY_S (0.1), BENCH_ROUNDS (5), BENCH_TOOL/BENCH_ARGS
(default jira_get_issue on PROJ-2). Last line: JSON figures.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import anyio
from _harness import base_env, checked, fake_cloud, knob, mcp_session, median, run

N = knob("BENCH_CONCURRENCY", 8)
LATENCY = knob("BENCH_LATENCY_S", 0.1)
ROUNDS = knob("BENCH_ROUNDS", 5)
TOOL = os.environ.get("BENCH_TOOL") or "jira_get_issue"
ARGS = json.loads(os.environ.get("BENCH_ARGS") or '{"issue_key": "PROJ-2"}')


async def timed_batch(session: Any, n: int) -> float:
    async def one() -> None:
        checked(await session.call_tool(TOOL, ARGS), TOOL)

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(n):
            tg.start_soon(one)
    return time.perf_counter() - start


def main() -> dict[str, Any]:
    with fake_cloud() as cloud:

        async def scenario() -> dict[str, Any]:
            async with mcp_session(base_env(**cloud.env())) as session:
                await timed_batch(session, 1)  # warm-up: imports, clients, caches
                cloud.latency = LATENCY
                cloud.clear_log()
                single, batch, requests_per_call = [], [], 0
                for _ in range(ROUNDS):
                    before = len(cloud.log)
                    single.append(await timed_batch(session, 1))
                    requests_per_call = len(cloud.log) - before
                    cloud.max_in_flight = 0
                    batch.append(await timed_batch(session, N))
                    peak = cloud.max_in_flight
                return {
                    "calls": N,
                    "latency_s": LATENCY,
                    "rounds": ROUNDS,
                    "tool": TOOL,
                    "requests_per_call": requests_per_call,
                    "single_s": round(median(single), 4),
                    "concurrent_s": round(median(batch), 4),
                    "concurrency_ratio": round(median(batch) / median(single), 3),
                    "peak_in_flight": peak,
                }

        return anyio.run(scenario)


if __name__ == "__main__":
    run(main)
