"""Confluence attachments and history end to end: list, download (text, image, file), upload, versions, diffs."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from fakecloud.confluence_files import PIXEL_PNG
from harness import run_with_server, text_of


def test_attachments_download_and_upload(cloud: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    (root / "notes.txt").write_text("release notes\nline two\n")

    async def scenario(server: Any) -> Any:
        out: dict[str, Any] = {}
        out["list"] = await server.call("confluence_get_page_attachments", {"page_id": "1002"})
        out["filtered"] = await server.call("confluence_get_page_attachments", {"page_id": "1002", "filename": "diagram.png"})
        out["one"] = await server.call("confluence_get_attachment", {"attachment_id": "att8003"})
        out["text"] = await server.call("confluence_download_attachment", {"attachment_id": "att8001"})
        out["image"] = await server.call("confluence_download_attachment", {"attachment_id": "att8002"})
        out["binary"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003"})
        out["saved"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003", "save_to": "report.pdf"})
        out["exists"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003", "save_to": str(root / "report.pdf")})
        out["dotdot"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003", "save_to": "../stolen.pdf"})
        out["symlink"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003", "save_to": "escape/stolen.pdf"})
        out["too_big"] = await server.call("confluence_download_attachment", {"attachment_id": "att8003", "max_bytes": 100, "save_to": "small.pdf"})
        out["hidden"] = await server.call("confluence_download_attachment", {"attachment_id": "att8004"})
        pid = (await server.call("confluence_create_page", {"space_key": "ENG", "title": "Upload target", "content": "files here"})).structured_content["id"]
        out["pid"] = pid
        out["upload"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": "notes.txt", "comment": "From the agent"})
        out["renamed"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": str(root / "notes.txt"), "filename": "notes-v2.csv"})
        out["same_name"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": "notes.txt"})
        out["outside"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": "/etc/hostname"})
        out["via_link"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": "escape"})
        out["missing"] = await server.call("confluence_upload_attachment", {"page_id": pid, "file_path": "nope.txt"})
        return out

    cloud.clear_log()
    r = run_with_server(cloud.env(ATLASSIAN_FILE_ROOT=str(root)), scenario)

    listed = r["list"].structured_content["attachments"]
    assert [a["title"] for a in listed] == ["deploy.log", "diagram.png", "report.pdf"] and listed[1]["media_type"] == "image/png"
    assert [a["id"] for a in r["filtered"].structured_content["attachments"]] == ["att8002"]
    one = r["one"].structured_content
    assert one["size"] == 1033 and one["page_id"] == "1002" and one["comment"] == "Quarterly report" and "# report.pdf" in text_of(r["one"])

    assert "12:05 deploy finished: ok" in text_of(r["text"]) and r["text"].structured_content["bytes"] == 47
    image = r["image"].content[-1]
    assert image.type == "image" and image.mime_type == "image/png" and base64.b64decode(image.data) == PIXEL_PNG
    assert r["binary"].is_error and "give save_to" in text_of(r["binary"])

    assert not r["saved"].is_error, text_of(r["saved"])
    saved = cloud.state["conf_attachments"]["att8003"]["data"]
    assert (root / "report.pdf").read_bytes() == saved and r["saved"].structured_content["saved_to"] == str(root / "report.pdf")
    assert r["exists"].is_error and "already exists" in text_of(r["exists"])
    for refused in (r["dotdot"], r["symlink"]):
        assert refused.is_error and "outside the folder this server may use" in text_of(refused) and "ATLASSIAN_FILE_ROOT" in text_of(refused)
    assert not list(outside.iterdir()) and not (tmp_path / "stolen.pdf").exists()
    assert r["too_big"].is_error and "over max_bytes (100)" in text_of(r["too_big"])
    assert r["hidden"].is_error and "404" in text_of(r["hidden"])
    downloads = cloud.requests_to(r"/child/attachment/att\d+/download$")
    assert [d["path"] for d in downloads] == [
        "/wiki/rest/api/content/1002/child/attachment/att8001/download",
        "/wiki/rest/api/content/1002/child/attachment/att8002/download",
        "/wiki/rest/api/content/1002/child/attachment/att8003/download",
    ]  # refusals happen before any bytes are fetched

    files = [a for a in cloud.state["conf_attachments"].values() if a["pageId"] == r["pid"]]
    assert [(a["title"], a["mediaType"], a["comment"]) for a in files] == [("notes.txt", "text/plain", "From the agent"), ("notes-v2.csv", "text/csv", "")]
    assert files[0]["data"] == b"release notes\nline two\n"
    assert r["upload"].structured_content["id"] == files[0]["id"] and r["upload"].structured_content["bytes"] == 23
    assert r["same_name"].is_error and "same file name" in text_of(r["same_name"])
    assert r["outside"].is_error and "outside the folder" in text_of(r["outside"])
    assert r["via_link"].is_error and "outside the folder" in text_of(r["via_link"])
    assert r["missing"].is_error and "is not a file" in text_of(r["missing"])
    assert len(cloud.requests_to(r"/child/attachment$", "POST")) == 3


def test_file_root_defaults_to_the_working_directory(cloud: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from atlassian_mcp_server.config import Settings
    from atlassian_mcp_server.files import inside_root

    monkeypatch.chdir(tmp_path)
    root = Settings.from_env({"ATLASSIAN_SITE_URL": cloud.url}).file_root
    assert root == tmp_path.resolve()
    assert inside_root(root, "a/b.txt") == tmp_path.resolve() / "a" / "b.txt"
    (tmp_path / "sub").mkdir()
    sub = Settings.from_env({"ATLASSIAN_SITE_URL": cloud.url, "ATLASSIAN_FILE_ROOT": str(tmp_path / "sub")}).file_root
    assert inside_root(sub, str(tmp_path / "sub" / "x")) == (tmp_path / "sub" / "x").resolve()
    with pytest.raises(ValueError, match="outside the folder"):
        inside_root(sub, os.path.join("..", "x"))


def test_versions_and_diff(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return {
            "versions": await server.call("confluence_get_page_versions", {"page_id": "1002"}),
            "paged": await server.call("confluence_get_page_versions", {"page_id": "1002", "limit": 2}),
            "v1": await server.call("confluence_get_page_version", {"page_id": "1002", "version_number": 1}),
            "v2_raw": await server.call("confluence_get_page_version", {"page_id": "1002", "version_number": 2, "format": "storage"}),
            "no_version": await server.call("confluence_get_page_version", {"page_id": "1002", "version_number": 99}),
            "diff": await server.call("confluence_get_page_diff", {"page_id": "1002", "from_version": 1}),
            "same": await server.call("confluence_get_page_diff", {"page_id": "1002", "from_version": 3, "to_version": 3}),
        }

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)
    versions = r["versions"].structured_content["versions"]
    assert [(v["number"], v["author"], v["message"]) for v in versions] == [
        (3, "Ada Agent", None),
        (2, "Bob Builder", "Renamed"),
        (1, "Ada Agent", "First draft"),
    ]
    assert "| 2 | 2026-10-15 09:30 | Bob Builder | Renamed |" in text_of(r["versions"])
    assert r["paged"].structured_content["next_cursor"] and len(r["paged"].structured_content["versions"]) == 2

    v1 = r["v1"].structured_content
    assert v1["version"] == 1 and v1["title"] == "Runbook" and v1["author"] == "Ada Agent" and v1["message"] == "First draft"
    assert text_of(r["v1"]).startswith("# Runbook (version 1)\n- **Author:** Ada Agent\n")
    assert "first point" not in v1["body"] and "This page describes Runbook: deploys." in v1["body"]
    assert r["v2_raw"].structured_content["body"] == cloud.state["conf_pages"]["1002"]["versions"][1]["storage"]
    assert cloud.requests_to(r"^/wiki/api/v2/pages/1002$")[0]["query"]["version"] == ["1"]
    assert r["no_version"].is_error and "404" in text_of(r["no_version"])

    diff = r["diff"].structured_content
    assert diff["from_version"] == 1 and diff["to_version"] == 3 and diff["added_lines"] >= 3
    assert "--- version 1\n+++ version 3\n" in diff["diff"] and "-# Runbook\n+# Runbook: deploys\n" in diff["diff"]
    assert "+- first point" in diff["diff"] and "```diff" in text_of(r["diff"])
    assert "read the same" in text_of(r["same"]) and r["same"].structured_content["diff"] == ""
