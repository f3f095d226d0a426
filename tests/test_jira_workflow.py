"""End to end: transitions, assignment, and the discovery tools (projects, create fields, field ids, users)."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud.jira import sent
from harness import run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_transitions_and_assignment(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_transitions", {"issue_key": "PROJ-1"}),
            await server.call("jira_transition_issue", {"issue_key": "PROJ-1", "transition": "Done"}),
            await server.call("jira_transition_issue", {"issue_key": "PROJ-1", "transition": "Finish"}),
            await server.call(
                "jira_transition_issue",
                {"issue_key": "PROJ-1", "transition": "Finish", "resolution": "Won't Do", "comment": "Not *needed*", "fields": {"Assignee": "me"}},
            ),
            await server.call("jira_transition_issue", {"issue_key": "PROJ-3", "transition": "in progress", "comment": "Starting now"}),
            await server.call("jira_transition_issue", {"issue_key": "PROJ-3", "transition": "Teleport"}),
            await server.call("jira_transition_issue", {"issue_key": "PROJ-3", "transition": "21", "resolution": "Done"}),
            await server.call("jira_transition_issue", {"issue_key": "OPS-1", "transition": "Done"}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1", "fields": ["status", "resolution", "assignee", "comment"]}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "Carol Danvers"}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "me"}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "712020:bob-0001"}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "none"}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "bob"}),
            await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "Automation for Jira"}),
            await server.call("jira_assign_issue", {"issue_key": "OPS-1", "assignee": "me"}),
        )

    (listed, ambiguous, needs, done, started, unknown, not_on_screen, no_rights, issue, carol, me, by_id, nobody, ambiguous_user, app_user, denied) = (
        run_with_server(cloud.env(), scenario)
    )
    assert "| 31 | Finish | Done | Resolution |" in text_of(listed) and "| 21 | Stop progress | To Do | - |" in text_of(listed)
    assert cloud.requests_to(r"/PROJ-1/transitions$", "GET")[0]["query"]["expand"] == ["transitions.fields"]
    assert ambiguous.is_error and "Finish (id 31) → Done; Abandon (id 32) → Done" in text_of(ambiguous)
    assert needs.is_error and "needs: Resolution" in text_of(needs) and "Won't Do" in text_of(needs)
    assert not done.is_error, text_of(done)
    assert "'Finish' applied with a comment; status is now Done" in text_of(done)
    body = sent(cloud, "POST", r"/PROJ-1/transitions$")[0]
    assert body["transition"] == {"id": "31"} and body["fields"] == {"resolution": {"id": "10001"}, "assignee": {"accountId": "5b10a2844c20165700ede21g"}}
    assert body["update"]["comment"][0]["add"]["body"]["type"] == "doc"
    # A transition without a screen takes no comment: it is added on its own, after the move.
    assert not started.is_error and "status is now In Progress" in text_of(started)
    assert sent(cloud, "POST", r"/PROJ-3/transitions$")[0] == {"transition": {"id": "11"}}
    assert [c["body"]["content"][0]["content"][0]["text"] for c in sent(cloud, "POST", r"/PROJ-3/comment$")] == ["Starting now"]
    assert unknown.is_error and "Unknown transition or status 'Teleport'" in text_of(unknown) and "Stop progress (id 21) → To Do" in text_of(unknown)
    assert not_on_screen.is_error and "Unknown field 'resolution'" in text_of(not_on_screen)
    assert no_rights.is_error and "No transitions are available" in text_of(no_rights)
    text = text_of(issue)
    assert "Status:** Done" in text and "Resolution:** Won't Do" in text and "Not *needed*" in text
    assert [text_of(r).split("\n")[0] for r in (carol, me, by_id, nobody)] == [
        "Assigned PROJ-4 to Carol Danvers.",
        "Assigned PROJ-4 to Ada Agent.",
        "Assigned PROJ-4 to 712020:bob-0001.",
        "PROJ-4 is now unassigned.",
    ]
    assert sent(cloud, "PUT", r"/PROJ-4/assignee$") == [
        {"accountId": "712020:carol-0003"},
        {"accountId": "5b10a2844c20165700ede21g"},
        {"accountId": "712020:bob-0001"},
        {"accountId": None},
    ]
    assert ambiguous_user.is_error and "Bobby Tables <bobby@example.com> (712020:bobby-0002)" in text_of(ambiguous_user)
    assert app_user.is_error and "No active user" in text_of(app_user)
    assert denied.is_error and "403" in text_of(denied)


def test_discovery(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_list_projects", {}),
            await server.call("jira_list_projects", {"query": "oper", "limit": 1}),
            await server.call("jira_list_projects", {"limit": 1}),
            await server.call("jira_get_project", {"project_key": "PROJ"}),
            await server.call("jira_get_project", {"project_key": "NOPE"}),
            await server.call("jira_get_create_fields", {"project_key": "PROJ", "issue_type": "Bug"}),
            await server.call("jira_get_create_fields", {"project_key": "PROJ", "issue_type": "Incident"}),
            await server.call("jira_search_fields", {"query": "team"}),
            await server.call("jira_search_fields", {"query": "point"}),
            await server.call("jira_search_fields", {"limit": 3}),
            await server.call("jira_search_users", {"query": "bo"}),
            await server.call("jira_search_users", {"query": "zed"}),
        )

    (projects, ops, first, project, missing, bug_fields, bad_type, team, points, few, users, nobody) = run_with_server(cloud.env(), scenario)
    assert [p["key"] for p in projects.structured_content["projects"]] == ["PROJ", "OPS"]
    assert [p["key"] for p in ops.structured_content["projects"]] == ["OPS"]
    assert first.structured_content["next_start_at"] == 1 and "start_at=1" in text_of(first)
    text = text_of(project)
    assert "Bug (10001)" in text and "Sub-task (10004, sub-task)" in text and "Web (10100)" in text
    assert "Unreleased versions:** 1.2 (10201, due 2026-12-15), 2.0 (10202)" in text and "Released versions:** 1.1" in text
    assert missing.is_error and "404" in text_of(missing)
    fields = {f["id"]: f for f in bug_fields.structured_content["fields"]}
    assert fields["customfield_10060"] == {
        "id": "customfield_10060",
        "name": "Severity",
        "type": "option",
        "required": True,
        "allowed_values": ["S1", "S2", "S3"],
    }
    assert fields["reporter"]["required"] is False and "project" not in fields
    assert text_of(bug_fields).index("Severity") < text_of(bug_fields).index("Assignee")
    assert bad_type.is_error and "Story (10003)" in text_of(bad_type)
    assert [f["id"] for f in team.structured_content["fields"]] == ["customfield_10070", "customfield_10071"]
    assert "| Story point estimate | customfield_10016 | number | custom | cf[10016] |" in text_of(points)
    assert few.structured_content["total"] > 3 and "more match" in text_of(few)
    assert [u["account_id"] for u in users.structured_content["users"]] == ["712020:bob-0001", "712020:bobby-0002"]
    assert "No user matches 'zed'" in text_of(nobody)
    # The field list is read once per server.
    assert len(cloud.requests_to(r"^/rest/api/3/field$")) == 1
