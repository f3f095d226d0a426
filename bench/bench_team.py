"""The team server under load: N users, calls spread over 2 replicas by a round-robin balancer, and on 1 replica.

Each simulated user has their own API token and MCP session over Streamable HTTP; their requests go
to the replicas in turn (what a load balancer does; the server keeps no session, so any replica
answers; one turn for all users, as one balancer gives). The fake cloud answers every request after BENCH_LATENCY_S. Both layouts run at once
(three server processes) and take turns in chunks of the load, so a machine whose other load drifts
during the run treats both alike. After a warm-up without latency (two calls per user and layout, so
each replica has met each credential), each layout gets BENCH_CALLS calls of BENCH_TOOL with BENCH_IN_FLIGHT in
flight. Figures per layout: throughput, p50/p99 latency, errors (must be 0), each replica's resident
memory, requests to the cloud and server CPU per call, and this process's (the clients' and the fake
cloud's) CPU per call; then the throughput ratio.
Knobs: BENCH_USERS (50), BENCH_CALLS (2000), BENCH_IN_FLIGHT (16), BENCH_LATENCY_S (0.05),
BENCH_CHUNKS (8), BENCH_MAX_WORKERS (ATLASSIAN_MAX_WORKERS of each replica, 8), BENCH_PIN=1 (each
user stays on one replica, as with sticky sessions). Last line: JSON figures.
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
CHUNKS = knob("BENCH_CHUNKS", 8)
WORKERS = knob("BENCH_MAX_WORKERS", 8)
TOOL = os.environ.get("BENCH_TOOL") or "jira_get_issue"
ARGS = {"issue_key": "PROJ-2"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Layout:
    """One deployment under test: its replicas, one MCP session per user, and what the load measured."""

    def __init__(self, name: str, replicas: list[Any]):
        self.name = name
        self.replicas = replicas
        self.sessions: list[Any] = []
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.wall = 0.0
        self.cpu = 0.0
        self.own_cpu = 0.0
        self.requests = 0

    async def open(self, stack: contextlib.AsyncExitStack, credentials: list[str]) -> None:
        import team_harness as th

        urls = [r.url for r in self.replicas]
        pin = os.environ.get("BENCH_PIN") == "1"
        for i, credential in enumerate(credentials):
            mcp = await stack.enter_async_context(th.session([urls[i % len(urls)]] if pin else urls, {"Authorization": credential}))
            await mcp.list_tools()  # the SDK client would list tools after its first call otherwise
            self.sessions.append(mcp)

    async def call(self, mcp: Any) -> float:
        start = time.perf_counter()
        try:
            result = await mcp.call_tool(TOOL, ARGS)
            if result.is_error:
                self.errors.append(text_of(result)[:200])
        except Exception as exc:  # counted, not fatal: the figure says how many
            self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        return time.perf_counter() - start

    async def warm_up(self) -> None:
        """Two calls per user, one after the other, so the balancer's turn takes each user to both replicas."""
        for mcp in self.sessions:
            for _ in range(2):
                await self.call(mcp)
        self.errors.clear()

    async def chunk(self, cloud: Any, first: int, count: int) -> None:
        numbers = iter(range(first, first + count))

        async def worker() -> None:
            for i in numbers:
                self.latencies.append(await self.call(self.sessions[i % len(self.sessions)]))

        cpu, own, requests, started = self.cpu_s(), time.process_time(), len(cloud.log), time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(IN_FLIGHT):
                tg.start_soon(worker)
        self.wall += time.perf_counter() - started
        self.cpu += self.cpu_s() - cpu
        self.own_cpu += time.process_time() - own
        self.requests += len(cloud.log) - requests

    def cpu_s(self) -> float:
        return sum(r.cpu_s() for r in self.replicas)

    def figures(self) -> dict[str, Any]:
        calls = len(self.latencies)
        return {
            "replicas": len(self.replicas),
            "calls": calls,
            "wall_s": round(self.wall, 2),
            "throughput_per_s": round(calls / self.wall, 1),
            "p50_ms": round(percentile(self.latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(self.latencies, 0.99) * 1000, 1),
            "errors": len(self.errors),
            "first_error": self.errors[0] if self.errors else None,
            "cloud_requests_per_call": round(self.requests / calls, 2),
            "server_cpu_ms_per_call": round(self.cpu * 1000 / calls, 2),
            "bench_process_cpu_ms_per_call": round(self.own_cpu * 1000 / calls, 2),
            "rss_mb_per_replica": [round(r.rss_kib() / 1024, 1) for r in self.replicas],
        }


async def load(cloud: Any, layouts: list[Layout], credentials: list[str]) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for layout in layouts:
            await layout.open(stack, credentials)
            await layout.warm_up()
        cloud.latency = LATENCY
        size = max(1, CALLS // CHUNKS)
        for n, first in enumerate(range(0, CALLS, size)):
            for layout in layouts if n % 2 == 0 else reversed(layouts):
                await layout.chunk(cloud, first, min(size, CALLS - first))


def main() -> dict[str, Any]:
    import team_harness as th
    from fakecloud import team

    with fake_cloud() as cloud:
        credentials = []
        for n in range(USERS):
            email, token = f"user{n}@example.com", f"bench-token-{n:03d}-x9"
            team.add_user(cloud, email, token, f"712020:bench-{n:04d}", f"User {n}")
            credentials.append(team.basic(email, token))
        env = base_env(ATLASSIAN_SITE_URL=cloud.url, ATLASSIAN_MAX_WORKERS=str(WORKERS))
        with th.replicas(env, 3) as started:
            two, one = Layout("two", started[:2]), Layout("one", started[2:])
            anyio.run(load, cloud, [two, one], credentials)
            figures = {"two_replicas": two.figures(), "one_replica": one.figures()}
    return {
        "users": USERS,
        "in_flight": IN_FLIGHT,
        "latency_s": LATENCY,
        "max_workers_per_replica": WORKERS,
        "tool": TOOL,
        **figures,
        "throughput_ratio": round(figures["two_replicas"]["throughput_per_s"] / figures["one_replica"]["throughput_per_s"], 2),
        "errors": figures["two_replicas"]["errors"] + figures["one_replica"]["errors"],
    }


if __name__ == "__main__":
    run(main)
