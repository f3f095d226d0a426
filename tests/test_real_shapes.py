"""End to end: real-world field shapes (fake Jira project REAL) read whole, without noise, through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud import jsm
from fakecloud.confluence_realistic import PAGE_ID
from fakecloud.jira import fresh
from fakecloud.jira_realistic import LONG_DESCRIPTION_NEW, LONG_DESCRIPTION_OLD
from harness import run_with_server, text_of


@pytest.fixture(autouse=True)
def fresh_jira(cloud: Any) -> Any:
    yield from fresh(cloud)


def test_every_field_kind_reads_and_noise_stays_out(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_issue", {"issue_key": "REAL-1"}),
            await server.call("jira_get_issue", {"issue_key": "REAL-2"}),
            await server.call("jira_search", {"jql": "project = REAL ORDER BY key", "fields": ["Region", "Rank"]}),
        )

    rich, odd, found = run_with_server(cloud.env(), scenario)
    text = text_of(rich)
    assert not rich.is_error, text
    for fact in (
        "**Region:** America › Costa Rica",  # a cascading select keeps its child
        "**Reviewers:** Carol Chen, Dan Diaz",
        "**Tech lead:** Dan Diaz",
        "**Owning groups:** payments-team, sre",
        "**Browsers:** Safari, Firefox",
        "**Release date:** 2026-12-05",
        "**Runbook:** https://runbooks.example.com/checkout",
        "**Error rate:** 2.75",
        "**Epic Link:** REAL-9",
        "**Epic Name:** Checkout hardening",
        "**Squad labels:** checkout, eu",
        "**Development:** 2 pullrequest (merged)",
        "**Environment:** Safari 17.1 on macOS 14",
        "**Affects versions:** 4.2",
        "**Parent:** REAL-9 Payments reliability (Epic, In Progress)",
        "## Comments (7 in all, the last 5 shown; read them all with jira_get_comments)",
        "Update 7: still failing.",
    ):
        assert fact in text, fact
    for noise in ("0|i00073", "_*:*_", "Time in Status", "Empty object", "**Rank:**"):
        assert noise not in text, noise
    for adf_fact in ("@Carol Chen", "BLOCKED", "Checkout error on Safari 17", "Roll back release 4.2", "Write the postmortem", "Text inside an unknown node"):
        assert adf_fact in text, adf_fact
    # Atlassian's documented shapes: fields.comment as a list, fields.updated as a number.
    assert not odd.is_error, text_of(odd)
    assert "Lorem ipsum dolor sit amet." in text_of(odd) and "## Comments (1 in all" in text_of(odd)
    assert "Development" not in text_of(odd) and "summaryBean" not in text_of(odd)  # Server's form, nothing linked
    assert not found.is_error, text_of(found)
    assert "| REAL-1 |" in text_of(found) and "America › Costa Rica" in text_of(found) and "| REAL-2 |" in text_of(found)
    assert "0|i00073" not in text_of(found)


def test_changelog_keeps_long_values_whole_and_says_so(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_changelog", {"issue_key": "REAL-1"}),
            await server.call("jira_get_issue", {"issue_key": "REAL-1", "expand": ["changelog"]}),
        )

    changelog, issue = run_with_server(cloud.env(), scenario)
    text = text_of(changelog)
    assert "(cut: whole value in [1] below)" in text and "(cut: whole value in [2] below)" in text
    assert LONG_DESCRIPTION_OLD in text and LONG_DESCRIPTION_NEW in text
    for fact in ("checkout-error.png", "This issue relates to PROJ-2", "Sprint 10", "WorklogId", "10400", "28800"):
        assert fact in text, fact
    assert changelog.structured_content["changes"][0]["to"] == LONG_DESCRIPTION_NEW
    assert LONG_DESCRIPTION_NEW in text_of(issue) and "## Changes (last 2 of 2" in text_of(issue)


def test_service_desk_cascading_select_keeps_its_child(cloud: Any) -> None:
    jsm.seed(cloud.state)

    async def scenario(server: Any) -> Any:
        return await server.call("servicedesk_get_request", {"issue_key": "HELP-1"})

    try:
        request = run_with_server(cloud.env(), scenario)
    finally:
        jsm.seed(cloud.state)
    assert "**Office:** America › Costa Rica" in text_of(request)
    assert request.structured_content["fields"]["Office"] == "America › Costa Rica"


def test_a_real_shaped_confluence_page_reads_whole(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("confluence_get_page", {"page_id": PAGE_ID}),
            await server.call("confluence_get_page", {"page_id": PAGE_ID, "format": "storage"}),
        )

    markdown, storage = run_with_server(cloud.env(), scenario)
    text = text_of(markdown)
    for fact in (
        "@Carol Chen",
        "BLOCKED",
        "Checkout error on Safari 17",
        "Payments are failing for EU cards.",
        "Stack trace",
        "Right column",
        "Roll back release 4.2",
    ):
        assert fact in text, fact
    assert "[x] Page the on-call engineer" in text and "[ ] Write the postmortem" in text and "Text inside an unknown node" in text
    raw = text_of(storage)
    assert '<ri:page ri:content-title="Release checklist" />' in raw and '<th colspan="2">Rollout</th>' in raw and "./ship.sh --env prod" in raw
