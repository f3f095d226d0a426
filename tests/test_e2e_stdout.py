"""stdout carries only JSON-RPC for a whole session, errors included."""

from __future__ import annotations

import json
import subprocess
import tempfile
from typing import Any

from harness import server_command


def test_every_stdout_line_is_json_rpc(cloud: Any) -> None:
    calls = [
        ("atlassian_whoami", {}),
        ("jira_search", {"jql": "project = PROJ"}),
        ("jira_get_issue", {"issue_key": "PROJ-1"}),
        ("jira_get_issue", {"issue_key": "NOPE-1"}),
        ("jira_get_issue", {}),
        ("confluence_get_page", {"page_id": "1001"}),
        ("confluence_list_spaces", {}),
        ("servicedesk_list_service_desks", {}),
        ("no_such_tool", {}),
    ]
    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    ]
    messages += [{"jsonrpc": "2.0", "id": 10 + n, "method": "tools/call", "params": {"name": name, "arguments": args}} for n, (name, args) in enumerate(calls)]
    messages.append({"jsonrpc": "2.0", "id": 99, "method": "no/such/method"})
    payload = "".join(json.dumps(m) + "\n" for m in messages)
    env = {**cloud.env(), "PATH": "/usr/bin:/bin", "ATLASSIAN_LOG_LEVEL": "DEBUG", "HOME": "/tmp"}
    errlog = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errlog, env=env, text=True)
    # Keep stdin open until every answer arrived, then close it so the server exits.
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(payload)
    proc.stdin.flush()
    lines = []
    ids = set()
    while len(ids) < len(messages) - 1:
        line = proc.stdout.readline()
        assert line, "server closed stdout early"
        lines.append(line)
        message = json.loads(line)
        assert message["jsonrpc"] == "2.0"
        assert ("result" in message) != ("error" in message) or "method" in message
        if "id" in message:
            ids.add(message["id"])
    proc.stdin.close()
    rest = proc.stdout.read()
    assert proc.wait(timeout=30) == 0
    errlog.seek(0)
    stderr = errlog.read()
    for line in rest.splitlines():
        assert json.loads(line)["jsonrpc"] == "2.0"
    assert ids == {m["id"] for m in messages if "id" in m}
    assert "DEBUG" in stderr  # logs went to stderr
