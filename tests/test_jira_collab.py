"""End to end: comments, worklogs, watchers and links on Jira issues through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud.jira import sent
from harness import run_with_server, text_of

DESTRUCTIVE = {"jira_delete_comment", "jira_delete_issue_link", "jira_remove_watcher"}


pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_comments(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        names = {t.name for t in (await server.session.list_tools()).tools}
        return (
            names,
            await server.call("jira_add_comment", {"issue_key": "PROJ-1", "comment": "Fixed in **#42**:\n\n- login\n- logout"}),
            await server.call("jira_add_comment", {"issue_key": "PROJ-1", "comment": "Internal note", "visible_to_role": "Developers"}),
            await server.call("jira_get_comments", {"issue_key": "PROJ-1", "limit": 2}),
            await server.call("jira_get_comments", {"issue_key": "PROJ-1", "limit": 2, "start_at": 2, "newest_first": False}),
            await server.call("jira_edit_comment", {"issue_key": "PROJ-1", "comment_id": "101", "comment": "Fix is *merged*."}),
            await server.call("jira_edit_comment", {"issue_key": "PROJ-1", "comment_id": "100", "comment": "Not mine"}),
            await server.call("jira_add_comment", {"issue_key": "PROJ-1", "comment": "x", "visible_to_role": "Aliens"}),
            await server.call("jira_add_comment", {"issue_key": "OPS-1", "comment": "x"}),
            await server.call("jira_get_comments", {"issue_key": "PROJ-404"}),
            await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "101"}),
        )

    names, added, private, newest, oldest, edited, not_mine, bad_role, denied, missing, hidden = run_with_server(cloud.env(), scenario)
    assert not DESTRUCTIVE & names and "jira_add_comment" in names
    assert not added.is_error and added.structured_content["comment_id"] == "1001"
    assert added.structured_content["url"].endswith("/browse/PROJ-1?focusedCommentId=1001")
    body = sent(cloud, "POST", r"/PROJ-1/comment$")[0]
    assert body["body"]["type"] == "doc" and "visibility" not in body
    assert any(n["type"] == "bulletList" for n in body["body"]["content"])
    assert sent(cloud, "POST", r"/PROJ-1/comment$")[1]["visibility"] == {"type": "role", "value": "Developers"}
    assert "visible to role Developers" in text_of(private)
    text = text_of(newest)
    assert text.index("Internal note") < text.index("#42") and "[visible to Developers]" in text and "start_at=2" in text
    assert "**#42**" in text and "- login" in text
    assert newest.structured_content["total"] == 4 and newest.structured_content["next_start_at"] == 2
    assert cloud.requests_to(r"/PROJ-1/comment$", "GET")[0]["query"]["orderBy"] == ["-created"]
    assert [c["id"] for c in oldest.structured_content["comments"]] == ["1001", "1002"] and oldest.structured_content["next_start_at"] is None
    assert not edited.is_error and sent(cloud, "PUT", r"/comment/101$")[0]["body"]["content"][0]["content"][1]["marks"] == [{"type": "em"}]
    assert not_mine.is_error and "permission to edit this comment" in text_of(not_mine)
    assert bad_role.is_error and "project role: Aliens" in text_of(bad_role)
    assert denied.is_error and "403" in text_of(denied)
    assert missing.is_error and "404" in text_of(missing)
    assert hidden.is_error and "ATLASSIAN_ENABLE_DESTRUCTIVE" in text_of(hidden)


def test_destructive_removals_when_enabled(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        tools = {t.name: t for t in (await server.session.list_tools()).tools}
        return (
            tools,
            await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "101"}),
            await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "100"}),
            await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "101"}),
            await server.call("jira_delete_issue_link", {"link_id": "20001"}),
            await server.call("jira_delete_issue_link", {"link_id": "20001"}),
            await server.call("jira_remove_watcher", {"issue_key": "PROJ-1", "user": "bob@example.com"}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1"}),
        )

    tools, deleted, others, again, unlinked, unlinked_again, unwatched, issue = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), scenario)
    assert DESTRUCTIVE <= set(tools)
    assert all(tools[n].annotations.destructive_hint and not tools[n].annotations.read_only_hint for n in DESTRUCTIVE)
    assert not deleted.is_error and "Deleted comment 101 from PROJ-1" in text_of(deleted)
    assert others.is_error and "403" in text_of(others)
    assert again.is_error and "404" in text_of(again)
    assert not unlinked.is_error and unlinked_again.is_error and "404" in text_of(unlinked_again)
    assert not unwatched.is_error and "Bob Builder no longer watches PROJ-1" in text_of(unwatched)
    assert cloud.requests_to(r"/PROJ-1/watchers$", "DELETE")[0]["query"] == {"accountId": ["712020:bob-0001"]}
    text = text_of(issue)
    assert "Fix is in review." not in text and "blocks PROJ-2" not in text and "Watchers:** 1" in text


def test_worklogs_watchers_and_links(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call(
                "jira_add_worklog",
                {
                    "issue_key": "PROJ-1",
                    "time_spent": "1h  30m",
                    "started": "2026-11-20T09:30:00+01:00",
                    "comment": "Paired on the *fix*",
                    "remaining_estimate": "2h",
                },
            ),
            await server.call("jira_add_worklog", {"issue_key": "PROJ-1", "time_spent": "2d"}),
            await server.call("jira_get_worklogs", {"issue_key": "PROJ-1", "limit": 2}),
            await server.call("jira_add_worklog", {"issue_key": "PROJ-1", "time_spent": "1h", "started": "yesterday"}),
            await server.call("jira_add_worklog", {"issue_key": "PROJ-1", "time_spent": "an hour"}),
            await server.call("jira_add_worklog", {"issue_key": "OPS-1", "time_spent": "1h"}),
            await server.call("jira_get_watchers", {"issue_key": "PROJ-1"}),
            await server.call("jira_add_watcher", {"issue_key": "PROJ-3"}),
            await server.call("jira_add_watcher", {"issue_key": "PROJ-3", "user": "Carol"}),
            await server.call("jira_add_watcher", {"issue_key": "PROJ-3", "user": "Bob"}),
            await server.call("jira_add_watcher", {"issue_key": "PROJ-3", "user": "Dave Former"}),
            await server.call("jira_get_watchers", {"issue_key": "PROJ-3"}),
            await server.call("jira_get_link_types", {}),
            await server.call(
                "jira_link_issues", {"issue_key": "PROJ-3", "relation": "is blocked by", "other_issue_key": "PROJ-4", "comment": "Found while testing"}
            ),
            await server.call("jira_link_issues", {"issue_key": "PROJ-3", "relation": "Relates", "other_issue_key": "PROJ-5"}),
            await server.call("jira_link_issues", {"issue_key": "PROJ-3", "relation": "causes", "other_issue_key": "PROJ-5"}),
            await server.call("jira_link_issues", {"issue_key": "PROJ-3", "relation": "blocks", "other_issue_key": "PROJ-404"}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-4", "fields": ["issuelinks", "comment"]}),
            await server.call(
                "jira_add_remote_link",
                {"issue_key": "PROJ-1", "url": "https://example.com/design", "title": "Design doc", "summary": "v1", "relationship": "documented in"},
            ),
            await server.call("jira_add_remote_link", {"issue_key": "PROJ-1", "url": "https://example.com/design", "title": "Design doc v2"}),
            await server.call("jira_add_remote_link", {"issue_key": "PROJ-1", "url": "ftp://example.com/x", "title": "x"}),
        )

    (
        logged,
        logged_now,
        logs,
        bad_start,
        bad_spent,
        denied,
        watchers,
        me,
        carol,
        bob,
        dave,
        watched,
        types,
        linked,
        related,
        bad_relation,
        no_issue,
        linked_issue,
        remote,
        remote_again,
        bad_url,
    ) = run_with_server(cloud.env(), scenario)
    assert not logged.is_error, text_of(logged)
    assert "Logged 1h 30m on PROJ-1 from 2026-11-20 09:30" in text_of(logged) and "remaining estimate set to 2h" in text_of(logged)
    first, second = sent(cloud, "POST", r"/PROJ-1/worklog$")
    assert first["timeSpent"] == "1h 30m" and first["started"] == "2026-11-20T09:30:00.000+0100" and first["comment"]["type"] == "doc"
    assert cloud.requests_to(r"/PROJ-1/worklog$", "POST")[0]["query"] == {"adjustEstimate": ["new"], "newEstimate": ["2h"]}
    assert "comment" not in second and cloud.requests_to(r"/PROJ-1/worklog$", "POST")[1]["query"] == {}
    assert not logged_now.is_error and "2d" in text_of(logged_now)
    assert logs.structured_content["total"] == 3 and "3 in all" in text_of(logs)
    assert [w["author"] for w in logs.structured_content["worklogs"]] == ["Bob Builder", "Ada Agent"] and "start_at=2" in text_of(logs)
    assert bad_start.is_error and "ISO date" in text_of(bad_start)
    assert bad_spent.is_error and "time_spent" in text_of(bad_spent)
    assert denied.is_error and "403" in text_of(denied)
    assert "2 watcher(s) on PROJ-1. You are watching it." in text_of(watchers)
    assert "Ada Agent now watches PROJ-3" in text_of(me) and "Carol Danvers now watches PROJ-3" in text_of(carol)
    assert sent(cloud, "POST", r"/PROJ-3/watchers$")[:2] == ["5b10a2844c20165700ede21g", "712020:carol-0003"]
    assert bob.is_error and "ambiguous" in text_of(bob)
    assert dave.is_error and "No active user matches" in text_of(dave)
    assert [w["name"] for w in watched.structured_content["watchers"]] == ["Ada Agent", "Carol Danvers"]
    assert "| Blocks | blocks | is blocked by | 10000 |" in text_of(types)
    assert text_of(linked).startswith("Linked: PROJ-3 is blocked by PROJ-4 (Blocks).")
    # "A is blocked by B" is sent with B as the inward issue: Jira shows the inward issue with the outward phrase.
    link_body = sent(cloud, "POST", r"/issueLink$")[0]
    assert link_body["type"] == {"name": "Blocks"} and link_body["inwardIssue"] == {"key": "PROJ-4"} and link_body["outwardIssue"] == {"key": "PROJ-3"}
    assert link_body["comment"]["body"]["type"] == "doc"
    assert "PROJ-3 relates to PROJ-5 (Relates)" in text_of(related)
    assert bad_relation.is_error and "is blocked by (Blocks)" in text_of(bad_relation)
    assert no_issue.is_error and "404" in text_of(no_issue)
    assert "blocks PROJ-3 (link 20002)" in text_of(linked_issue)
    assert not remote.is_error and remote.structured_content["remote_link_id"] == remote_again.structured_content["remote_link_id"]
    first_remote = sent(cloud, "POST", r"/PROJ-1/remotelink$")[0]
    assert first_remote == {
        "globalId": "https://example.com/design",
        "object": {"url": "https://example.com/design", "title": "Design doc", "summary": "v1"},
        "relationship": "documented in",
    }
    assert bad_url.is_error and "'url'" in text_of(bad_url)
