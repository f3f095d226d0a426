"""The benchmarks run, in a tiny configuration, and end with a JSON object of their named figures.

No timing is asserted: only that each script measures what it names, and the few facts its
figures state that do not depend on the machine (paging sends one request per page, the
thread-pool bridge overlaps calls, start-up leaves the heavy modules unloaded).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
TINY = {
    "BENCH_RUNS": "1",
    "BENCH_WARMUP": "0",
    "BENCH_IMPORT_RUNS": "1",
    "BENCH_CALLS": "20",
    "BENCH_ROUNDS": "1",
    "BENCH_SEARCH": "12",
    "BENCH_PAGE_SIZE": "5",
    "BENCH_CUSTOM_FIELDS": "6",
    "BENCH_COMMENTS": "3",
    "BENCH_PAGE_KB": "2",
    "BENCH_USERS": "3",
}
FIGURES = {
    "startup": {"startup_s", "floor_s", "startup_ratio", "cpu_ratio", "rss_over_floor_mb", "tools_list_bytes"},
    "footprint": {"tool_count", "tools_list_bytes", "bytes_per_tool", "context_bytes_per_tool", "largest_tools", "toolsets", "what_if_bytes_per_tool"},
    "answers": {f"{kind}_{figure}" for kind in ("issue", "search", "page") for figure in ("text_bytes", "raw_bytes", "ratio", "structured_bytes")},
    "concurrency": {"single_s", "concurrent_s", "concurrency_ratio", "peak_in_flight"},
    "overhead": {"round_trip_ms", "service_ms", "overhead_ms", "protocol_only_ms"},
    "http": {
        "first_call_requests",
        "ten_calls_requests",
        "ten_calls_repeated_gets",
        "ten_calls_refetch_after_write",
        "search_pages",
        "search_requests",
        "login_requests",
        "oauth_cloud_id_lookups",
    },
    "listing": {"profiles"},
    "imports": {"extra_modules", "extra_self_ms", "deferred_but_loaded", "largest_extra"},
    "team": {"two_replicas", "one_replica", "throughput_ratio", "errors"},
}


def tiny_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATLASSIAN_", "BENCH_"))}
    env.update(TINY)
    return env


def last_json(stdout: str) -> Any:
    lines = stdout.strip().splitlines()
    assert lines, "no output"
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every benchmark's figures, measured once per session: under pytest-xdist the workers share
    them through a file beside their temporary directories (the first to get there runs them)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return run_benchmarks()
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent / "bench_figures.json"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            shared.write_text(json.dumps(run_benchmarks()))
        result: dict[str, Any] = json.loads(shared.read_text())
        return result


def run_benchmarks() -> dict[str, Any]:
    """Every benchmark, each in a process of its own, each one's last-line JSON or its failure.

    As many run at a time as the machine has cores: more only take turns on them, and each spends
    more CPU for it. Where processes fork, tests/bench_forks.py starts each script from a process
    that has already imported what they all import (0.85 s of CPU each time otherwise).
    """
    jobs = os.cpu_count() or 2
    if hasattr(os, "fork"):
        forks = BENCH.parent / "tests" / "bench_forks.py"
        done = subprocess.run([sys.executable, str(forks), str(jobs), *FIGURES], capture_output=True, text=True, env=tiny_env(), cwd=BENCH, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        ran = last_json(done.stdout)
    else:

        def one(name: str) -> Any:
            return vars(
                subprocess.run([sys.executable, str(BENCH / f"bench_{name}.py")], capture_output=True, text=True, env=tiny_env(), cwd=BENCH, timeout=300)
            )

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            ran = dict(zip(FIGURES, pool.map(one, FIGURES)))
    return {name: last_json(r["stdout"]) if r["returncode"] == 0 else {"failed": r["stderr"][-2000:]} for name, r in ran.items()}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_benchmark_prints_its_named_figures(figures: dict[str, Any], name: str) -> None:
    result = figures[name]
    assert "failed" not in result, result.get("failed")
    assert isinstance(result, dict)
    missing = FIGURES[name] - set(result)
    assert not missing, f"bench_{name}.py lacks {sorted(missing)}"


def test_footprint_agrees_with_the_cli_table(figures: dict[str, Any]) -> None:
    result = figures["footprint"]
    env = {**tiny_env(), "ATLASSIAN_ENABLE_DESTRUCTIVE": "true", "ATLASSIAN_TOOLSETS": "all"}
    exe = Path(sys.executable).parent / "atlassian-mcp-server"
    table = json.loads(subprocess.run([str(exe), "tools", "--json"], env=env, capture_output=True, text=True, check=True).stdout)
    assert result["tool_count"] == sum(1 for row in table if row["enabled"]) > 0
    assert sum(ts["tools"] for ts in result["toolsets"].values()) == result["tool_count"]
    sizes = [t["bytes"] for t in result["largest_tools"]]
    assert sizes == sorted(sizes, reverse=True) and 0 < len(sizes) <= 10


def test_listing_measures_every_profile(figures: dict[str, Any]) -> None:
    profiles = figures["listing"]["profiles"]
    assert {"default", "all", "read_only", "jira_default", "confluence_all", "service_desk_all"} <= set(profiles)
    assert profiles["default"]["tools"] < profiles["all"]["tools"]
    assert all(p["context_bytes"] < p["tools_list_bytes"] for p in profiles.values())


def test_answer_ratios_are_text_over_raw(figures: dict[str, Any]) -> None:
    result = figures["answers"]
    for kind in ("issue", "search", "page"):
        assert result[f"{kind}_raw_bytes"] > 0 and result[f"{kind}_text_bytes"] > 0
        assert math.isclose(result[f"{kind}_ratio"], result[f"{kind}_text_bytes"] / result[f"{kind}_raw_bytes"], abs_tol=0.001)
    assert result["search_rows_kept"] == "12/12"


def test_paging_sends_one_request_per_page(figures: dict[str, Any]) -> None:
    result = figures["http"]
    assert result["search_pages"] == math.ceil(12 / 5)
    assert result["search_requests"] == result["search_pages"]
    assert result["first_call_requests"] >= 1 and "oauth_skipped" not in result


def test_concurrent_calls_overlap_at_the_cloud(figures: dict[str, Any]) -> None:
    assert figures["concurrency"]["peak_in_flight"] > 1  # 1 would mean the bridge serialises calls


def test_team_server_load_has_no_errors_on_either_layout(figures: dict[str, Any]) -> None:
    result = figures["team"]
    assert result["errors"] == 0, result
    assert len(result["two_replicas"]["rss_mb_per_replica"]) == 2 and len(result["one_replica"]["rss_mb_per_replica"]) == 1


def test_start_up_leaves_deferred_modules_unloaded(figures: dict[str, Any]) -> None:
    assert figures["imports"]["deferred_but_loaded"] == []


def test_run_all_nests_figures_and_judges_targets(figures: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import run_all
    finally:
        sys.path.remove(str(BENCH))
    monkeypatch.setattr(run_all, "run_one", lambda name: figures[name] if name in figures else {"error": "not run here"})
    assert run_all.main(sorted(FIGURES)) == 0
    summary = last_json(capsys.readouterr().out)
    assert set(summary) == set(FIGURES) | {"targets", "missed"}
    verdict = summary["targets"]["context_bytes_per_tool"]
    assert verdict["value"] == figures["footprint"]["context_bytes_per_tool"] and verdict["target"] == "< 600"
    assert summary["missed"] == [name for name, v in summary["targets"].items() if not v["met"]]
    assert all(v["value"] is not None for v in summary["targets"].values()), summary["targets"]
    with pytest.raises(SystemExit, match="choose from"):
        run_all.discover(["no_such_bench"])


def test_soak_loses_and_repeats_no_write_under_faults() -> None:
    """bench_soak.py, tiny and with a high fault rate: every planned call runs, no comment is held twice or lost."""
    env = {
        **tiny_env(),
        "BENCH_SOAK_CALLS": "200",
        "BENCH_SOAK_WARMUP": "16",
        "BENCH_SOAK_FAULT_RATE": "0.1",
        "BENCH_SOAK_WRITE_FAULT_RATE": "0.5",
        "BENCH_SOAK_LATENCY_S": "0",
        "BENCH_SOAK_SETTLE_S": "0",
    }
    done = subprocess.run([sys.executable, str(BENCH / "bench_soak.py")], capture_output=True, text=True, env=env, cwd=BENCH, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = last_json(done.stdout)
    named = {"calls_completed", "errors", "p50_ms", "p99_ms", "rss_start_mb", "rss_end_mb", "fds_start", "fds_end", "answers_after", "duplicate_writes"}
    assert named <= set(result), sorted(named - set(result))
    assert result["calls_completed"] == 200 and not result["stopped_early"]
    writes = result["writes"]
    assert writes["applied_then_failed"] > 0  # some comment was saved and its answer lost: the case never to repeat
    assert result["duplicate_writes"] == 0 and writes["held_twice"] == [] and writes["lost"] == [] and writes["unexplained"] == []
    assert writes["failed_without_may_have_been_applied"] == 0
    assert sum(result["errors"].values()) == sum(result["errors_by_tool"].values())
    assert result["answers_after"] is True and result["violations"] == 0
