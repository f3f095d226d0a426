"""End to end: bad input gets one clear sentence, sends nothing it should not, and the server lives on."""

from __future__ import annotations

from typing import Any

import pytest
from harness import run_with_process, run_with_server, text_of

# (tool, arguments, words the error must contain)
BAD_CALLS = [
    ("jira_get_issue", {}, ["Missing required argument 'issue_key'"]),
    ("jira_get_issue", {"issue_key": ["PROJ-1"]}, ["'issue_key' must be a string", "array"]),  # 12 is taken as "12"
    ("jira_get_issue", {"issue_key": ""}, ["'issue_key' must not be empty"]),
    ("jira_get_issue", {"issue_key": "PROJ-1", "colour": "red"}, ["Unknown argument 'colour'", "issue_key"]),
    ("jira_get_issue", {"issue_key": "PROJ-1", "format": "html"}, ["'format' must be one of markdown, adf"]),
    ("jira_get_issue", {"issue_key": "x" * 300}, ["'issue_key' is too long"]),
    ("jira_get_issue", {"issue_key": ".."}, ["must not be empty, '.' or '..'"]),
    ("jira_get_issue", {"issue_key": "PROJ-1\r\nX-Evil: 1"}, ["control characters"]),
    ("jira_search", {"jql": "project = PROJ", "limit": 0}, ["'limit' must be at least 1"]),
    ("jira_search", {"jql": "project = PROJ", "limit": 100000}, ["'limit' must be at most 100"]),
    ("jira_search", {"jql": "project = PROJ", "limit": "ten"}, ["'limit' must be an integer", "string"]),  # "10" is taken as 10
    ("jira_search", {"jql": "   "}, ["jql must not be blank"]),
    ("jira_search", {"jql": "project = PROJ", "fields": {"a": 1}}, ["'fields' must be an array"]),  # "summary" is taken as ["summary"]
    ("confluence_get_page", {"page_id": "../../api/v2/spaces"}, ["'page_id' is not valid", "numeric page id"]),
    ("confluence_get_page", {"page_id": True}, ["'page_id' must be a string"]),  # 1002 is taken as "1002"
    ("confluence_list_spaces", {"space_type": "secret"}, ["'space_type' must be one of"]),
    ("servicedesk_list_service_desks", {"start": -1}, ["'start' must be at least 0"]),
    ("no_such_tool", {}, ["Unknown tool 'no_such_tool'", "tools/list"]),
]


def test_bad_input_is_refused_before_sending(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out = []
        for tool, args, _ in BAD_CALLS:
            out.append(await server.call(tool, args))
        out.append(await server.call("atlassian_whoami"))  # still serving
        return out

    cloud.clear_log()
    results = run_with_server(cloud.env(), scenario)
    for (tool, args, words), result in zip(BAD_CALLS, results):
        assert result.is_error, (tool, args)
        text = text_of(result)
        for word in words:
            assert word in text, (tool, args, text)
        assert "Traceback" not in text
    assert not results[-1].is_error
    assert [r["path"] for r in cloud.log] == ["/rest/api/3/myself"]


@pytest.mark.parametrize(
    "key, sent",
    [
        ("ABC-1/../../../rest/api/3/myself", "/rest/api/3/issue/ABC-1%2F..%2F..%2F..%2Frest%2Fapi%2F3%2Fmyself"),
        ("1?expand=names", "/rest/api/3/issue/1%3Fexpand%3Dnames"),
        ("PROJ-1#frag", "/rest/api/3/issue/PROJ-1%23frag"),
        ("%2e%2e%2fmyself", "/rest/api/3/issue/%252e%252e%252fmyself"),
        ("https://evil.example/steal", "/rest/api/3/issue/https%3A%2F%2Fevil.example%2Fsteal"),
    ],
)
def test_hostile_ids_stay_one_segment(cloud: Any, key: str, sent: str) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("jira_get_issue", {"issue_key": key})

    cloud.clear_log()
    result = run_with_server(cloud.env(), scenario)
    assert result.is_error and "404" in text_of(result)
    assert [r["path"] for r in cloud.log] == [sent]


def test_atlassian_errors_are_clear(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_issue", {"issue_key": "NOPE-404"}),
            await server.call("jira_search", {"jql": "project = PROJ AND bogus"}),
            await server.call("confluence_get_page", {"page_id": "999999"}),
        )

    missing, bad_jql, no_page = run_with_server(cloud.env(), scenario)
    assert missing.is_error and "404" in text_of(missing) and "Issue does not exist" in text_of(missing)
    assert bad_jql.is_error and "400" in text_of(bad_jql) and "JQL" in text_of(bad_jql)
    assert no_page.is_error and "404" in text_of(no_page) and "Not Found" in text_of(no_page)


def test_wrong_credentials_say_sign_in_again(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami")

    result = run_with_server(cloud.env(ATLASSIAN_API_TOKEN="wrong-token"), scenario)
    assert result.is_error and "401" in text_of(result) and "sign in again" in text_of(result)


def test_no_credentials_lists_tools_and_explains(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.session.list_tools(), await server.call("jira_search", {"jql": "project = PROJ"})

    cloud.clear_log()
    listed, result = run_with_server({"ATLASSIAN_SITE_URL": cloud.url}, scenario)
    assert len(listed.tools) >= 6
    assert result.is_error and "ATLASSIAN_API_TOKEN" in text_of(result)
    assert cloud.log == []


def test_unreachable_site_is_a_clear_error() -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami")

    # nothing listens on port 9: the retries would only wait out their back-off (test_http.py counts them)
    env = {"ATLASSIAN_SITE_URL": "http://127.0.0.1:9", "ATLASSIAN_EMAIL": "a@b.c", "ATLASSIAN_API_TOKEN": "t0ken-123", "ATLASSIAN_MAX_RETRIES": "0"}
    result = run_with_server(env, scenario)
    assert result.is_error and "Could not" in text_of(result) and "127.0.0.1:9" in text_of(result)


def test_handler_bug_does_not_kill_the_server(cloud: Any) -> None:
    """A malformed Atlassian answer that trips a handler gives a short error; the next call works."""
    cloud.inject(r"^/rest/api/3/myself$", status=200, body=["not", "an", "object"])

    async def scenario(server: Any) -> Any:
        first = await server.call("atlassian_whoami")
        second = await server.call("atlassian_whoami")
        return first, second, server.stderr()

    first, second, stderr = run_with_process(cloud.env(), scenario)
    assert first.is_error and "failed unexpectedly" in text_of(first) and "Traceback" not in text_of(first)
    assert not second.is_error
    assert "tool atlassian_whoami failed unexpectedly" in stderr and "Traceback" not in stderr
