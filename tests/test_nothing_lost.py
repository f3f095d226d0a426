"""Nothing lost, nothing leaked (issue 15): retried uploads, raced and private paths, bounded answers,
deep arguments, cancelled calls, SIGINT, and composed JQL/CQL/AQL.

Most cases call the server in memory (the SDK's Client on the object build_server() returns) against
the fake cloud; SIGINT and the over-deep JSON line need the real process over stdio.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from fakecloud.jira import fresh
from harness import raw_exchange, server_command, text_of


@pytest.fixture(autouse=True)
def fresh_jira(cloud: Any) -> Any:
    yield from fresh(cloud)


@contextlib.asynccontextmanager
async def in_memory(env: dict[str, str]) -> AsyncIterator[Any]:
    from mcp import Client

    from atlassian_mcp_server.config import Settings
    from atlassian_mcp_server.server import build_server

    config_dir = tempfile.mkdtemp(prefix="amcp-config-")
    settings = Settings.from_env({"ATLASSIAN_CONFIG_DIR": config_dir, **env})
    async with Client(build_server(settings)) as client:
        yield client


def run(env: dict[str, str], scenario: Callable[[Any], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with in_memory(env) as client:
            with anyio.fail_after(60):
                return await scenario(client)

    return anyio.run(main)


# -- item 1: a retried upload sends the whole file, and the answer says what Atlassian stored ---------------


def test_retried_uploads_store_the_whole_file_and_report_what_was_stored(cloud: Any, tmp_path: Path) -> None:
    payload = bytes(range(256)) * 256  # 64 KB
    (tmp_path / "report.bin").write_bytes(payload)
    cloud.inject(r"^/rest/api/3/issue/PROJ-2/attachments$", status=429, method="POST", headers={"Retry-After": "0"})

    async def scenario(client: Any) -> Any:
        out = {"jira_429": await client.call_tool("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.bin"})}
        cloud.inject(r"^/rest/api/3/issue/PROJ-2/attachments$", status=307, method="POST", headers={"Location": "/rest/api/3/issue/PROJ-2/attachments"})
        out["jira_307"] = await client.call_tool("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.bin", "filename": "again.bin"})
        # Jira answers that it stored 0 bytes: the answer says so instead of the local size.
        stored_nothing = [{"id": "10999", "filename": "empty.bin", "size": 0}]
        cloud.inject(r"^/rest/api/3/issue/PROJ-2/attachments$", status=200, method="POST", body=stored_nothing)
        out["jira_zero"] = await client.call_tool("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.bin", "filename": "empty.bin"})
        page = await client.call_tool("confluence_create_page", {"space_key": "ENG", "title": "Retried upload target", "content": "files"})
        pid = page.structured_content["id"]
        cloud.inject(r"/child/attachment$", status=429, method="POST", headers={"Retry-After": "0"})
        out["conf_429"] = await client.call_tool("confluence_upload_attachment", {"page_id": pid, "file_path": "report.bin"})
        out["pid"] = pid
        return out

    r = run(cloud.env(ATLASSIAN_FILE_ROOT=str(tmp_path)), scenario)
    stored = {a["filename"]: a["data"] for a in cloud.state["jira_attachments"].values() if a["issue"] == "PROJ-2"}
    assert stored["report.bin"] == payload and stored["again.bin"] == payload
    assert not r["jira_429"].is_error and "(64.0 KB)" in text_of(r["jira_429"]) and r["jira_429"].structured_content["size"] == len(payload)
    assert not r["jira_307"].is_error and r["jira_307"].structured_content["size"] == len(payload)
    zero = r["jira_zero"]
    assert zero.structured_content["size"] == 0 and "(0 B)" in text_of(zero) and "Atlassian stored 0 bytes but 65536 were sent" in text_of(zero)
    conf = [a for a in cloud.state["conf_attachments"].values() if a.get("pageId") == r["pid"]] if "conf_attachments" in cloud.state else []
    assert not r["conf_429"].is_error and r["conf_429"].structured_content["bytes"] == len(payload)
    assert not conf or conf[0]["data"] == payload


# -- items 7 and 9: save_to cannot be raced outside the root; private places are never read or written -----


def test_save_to_checks_the_folder_again_after_the_download(cloud: Any, tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "out").mkdir(parents=True)
    outside.mkdir()
    cloud.inject(r"^/rest/api/3/attachment/content/10502$", method="GET", delay=1.0, passthrough=True)

    async def scenario(client: Any) -> Any:
        result: dict[str, Any] = {}

        async def download() -> None:
            result["saved"] = await client.call_tool("jira_download_attachment", {"attachment_id": "10502", "save_to": "out/trace.pdf"})

        async with anyio.create_task_group() as tg:
            tg.start_soon(download)
            await anyio.sleep(0.5)  # the download is under way: swap the checked folder for a link outside
            (root / "out").rename(root / "moved")
            (root / "out").symlink_to(outside, target_is_directory=True)
        return result["saved"]

    saved = run(cloud.env(ATLASSIAN_FILE_ROOT=str(root)), scenario)
    assert not list(outside.iterdir())
    # Refused either after the download (the folder changed) or, on a slow machine, before it (now outside).
    assert saved.is_error and ("changed during the download" in text_of(saved) or "outside the folder" in text_of(saved))


def test_links_fifos_and_private_places_are_refused(cloud: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "original.txt").write_text("mine\n")
    os.link(root / "original.txt", root / "second-name.txt")  # two hard links: may be a file from elsewhere
    (root / "victim.pdf").write_bytes(b"keep me")
    os.link(root / "victim.pdf", tmp_path / "victim-elsewhere.pdf")
    os.mkfifo(root / "pipe")
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "oauth-tokens.json").write_text('{"refresh_token": "SECRET-REFRESH"}')
    (config_dir / ".oauth-tokens.json.123.abcd.tmp").write_text('{"refresh_token": "SECRET-TEMP"}')

    async def scenario(client: Any) -> dict[str, Any]:
        calls = {
            "linked_source": ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": str(root / "second-name.txt")}),
            "fifo": ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": str(root / "pipe")}),
            "linked_target": ("jira_download_attachment", {"attachment_id": "10502", "save_to": str(root / "victim.pdf"), "overwrite": True}),
            "tokens": ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": str(config_dir / "oauth-tokens.json")}),
            "token_temp": ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": str(config_dir / ".oauth-tokens.json.123.abcd.tmp")}),
            "environ": ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "/proc/self/environ"}),
            "conf_environ": ("confluence_upload_attachment", {"page_id": "1002", "file_path": "/proc/self/environ"}),
            "into_config": ("jira_download_attachment", {"attachment_id": "10500", "save_to": str(config_dir / "notes.txt")}),
            "conf_into_config": ("confluence_download_attachment", {"attachment_id": "att8001", "save_to": str(config_dir / "x.log")}),
            "into_dev": ("jira_download_attachment", {"attachment_id": "10500", "save_to": "/dev/shm/notes.txt"}),
            "fine": ("jira_download_attachment", {"attachment_id": "10500", "save_to": str(root / "notes.txt")}),
        }
        return {k: await client.call_tool(name, args) for k, (name, args) in calls.items()}

    # The root is "/" on purpose: the private places hold even then.
    env = cloud.env(ATLASSIAN_FILE_ROOT="/")
    env_config = {**env, "ATLASSIAN_CONFIG_DIR": str(config_dir)}

    async def main() -> Any:
        from mcp import Client

        from atlassian_mcp_server.config import Settings
        from atlassian_mcp_server.server import build_server

        async with Client(build_server(Settings.from_env(env_config))) as client:
            with anyio.fail_after(60):
                return await scenario(client)

    r = anyio.run(main)
    assert r["linked_source"].is_error and "more than one hard link" in text_of(r["linked_source"])
    assert r["fifo"].is_error and "is not a file" in text_of(r["fifo"])
    assert r["linked_target"].is_error and "more than one hard link" in text_of(r["linked_target"])
    assert (tmp_path / "victim-elsewhere.pdf").read_bytes() == b"keep me"
    for key in ("tokens", "token_temp", "into_config", "conf_into_config"):
        assert r[key].is_error and "configuration folder" in text_of(r[key]), key
    for key in ("environ", "conf_environ", "into_dev"):
        assert r[key].is_error and "file tools never read or write" in text_of(r[key]), key
    assert sorted(p.name for p in config_dir.iterdir()) == [".oauth-tokens.json.123.abcd.tmp", "oauth-tokens.json"]
    assert not r["fine"].is_error and (root / "notes.txt").read_bytes().startswith(b"Steps to reproduce")
    assert not [p for p in root.iterdir() if p.name.endswith(".part")]
    uploaded = [a for a in cloud.state["jira_attachments"].values() if a["issue"] == "PROJ-2"]
    assert not uploaded and not cloud.requests_to(r"/child/attachment$", "POST")


# -- item 10: what arrives is checked against the metadata and the caps; every answer is bounded ------------


def test_bodies_larger_than_their_metadata_and_huge_answers_are_bounded(cloud: Any, tmp_path: Path) -> None:
    cloud.inject(r"^/rest/api/3/attachment/content/10500$", status=200, method="GET", raw=b"x" * 2_000_000)
    cloud.inject(r"^/rest/api/3/attachment/content/10502$", status=200, method="GET", raw=b"%PDF" + b"x" * 996)
    big = "word " * 600_000  # 3 MB of summary text
    page = {"issues": [{"id": "1", "key": "PROJ-1", "fields": {"summary": big, "description": None}}], "isLast": True}

    async def scenario(client: Any) -> Any:
        text = await client.call_tool("jira_download_attachment", {"attachment_id": "10500"})
        saved = await client.call_tool("jira_download_attachment", {"attachment_id": "10502", "save_to": "trace.pdf"})
        cloud.inject(r"^/rest/api/3/search/jql$", status=200, method="GET", body=page)
        found = await client.call_tool("jira_search", {"jql": "project = PROJ"})
        return text, saved, found

    text, saved, found = run(cloud.env(ATLASSIAN_FILE_ROOT=str(tmp_path)), scenario)
    assert text.is_error and "notes.txt sent more than 512.0 KB" in text_of(text)
    assert saved.is_error and "should be 30 bytes but 1000 arrived; nothing was kept" in text_of(saved) and not list(tmp_path.iterdir())
    assert not found.is_error
    from atlassian_mcp_server.server import MAX_STRUCTURED_CHARS, MAX_TEXT_CHARS

    assert len(text_of(found)) < MAX_TEXT_CHARS + 500
    assert len(json.dumps(found.structured_content)) <= MAX_STRUCTURED_CHARS
    assert "narrow" in text_of(found)


# -- item 11: arguments nested 1,000 levels deep get an answer ------------------------------------------


_HELLO = [  # a raw client's handshake: initialize (id 0) and the initialized notification
    json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
        }
    ),
    json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
]


def test_deeply_nested_arguments_get_a_clear_error(cloud: Any, tmp_path: Path) -> None:
    deep: Any = {}
    for _ in range(120):  # deeper than the server takes, shallow enough for the SDK client to send
        deep = {"a": deep}

    async def scenario(client: Any) -> Any:
        return await client.call_tool("jira_create_issue", {"project_key": "PROJ", "summary": "x", "issue_type": "Task", "fields": deep})

    result = run(cloud.env(), scenario)
    assert result.is_error and "nest deeper than 100 levels" in text_of(result)

    # Over stdio the SDK's parser gives up on such a line; the server still answers it.
    line = '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"atlassian_whoami","arguments":{"x":' + '{"a":' * 1000 + "{}" + "}" * 1000 + "}}}"
    answers = raw_exchange(
        cloud.env(ATLASSIAN_CONFIG_DIR=str(tmp_path)), [*_HELLO, line, json.dumps({"jsonrpc": "2.0", "id": 8, "method": "tools/list"})], {0, 7, 8}
    )
    assert answers[7]["error"]["code"] == -32600 and "nests deeper" in answers[7]["error"]["message"]
    assert answers[8]["result"]["tools"]


def _start(env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        server_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", **env},
        text=True,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write("".join(line + "\n" for line in _HELLO))
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["id"] == 0
    return proc


# -- item 12: cancelled calls keep their worker slot until their thread ends --------------------------------


def test_cancelled_calls_do_not_escape_the_worker_limit(cloud: Any) -> None:
    cloud.inject(r"^/rest/api/3/issue/PROJ-[0-9]+$", method="GET", delay=1.0, passthrough=True, times=100)

    async def scenario(client: Any) -> Any:
        for _ in range(3):
            with anyio.move_on_after(0.3):
                async with anyio.create_task_group() as tg:
                    for n in range(1, 7):
                        tg.start_soon(client.call_tool, "jira_get_issue", {"issue_key": f"PROJ-{n}"})
        await anyio.sleep(2.5)  # let the abandoned threads finish
        return await client.call_tool("atlassian_whoami")

    cloud.max_in_flight = 0
    alive = run(cloud.env(ATLASSIAN_MAX_WORKERS="2"), scenario)
    assert not alive.is_error
    assert cloud.max_in_flight <= 2


# -- item 13: SIGINT during a call ends the process ---------------------------------------------------------


def test_sigint_during_a_call_ends_the_server(cloud: Any, tmp_path: Path) -> None:
    cloud.inject(r"^/rest/api/3/myself$", method="GET", delay=5.0, passthrough=True)
    proc = _start(cloud.env(ATLASSIAN_CONFIG_DIR=str(tmp_path)))
    assert proc.stdin
    proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "atlassian_whoami", "arguments": {}}}) + "\n")
    proc.stdin.flush()
    import time

    deadline = time.monotonic() + 10
    while not cloud.requests_to(r"/myself$") and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=30)  # a hang detector, not a timing threshold: it used to never exit
    finally:
        proc.kill()
    assert code != 0


# -- item 15: a user's clause can only narrow what the tool adds ---------------------------------------------


def test_user_clauses_only_narrow_the_tools_own(cloud: Any) -> None:
    async def scenario(client: Any) -> dict[str, Any]:
        calls = {
            "escape": ("jira_get_sprint_issues", {"sprint_id": 11, "jql": "1=1) OR (project is not EMPTY"}),
            "quoted_order": ("jira_get_sprint_issues", {"sprint_id": 11, "jql": 'summary ~ "sort order by date" ORDER BY key'}),
            "single_quote_trick": ("jira_get_sprint_issues", {"sprint_id": 11, "jql": "summary ~ '(' ) OR (key = ')'"}),
            "title_order": ("confluence_search_content", {"query": "Release order by date"}),
            "title_space": ("confluence_search_content", {"query": 'x order by y" OR space = "OPS', "space_id": "ENG"}),
            "cql_escape": ("confluence_search", {"query": "type = page) OR (space = OPS", "space_key": "ENG"}),
            "everywhere": ("atlassian_search", {"jql": "assignee = currentUser() order by created", "projects": ["PROJ"], "products": ["jira"]}),
            "aql_escape": ("assets_search_objects", {"aql": "Name = x) OR (Name != x", "object_type": "Laptop"}),
        }
        return {k: await client.call_tool(name, args) for k, (name, args) in calls.items()}

    cloud.clear_log()
    r = run(cloud.env(), scenario)
    jqls = [q["query"]["jql"][0] for q in cloud.requests_to(r"^/rest/api/3/search/jql$")]
    cqls = [q["query"]["cql"][0] for q in cloud.requests_to(r"^/wiki/rest/api/search$")]
    for key in ("escape", "single_quote_trick", "cql_escape", "aql_escape"):
        assert r[key].is_error and "parenthesis" in text_of(r[key]), key
    assert jqls[0] == 'sprint = 11 AND (summary ~ "sort order by date") ORDER BY key'
    assert jqls[1] == 'project in ("PROJ") AND (assignee = currentUser()) order by created'
    assert len(jqls) == 2
    assert cqls == [
        'title ~ "Release order by date" AND type = page',
        'title ~ "x order by y\\" OR space = \\"OPS" AND space = "ENG" AND type = page',
    ]
    assert not cloud.requests_to(r"/aql$") and not cloud.requests_to(r"/object/aql")
