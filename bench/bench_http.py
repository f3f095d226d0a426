"""HTTP economy: how many requests the server sends per scenario, read off the fake cloud's log.

Scenarios, each in a fresh server process:
- api token: the first call (a Jira issue with custom fields), then ten everyday calls that should
  reuse what the process already knows (field names, the signed-in user, space ids, user ids),
  then a search paged through to its end;
- OAuth: `atlassian-mcp-server login` (token exchange, cloud id), then the first Jira and
  Confluence calls, which should not look the cloud id up again.
Flags what a cache should have saved: a GET sent twice with the same path and query, and a GET
of what the same call had just written. A tool that is not listed is skipped, and a call that
answers an error is reported with its first words, so the figures stay readable while the
catalogue grows. Knobs: BENCH_SEARCH (50 results), BENCH_PAGE_SIZE (10). Last line: JSON figures.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections import Counter
from typing import Any

import anyio
from _harness import base_env, fake_cloud, knob, mcp_session, run, server_command, text_of
from fixtures import Maker, issue, project

SEARCH = knob("BENCH_SEARCH", 50)
PAGE_SIZE = knob("BENCH_PAGE_SIZE", 10)

TEN_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("jira_get_issue", {"issue_key": "PROJ-1"}),  # the first call: the issue plus the field names
    ("jira_get_issue", {"issue_key": "PROJ-2"}),  # has a custom field too: names come from the cache
    ("jira_search", {"jql": "project = PROJ ORDER BY key", "limit": 5}),
    ("atlassian_whoami", {}),
    ("confluence_get_page", {"title": "Runbook: deploys", "space_key": "ENG"}),
    ("confluence_get_page", {"title": "Architecture", "space_key": "ENG"}),  # same space: its id is known
    ("jira_add_comment", {"issue_key": "PROJ-2", "comment": "Checked on staging; fixed."}),
    ("jira_assign_issue", {"issue_key": "PROJ-3", "assignee": "Bob Builder"}),
    ("jira_update_issue", {"issue_key": "PROJ-4", "summary": "Retry the export job", "assignee": "Bob Builder"}),  # Bob is known
    ("confluence_update_page", {"page_id": "1003", "content": "## Overview\n\nRewritten for the benchmark."}),
]


def seed(cloud: Any) -> None:
    """A second issue with a custom field, and SEARCH issues in project BENCH to page through."""
    issues = cloud.state["jira_issues"]
    if "PROJ-2" in issues:
        fields = issues["PROJ-2"]["fields"]
        for f in cloud.state.get("jira_fields", []):
            if f.get("custom"):
                fields.setdefault(f["id"], None)
                if fields[f["id"]] is None and (f.get("schema") or {}).get("type") == "number":
                    fields[f["id"]] = 3
    m, proj = Maker(), project()
    template = next(iter(issues.values()))
    for n in range(1, SEARCH + 1):
        one = issue(m, f"BENCH-{n}", n, proj)
        issues[one["key"]] = {**template, "id": one["id"], "key": one["key"], "fields": one["fields"]}


def wasted(entries: list[dict[str, Any]]) -> list[str]:
    """GETs of what an earlier request in the same call wrote (a write already answers with what changed)."""
    written: list[str] = []
    out = []
    for e in entries:
        if e["method"] in ("POST", "PUT", "PATCH"):
            written.append(e["path"].rstrip("/"))
        elif e["method"] == "GET" and any(e["path"] == w or e["path"].startswith(w + "/") for w in written):
            out.append(f"GET {e['path']}")
    return out


def key(entry: dict[str, Any]) -> str:
    query = "&".join(f"{k}={v}" for k, vs in sorted(entry["query"].items()) for v in vs)
    return f"{entry['method']} {entry['path']}" + (f"?{query}" if query else "")


async def call_logged(cloud: Any, session: Any, tool: str, args: dict[str, Any], listed: set[str]) -> dict[str, Any]:
    """One call and the requests it sent; a tool that is not listed is skipped."""
    if tool not in listed:
        return {"tool": tool, "skipped": "not listed"}
    start = len(cloud.log)
    result = await session.call_tool(tool, args)
    entries = list(cloud.log[start:])
    out: dict[str, Any] = {"tool": tool, "requests": len(entries), "entries": entries}
    if result.is_error:
        out["error"] = text_of(result)[:160]
    return out


async def api_token_scenarios(cloud: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    async with mcp_session(base_env(**cloud.env())) as session:
        listed = {t.name for t in (await session.list_tools()).tools}
        cloud.clear_log()
        calls = [await call_logged(cloud, session, tool, args, listed) for tool, args in TEN_CALLS]
        done = [c for c in calls if "requests" in c]
        every = [e for c in done for e in c["entries"]]
        gets = Counter(key(e) for e in every if e["method"] == "GET")
        figures["first_call_requests"] = calls[0].get("requests")
        figures["first_call_paths"] = [key(e) for e in calls[0].get("entries", [])]
        figures["ten_calls"] = len(done)
        figures["ten_calls_requests"] = len(every)
        figures["ten_calls_per_call"] = [
            [c["tool"], c.get("requests", c.get("skipped")), [f"{e['method']} {e['path']}" for e in c.get("entries", [])]] for c in calls
        ]
        figures["ten_calls_repeated_gets"] = sorted(k for k, n in gets.items() if n > 1)
        figures["ten_calls_refetch_after_write"] = [w for c in done for w in wasted(c["entries"])]
        figures["ten_calls_errors"] = [[c["tool"], c["error"]] for c in done if "error" in c]

        cloud.clear_log()
        token, pages, errors = None, 0, []
        while True:
            args: dict[str, Any] = {"jql": "project = BENCH ORDER BY key", "limit": PAGE_SIZE}
            if token:
                args["next_page_token"] = token
            result = await session.call_tool("jira_search", args)
            pages += 1
            if result.is_error:
                errors.append(text_of(result)[:160])
                break
            token = (result.structured_content or {}).get("next_page_token")
            if not token or pages > SEARCH:
                break
        figures["search_results"] = SEARCH
        figures["search_pages"] = pages
        figures["search_requests"] = len(cloud.log)
        if errors:
            figures["search_errors"] = errors
    return figures


def oauth_login(cloud: Any, env: dict[str, str]) -> list[str]:
    """Run `atlassian-mcp-server login --no-browser`, consent as the user, paste the redirect; the requests it sent.

    The consent page (/authorize) is the browser's request, not the server's, so it is left out.
    """
    from fakecloud.oauth import consent

    start = len(cloud.log)
    proc = subprocess.Popen(
        server_command() + ["login", "--no-browser"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        url = next((line.strip() for line in proc.stderr if "/authorize?" in line), None)
        if url is None:
            raise RuntimeError("login printed no authorize URL")
        out, err = proc.communicate(consent(url) + "\n", timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"login failed: {(err or out).strip()[-200:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return [key(e) for e in cloud.log[start:] if e["path"] != "/authorize"]


async def oauth_scenario(cloud: Any) -> dict[str, Any]:
    try:
        from fakecloud.oauth import free_port, oauth_env
    except ImportError:
        return {"oauth_skipped": "the fake cloud has no OAuth server"}
    config_dir = tempfile.mkdtemp(prefix="amcp-bench-oauth-")
    env = base_env(**oauth_env(cloud, config_dir, free_port()))
    try:
        login = oauth_login(cloud, env)
    except Exception as exc:  # noqa: BLE001 - the figure says why it is missing
        return {"oauth_skipped": f"{type(exc).__name__}: {exc}"[:200]}
    figures: dict[str, Any] = {"login_requests": len(login), "login_paths": [p.split("?")[0] for p in login]}
    async with mcp_session(env) as session:
        listed = {t.name for t in (await session.list_tools()).tools}
        cloud.clear_log()
        calls = [
            await call_logged(cloud, session, tool, args, listed)
            for tool, args in (("jira_get_issue", {"issue_key": "PROJ-1"}), ("confluence_get_page", {"page_id": "1001"}))
        ]
    figures["oauth_first_calls_requests"] = sum(c.get("requests", 0) for c in calls)
    figures["oauth_first_calls_paths"] = [key(e) for c in calls for e in c.get("entries", [])]
    figures["oauth_cloud_id_lookups"] = sum(1 for c in calls for e in c.get("entries", []) if "accessible-resources" in e["path"] or "tenant_info" in e["path"])
    errors = [[c["tool"], c["error"]] for c in calls if "error" in c]
    if errors:
        figures["oauth_errors"] = errors
    return figures


def main() -> dict[str, Any]:
    with fake_cloud() as cloud:
        seed(cloud)
        figures = anyio.run(api_token_scenarios, cloud)
        figures.update(anyio.run(oauth_scenario, cloud))
    return figures


if __name__ == "__main__":
    run(main)
