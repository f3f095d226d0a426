"""End to end: destructive and people-affecting tools ask the user through MCP elicitation first,
when the client can ask; a declined or cancelled confirmation sends nothing."""

from __future__ import annotations

from typing import Any

import mcp_types as types
from harness import run_with_server, text_of

DESTRUCTIVE = {"ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}


def _answering(action: str, asked: list[str], content: dict[str, Any] | None = None) -> Any:
    async def elicit(context: Any, params: Any) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action=action, content=content if action == "accept" else None)

    return elicit


def _delete(cloud: Any, env: dict[str, str], **session_kw: Any) -> Any:
    async def scenario(server: Any) -> Any:
        return await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": 101})  # an integer id

    cloud.clear_log()
    result = run_with_server(cloud.env(**env), scenario, **session_kw)
    return result, cloud.requests_to(r"/comment/", "DELETE")


def test_a_declined_delete_sends_nothing(cloud: Any) -> None:
    for action in ("decline", "cancel"):
        asked: list[str] = []
        result, deletes = _delete(cloud, DESTRUCTIVE, elicitation_callback=_answering(action, asked))
        assert len(asked) == 1 and "jira_delete_comment" in asked[0] and "PROJ-1" in asked[0]
        assert result.is_error and "nothing was sent" in text_of(result)
        assert deletes == []


def test_an_accepted_delete_is_sent(cloud: Any) -> None:
    asked: list[str] = []
    result, deletes = _delete(cloud, DESTRUCTIVE, elicitation_callback=_answering("accept", asked, {"confirm": True}))
    assert asked and not result.is_error, text_of(result)
    assert len(deletes) == 1


def test_an_accept_that_unticks_confirm_sends_nothing(cloud: Any) -> None:
    result, deletes = _delete(cloud, DESTRUCTIVE, elicitation_callback=_answering("accept", [], {"confirm": False}))
    assert result.is_error and deletes == []


def test_no_question_without_the_capability(cloud: Any) -> None:
    result, deletes = _delete(cloud, DESTRUCTIVE)  # the client declares no elicitation: behaviour as before
    assert not result.is_error and len(deletes) == 1


def test_no_question_with_confirm_never(cloud: Any) -> None:
    asked: list[str] = []
    result, deletes = _delete(cloud, {**DESTRUCTIVE, "ATLASSIAN_CONFIRM": "never"}, elicitation_callback=_answering("decline", asked))
    assert not result.is_error and len(deletes) == 1 and asked == []


def test_people_affecting_tools_ask_unless_only_destructive_is_confirmed(cloud: Any) -> None:
    def assign(env: dict[str, str]) -> tuple[Any, list[str]]:
        asked: list[str] = []

        async def scenario(server: Any) -> Any:
            return await server.call("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "Carol Danvers"})

        cloud.clear_log()
        return run_with_server(cloud.env(**env), scenario, elicitation_callback=_answering("decline", asked)), asked

    declined, asked = assign({})
    assert declined.is_error and len(asked) == 1 and not cloud.requests_to(r"/assignee", "PUT")
    done, asked = assign({"ATLASSIAN_CONFIRM": "destructive"})
    assert not done.is_error and asked == [] and cloud.requests_to(r"/assignee", "PUT")
