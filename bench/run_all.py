"""Run every benchmark (bench/bench_*.py) as its own process; print one JSON object with all figures.

Usage: python bench/run_all.py [name ...]   e.g. `python bench/run_all.py startup footprint`.
Each benchmark prints its figures as a JSON object on its last stdout line; this script nests them
under the benchmark's name, adds a `targets` section (issue 9's targets, met or not) and prints
the whole object as its own last line. Progress goes to stderr. Size knobs (BENCH_*) pass through
to every benchmark. Exit status 1 when a benchmark failed to produce figures (a missed target is
a figure, not a failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORDER = ["startup", "footprint", "listing", "answers", "concurrency", "overhead", "http"]
TIMEOUT_S = float(os.environ.get("BENCH_TIMEOUT_S", "600"))

# (figure name, benchmark, how to read it, target text, check)
TARGETS: list[tuple[str, str, Callable[[dict[str, Any]], Any], str, Callable[[Any], bool]]] = [
    ("startup_ratio", "startup", lambda f: f["startup_ratio"], "<= 1.15", lambda v: v <= 1.15),
    ("startup_cpu_ratio", "startup", lambda f: f["cpu_ratio"], "<= 1.15", lambda v: v <= 1.15),
    ("rss_over_floor_mb", "startup", lambda f: f["rss_over_floor_mb"], "<= 15", lambda v: v <= 15),
    # Per tool, what a model reads (name, description, input schema); the whole tools/list adds titles,
    # annotations and output schemas that clients keep for themselves (bytes_per_tool, shown without a target).
    ("context_bytes_per_tool", "footprint", lambda f: f["context_bytes_per_tool"], "< 600", lambda v: v < 600),
    ("default_tools", "listing", lambda f: f["profiles"]["default"]["tools"], "<= 40", lambda v: v <= 40),
    ("default_context_bytes", "listing", lambda f: f["profiles"]["default"]["context_bytes"], "<= 20000", lambda v: v <= 20000),
    ("default_tools_list_bytes", "listing", lambda f: f["profiles"]["default"]["tools_list_bytes"], "<= 40000", lambda v: v <= 40000),
    ("issue_answer_ratio", "answers", lambda f: f["issue_ratio"], "<= 0.20", lambda v: v <= 0.2),
    ("search_answer_ratio", "answers", lambda f: f["search_ratio"], "<= 0.20", lambda v: v <= 0.2),
    ("page_answer_ratio", "answers", lambda f: f["page_ratio"], "<= 0.20", lambda v: v <= 0.2),
    ("concurrency_ratio", "concurrency", lambda f: f["concurrency_ratio"], "<= 1.5", lambda v: v <= 1.5),
    ("overhead_ms", "overhead", lambda f: f["overhead_ms"], "< 3", lambda v: v < 3),
    ("repeated_gets", "http", lambda f: len(f["ten_calls_repeated_gets"]), "== 0", lambda v: v == 0),
    ("refetch_after_write", "http", lambda f: len(f["ten_calls_refetch_after_write"]), "== 0", lambda v: v == 0),
    ("search_requests_per_page", "http", lambda f: round(f["search_requests"] / f["search_pages"], 2), "== 1", lambda v: v == 1),
    ("oauth_cloud_id_lookups", "http", lambda f: f["oauth_cloud_id_lookups"], "== 0", lambda v: v == 0),
]


ON_DEMAND = {"soak"}  # long-running: only when named, e.g. `python bench/run_all.py soak`


def discover(names: list[str]) -> list[str]:
    found = sorted(p.stem[len("bench_") :] for p in HERE.glob("bench_*.py"))
    ordered = [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]
    if not names:
        return [n for n in ordered if n not in ON_DEMAND]
    if names:
        unknown = [n for n in names if n not in found]
        if unknown:
            raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(ordered)}")
        ordered = [n for n in ordered if n in names]
    return ordered


def run_one(name: str) -> dict[str, Any]:
    """The benchmark's figures, or {"error": ...} with the reason it gave none."""
    try:
        done = subprocess.run([sys.executable, str(HERE / f"bench_{name}.py")], capture_output=True, text=True, timeout=TIMEOUT_S, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT_S:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        try:
            figures = json.loads(lines[-1])
        except json.JSONDecodeError:
            figures = None
        if isinstance(figures, dict):
            return figures
    reason = (done.stderr.strip().splitlines() or lines or ["no output"])[-1]
    return {"error": f"exit status {done.returncode}: {reason[:400]}"}


def judge(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    verdicts: dict[str, Any] = {}
    for figure, bench, read, target, check in TARGETS:
        figures = results.get(bench)
        if figures is None:
            continue
        try:
            value = read(figures)
        except (KeyError, TypeError, ZeroDivisionError):
            verdicts[figure] = {"value": None, "target": target, "met": False}
            continue
        verdicts[figure] = {"value": value, "target": target, "met": bool(check(value))}
    return verdicts


def main(argv: list[str]) -> int:
    results: dict[str, dict[str, Any]] = {}
    for name in discover(argv):
        start = time.perf_counter()
        sys.stderr.write(f"bench {name} ...")
        sys.stderr.flush()
        results[name] = run_one(name)
        status = "failed: " + results[name]["error"] if "error" in results[name] else "ok"
        sys.stderr.write(f" {time.perf_counter() - start:.1f} s, {status}\n")
    verdicts = judge(results)
    summary = {**results, "targets": verdicts, "missed": [k for k, v in verdicts.items() if not v["met"]]}
    print(json.dumps(summary))
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
