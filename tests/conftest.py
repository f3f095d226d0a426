"""Shared fixtures: the fake Atlassian Cloud and a real server process driven over stdio."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakecloud import FakeCloud  # noqa: E402
from harness import ServerRun, mcp_server, run_with_server, server_command, text_of  # noqa: E402,F401


@pytest.fixture(scope="session")
def cloud() -> Any:
    with FakeCloud() as fake:
        yield fake


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
