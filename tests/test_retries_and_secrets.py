"""Nothing lost under retries, redirects and big bodies: the HTTP core's guarantees, driven through the real server.

A body that may be sent twice is bytes, so a retried upload stores the whole file; a retried
PUT or DELETE that meets its own applied change says it was done; every body is read with a
byte cap; a 401 from a host other than the site or gateway never triggers a token refresh.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fakecloud import API_TOKEN, EMAIL
from fakecloud.oauth import free_port, oauth_env, seed_tokens
from harness import run_with_server, text_of

from atlassian_mcp_server.auth import ApiTokenAuth
from atlassian_mcp_server.http import HttpClient, RetryPolicy

UPLOAD = r"^/rest/api/3/issue/PROJ-2/attachments$"


class _Media:
    """A second host (an attachment media service): answers every GET with `status` and `body`, or streams forever."""

    def __init__(self, status: int = 200, body: bytes = b"", endless: bool = False):
        self.seen: list[dict[str, Any]] = []
        self.written = 0
        media = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                media.seen.append({"path": self.path, "authorization": self.headers.get("Authorization")})
                self.send_response(status)
                if endless:  # no Content-Length: the body runs until the reader hangs up
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"x" * 65536
                    try:
                        while media.written < 512 * 1024 * 1024:
                            self.wfile.write(chunk)
                            media.written += len(chunk)
                    except OSError:
                        return
                    return
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("fault", [{"status": 429, "headers": {"Retry-After": "0"}}, {"status": 307}])
def test_a_repeated_upload_sends_the_whole_file(cloud: Any, tmp_path: Path, fault: dict[str, Any]) -> None:
    """A 429 or a same-host 307 makes the upload go twice: both times with every byte of the file."""
    data = bytes(range(256)) * 256  # 64 KB
    (tmp_path / "report.bin").write_bytes(data)
    if fault["status"] == 307:
        fault = {"status": 307, "headers": {"Location": "/rest/api/3/issue/PROJ-2/attachments"}}
    cloud.clear_log()
    cloud.inject(UPLOAD, method="POST", **fault)

    async def scenario(server: Any) -> Any:
        return await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.bin"})

    result = run_with_server(cloud.env(ATLASSIAN_FILE_ROOT=str(tmp_path)), scenario)
    assert not result.is_error, text_of(result)
    assert len(cloud.requests_to(UPLOAD, "POST")) == 2
    stored = [a for a in cloud.state["jira_attachments"].values() if a["filename"] == "report.bin"]
    assert len(stored) == 1 and stored[0]["data"] == data


def test_downloads_stop_at_the_byte_cap_whatever_the_metadata_says(cloud: Any, tmp_path: Path) -> None:
    """Attachments said to be a few bytes answer 3 MB; with ATLASSIAN_MAX_DOWNLOAD_MB=1 each tool refuses at 1 MB."""
    big = b"A" * (3 * 1024 * 1024)
    cloud.inject(r"^/rest/api/3/attachment/content/10500$", status=200, raw=big, headers={"Content-Type": "text/plain"})
    cloud.inject(r"^/rest/api/3/attachment/content/10502$", status=200, raw=big, headers={"Content-Type": "application/pdf"})
    cloud.inject(r"/child/attachment/att8001/download$", status=200, raw=big, headers={"Content-Type": "text/plain"})

    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_download_attachment", {"attachment_id": "10500"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "trace.pdf"}),
            await server.call("confluence_download_attachment", {"attachment_id": "att8001"}),
        )

    results = run_with_server(cloud.env(ATLASSIAN_MAX_DOWNLOAD_MB="1", ATLASSIAN_FILE_ROOT=str(tmp_path)), scenario)
    for result in results:  # shown files stop at the smaller limit for showing; saved ones at ATLASSIAN_MAX_DOWNLOAD_MB
        assert result.is_error and "sent more than" in text_of(result), text_of(result)
        assert len(str(result.structured_content or "")) < 1000
    assert "1.0 MB" in text_of(results[1]) and "ATLASSIAN_MAX_DOWNLOAD_MB" in text_of(results[1]), text_of(results[1])
    assert not (tmp_path / "trace.pdf").exists()


def test_reading_stops_at_the_cap_on_an_endless_body(cloud: Any) -> None:
    """A body with no length that never ends: reading stops at the cap, and the connection is dropped."""
    from atlassian_mcp_server.errors import TooLarge

    media = _Media(endless=True)
    try:
        cloud.inject(r"^/rest/api/3/attachment/content/10502$", status=303, headers={"Location": media.url + "/file"})
        http = HttpClient(ApiTokenAuth(cloud.url, EMAIL, API_TOKEN), retry=RetryPolicy(sleep=lambda s: None))
        with pytest.raises(TooLarge, match="larger than 1 MB"):
            http.get("jira", "/rest/api/3/attachment/content/10502", raw=True, follow_offsite=True, max_bytes=1024 * 1024)
        time.sleep(0.5)
        assert media.written < 64 * 1024 * 1024  # the writer hit a closed connection long before its 512 MB
        assert media.seen and media.seen[0]["authorization"] is None
    finally:
        media.close()


def test_a_delete_whose_answer_was_lost_reports_the_deletion(cloud: Any) -> None:
    """The DELETE is applied, its answer lost (503); the retry finds the comment gone: that is our deletion."""
    cloud.clear_log()
    cloud.inject(r"^/rest/api/3/issue/PROJ-1/comment/101$", method="DELETE", status=503, after=True)

    async def scenario(server: Any) -> Any:
        return await server.call("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "101"})

    result = run_with_server(cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true"), scenario)
    assert not result.is_error, text_of(result)
    assert "Deleted comment 101" in text_of(result)
    assert len(cloud.requests_to(r"^/rest/api/3/issue/PROJ-1/comment/101$", "DELETE")) == 2
    comments = cloud.state["jira_issues"]["PROJ-1"]["fields"]["comment"]["comments"]
    assert all(c["id"] != "101" for c in comments)


def test_a_page_update_whose_answer_was_lost_reports_the_save(cloud: Any) -> None:
    """The PUT is applied, its answer lost; the retry meets version N+1 by the signed-in user: our own save."""
    cloud.inject(r"^/wiki/api/v2/pages/1004$", method="PUT", status=503, after=True)

    async def scenario(server: Any) -> Any:
        before = await server.call("confluence_get_page", {"page_id": "1004"})
        updated = await server.call("confluence_update_page", {"page_id": "1004", "content": "Saved once, answered never."})
        return before, updated

    before, updated = run_with_server(cloud.env(), scenario)
    version = before.structured_content["version"]
    assert not updated.is_error, text_of(updated)
    assert "Updated page" in text_of(updated) and "Nothing was overwritten" not in text_of(updated)
    assert updated.structured_content["version"] == version + 1
    page = cloud.state["conf_pages"]["1004"]
    assert [v["number"] for v in page["versions"]].count(version + 1) == 1


def test_a_real_conflict_after_a_lost_answer_is_still_a_conflict(cloud: Any) -> None:
    """The retry meets a version another account saved: that is a conflict, and nothing is claimed as ours."""
    from fakecloud.confluence import snapshot

    page = cloud.state["conf_pages"]["1004"]
    fault = cloud.inject(r"^/wiki/api/v2/pages/1004$", method="PUT", status=503)

    def someone_else_saves() -> None:  # between our two tries, another user saves the version we wanted
        while fault.times:
            time.sleep(0.01)
        latest = page["versions"][-1]
        page["versions"].append(snapshot(latest["number"] + 1, latest["title"], latest["adf"], latest["storage"], "someone-else", "2026-11-29T00:00:00.000Z"))

    async def scenario(server: Any) -> Any:
        return await server.call("confluence_update_page", {"page_id": "1004", "content": "Mine", "version": page["versions"][-1]["number"]})

    threading.Thread(target=someone_else_saves, daemon=True).start()
    result = run_with_server(cloud.env(ATLASSIAN_MAX_RETRIES="3"), scenario)
    page["versions"].pop()
    assert result.is_error and "Nothing was overwritten" in text_of(result), text_of(result)


def test_a_401_from_the_media_host_does_not_refresh_the_token(cloud: Any, tmp_path: Path) -> None:
    """Only a 401 from the site or the gateway says our token is stale; the media host's 401 is its own."""
    cloud.oauth.reset()
    _, access, refresh = seed_tokens(
        cloud,
        tmp_path / "cfg",
        issued=["read:me", "offline_access", "read:confluence-content.all", "read:attachment:confluence", "read:page:confluence"],
        expires_in=3600,
    )
    media = _Media(status=401, body=b'{"message": "signature expired"}')
    try:
        cloud.inject(r"/child/attachment/att8001/download$", status=302, headers={"Location": media.url + "/file/att8001?token=signed"})

        async def scenario(server: Any) -> Any:
            return await server.call("confluence_download_attachment", {"attachment_id": "att8001"})

        result = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port(), ATLASSIAN_MODULES="confluence"), scenario)
        assert result.is_error and "401" in text_of(result) and "download host" in text_of(result), text_of(result)
        assert cloud.oauth.refreshes == []
        assert len(media.seen) == 1 and media.seen[0]["authorization"] is None
    finally:
        media.close()
        cloud.oauth.reset()


