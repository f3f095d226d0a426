"""The team server under load: N users, calls spread over 2 replicas by a round-robin balancer, then 1 replica.

Each simulated user has their own API token and MCP session over Streamable HTTP; their requests go
to the replicas in turn (what a load balancer does; the server keeps no session, so any replica
answers). The fake cloud answers every request after BENCH_LATENCY_S. After a warm-up (two calls per
user, so each replica has met each credential), it fires BENCH_CALLS calls of BENCH_TOOL with
BENCH_IN_FLIGHT in flight, and reports throughput, p50/p99 latency, errors (must be 0) and each
replica's resident memory, the servers' CPU per call and this process's (the clients' and the fake
cloud's) CPU per call; then the same load on one replica, and the throughput ratio.
Knobs: BENCH_USERS (50), BENCH_CALLS (2000), BENCH_IN_FLIGHT (16), BENCH_LATENCY_S (0.05),
BENCH_MAX_WORKERS (ATLASSIAN_MAX_WORKERS of each replica, 8), BENCH_PIN=1 (each user on one replica). Last line: JSON figures.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

import anyio
from _harness import base_env, fake_cloud, knob, run, text_of

USERS = knob("BENCH_USERS", 50)
CALLS = knob("BENCH_CALLS", 2000)
IN_FLIGHT = knob("BENCH_IN_FLIGHT", 16)
LATENCY = knob("BENCH_LATENCY_S", 0.05)
WORKERS = knob("BENCH_MAX_WORKERS", 8)
TOOL = os.environ.get("BENCH_TOOL") or "jira_get_issue"
ARGS = {"issue_key": "PROJ-2"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(urls: list[str], credentials: list[str]) -> dict[str, Any]:
    import team_harness as th

    async with contextlib.AsyncExitStack() as stack:
        pin = os.environ.get("BENCH_PIN") == "1"  # each user on one replica (sticky sessions), for comparison
        sessions = [
            await stack.enter_async_context(th.session([urls[i % len(urls)]] if pin else urls, {"Authorization": c})) for i, c in enumerate(credentials)
        ]
        for mcp in sessions:
            await mcp.list_tools()  # the SDK client would list tools after its first call otherwise
        errors: list[str] = []

        async def call(mcp: Any) -> float:
            start = time.perf_counter()
            try:
                result = await mcp.call_tool(TOOL, ARGS)
                if result.is_error:
                    errors.append(text_of(result)[:200])
            except Exception as exc:  # counted, not fatal: the figure says how many
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return time.perf_counter() - start

        async with anyio.create_task_group() as tg:  # warm-up: every user meets both replicas
            for mcp in sessions:
                tg.start_soon(call, mcp)
        async with anyio.create_task_group() as tg:
            for mcp in sessions:
                tg.start_soon(call, mcp)
        errors.clear()
        latencies: list[float] = []
        next_call = iter(range(CALLS))

        async def worker() -> None:
            for i in next_call:
                latencies.append(await call(sessions[i % len(sessions)]))

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(IN_FLIGHT):
                tg.start_soon(worker)
        wall = time.perf_counter() - started
    return {
        "calls": len(latencies),
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def measure(cloud: Any, credentials: list[str], replicas: int) -> dict[str, Any]:
    import team_harness as th

    env = base_env(ATLASSIAN_SITE_URL=cloud.url, ATLASSIAN_MAX_WORKERS=str(WORKERS))
    with th.replicas(env, replicas) as started:
        cpu_before = sum(r.cpu_s() for r in started)
        own_before = time.process_time()
        requests_before = len(cloud.log)
        figures = anyio.run(load, [r.url for r in started], credentials)
        calls = figures["calls"] + 2 * len(credentials)  # the warm-up ran on the servers too
        figures["cloud_requests_per_call"] = round((len(cloud.log) - requests_before) / calls, 2)
        figures["server_cpu_ms_per_call"] = round((sum(r.cpu_s() for r in started) - cpu_before) * 1000 / calls, 2)
        figures["bench_process_cpu_ms_per_call"] = round((time.process_time() - own_before) * 1000 / calls, 2)  # the clients and the fake cloud
        figures["rss_mb_per_replica"] = [round(r.rss_kib() / 1024, 1) for r in started]
    return figures


def main() -> dict[str, Any]:
    from fakecloud import team

    with fake_cloud() as cloud:
        credentials = []
        for n in range(USERS):
            email, token = f"user{n}@example.com", f"bench-token-{n:03d}-x9"
            team.add_user(cloud, email, token, f"712020:bench-{n:04d}", f"User {n}")
            credentials.append(team.basic(email, token))
        cloud.latency = LATENCY
        two = measure(cloud, credentials, 2)
        one = measure(cloud, credentials, 1)
    return {
        "users": USERS,
        "in_flight": IN_FLIGHT,
        "latency_s": LATENCY,
        "max_workers_per_replica": WORKERS,
        "tool": TOOL,
        "two_replicas": two,
        "one_replica": one,
        "throughput_ratio": round(two["throughput_per_s"] / one["throughput_per_s"], 2),
        "errors": two["errors"] + one["errors"],
    }


if __name__ == "__main__":
    run(main)
