"""The clients work from a plain script, with nothing of MCP imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = """
import json, sys
from atlassian_mcp_server import Settings, Services, JiraClient, ConfluenceClient, ServiceDeskClient, ApiError
services = Services(Settings.from_env())
jira = services.jira
assert isinstance(jira, JiraClient) and isinstance(services.confluence, ConfluenceClient)
assert isinstance(services.servicedesk, ServiceDeskClient)
keys = [i["key"] for i in jira.search("project = PROJ ORDER BY key", limit=3)["issues"]]
title = services.confluence.get_page("1002")["title"]
desks = [d["projectKey"] for d in services.servicedesk.list_service_desks()["values"]]
try:
    jira.get_issue("NOPE-1")
    status = None
except ApiError as exc:
    status = exc.status
print(json.dumps({"keys": keys, "title": title, "desks": desks, "status": status,
                  "mcp_loaded": any(m == "mcp" or m.startswith("mcp.") for m in sys.modules)}))
"""


def test_clients_without_mcp(cloud: Any) -> None:
    env = {**cloud.env(), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[1])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["keys"] == ["PROJ-1", "PROJ-2", "PROJ-3"]
    assert out["title"] == "Runbook: deploys"
    assert "OPS" in out["desks"] and out["status"] == 404
    assert out["mcp_loaded"] is False


def test_package_ships_type_information() -> None:
    import atlassian_mcp_server

    assert (Path(atlassian_mcp_server.__file__).parent / "py.typed").exists()