def test_an_upload_repeated_after_an_oauth_refresh_sends_the_whole_file(cloud: Any, tmp_path: Path) -> None:
    """A 401 from the gateway refreshes the token and the upload goes again, with every byte."""
    cloud.oauth.reset()
    _, access, refresh = seed_tokens(
        cloud,
        tmp_path / "cfg",
        issued=["read:me", "offline_access", "read:jira-work", "write:jira-work", "read:jira-user"],
        granted=["read:me", "offline_access", "read:jira-work", "write:jira-work", "read:jira-user"],
        expires_in=3600,
    )
    data = bytes(range(256)) * 256
    (tmp_path / "after-refresh.bin").write_bytes(data)
    cloud.inject(UPLOAD, method="POST", status=401, body={"code": 401, "message": "Unauthorized"})

    async def scenario(server: Any) -> Any:
        return await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "after-refresh.bin"})

    try:
        env = oauth_env(cloud, tmp_path / "cfg", free_port(), ATLASSIAN_MODULES="jira", ATLASSIAN_FILE_ROOT=str(tmp_path))
        result = run_with_server(env, scenario)
        assert not result.is_error, text_of(result)
        assert len(cloud.oauth.refreshes) == 1
    finally:
        cloud.oauth.reset()
    stored = [a for a in cloud.state["jira_attachments"].values() if a["filename"] == "after-refresh.bin"]
    assert len(stored) == 1 and stored[0]["data"] == data
