"""End to end: protocol features beyond tools: log level from the client, both protocol eras, resources."""

from __future__ import annotations

import json
from typing import Any

from fakecloud import API_TOKEN
from harness import raw_exchange, run_with_process, run_with_server, text_of


def test_client_log_level_is_honoured_and_forwarded_without_secrets(cloud: Any) -> None:
    received: list[Any] = []

    async def on_log(params: Any) -> None:
        received.append(params)

    async def scenario(server: Any) -> Any:
        await server.session.set_logging_level("info")
        result = await server.call("jira_get_issue", {"issue_key": "NOPE-1"})
        await server.call("atlassian_whoami")  # gives the forwarder a turn
        return result

    result = run_with_process(cloud.env(ATLASSIAN_LOG_LEVEL="ERROR"), scenario, logging_callback=on_log)
    assert result.is_error
    texts = [str(p.data) for p in received]
    assert any("jira_get_issue" in t and "404" in t for t in texts), texts
    assert all(p.level in ("info", "warning", "error", "critical", "debug") for p in received)
    assert not any(API_TOKEN in t for t in texts)


def _raw_session(env: dict[str, str], version: str) -> dict[int, Any]:
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "atlassian_whoami", "arguments": {}}},
    ]
    return raw_exchange(env, [json.dumps(m) for m in messages], {0, 1, 2})


def test_handshake_era_clients(cloud: Any) -> None:
    for version in ("2025-06-18", "2025-11-25"):
        answers = _raw_session(cloud.env(), version)
        assert answers[0]["result"]["protocolVersion"] == version
        assert answers[1]["result"]["tools"]
        assert answers[2]["result"]["isError"] is False


def test_handshake_free_revision(cloud: Any) -> None:
    """A client of the 2026-07-28 revision discovers the server instead of initializing; everything works."""
    import anyio
    from harness import mcp_server

    async def main() -> Any:
        async with mcp_server(cloud.env(), modern=True) as server:
            found = await server.session.discover()
            return found, await server.session.list_tools(), await server.call("atlassian_whoami"), await server.call("jira_get_issue", {})

    found, listed, who, bad = anyio.run(main)
    assert "2026-07-28" in found.supported_versions
    assert listed.tools and not who.is_error and "Ada Agent" in text_of(who)
    assert bad.is_error and "issue_key" in text_of(bad)


def test_progress_notifications_when_the_client_asks(cloud: Any, tmp_path: Any) -> None:
    import anyio

    (tmp_path / "notes.txt").write_text("hello " * 1000)
    seen: dict[str, list[Any]] = {"search": [], "upload": []}

    async def scenario(server: Any) -> Any:
        async def on_search(progress: float, total: float | None, message: str | None) -> None:
            seen["search"].append((progress, total, message))

        async def on_upload(progress: float, total: float | None, message: str | None) -> None:
            seen["upload"].append((progress, total, message))

        a = await server.session.call_tool("atlassian_search", {"query": "page"}, progress_callback=on_search)
        b = await server.session.call_tool(
            "jira_upload_attachment", {"issue_key": "PROJ-1", "file_path": str(tmp_path / "notes.txt")}, progress_callback=on_upload
        )
        c = await server.call("atlassian_search", {"query": "page"})  # no token: no notifications
        await anyio.sleep(0.2)
        return a, b, c

    a, b, c = run_with_server(cloud.env(ATLASSIAN_FILE_ROOT=str(tmp_path)), scenario)
    assert not a.is_error and not b.is_error, (text_of(a), text_of(b))
    assert [(p, t) for p, t, _ in seen["search"]] == [(1, 2), (2, 2)]
    assert seen["upload"][0][:2] == (0, 6000) and seen["upload"][-1][:2] == (6000, 6000)
    assert "uploading notes.txt" in seen["upload"][0][2]


def test_cancelled_call_sends_no_further_requests(cloud: Any) -> None:
    import anyio

    cloud.inject(r"^/rest/api/3/issue/PROJ-3/transitions$", method="GET", delay=2.0, passthrough=True)

    async def scenario(server: Any) -> Any:
        with anyio.move_on_after(0.7):
            await server.call("jira_transition_issue", {"issue_key": "PROJ-3", "transition": "Done"})
        await anyio.sleep(2.5)  # the slow GET has come back by now; the POST must not follow
        return await server.call("atlassian_whoami")

    cloud.clear_log()
    alive = run_with_process(cloud.env(), scenario)
    assert not alive.is_error
    assert cloud.requests_to(r"/transitions$", "GET")
    assert not cloud.requests_to(r"/transitions$", "POST")
