"""The Jira clients on their own, as a script would use them (no MCP), against the fake cloud."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fakecloud.jira import sent

from atlassian_mcp_server.clients.jira import AgileClient, JiraClient
from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.errors import ApiError
from atlassian_mcp_server.services import Services

pytestmark = pytest.mark.usefixtures("fresh_jira")


@pytest.fixture
def jira(cloud: Any) -> JiraClient:
    # a script that removes watchers signs in with the delete tier (the suite's scope check holds it to that)
    return Services(Settings.from_env(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"))).jira


def test_reads_and_pages(jira: JiraClient, cloud: Any) -> None:
    assert jira.myself()["displayName"] == "Ada Agent"
    first = jira.search("project = PROJ ORDER BY key", limit=5)
    rest = jira.search("project = PROJ ORDER BY key", limit=5, next_page_token=first["nextPageToken"])
    assert [i["key"] for i in first["issues"] + rest["issues"]] == [f"PROJ-{n}" for n in range(1, 8)]
    assert jira.field_names()["customfield_10016"] == "Story point estimate"
    jira.fields()
    assert len(cloud.requests_to(r"/rest/api/3/field$")) == 1
    assert jira.browse_url("PROJ-1") == f"{cloud.url}/browse/PROJ-1"
    assert [t["name"] for t in jira.transitions("PROJ-1", with_fields=False)] == ["Stop progress", "Finish", "Abandon"]
    assert jira.changelog("PROJ-1", limit=1)["total"] == 2
    with pytest.raises(ApiError) as missing:
        jira.get_issue("PROJ-404")
    assert missing.value.status == 404 and "does not exist" in str(missing.value)


def test_writes(jira: JiraClient, cloud: Any) -> None:
    jira.link_issues("Blocks", "PROJ-3", "PROJ-4")
    assert jira.get_issue("PROJ-3", fields=["issuelinks"])["fields"]["issuelinks"][0]["outwardIssue"]["key"] == "PROJ-4"
    added = jira.add_attachment("PROJ-3", "a.txt", io.BytesIO(b"abc"), "text/plain")
    assert added[0]["filename"] == "a.txt" and jira.attachment_content(added[0]["id"]) == b"abc"
    assert jira.attachment(added[0]["id"])["size"] == 3
    jira.add_watcher("PROJ-3", "712020:bob-0001")
    jira.remove_watcher("PROJ-3", "712020:bob-0001")
    assert jira.watchers("PROJ-3")["watchCount"] == 0
    with pytest.raises(ApiError) as bulk:
        jira.create_issues([{"fields": {"project": {"key": "PROJ"}, "issuetype": {"id": "99"}, "summary": "x"}}])
    # Every item failed: the per-item errors stay readable on the error.
    assert bulk.value.status == 400 and bulk.value.body["errors"][0]["failedElementNumber"] == 0
    assert sent(cloud, "POST", r"/watchers$") == ["712020:bob-0001"]


def test_agile_client_shares_the_http_core(jira: JiraClient) -> None:
    agile = jira.agile
    assert isinstance(agile, AgileClient) and agile.http is jira.http and jira.agile is agile
    assert [s["id"] for s in agile.sprints(1, state="active")["values"]] == [11]
    created = agile.create_sprint(1, "Next", goal="Ship", startDate=None)
    assert created["state"] == "future" and created["goal"] == "Ship" and "startDate" not in created
    assert agile.update_sprint(created["id"], {"name": "Renamed"})["name"] == "Renamed"
    assert agile.sprint(created["id"])["name"] == "Renamed"
