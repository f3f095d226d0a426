"""End to end: Jira Software boards and sprints (`/rest/agile/1.0`) through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud.jira import sent
from harness import run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_boards_sprints_and_planning(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_list_boards", {}),
            await server.call("jira_list_boards", {"project_key": "PROJ", "type": "scrum"}),
            await server.call("jira_list_boards", {"limit": 2}),
            await server.call("jira_list_sprints", {"board_id": 1, "state": ["active", "future"]}),
            await server.call("jira_list_sprints", {"board_id": 2}),
            await server.call("jira_get_sprint_issues", {"sprint_id": 11}),
            await server.call(
                "jira_get_sprint_issues", {"sprint_id": 11, "jql": "assignee = currentUser() ORDER BY key DESC", "fields": ["Story point estimate"]}
            ),
            await server.call("jira_move_issues_to_sprint", {"sprint_id": 12, "issue_keys": ["PROJ-3", "PROJ-4", "PROJ-3"]}),
            await server.call("jira_move_issues_to_sprint", {"sprint_id": "backlog", "issue_keys": ["PROJ-1"]}),
            await server.call("jira_move_issues_to_sprint", {"sprint_id": 10, "issue_keys": ["PROJ-5"]}),
            await server.call("jira_move_issues_to_sprint", {"sprint_id": "next", "issue_keys": ["PROJ-5"]}),
            await server.call("jira_get_sprint_issues", {"sprint_id": 12}),
            await server.call("jira_get_sprint_issues", {"sprint_id": 11}),
            await server.call("jira_create_sprint", {"board_id": 1, "name": "Sprint 12", "goal": "Polish login", "start_date": "2026-12-01T09:00:00.000Z"}),
            await server.call("jira_create_sprint", {"board_id": 2, "name": "Flow sprint"}),
            await server.call("jira_update_sprint", {"sprint_id": 13, "state": "active"}),
            await server.call("jira_update_sprint", {"sprint_id": 13, "state": "active", "end_date": "2026-12-15T17:00:00.000Z"}),
            await server.call("jira_update_sprint", {"sprint_id": 11, "state": "closed"}),
            await server.call("jira_update_sprint", {"sprint_id": 11, "goal": "Fixed login"}),
            await server.call("jira_update_sprint", {"sprint_id": 12}),
            await server.call("jira_update_sprint", {"sprint_id": 99, "name": "x"}),
        )

    (
        boards,
        scrum,
        two,
        sprints,
        kanban,
        issues,
        mine,
        moved,
        backlog,
        closed,
        bad_target,
        sprint_12,
        sprint_11,
        created,
        on_kanban,
        no_dates,
        started,
        completed,
        regoal,
        nothing,
        missing,
    ) = run_with_server(cloud.env(), scenario)
    assert [b["id"] for b in boards.structured_content["boards"]] == [1, 2, 3]
    assert [b["name"] for b in scrum.structured_content["boards"]] == ["PROJ board"]
    assert cloud.requests_to(r"/agile/1.0/board$")[1]["query"] == {"projectKeyOrId": ["PROJ"], "type": ["scrum"], "startAt": ["0"], "maxResults": ["50"]}
    assert two.structured_content["next_start_at"] == 2
    assert "| 11 | Sprint 10 | active | 2026-11-03 | 2026-11-17 | Fix login |" in text_of(sprints) and "Sprint 9" not in text_of(sprints)
    assert cloud.requests_to(r"/board/1/sprint$")[0]["query"]["state"] == ["active,future"]
    assert kanban.is_error and "does not support sprints" in text_of(kanban)
    assert [i["key"] for i in issues.structured_content["issues"]] == ["PROJ-1", "PROJ-2"]
    searches = cloud.requests_to(r"/search/jql$")
    assert searches[0]["query"]["jql"] == ["sprint = 11 ORDER BY rank"]
    assert searches[1]["query"]["jql"] == ["sprint = 11 AND (assignee = currentUser()) ORDER BY key DESC"]
    assert "Story point estimate" in text_of(mine) and [i["key"] for i in mine.structured_content["issues"]] == ["PROJ-1"]
    assert not moved.is_error and sent(cloud, "POST", r"/sprint/12/issue$") == [{"issues": ["PROJ-3", "PROJ-4"]}]
    assert not backlog.is_error and sent(cloud, "POST", r"/backlog/issue$") == [{"issues": ["PROJ-1"]}]
    assert closed.is_error and "open or active sprints" in text_of(closed)
    assert bad_target.is_error and "'sprint_id'" in text_of(bad_target)
    assert [i["key"] for i in sprint_12.structured_content["issues"]] == ["PROJ-3", "PROJ-4"]
    assert [i["key"] for i in sprint_11.structured_content["issues"]] == ["PROJ-2"]
    assert created.structured_content["id"] == 13 and "Created sprint 13 'Sprint 12' (future" in text_of(created)
    assert sent(cloud, "POST", r"/agile/1.0/sprint$")[0] == {
        "originBoardId": 1,
        "name": "Sprint 12",
        "startDate": "2026-12-01T09:00:00.000Z",
        "goal": "Polish login",
    }
    assert on_kanban.is_error and "does not support sprints" in text_of(on_kanban)
    assert no_dates.is_error and "start date and an end date" in text_of(no_dates)
    assert not started.is_error and text_of(started).startswith("Started sprint 13 'Sprint 12' (active, 2026-12-01 to 2026-12-15)")
    assert sent(cloud, "POST", r"/agile/1.0/sprint/13$")[-1] == {"endDate": "2026-12-15T17:00:00.000Z", "state": "active"}
    assert text_of(completed).startswith("Closed sprint 11 'Sprint 10' (closed")
    assert not regoal.is_error and "Goal: Fixed login" in text_of(regoal)
    assert nothing.is_error and "Nothing to change" in text_of(nothing)
    assert missing.is_error and "404" in text_of(missing)
