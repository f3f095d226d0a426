"""Soak: thousands of calls, 16 at a time, against a fake cloud that is slow and fails 5% of requests.

One server process over stdio (MCP SDK client), signed in with an API token and a short
ATLASSIAN_TIMEOUT. Warm-up first (every tool in the mix once, then a fault-free batch), then the
soak: workers pull call numbers from a shared counter until the planned number is done or the
time bound passes (then they stop taking new calls and the figures say how far they got).

Faults: a hook on the fake cloud picks FAULT_RATE of the requests it receives and fails each one
in one way, the kinds taken in turn, through the fake's own `cloud.inject`: 429 with
Retry-After: 0, 503, 500/502/504 (GETs only), a connection reset, a delay past ATLASSIAN_TIMEOUT.
Comment POSTs may also fail *after* the fake applied them (a gateway 504, a reset, a timeout):
the ambiguous case a client must never repeat. Every comment carries a unique token, so
afterwards the comments the fake holds are matched against the calls that succeeded plus those
applied-then-failed: the difference and the tokens held twice must both be 0.

Knobs: BENCH_SOAK_CALLS (5000), BENCH_SOAK_MAX_S (600), BENCH_SOAK_CONCURRENCY (16),
BENCH_SOAK_LATENCY_S (0.01), BENCH_SOAK_FAULT_RATE (0.05), BENCH_SOAK_WRITE_FAULT_RATE (the same,
for comment POSTs), BENCH_SOAK_TIMEOUT_S (1, the smallest ATLASSIAN_TIMEOUT allowed),
BENCH_SOAK_WARMUP (200), BENCH_SOAK_SEED (7), BENCH_SOAK_MAX_WORKERS (0: the server's default),
BENCH_SOAK_SETTLE_S (11). The start and end readings of RSS, descriptors and threads are taken at
rest: after an idle pause of SETTLE seconds and one atlassian_whoami (a new call is when anyio
retires worker threads idle for 10 s); the ten samples in between are taken under load.
Last line: JSON figures.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from _harness import BenchError, base_env, checked, fake_cloud, knob, mcp_session, run, server_pid, text_of

CALLS = knob("BENCH_SOAK_CALLS", 5000)
MAX_S = knob("BENCH_SOAK_MAX_S", 600.0)
CONCURRENCY = knob("BENCH_SOAK_CONCURRENCY", 16)
LATENCY = knob("BENCH_SOAK_LATENCY_S", 0.01)
FAULT_RATE = knob("BENCH_SOAK_FAULT_RATE", 0.05)
WRITE_FAULT_RATE = knob("BENCH_SOAK_WRITE_FAULT_RATE", FAULT_RATE)  # for comment POSTs
TIMEOUT = knob("BENCH_SOAK_TIMEOUT_S", 1.0)
WARMUP = knob("BENCH_SOAK_WARMUP", 200)
SEED = knob("BENCH_SOAK_SEED", 7)
SETTLE = knob("BENCH_SOAK_SETTLE_S", 11.0)
WORKERS = knob("BENCH_SOAK_MAX_WORKERS", 0)  # ATLASSIAN_MAX_WORKERS for the server; 0 keeps its default (8)

TOKEN = re.compile(r"soak-\d+\b")
WRITE_PATH = re.compile(r"/comment$|/footer-comments$")
HTML = {"Content-Type": "text/html"}
# How each kind of fault is injected (keyword arguments of cloud.inject).
FAULTS: dict[str, dict[str, Any]] = {
    "429": {"status": 429, "headers": {"Retry-After": "0"}, "body": {"errorMessages": ["Rate limit exceeded."]}},
    "503": {"status": 503, "body": {"errorMessages": ["Service unavailable."]}},
    "500": {"status": 500, "body": {"errorMessages": ["Internal server error."]}},
    "502": {"status": 502, "headers": HTML, "raw": b"<html><body><h1>502 Bad Gateway</h1></body></html>"},
    "504": {"status": 504, "headers": HTML, "raw": b"<html><body><h1>504 Gateway Time-out</h1></body></html>"},
    "reset": {"reset": True},
    "timeout": {"delay": TIMEOUT + 0.5},
}
KINDS = {
    "GET": ["429", "503", "500", "502", "504", "reset", "timeout"],
    "POST": ["429", "503", "reset", "timeout"],
    "write": ["applied_504", "429", "applied_reset", "503", "applied_timeout", "reset", "timeout"],
}

# The mix: (weight, tool, arguments for call number n). Writes take {scratch} ids made at warm-up.
MIX: list[tuple[int, str, Callable[[int, dict[str, str]], dict[str, Any]]]] = [
    (12, "jira_search", lambda n, s: {"jql": "project = PROJ ORDER BY key", "limit": 5}),
    (12, "jira_get_issue", lambda n, s: {"issue_key": f"PROJ-{1 + n % 5}"}),
    (5, "jira_get_comments", lambda n, s: {"issue_key": "PROJ-1"}),
    (4, "jira_get_transitions", lambda n, s: {"issue_key": "PROJ-2"}),
    (3, "jira_list_projects", lambda n, s: {}),
    (12, "confluence_get_page", lambda n, s: {"page_id": str(1001 + n % 5)}),
    (8, "confluence_search", lambda n, s: {"query": "deploy", "limit": 5}),
    (4, "confluence_get_page_children", lambda n, s: {"page_id": "1001"}),
    (3, "confluence_list_spaces", lambda n, s: {}),
    (8, "servicedesk_get_requests", lambda n, s: {"limit": 5}),
    (5, "servicedesk_get_request", lambda n, s: {"issue_key": f"HELP-{1 + n % 3}"}),
    (8, "atlassian_search", lambda n, s: {"query": "deploy", "limit": 5}),
    (5, "jira_add_comment", lambda n, s: {"issue_key": s["issue"], "comment": f"Soak note soak-{n}."}),
    (3, "confluence_add_comment", lambda n, s: {"page_id": s["page"], "comment": f"Soak note soak-{n}."}),
]
WRITES = {"jira_add_comment", "confluence_add_comment"}


class Injector:
    """A fake-cloud hook: fails a random share of the requests it sees, taking the kinds in turn."""

    def __init__(self, cloud: Any, rate: float, write_rate: float, seed: int):
        self.cloud, self.rate, self.write_rate, self.rng = cloud, rate, write_rate, random.Random(seed)
        self.turn: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.on = False
        self.injected: Counter[str] = Counter()
        self.applied_then_failed: set[str] = set()
        cloud.hooks.append(self.hook)

    def hook(self, req: Any) -> Any:
        if not self.on or getattr(self.local, "inside", False):
            return None
        group = "write" if req.method == "POST" and WRITE_PATH.search(req.path) else req.method
        kinds = KINDS.get(group)
        with self.lock:
            if not kinds or self.rng.random() >= (self.write_rate if group == "write" else self.rate):
                return None
            kind = kinds[self.turn[group] % len(kinds)]
            self.turn[group] += 1
            self.injected[f"{req.method} {kind}"] += 1
        if kind.startswith("applied_"):
            return self.after_applying(req, kind)
        with self.cloud.lock:  # forget spent faults, so the fake's scan stays short
            self.cloud.faults[:] = [f for f in self.cloud.faults if f.times > 0]
        self.cloud.inject("^" + re.escape(req.path) + "$", method=req.method, times=1, **FAULTS[kind])
        return None  # the fake takes the fault it now holds for this path (or an identical request's)

    def after_applying(self, req: Any, kind: str) -> Any:
        """Let the fake apply the write, then lose its answer: the case a client must not repeat."""
        from fakecloud import Fault, Response

        self.local.inside = True
        try:
            resp = self.cloud.dispatch(req)
        finally:
            self.local.inside = False
        if resp.status >= 300:
            return resp
        with self.lock:
            self.applied_then_failed.add(token_of(req.body.decode("utf-8", "replace")))
        if kind == "applied_504":
            return Response(504, raw=FAULTS["504"]["raw"], headers=dict(HTML))
        if kind == "applied_reset":
            resp.fault = Fault(req.path, reset=True)  # the fake's handler drops the connection unanswered
            return resp
        time.sleep(TIMEOUT + 0.5)  # applied_timeout: the answer comes after the client gave up
        return resp

    def stop(self) -> None:
        self.on = False
        with self.cloud.lock:
            self.cloud.faults.clear()


def token_of(text: str) -> str:
    found = TOKEN.search(text)
    return found.group(0) if found else "no-token"


def classify(text: str) -> str:
    """A short name for an isError result's cause."""
    low = text.lower()
    if "answered 429" in low or "rate limit" in low:
        return "rate_limited"
    if "did not answer" in low or "timed out" in low or "timeout" in low:
        return "timeout"
    if re.search(r"answered 5\d\d", low):
        return "server_error"
    if "connection" in low or "cut off" in low or "could not connect" in low:
        return "connection"
    return "other"


