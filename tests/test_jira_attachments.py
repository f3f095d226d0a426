"""End to end: list, download and upload Jira attachments, with local paths held inside one folder."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import anyio
import pytest
from fakecloud.jira_files import PNG
from harness import mcp_server, run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira")


def test_download_as_text_image_or_file(cloud: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "out").mkdir(parents=True)
    (root / "out" / "taken.pdf").write_bytes(b"old")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "sneaky").symlink_to(outside, target_is_directory=True)

    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_attachments", {"issue_key": "PROJ-1"}),
            await server.call("jira_get_attachments", {"issue_key": "PROJ-2"}),
            await server.call("jira_download_attachment", {"attachment_id": "10500"}),
            await server.call("jira_download_attachment", {"attachment_id": "10501"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "out"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "out/taken.pdf"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "out/taken.pdf", "overwrite": True}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "../escape.pdf"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": str(outside / "abs.pdf")}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "sneaky/via-link.pdf"}),
            await server.call("jira_download_attachment", {"attachment_id": "10502", "save_to": "no/such/dir/x.pdf"}),
            await server.call("jira_download_attachment", {"attachment_id": "99999"}),
        )

    results = run_with_server(cloud.env(ATLASSIAN_FILE_ROOT=str(root)), scenario)
    listed, empty, text, image, binary, saved, exists, overwritten, up, absolute, via_link, no_dir, missing = results
    assert "| 10500 | notes.txt | text/plain | 55 B | Bob Builder |" in text_of(listed)
    assert [a["filename"] for a in listed.structured_content["attachments"]] == ["notes.txt", "screenshot.png", "trace.pdf"]
    assert cloud.requests_to(r"/issue/PROJ-1$")[0]["query"]["fields"] == ["attachment"]
    assert "PROJ-2 has no attachments." == text_of(empty)
    assert "2. See a blank page" in text_of(text) and text.structured_content["text"].startswith("Steps to reproduce")
    # Jira is asked for the bytes themselves, not for a redirect to the media service.
    assert all(r["query"] == {"redirect": ["false"]} for r in cloud.requests_to(r"/attachment/content/"))
    assert image.content[1].type == "image" and image.content[1].mime_type == "image/png"
    assert base64.b64decode(image.content[1].data) == PNG
    assert binary.is_error and "application/pdf" in text_of(binary) and "save_to" in text_of(binary)
    assert not saved.is_error and (root / "out" / "trace.pdf").read_bytes().startswith(b"%PDF")
    assert saved.structured_content["saved_to"] == str(root / "out" / "trace.pdf")
    assert exists.is_error and "overwrite=true" in text_of(exists)
    assert not overwritten.is_error and (root / "out" / "taken.pdf").read_bytes().startswith(b"%PDF")
    for refused in (up, absolute, via_link):
        assert refused.is_error and "outside the folder" in text_of(refused) and "ATLASSIAN_FILE_ROOT" in text_of(refused)
    assert not list(outside.iterdir()) and not (tmp_path / "escape.pdf").exists()
    assert no_dir.is_error and "does not exist" in text_of(no_dir)
    assert missing.is_error and "404" in text_of(missing)
    # Refused paths never fetched the file: three saves and the text and the image.
    assert len(cloud.requests_to(r"/attachment/content/")) == 4


def test_upload_from_the_working_directory(cloud: Any, tmp_path: Path) -> None:
    (tmp_path / "report.csv").write_text("a,b\n1,2\n")
    (tmp_path / "linked.txt").symlink_to("/etc/hostname")
    env = {k: v for k, v in cloud.env().items()}
    env.pop("ATLASSIAN_FILE_ROOT", None)

    async def main() -> Any:
        async with mcp_server(env, cwd=str(tmp_path)) as server:
            with anyio.fail_after(60):
                return (
                    await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.csv"}),
                    await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": str(tmp_path / "report.csv"), "filename": "numbers.csv"}),
                    await server.call("jira_get_attachments", {"issue_key": "PROJ-2"}),
                    await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "/etc/hostname"}),
                    await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "linked.txt"}),
                    await server.call("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "missing.txt"}),
                    await server.call("jira_upload_attachment", {"issue_key": "OPS-1", "file_path": "report.csv"}),
                )

    assert "ATLASSIAN_FILE_ROOT" not in os.environ
    uploaded, renamed, listed, outside, via_link, missing, denied = anyio.run(main)
    assert not uploaded.is_error, text_of(uploaded)
    assert text_of(uploaded).startswith("Attached report.csv (8 B) to PROJ-2 as attachment")
    posts = [r for r in cloud.state["jira_sent"] if r["path"].endswith("/PROJ-2/attachments")]
    assert len(posts) == 2 and all(r["headers"]["x-atlassian-token"] == "no-check" for r in posts)
    assert posts[0]["headers"]["content-type"].startswith("multipart/form-data")
    assert b'filename="report.csv"' in posts[0]["body"] and b"a,b\n1,2\n" in posts[0]["body"]
    assert renamed.structured_content["filename"] == "numbers.csv"
    assert [a["filename"] for a in listed.structured_content["attachments"]] == ["report.csv", "numbers.csv"]
    assert outside.is_error and str(tmp_path) in text_of(outside)
    assert via_link.is_error and "outside the folder" in text_of(via_link)
    assert missing.is_error and "is not a file" in text_of(missing)
    assert denied.is_error and "403" in text_of(denied)
