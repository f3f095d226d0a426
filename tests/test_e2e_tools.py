"""End to end: each first tool returns the right data through the real server."""

from __future__ import annotations

from typing import Any

import anyio
from harness import run_with_server, text_of


def test_get_issue_reads_what_a_person_reads(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("jira_get_issue", {"issue_key": "PROJ-1"})

    cloud.clear_log()
    result = run_with_server(cloud.env(), scenario)
    assert not result.is_error, text_of(result)
    text = text_of(result)
    for fact in (
        "PROJ-1: Login page shows a blank screen",
        "In Progress",
        "Bug",
        "High",
        "Ada Agent",
        "Bob Builder",
        "frontend, login",
        "Web",
        "1.2",
        "blocks PROJ-2",
        "2026-12-01",
        "Description of issue 1.",
        "Fix is in review.",
        "I can reproduce this on Firefox.",
    ):
        assert fact in text, fact
    # Custom fields appear by their names, not their ids.
    assert "Story point estimate:** 5" in text and "Customer tier:** Gold" in text
    assert "customfield_" not in text
    data = result.structured_content
    assert data["key"] == "PROJ-1" and data["url"].endswith("/browse/PROJ-1")
    assert [r["path"] for r in cloud.log] == ["/rest/api/3/issue/PROJ-1", "/rest/api/3/field"]


def test_get_issue_raw_adf(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("jira_get_issue", {"issue_key": "PROJ-2", "format": "adf"})

    result = run_with_server(cloud.env(), scenario)
    assert not result.is_error
    assert result.structured_content["description"]["type"] == "doc"
    assert '"type":"doc"' in text_of(result)


def test_search_pages_through_results(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        keys: list[str] = []
        token = None
        pages = 0
        while True:
            args = {"jql": "project = PROJ ORDER BY key", "limit": 3}
            if token:
                args["next_page_token"] = token
            result = await server.call("jira_search", args)
            assert not result.is_error, text_of(result)
            keys += [i["key"] for i in result.structured_content["issues"]]
            token = result.structured_content["next_page_token"]
            pages += 1
            if not token:
                return keys, pages

    keys, pages = run_with_server(cloud.env(), scenario)
    assert keys == [f"PROJ-{n}" for n in range(1, 8)] and pages == 3


def test_confluence_page_and_spaces(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        page = await server.call("confluence_get_page", {"page_id": "1002"})
        storage = await server.call("confluence_get_page", {"page_id": "1002", "format": "storage"})
        first = await server.call("confluence_list_spaces", {"limit": 2})
        second = await server.call("confluence_list_spaces", {"limit": 2, "cursor": first.structured_content["next_cursor"]})
        return page, storage, first, second

    cloud.clear_log()
    page, storage, first, second = run_with_server(cloud.env(), scenario)
    text = text_of(page)
    assert "# Runbook: deploys" in text and "## Overview" in text and "**second point**" in text
    assert page.structured_content["version"] == 3 and page.structured_content["labels"] == ["runbook"]
    assert page.structured_content["url"].endswith("/wiki/spaces/ENG/pages/1002")
    assert storage.structured_content["body"].startswith("<h2>Overview</h2>")
    assert 'ac:name="info"' in storage.structured_content["body"]
    assert [s["key"] for s in first.structured_content["spaces"]] == ["ENG", "OPS"]
    assert [s["key"] for s in second.structured_content["spaces"]] == ["HR", "~ada"]
    assert second.structured_content["next_cursor"] is None
    assert cloud.log[0]["path"] == "/wiki/api/v2/pages/1002" and cloud.log[0]["query"]["body-format"] == ["atlas_doc_format"]


def test_service_desks(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("servicedesk_list_service_desks", {"limit": 2}), await server.call("servicedesk_list_service_desks", {"limit": 2, "start": 2})

    first, second = run_with_server(cloud.env(), scenario)
    assert [d["project_key"] for d in first.structured_content["service_desks"]] == ["OPS", "HELP"]
    assert first.structured_content["next_start"] == 2 and "start=2" in text_of(first)
    assert [d["project_key"] for d in second.structured_content["service_desks"]] == ["HR"]


def test_concurrent_calls_run_in_parallel(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        results: list[Any] = []

        async def one(n: int) -> None:
            results.append(await server.call("jira_get_issue", {"issue_key": f"PROJ-{n}", "fields": ["summary"]}))

        async with anyio.create_task_group() as tg:
            for n in range(1, 9):
                tg.start_soon(one, n % 7 + 1)
        return results

    cloud.latency = 0.3
    cloud.max_in_flight = 0
    try:
        results = run_with_server(cloud.env(), scenario)
    finally:
        cloud.latency = 0.0
    assert len(results) == 8 and not any(r.is_error for r in results)
    # The thread-pool bridge lets the calls overlap: the fake saw several requests in flight at once.
    assert cloud.max_in_flight >= 4
