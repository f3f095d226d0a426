"""The suite-wide OAuth scope check: every request a test sent must be allowed by the scopes the
sign-in would ask for under the settings the test ran the server (or CLI) with.

The settings are recorded per test: every `Settings` built in the test process (the in-memory
server, clients, `doctor`) and every child process started with an environment (the stdio server,
the CLI); a test that records none is taken to run with the defaults. A request is allowed when,
for one of those settings, the scopes `required_scopes` asks for (enabled modules; read, write
unless read-only, delete only with ATLASSIAN_ENABLE_DESTRUCTIVE; never an ATLASSIAN_OAUTH_SCOPES
override) include every scope the OpenAPI documents name for its operation (`openapi.oauth_scopes`;
one that names none needs none), and, when the table lists the operation under an enabled module,
one of its tiers there is enabled: Jira's classic scopes cannot tell a delete from a write, the
table can.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from fakecloud import openapi

from atlassian_mcp_server.auth.scope_table import OPERATIONS
from atlassian_mcp_server.auth.scopes import TIERS, required_scopes, tiers_for
from atlassian_mcp_server.config import MODULES, Settings

TABLE = "atlassian_mcp_server/auth/scope_table.py"


@dataclass(frozen=True)
class Profile:
    """What decides the sign-in's scopes: the enabled modules, read-only, destructive."""

    modules: tuple[str, ...]
    read_only: bool
    enable_destructive: bool
    oauth_scopes: None = None  # the derived scopes, never an ATLASSIAN_OAUTH_SCOPES override

    def __str__(self) -> str:
        return f"ATLASSIAN_MODULES={','.join(self.modules)} ATLASSIAN_READ_ONLY={self.read_only} ATLASSIAN_ENABLE_DESTRUCTIVE={self.enable_destructive}"


DEFAULT = Profile(MODULES, False, False)


def profile_of(settings: Any) -> Profile:
    return Profile(tuple(settings.modules), bool(settings.read_only), bool(settings.enable_destructive))


class SettingsRecorder:
    """Collects the profiles of the settings a test used, in process and in child processes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.profiles: list[Profile] = []
        original_init = Settings.__init__
        original_popen = subprocess.Popen.__init__
        recorder = self

        def settings_init(self: Any, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            recorder.add(profile_of(self))

        def popen_init(self: Any, *args: Any, **kwargs: Any) -> None:
            env = kwargs.get("env")
            environ = os.environ if env is None else env
            if any(key.startswith("ATLASSIAN_") for key in environ):
                try:
                    recorder.add(profile_of(Settings.from_env(dict(environ), require_site=False)))
                except Exception:  # settings the child will refuse: it sends nothing
                    pass
            original_popen(self, *args, **kwargs)

        monkeypatch.setattr(Settings, "__init__", settings_init)
        monkeypatch.setattr(subprocess.Popen, "__init__", popen_init)

    def add(self, profile: Profile) -> None:
        if profile not in self.profiles:
            self.profiles.append(profile)


def _tier_problem(key: str, profile: Profile) -> str:
    """Why the profile may not make this call by its tier in the table ('' when it may, or when the
    table does not list it under an enabled module, e.g. a call only a test of the HTTP layer makes)."""
    listed = {tier for module in profile.modules for tiers in OPERATIONS.get(module, {}).values() for tier, ops in tiers.items() if key in ops}
    if not listed or listed & set(tiers_for(profile)):
        return ""
    lowest = min(listed, key=TIERS.index)
    return f"with {profile} no tool may make it (it is a {lowest} call in {TABLE})"


def problems(operations: list[tuple[str, str]], profiles: list[Profile]) -> list[str]:
    """One sentence per operation that the sign-in of none of the recorded profiles would allow."""
    out = []
    for method, template in dict.fromkeys(operations):
        op = openapi.lookup(method, template)
        needed = op.scopes if op is not None else ()
        key = f"{method} {template}"
        why = []
        for profile in profiles or [DEFAULT]:
            missing = [s for s in needed if s not in required_scopes(profile)]
            reason = f"with {profile} the sign-in lacks {' '.join(missing)}" if missing else _tier_problem(key, profile)
            if not reason:
                break
            why.append(reason)
        else:
            out.append(
                f"{key} needs {' '.join(needed) or 'no scope'}, but {'; '.join(why)}. If a tool enabled by these settings calls it, "
                f'add "{key}": (), to {TABLE} under its module, toolset and tier, then run python tests/derive_scopes.py'
            )
    return out
