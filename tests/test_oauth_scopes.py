"""OAuth scopes from the OpenAPI documents: the package's table, the README, the suite-wide check
(tests/scopecheck.py, run after every test by the conftest), and `status`/`doctor` naming the tools
a sign-in without a scope will break."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

import derive_scopes
import pytest
from fakecloud.oauth import CLIENT_ID, CLOUD_ID, SITE_NAME, free_port, oauth_env
from harness import server_command
from scopecheck import Profile, problems

from atlassian_mcp_server.auth.scopes import MODULE_SCOPES, required_scopes
from atlassian_mcp_server.auth.tokens import TokenStore, entry_key
from atlassian_mcp_server.config import Settings


def test_the_table_holds_the_scopes_the_documents_name() -> None:
    text, _ = derive_scopes.expected()
    assert derive_scopes.TABLE.read_text() == text, "run python tests/derive_scopes.py"


def test_the_readme_scope_table_is_the_packages() -> None:
    readme = derive_scopes.README.read_text()
    assert readme == derive_scopes.expected_readme(readme, derive_scopes.expected()[1]), "run python tests/derive_scopes.py"


def test_the_package_never_reads_the_documents() -> None:
    package = Path(derive_scopes.TABLE).parents[1]
    for source in package.rglob("*.py"):
        assert "atlassian-openapi" not in source.read_text() and "x-atlassian-oauth2-scopes" not in source.read_text(), source


@pytest.mark.parametrize(
    "module, tier, scopes",
    [  # the calls issue 21 found refused on a real site
        ("jira", "read", {"read:board-scope:jira-software", "read:project:jira", "read:sprint:jira-software"}),
        ("jira", "write", {"write:sprint:jira-software"}),
        ("confluence", "read", {"read:label:confluence", "read:user:confluence"}),
    ],
)
def test_the_scopes_the_agile_label_and_conflict_calls_need_are_asked_for(module: str, tier: str, scopes: set[str]) -> None:
    assert scopes <= set(MODULE_SCOPES[module][tier])


def test_read_only_and_non_destructive_sign_ins_ask_for_no_more() -> None:
    read_only = set(required_scopes(Settings(site_url="https://x.atlassian.net", read_only=True, enable_destructive=True)))
    assert not {s for s in read_only if s.startswith(("write:", "delete:"))}
    writes = set(required_scopes(Settings(site_url="https://x.atlassian.net")))
    assert "write:page:confluence" in writes and not {s for s in writes if s.startswith("delete:")}


def test_the_check_names_the_operation_and_the_missing_scope() -> None:
    read_only = Profile(("jira", "confluence"), True, False)
    found = problems([("POST", "/rest/agile/1.0/sprint"), ("GET", "/rest/api/3/myself"), ("DELETE", "/wiki/api/v2/pages/{id}")], [read_only])
    assert len(found) == 2, found
    assert found[0].startswith("POST /rest/agile/1.0/sprint needs write:sprint:jira-software") and "lacks write:sprint:jira-software" in found[0]
    assert "DELETE /wiki/api/v2/pages/{id}" in found[1] and "lacks delete:page:confluence" in found[1]
    assert not problems([("DELETE", "/wiki/api/v2/pages/{id}")], [read_only, Profile(("confluence",), False, True)])
    # Jira's classic scopes cannot tell a delete from a write: the table's tier does
    writes = Profile(("jira",), False, False)
    (found,) = problems([("DELETE", "/rest/api/3/issue/{issueIdOrKey}"), ("PUT", "/rest/api/3/issue/{issueIdOrKey}")], [writes])
    assert found.startswith("DELETE /rest/api/3/issue/{issueIdOrKey} needs write:jira-work") and "it is a delete call" in found
    assert not problems([("DELETE", "/rest/api/3/issue/{issueIdOrKey}")], [Profile(("jira",), False, True)])


def _signed_in_without(cloud: Any, config: Path, missing: set[str]) -> dict[str, str]:
    """An OAuth token file whose grant lacks `missing`, with tokens the fake accepts."""
    env = oauth_env(cloud, config, free_port())
    granted = [s for s in required_scopes(Settings.from_env(env)) if s not in missing]
    access, refresh = cloud.oauth.issue(granted)
    entry = {"site_url": cloud.url, "client_id": CLIENT_ID, "cloud_id": CLOUD_ID, "site_name": SITE_NAME}
    entry |= {"access_token": access, "refresh_token": refresh, "expires_at": time.time() + 3600, "scopes": granted}
    TokenStore(config).put(entry_key(cloud.url, CLIENT_ID), entry)
    return env


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ATLASSIAN_")} | env
    return subprocess.run(server_command() + args, env=clean, capture_output=True, text=True, timeout=60)


def test_status_and_doctor_name_the_tools_a_missing_scope_breaks(cloud: Any, tmp_path: Path) -> None:
    cloud.oauth.reset()
    try:
        env = _signed_in_without(cloud, tmp_path / "cfg", {"read:sprint:jira-software", "read:label:confluence"})
        status = _cli(["status"], env)
        doctor = _cli(["doctor"], env)
        ok = _cli(["status"], _signed_in_without(cloud, tmp_path / "ok", set()))
    finally:
        cloud.oauth.reset()
    assert "missing_scopes: read:sprint:jira-software read:label:confluence" in status.stdout, status.stdout
    sprint_line = next(line for line in status.stdout.splitlines() if line.startswith("tools_that_will_fail: read:sprint:jira-software:"))
    assert "jira_list_sprints" in sprint_line and "jira_search" not in sprint_line and "confluence" not in sprint_line
    label_line = next(line for line in status.stdout.splitlines() if "read:label:confluence:" in line)
    assert "confluence_list_labels" in label_line and "jira_" not in label_line
    assert "developer console" in status.stdout and "atlassian-mcp-server login" in status.stdout
    assert doctor.returncode != 0 and "[FAIL] scopes: missing" in doctor.stdout and "jira_list_sprints" in doctor.stdout
    assert "developer console" in doctor.stdout
    assert "missing_scopes: none" in ok.stdout and "tools_that_will_fail" not in ok.stdout
    assert "at-" not in status.stdout + doctor.stdout and "rt-" not in status.stdout + doctor.stdout
