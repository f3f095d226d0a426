"""End to end: the server through the MCP client (in memory), against the fake Atlassian Cloud."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of


def test_lists_tools_with_annotations(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return await server.session.list_tools()

    listed = run_with_server(cloud.env(), scenario)
    names = {t.name for t in listed.tools}
    assert {"atlassian_whoami", "jira_search", "jira_get_issue", "confluence_get_page", "confluence_list_spaces", "servicedesk_list_service_desks"} <= names
    for tool in listed.tools:
        assert tool.annotations is not None and tool.annotations.read_only_hint is not None
        assert tool.input_schema["type"] == "object"


def test_whoami_and_search(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        who = await server.call("atlassian_whoami")
        found = await server.call("jira_search", {"jql": "project = PROJ AND assignee = currentUser() ORDER BY key", "limit": 2})
        return who, found

    cloud.clear_log()
    who, found = run_with_server(cloud.env(), scenario)
    assert not who.is_error, text_of(who)
    assert "Ada Agent" in text_of(who) and who.structured_content["account_id"] == "5b10a2844c20165700ede21g"
    assert not found.is_error, text_of(found)
    text = text_of(found)
    assert "PROJ-1" in text and "PROJ-3" in text and "next_page_token" in text
    assert found.structured_content["is_last"] is False
    assert [r["path"] for r in cloud.log] == ["/rest/api/3/myself", "/rest/api/3/search/jql"]
    assert not cloud.requests_to(r"^/rest/api/3/search$")
