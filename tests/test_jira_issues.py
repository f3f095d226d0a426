"""End to end: find, read, create, edit, bulk-create and delete Jira issues through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud.jira import sent
from harness import run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_search_and_read(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_search", {"jql": "project = PROJ ORDER BY key", "fields": ["Story point estimate", "duedate"], "limit": 2}),
            await server.call("jira_search", {"jql": "project = PROJ AND sprint = 11", "fields": ["Team"]}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1", "expand": ["changelog"]}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1", "fields": ["Fix versions", "summary"]}),
            await server.call("jira_get_changelog", {"issue_key": "PROJ-1", "limit": 1}),
            await server.call("jira_get_changelog", {"issue_key": "PROJ-1", "limit": 1, "start_at": 1}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-404"}),
            await server.session.list_resource_templates(),
            await server.session.read_resource("jira://issue/PROJ-1"),
            await _read_error(server, "jira://issue/NOPE-9"),
        )

    found, ambiguous, issue, narrow, first, second, missing, templates, resource, resource_error = run_with_server(cloud.env(), scenario)
    # Field names become ids on the wire and column headers in the answer.
    assert "| Story point estimate | Due date |" in text_of(found) and "| 5 | 2026-12-01 |" in text_of(found)
    query = cloud.requests_to(r"/search/jql$")[0]["query"]
    assert query["fields"] == ["issuetype,status,priority,assignee,updated,summary,customfield_10016,duedate"]
    assert found.structured_content["issues"][0]["fields"] == {"Story point estimate": "5", "Due date": "2026-12-01"}
    assert ambiguous.is_error and "customfield_10070" in text_of(ambiguous) and "customfield_10071" in text_of(ambiguous)
    text = text_of(issue)
    for fact in (
        "blocks PROJ-2 (link 20001)",
        "notes.txt (id 10500)",
        "**Watchers:** 2",
        "**Sprint:** Sprint 10",
        "## Changes",
        "status To Do → In Progress",
        "id 101",
    ):
        assert fact in text, fact
    assert "Fix versions:** 1.2" in text_of(narrow) and "Description" not in text_of(narrow)
    assert [r["query"].get("fields") for r in cloud.requests_to(r"/issue/PROJ-1$")][:2] == [None, ["fixVersions,summary"]]
    assert "Bob Builder" in text_of(first) and first.structured_content["next_start_at"] == 1 and "start_at=1" in text_of(first)
    assert "Medium" in text_of(second) and second.structured_content["next_start_at"] is None
    assert missing.is_error and "404" in text_of(missing) and "check the id or key" in text_of(missing)
    # The jira://issue/{key} resource reads the same Markdown as jira_get_issue.
    assert "jira://issue/{key}" in [t.uri_template for t in templates.resource_templates]
    markdown = resource.contents[0].text
    assert markdown.startswith("# PROJ-1: Login page shows a blank screen") and "## Description" in markdown and "Fix is in review." in markdown
    assert "404" in resource_error


async def _read_error(server: Any, uri: str) -> str:
    try:
        await server.session.read_resource(uri)
    except Exception as exc:  # the SDK raises the JSON-RPC error
        return str(exc)
    return ""


def test_create_issue_resolves_names_and_checks_values(cloud: Any) -> None:
    full = {
        "project_key": "PROJ",
        "summary": "Checkout fails on Safari",
        "issue_type": "bug",
        "description": "Steps:\n\n1. Open **checkout**\n2. Pay",
        "priority": "Highest",
        "labels": ["safari"],
        "components": ["Web"],
        "fix_versions": ["1.2"],
        "assignee": "bob@example.com",
        "due_date": "2026-12-31",
        "fields": {"Severity": "S2", "Story point estimate": 3, "customfield_10071": "Blue", "Acceptance criteria": "- pays", "Sprint": 12},
    }

    async def scenario(server: Any) -> Any:
        created = await server.call("jira_create_issue", full)
        shown = await server.call("jira_get_issue", {"issue_key": created.structured_content["key"]})
        errors = [
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "issue_type": "Bug"}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "priority": "Urgent"}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "fields": {"Team": "Red"}}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "issue_type": "Bugz"}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "assignee": "bob"}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "fields": {"Colour": "red"}}),
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": "x", "fields": {"Story point estimate": "lots"}}),
            await server.call("jira_create_issue", {"project_key": "OPS", "summary": "x"}),
            await server.call("jira_create_issue", {"project_key": "NOPE", "summary": "x"}),
        ]
        return created, shown, errors

    created, shown, errors = run_with_server(cloud.env(), scenario)
    assert not created.is_error, text_of(created)
    assert created.structured_content["key"] == "PROJ-8" and created.structured_content["url"].endswith("/browse/PROJ-8")
    assert text_of(created).startswith("Created Bug PROJ-8: Checkout fails on Safari")
    body = sent(cloud, "POST", r"/rest/api/3/issue$")[0]["fields"]
    assert body["issuetype"] == {"id": "10001"} and body["project"] == {"key": "PROJ"}
    assert body["priority"] == {"id": "1"} and body["components"] == [{"id": "10100"}] and body["fixVersions"] == [{"id": "10201"}]
    assert body["assignee"] == {"accountId": "712020:bob-0001"} and body["duedate"] == "2026-12-31"
    assert body["customfield_10060"] == {"id": "10401"} and body["customfield_10071"] == {"id": "10301"}
    assert body["customfield_10016"] == 3 and body["customfield_10020"] == 12
    assert body["description"]["type"] == "doc" and body["customfield_10080"]["type"] == "doc"
    assert any(n.get("type") == "orderedList" for n in body["description"]["content"])
    text = text_of(shown)
    for fact in (
        "Priority:** Highest",
        "Assignee:** Bob Builder",
        "Fix versions:** 1.2",
        "Severity:** S2",
        "Team:** Blue",
        "Sprint:** Sprint 11",
        "**checkout**",
    ):
        assert fact in text, fact

    missing, bad_value, ambiguous, bad_type, who, unknown_field, not_number, denied, no_project = errors
    assert all(r.is_error for r in errors)
    assert "Missing required field(s)" in text_of(missing) and "Severity (customfield_10060" in text_of(missing) and "S1, S2, S3" in text_of(missing)
    assert "'Urgent'" in text_of(bad_value) and "Highest, High, Medium, Low, Lowest" in text_of(bad_value)
    assert "ambiguous" in text_of(ambiguous) and "Team (customfield_10070); Team (customfield_10071)" in text_of(ambiguous)
    assert "Unknown issue type 'Bugz'" in text_of(bad_type) and "Sub-task (10004)" in text_of(bad_type)
    assert "ambiguous" in text_of(who) and "Bob Builder <bob@example.com>" in text_of(who) and "Bobby Tables" in text_of(who)
    assert "Unknown field 'Colour'" in text_of(unknown_field) and "Story point estimate (customfield_10016)" in text_of(unknown_field)
    assert "needs a number" in text_of(not_number)
    assert "403" in text_of(denied) and "permission to create issues" in text_of(denied)
    assert "404" in text_of(no_project) and "NOPE" in text_of(no_project)
    # Nothing was sent for the requests the server could refuse itself.
    assert len(sent(cloud, "POST", r"/rest/api/3/issue$")) == 2


def test_update_issue(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call(
                "jira_update_issue",
                {
                    "issue_key": "proj-1",
                    "summary": "Login page is blank on Firefox",
                    "description": "Only **Firefox** 120",
                    "add_labels": ["firefox"],
                    "remove_labels": ["login"],
                    "fields": {"Due date": None, "Customer tier": "Silver"},
                },
            ),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1"}),
            await server.call("jira_update_issue", {"issue_key": "PROJ-1", "labels": ["one", "two"], "assignee": "Carol Danvers"}),
            await server.call("jira_update_issue", {"issue_key": "PROJ-1"}),
            await server.call("jira_update_issue", {"issue_key": "PROJ-1", "due_date": "31-12-2026"}),
            await server.call("jira_update_issue", {"issue_key": "PROJ-1", "fields": {"Customer tier": "Platinum"}}),
            await server.call("jira_update_issue", {"issue_key": "OPS-1", "summary": "x"}),
            await server.call("jira_update_issue", {"issue_key": "PROJ-404", "summary": "x"}),
        )

    done, shown, relabel, nothing, bad_date, bad_option, denied, missing = run_with_server(cloud.env(), scenario)
    assert not done.is_error, text_of(done)
    assert text_of(done).startswith("Updated PROJ-1: Summary, Description, Due date, Customer tier, labels +firefox, labels -login.")
    first, second = sent(cloud, "PUT", r"(?i)/issue/PROJ-1$")
    assert first["update"] == {"labels": [{"add": "firefox"}, {"remove": "login"}]}
    assert first["fields"]["duedate"] is None and first["fields"]["customfield_10042"] == {"id": "10101"}
    assert first["fields"]["description"]["type"] == "doc"
    assert second == {"fields": {"labels": ["one", "two"], "assignee": {"accountId": "712020:carol-0003"}}}
    text = text_of(shown)
    assert "Login page is blank on Firefox" in text and "Labels:** frontend, firefox" in text and "Due:**" not in text and "**Firefox** 120" in text
    assert not relabel.is_error and "Assignee, Labels" in text_of(relabel)
    assert nothing.is_error and "Nothing to change" in text_of(nothing)
    assert bad_date.is_error and "2026-12-31" in text_of(bad_date)
    assert bad_option.is_error and "Gold, Silver, Bronze" in text_of(bad_option)
    assert denied.is_error and "Edit Issues permission" in text_of(denied)
    assert missing.is_error and "404" in text_of(missing)
    assert len(sent(cloud, "PUT", r"/issue/")) == 2


def test_bulk_create_reports_each_item(cloud: Any) -> None:
    items = [
        {"summary": "one"},
        {"summary": "two", "priority": "Nope"},
        {"summary": "three", "issue_type": "Bug", "fields": {"Severity": "S1"}},
        {"summary": "four", "issue_type": "Sub-task", "parent": "PROJ-999"},
        {"summary": "five", "issue_type": "Sub-task", "parent": "PROJ-1"},
    ]

    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_bulk_create_issues", {"project_key": "PROJ", "issues": items}),
            await server.call(
                "jira_bulk_create_issues",
                {"project_key": "PROJ", "issues": [{"summary": "a", "parent": "PROJ-998", "issue_type": "Sub-task"}, {"summary": "b", "priority": "Nope"}]},
            ),
            await server.call("jira_bulk_create_issues", {"project_key": "PROJ", "issues": [{"summary": str(n)} for n in range(51)]}),
        )

    partly, none, too_many = run_with_server(cloud.env(), scenario)
    assert not partly.is_error, text_of(partly)
    data = partly.structured_content
    assert [(c["index"], c["key"]) for c in data["created"]] == [(1, "PROJ-8"), (3, "PROJ-9"), (5, "PROJ-10")]
    assert [e["index"] for e in data["errors"]] == [2, 4]
    assert "Could not find issue" in data["errors"][1]["error"] and "Highest, High" in data["errors"][0]["error"]
    assert "Created 3 of 5" in text_of(partly) and "#4 (four)" in text_of(partly)
    # Per call: the issue types once, each type's screen once, and one bulk request with only the items that passed.
    assert len(cloud.requests_to(r"/createmeta/PROJ/issuetypes$")) == 2
    assert len(cloud.requests_to(r"/createmeta/PROJ/issuetypes/\d+$")) == 3 + 2
    assert len(sent(cloud, "POST", r"/issue/bulk$")[0]["issueUpdates"]) == 4
    # When Jira refuses every item it answers 400 with the per-item errors: each is still reported.
    assert none.is_error and "#1: parent: Could not find issue" in text_of(none) and "#2: Unknown value for Priority" in text_of(none)
    assert too_many.is_error and "at most 50" in text_of(too_many)


def test_delete_issue_is_destructive(cloud: Any) -> None:
    async def hidden(server: Any) -> Any:
        names = {t.name for t in (await server.session.list_tools()).tools}
        return names, await server.call("jira_delete_issue", {"issue_key": "PROJ-7"})

    names, refused = run_with_server(cloud.env(), hidden)
    assert "jira_delete_issue" not in names and "jira_update_issue" in names
    assert refused.is_error and "ATLASSIAN_ENABLE_DESTRUCTIVE=true" in text_of(refused)
    assert not cloud.requests_to(r"/issue/PROJ-7", "DELETE")

    async def enabled(server: Any) -> Any:
        tools = {t.name: t for t in (await server.session.list_tools()).tools}
        return (
            tools,
            await server.call("jira_delete_issue", {"issue_key": "PROJ-5"}),
            await server.call("jira_delete_issue", {"issue_key": "PROJ-5", "delete_subtasks": True}),
            await server.call("jira_delete_issue", {"issue_key": "OPS-1"}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-6"}),
        )

    tools, needs_flag, deleted, denied, subtask = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), enabled)
    assert tools["jira_delete_issue"].annotations.destructive_hint is True
    assert needs_flag.is_error and "subtasks" in text_of(needs_flag)
    assert not deleted.is_error and "Deleted PROJ-5 and its subtasks" in text_of(deleted)
    assert [r["query"] for r in cloud.requests_to(r"/issue/PROJ-5$", "DELETE")] == [{}, {"deleteSubtasks": ["true"]}]
    assert denied.is_error and "403" in text_of(denied)
    assert subtask.is_error and "404" in text_of(subtask)
