"""Shared fixtures: the fake Atlassian Cloud and fresh seed data; `harness` drives the server in memory or as a process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakecloud import FakeCloud  # noqa: E402
from harness import ServerRun, mcp_server, run_with_server, server_command, text_of  # noqa: E402,F401


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (the default, from pyproject.toml): the whole suite or a folder of it runs on one
    worker more than the machine has cores, since about a fifth of its time is spent waiting (on
    server processes it started, sockets, retry back-off) and the extra worker fills those waits
    (on 2 cores: 3 workers about 64 s, 2 workers about 73 s). A run naming only test files or single
    tests stays in one process, where starting workers would cost more than it saves. `-n N` on
    the command line, or PYTEST_XDIST_AUTO_NUM_WORKERS, always wins."""
    import os

    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist reads it
    if config.args_source != pytest.Config.ArgsSource.TESTPATHS and not any(Path(arg.split("::")[0]).is_dir() for arg in config.args):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules, schemas and test items made so far live until the end: moved out of the garbage
    collector's sight (gc.freeze), and its youngest generation collected every 50,000 allocations
    instead of 700, since the renderer property tests allocate millions of short-lived objects.
    About a tenth less CPU for the in-process tests; the server processes keep Python's defaults."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@pytest.fixture(scope="session")
def cloud() -> Any:
    with FakeCloud() as fake:
        yield fake


@pytest.fixture
def fresh_jira(cloud: Any) -> Iterator[None]:
    """Jira data at its seed and an empty request log before the test, and the seed again after.

    A module whose tests all want it says `pytestmark = pytest.mark.usefixtures("fresh_jira")`.
    """
    from fakecloud.jira import fresh

    yield from fresh(cloud)


@pytest.fixture
def fresh_jsm(cloud: Any) -> Iterator[None]:
    """Seed JSM data before the test, and put it back after, so the next test sees the usual site."""
    from fakecloud import jsm

    jsm.seed(cloud.state)
    cloud.clear_log()
    yield
    jsm.seed(cloud.state)


@pytest.fixture(autouse=True)
def _openapi_conformance(request: pytest.FixtureRequest) -> Any:
    """After each test that used the fake cloud: every request it saw was a documented, current operation,
    and one the OAuth sign-in for the test's settings would be allowed to make (tests/scopecheck.py).

    Faults left over are dropped and the Jira data is put back to its seed, so tests do not depend on order.
    """
    from scopecheck import SettingsRecorder, problems

    with pytest.MonkeyPatch.context() as patch:
        recorder = SettingsRecorder(patch)
        yield
    if "cloud" in request.fixturenames:
        from fakecloud import jira

        fake = request.getfixturevalue("cloud")
        bad = list(fake.violations)
        called = list(fake.operations)
        fake.violations.clear()
        fake.operations.clear()
        fake.faults.clear()
        jira.reset(fake)  # the next test sees the seeded issues, whatever this one created
        assert not bad, f"requests outside the OpenAPI documents: {bad}"
        unallowed = problems(called, recorder.profiles)
        assert not unallowed, "requests the OAuth scopes would not allow:\n" + "\n".join(unallowed)
