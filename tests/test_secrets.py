"""Secrets never leave: known token values are scanned for in every byte a session produces.

API token (and its Basic header form), OAuth client secret, access and refresh tokens: none may
appear on stdout, on stderr at DEBUG, in log notifications, in tool results or in error messages.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from fakecloud import API_TOKEN, EMAIL
from fakecloud.oauth import CLIENT_SECRET, free_port, oauth_env, seed_tokens
from harness import run_with_process, server_command

CALLS = [
    ("atlassian_whoami", {}),
    ("jira_search", {"jql": "project = PROJ"}),
    ("jira_search", {"jql": "bogus ="}),
    ("jira_get_issue", {"issue_key": "PROJ-1"}),
    ("jira_get_issue", {"issue_key": "NOPE-404"}),
    ("jira_add_comment", {"issue_key": "PROJ-2", "comment": "scan me"}),
    ("confluence_get_page", {"page_id": "1002"}),
    ("confluence_search", {"query": "deploy"}),
    ("servicedesk_list_service_desks", {}),
    ("atlassian_search", {"query": "page"}),
    ("jira_get_issue", {}),
    ("no_such_tool", {}),
]


def _scan(blob: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and s in blob]


def test_api_token_never_appears_anywhere(cloud: Any) -> None:
    basic = base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
    cloud.inject(r"^/rest/api/3/myself$", status=429, headers={"Retry-After": "0"})  # a retry, logged
    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "scan", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 1, "method": "logging/setLevel", "params": {"level": "debug"}},
    ]
    messages += [{"jsonrpc": "2.0", "id": 10 + n, "method": "tools/call", "params": {"name": name, "arguments": args}} for n, (name, args) in enumerate(CALLS)]
    env = {**cloud.env(), "PATH": "/usr/bin:/bin", "HOME": "/tmp", "ATLASSIAN_LOG_LEVEL": "DEBUG"}
    with tempfile.TemporaryFile("w+") as errlog:
        proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errlog, env=env, text=True)
        assert proc.stdin and proc.stdout
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
        proc.stdin.flush()
        out_lines, answered = [], set()
        while len(answered) < len(CALLS) + 2:
            line = proc.stdout.readline()
            assert line
            out_lines.append(line)
            message = json.loads(line)
            if "id" in message:
                answered.add(message["id"])
        proc.stdin.close()
        out_lines.append(proc.stdout.read())
        proc.wait(timeout=30)
        errlog.seek(0)
        stderr = errlog.read()
    stdout = "".join(out_lines)
    assert "DEBUG" in stderr and "notifications/message" in stdout  # the scan saw real logs
    assert not _scan(stdout, [API_TOKEN, basic]), "secret on stdout"
    assert not _scan(stderr, [API_TOKEN, basic]), "secret on stderr"


def test_oauth_secrets_never_appear_anywhere(cloud: Any, tmp_path: Path) -> None:
    cloud.oauth.reset()
    _, access, refresh = seed_tokens(cloud, tmp_path, issued=["read:me", "offline_access", "read:jira-work", "read:jira-user"], expires_in=-5)
    logs: list[str] = []

    async def on_log(params: Any) -> None:
        logs.append(json.dumps(params.data) if not isinstance(params.data, str) else params.data)

    async def scenario(server: Any) -> Any:
        await server.session.set_logging_level("debug")
        results = [await server.call(name, args) for name, args in CALLS[:6]]
        results.append(await server.call("authenticate_atlassian"))
        return results, server.stderr()

    try:
        results, stderr = run_with_process(oauth_env(cloud, tmp_path, free_port(), ATLASSIAN_LOG_LEVEL="DEBUG"), scenario, logging_callback=on_log)
        assert cloud.oauth.refreshes, "the expired token was refreshed during the scan"
        secrets = [CLIENT_SECRET, access, refresh, *cloud.oauth.access.keys(), *cloud.oauth.refresh.keys()]
    finally:
        cloud.oauth.reset()
    blob = "\n".join([stderr, *logs] + [json.dumps({"text": [getattr(c, "text", "") for c in r.content], "data": r.structured_content}) for r in results])
    assert "whoami" in blob or "Ada Agent" in blob  # the scan saw real answers
    assert not _scan(blob, secrets)


def test_secrets_echoed_back_by_the_site_are_scrubbed(cloud: Any) -> None:
    """401/400/429 bodies, a text 403 and X-Authentication-Denied-Reason that echo the token or its Basic form."""
    basic = base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
    echo = f"you sent Basic {basic} (token {API_TOKEN})"
    cloud.inject(r"^/rest/api/3/myself$", status=401, body={"message": echo}, headers={"X-Authentication-Denied-Reason": f"bad token {API_TOKEN}; {basic}"})
    cloud.inject(r"^/rest/api/3/search/jql$", status=400, body={"errorMessages": [echo], "errors": {"jql": echo}})
    cloud.inject(r"^/rest/api/3/issue/PROJ-1$", status=429, body={"message": echo}, headers={"Retry-After": "0"}, times=5)
    cloud.inject(r"^/wiki/api/v2/pages/1002$", status=403, raw=echo.encode(), headers={"Content-Type": "text/plain"})
    logs: list[str] = []

    async def on_log(params: Any) -> None:
        logs.append(json.dumps(params.data) if not isinstance(params.data, str) else params.data)

    async def scenario(server: Any) -> Any:
        await server.session.set_logging_level("debug")
        results = [
            await server.call("atlassian_whoami"),
            await server.call("jira_search", {"jql": "project = PROJ"}),
            await server.call("jira_get_issue", {"issue_key": "PROJ-1"}),
            await server.call("confluence_get_page", {"page_id": "1002"}),
        ]
        return results, server.stderr()

    results, stderr = run_with_process(cloud.env(ATLASSIAN_LOG_LEVEL="DEBUG", ATLASSIAN_MAX_RETRIES="0"), scenario, logging_callback=on_log)
    texts = [json.dumps({"text": [getattr(c, "text", "") for c in r.content], "data": r.structured_content}) for r in results]
    assert all(r.is_error for r in results) and "[redacted]" in "".join(texts), texts
    assert "authentication denied" in texts[0] and "401" in texts[0]
    blob = "\n".join([stderr, *logs, *texts])
    assert "[redacted]" in stderr and any("[redacted]" in line for line in logs)  # the echoes reached the logs, scrubbed
    assert not _scan(blob, [API_TOKEN, basic])


def test_token_endpoint_errors_and_bearer_echoes_are_scrubbed(cloud: Any, tmp_path: Path) -> None:
    """A 401 echoing the Bearer token, then a token endpoint that echoes the refresh token and the client secret."""
    from fakecloud import Response

    cloud.oauth.reset()
    _, access, refresh = seed_tokens(cloud, tmp_path, issued=["read:me", "offline_access", "read:jira-work", "read:jira-user"], expires_in=3600)
    cloud.inject(r"^/rest/api/3/myself$", status=401, body={"message": f"token Bearer {access} is not valid"})

    def echoing_token_endpoint(req: Any) -> Any:
        sent = json.loads(req.body or b"{}")
        return Response(
            400, {"error": "invalid_request", "error_description": f"refresh_token={sent.get('refresh_token')} client_secret={sent.get('client_secret')}"}
        )

    cloud.oauth.token = echoing_token_endpoint
    logs: list[str] = []

    async def on_log(params: Any) -> None:
        logs.append(json.dumps(params.data) if not isinstance(params.data, str) else params.data)

    async def scenario(server: Any) -> Any:
        await server.session.set_logging_level("debug")
        return await server.call("atlassian_whoami"), server.stderr()

    try:
        result, stderr = run_with_process(oauth_env(cloud, tmp_path, free_port(), ATLASSIAN_LOG_LEVEL="DEBUG"), scenario, logging_callback=on_log)
    finally:
        del cloud.oauth.token
        cloud.oauth.reset()
    text = json.dumps({"text": [getattr(c, "text", "") for c in result.content], "data": result.structured_content})
    assert result.is_error and "invalid_request" in text and "[redacted]" in text, text
    assert not _scan("\n".join([stderr, *logs, text]), [CLIENT_SECRET, access, refresh])