def usage(pid: int | None) -> dict[str, float]:
    """RSS (MB), open file descriptors and threads of a process, from /proc."""
    if pid is None:
        return {"rss_mb": -1, "fds": -1, "threads": -1}
    fields = dict(re.findall(r"^(\w+):\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M))
    return {"rss_mb": round(int(fields["VmRSS"]) / 1024, 1), "fds": len(list(Path(f"/proc/{pid}/fd").iterdir())), "threads": int(fields["Threads"])}


def percentile(sorted_ms: list[float], q: float) -> float:
    """The nearest-rank q-quantile of an ascending list."""
    if not sorted_ms:
        return 0.0
    return round(sorted_ms[min(len(sorted_ms), max(1, math.ceil(q * len(sorted_ms)))) - 1], 1)


def held_tokens(cloud: Any, scratch: dict[str, str]) -> Counter[str]:
    """Tokens in the comments the fake holds on the scratch issue and page (one per comment)."""
    with cloud.lock:
        issue = cloud.state["jira_issues"][scratch["issue"]]
        jira = [json.dumps(c["body"]) for c in issue["fields"].get("comment", {}).get("comments", [])]
        conf = [json.dumps(c) for c in cloud.state["conf_comments"].values() if c["pageId"] == scratch["page"]]
    found: Counter[str] = Counter()
    for text in jira + conf:
        found.update(set(TOKEN.findall(text)))
    return found


async def scratch_space(session: Any) -> dict[str, str]:
    issue = checked(await session.call_tool("jira_create_issue", {"project_key": "PROJ", "summary": "Soak scratch issue"}), "jira_create_issue")
    page = checked(
        await session.call_tool("confluence_create_page", {"space_key": "ENG", "title": "Soak scratch page", "content": "Comments land here."}),
        "confluence_create_page",
    )
    return {"issue": issue.structured_content["key"], "page": str(page.structured_content["id"])}


def main() -> dict[str, Any]:
    rng = random.Random(SEED)
    plan = rng.choices(range(len(MIX)), weights=[w for w, _, _ in MIX], k=CALLS + WARMUP)
    with fake_cloud() as cloud:
        write_failures: Counter[str] = Counter()
        cloud._server.handle_error = lambda *a: write_failures.update(["fake_could_not_answer"])  # the client left
        faults = Injector(cloud, FAULT_RATE, WRITE_FAULT_RATE, SEED)
        settings = {"ATLASSIAN_TIMEOUT": str(TIMEOUT)}
        if WORKERS:
            settings["ATLASSIAN_MAX_WORKERS"] = str(WORKERS)
        env = base_env(**cloud.env(**settings))

        async def scenario() -> dict[str, Any]:
            async with mcp_session(env) as session:
                pid = server_pid()
                scratch = await scratch_space(session)
                ok_tokens: set[str] = set()
                failed_tokens: list[tuple[str, str]] = []
                latencies: list[float] = []
                errors: dict[str, Counter[str]] = {"read": Counter(), "write": Counter()}
                by_tool: Counter[str] = Counter()
                examples: dict[str, str] = {}
                samples: list[list[float]] = []
                counter = iter(range(len(plan)))
                state = {"done": 0, "limit": 0, "deadline": float("inf"), "strict": True}

                async def one(n: int) -> None:
                    _, tool, make = MIX[plan[n]]
                    args = make(n, scratch)
                    start = time.perf_counter()
                    try:
                        result = await session.call_tool(tool, args)
                        is_error, text = result.is_error, text_of(result)
                    except Exception as exc:  # noqa: BLE001 - a protocol-level failure is a figure too
                        is_error, text = True, f"protocol: {type(exc).__name__}: {exc}"
                    latencies.append((time.perf_counter() - start) * 1000)
                    token = args.get("comment", "")
                    if is_error:
                        if state["strict"]:
                            raise BenchError(f"warm-up {tool} answered an error: {text[:300]}")
                        kind = "protocol" if text.startswith("protocol:") else classify(text)
                        errors["write" if tool in WRITES else "read"][kind] += 1
                        by_tool[f"{tool}: {kind}"] += 1
                        examples.setdefault(kind, text[:240])
                        if tool in WRITES:
                            failed_tokens.append((token_of(token), text))
                    elif tool in WRITES:
                        ok_tokens.add(token_of(token))

                async def worker() -> None:
                    for n in counter:
                        if n >= state["limit"]:
                            break
                        if time.monotonic() > state["deadline"]:
                            state["stopped_early"] = True
                            break
                        await one(n)
                        state["done"] += 1
                        every = max(1, (state["limit"] - WARMUP) // 10)
                        if not state["strict"] and state["done"] % every == 0:
                            samples.append([state["done"], *usage(pid).values()])

                async def batch(limit: int) -> None:
                    state["limit"] = limit
                    async with anyio.create_task_group() as tg:
                        for _ in range(CONCURRENCY):
                            tg.start_soon(worker)

                async def at_rest() -> tuple[dict[str, float], Any]:
                    """Usage after an idle pause and one call (anyio retires idle workers when a call starts)."""
                    await anyio.sleep(SETTLE)
                    who = await session.call_tool("atlassian_whoami", {})
                    await anyio.sleep(0.2 if SETTLE else 0)
                    return usage(pid), who

                # Warm-up: every tool once (imports, clients, caches), then a concurrent fault-free batch.
                for index, (_, tool, make) in enumerate(MIX):
                    checked(await session.call_tool(tool, make(10**6 + index, scratch)), tool)
                    if tool in WRITES:
                        ok_tokens.add(f"soak-{10**6 + index}")
                await batch(WARMUP)
                counter = iter(range(WARMUP, len(plan)))
                latencies.clear()
                state.update(done=0, strict=False)
                start = (await at_rest())[0]
                state["deadline"] = time.monotonic() + MAX_S
                faults.on = True
                cloud.latency = LATENCY
                began = time.perf_counter()
                await batch(len(plan))
                elapsed = time.perf_counter() - began
                faults.stop()
                cloud.latency = 0.0
                end, who = await at_rest()
                answers = not who.is_error and "Ada Agent" in text_of(who)

            held = held_tokens(cloud, scratch)
            applied = faults.applied_then_failed
            ms = sorted(latencies)
            return {
                "calls_planned": CALLS,
                "calls_completed": state["done"],
                "stopped_early": bool(state.get("stopped_early")),
                "elapsed_s": round(elapsed, 1),
                "calls_per_s": round(state["done"] / elapsed, 1) if elapsed else 0.0,
                "concurrency": CONCURRENCY,
                "server_workers": WORKERS or "default",
                "latency_s": LATENCY,
                "fault_rate": FAULT_RATE,
                "timeout_s": TIMEOUT,
                "faults_injected": dict(sorted(faults.injected.items())),
                "errors": dict(errors["read"] + errors["write"]),
                "read_errors": dict(errors["read"]),
                "write_errors": dict(errors["write"]),
                "errors_by_tool": dict(sorted(by_tool.items())),
                "error_examples": examples,
                "p50_ms": percentile(ms, 0.50),
                "p99_ms": percentile(ms, 0.99),
                "max_ms": round(ms[-1], 1) if ms else 0.0,
                "rss_start_mb": start["rss_mb"],
                "rss_end_mb": end["rss_mb"],
                "rss_growth_mb": round(end["rss_mb"] - start["rss_mb"], 1),
                "fds_start": start["fds"],
                "fds_end": end["fds"],
                "fds_growth": end["fds"] - start["fds"],
                "threads_start": start["threads"],
                "threads_end": end["threads"],
                "samples": {"columns": ["calls", "rss_mb", "fds", "threads"], "rows": samples},
                "answers_after": answers,
                "writes": {
                    "ok": len(ok_tokens),
                    "failed": len(failed_tokens),
                    "applied_then_failed": len(applied),
                    "comments_held": sum(held.values()),
                    "held_minus_ok": sum(held.values()) - len(ok_tokens),  # == applied_then_failed when nothing is repeated
                    "held_twice": sorted(t for t, c in held.items() if c > 1),
                    "lost": sorted(ok_tokens - set(held)),
                    "unexplained": sorted(set(held) - ok_tokens - applied),
                    "failed_without_may_have_been_applied": sum(1 for _, text in failed_tokens if "may have been applied" not in text and "429" not in text),
                },
                # comments held beyond one per write that succeeded or was applied before its answer was lost
                "duplicate_writes": sum(held.values()) - len(ok_tokens | applied),
                "fake_could_not_answer": write_failures["fake_could_not_answer"],
                "violations": len(cloud.violations),
            }

        return anyio.run(scenario)


if __name__ == "__main__":
    run(main)
