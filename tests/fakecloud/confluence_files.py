"""Fake Confluence attachments: v2 listing and details, v1 multipart upload and download."""

from __future__ import annotations

import base64
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from . import ACCOUNT_ID, Request, Response
from .confluence import new_id, page_web, paged, tick, v1_error, v2_error, visible_page

# The smallest valid PNG: one transparent pixel.
PIXEL_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def seed(state: dict[str, Any]) -> None:
    files = {}
    for aid, page, title, media, data, comment in [
        ("att8001", "1002", "deploy.log", "text/plain", b"12:00 deploy started\n12:05 deploy finished: ok\n", "Last deploy"),
        ("att8002", "1002", "diagram.png", "image/png", PIXEL_PNG, ""),
        ("att8003", "1002", "report.pdf", "application/pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4, "Quarterly report"),
        ("att8004", "3001", "minutes.txt", "text/plain", b"secret", ""),
    ]:
        files[aid] = {
            "id": aid,
            "pageId": page,
            "title": title,
            "mediaType": media,
            "data": data,
            "comment": comment,
            "createdAt": "2026-11-21T09:00:00.000Z",
            "authorId": ACCOUNT_ID,
            "version": 1,
        }
    state["conf_attachments"] = files


def attachment_json(state: dict[str, Any], a: dict[str, Any]) -> dict[str, Any]:
    page = state["conf_pages"][a["pageId"]]
    webui = f"{page_web(state, page)}?preview=/{a['pageId']}/{a['id']}/{a['title']}"
    download = f"/download/attachments/{a['pageId']}/{a['title']}?version={a['version']}&api=v2"
    return {
        "id": a["id"],
        "status": "current",
        "title": a["title"],
        "createdAt": a["createdAt"],
        "pageId": a["pageId"],
        "mediaType": a["mediaType"],
        "mediaTypeDescription": a["mediaType"],
        "comment": a["comment"],
        "fileId": f"file-{a['id']}",
        "fileSize": len(a["data"]),
        "webuiLink": webui,
        "downloadLink": download,
        "version": {"createdAt": a["createdAt"], "message": "", "number": a["version"], "minorEdit": False, "authorId": a["authorId"]},
        "_links": {"webui": webui, "download": download},
    }


def multipart(req: Request) -> dict[str, tuple[str | None, bytes, str]] | None:
    """Form fields of a multipart/form-data body: name -> (filename, bytes, content type)."""
    ctype = req.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + req.body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[name] = (part.get_filename(), part.get_payload(decode=True) or b"", part.get_content_type())
    return fields


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state

    @cloud.route("GET", "/wiki/api/v2/pages/{id}/attachments")
    def page_attachments(req: Request) -> Response:
        if visible_page(state, req.vars["id"]) is None:
            return v2_error(404, "Not Found")
        found = [a for a in state["conf_attachments"].values() if a["pageId"] == req.vars["id"]]
        if req.arg("filename"):
            found = [a for a in found if a["title"] == req.arg("filename")]
        return Response(200, paged([attachment_json(state, a) for a in found], req, f"/pages/{req.vars['id']}/attachments"))

    @cloud.route("GET", "/wiki/api/v2/attachments/{id}")
    def get_attachment(req: Request) -> Response:
        a = state["conf_attachments"].get(req.vars["id"])
        if a is None or visible_page(state, a["pageId"]) is None:
            return v2_error(404, "Not Found")
        return Response(200, attachment_json(state, a))

    @cloud.route("GET", "/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download")
    def download(req: Request) -> Response:
        # Real Confluence redirects to a media URL; the fake serves the bytes at once.
        a = state["conf_attachments"].get(req.vars["attachmentId"])
        if a is None or a["pageId"] != req.vars["id"] or visible_page(state, a["pageId"]) is None:
            return v1_error(404, "No attachment found")
        return Response(200, raw=a["data"], headers={"Content-Type": a["mediaType"]})

    @cloud.route("POST", "/wiki/rest/api/content/{id}/child/attachment")
    def upload(req: Request) -> Response:
        if req.headers.get("x-atlassian-token") != "no-check":
            return Response(403, raw=b"XSRF check failed", headers={"Content-Type": "text/plain"})
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v1_error(404, f"Cannot find content with id {req.vars['id']}")
        fields = multipart(req)
        if fields is None or "file" not in fields or not fields["file"][0] or "minorEdit" not in fields:
            return v1_error(400, "A multipart body with 'file' and 'minorEdit' is required")
        filename, data, media = fields["file"]
        if any(a["pageId"] == page["id"] and a["title"] == filename for a in state["conf_attachments"].values()):
            return v1_error(400, f"Cannot add a new attachment with same file name as an existing attachment: {filename}")
        aid = "att" + new_id(state)
        comment = fields["comment"][1].decode() if "comment" in fields else ""
        a = state["conf_attachments"][aid] = {
            "id": aid,
            "pageId": page["id"],
            "title": filename,
            "mediaType": media,
            "data": data,
            "comment": comment,
            "createdAt": tick(state),
            "authorId": req.user["accountId"],
            "version": 1,
        }
        view = attachment_json(state, a)
        result = {
            "id": aid,
            "type": "attachment",
            "status": "current",
            "title": filename,
            "version": {"number": 1},
            "extensions": {"mediaType": media, "fileSize": len(data), "comment": comment},
            "_links": view["_links"],
        }
        return Response(200, {"results": [result], "start": 0, "limit": 50, "size": 1, "_links": {}})
