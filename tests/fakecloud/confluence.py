"""Fake Confluence: spaces and pages with ADF and storage bodies, shaped like confluence-v2.json."""

from __future__ import annotations

import base64
import json
from typing import Any

from . import ACCOUNT_ID, Request, Response


def v2_error(status: int, title: str) -> Response:
    return Response(status, {"errors": [{"status": status, "code": title.upper().replace(" ", "_"), "title": title, "detail": None}]})


def page_adf(title: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Overview"}]},
            {"type": "paragraph", "content": [{"type": "text", "text": f"This page describes {title}."}]},
            {"type": "bulletList", "content": [
                {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "first point"}]}]},
                {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "second point", "marks": [{"type": "strong"}]}]}]},
            ]},
        ],
    }


def page_storage(title: str) -> str:
    return (
        f"<h2>Overview</h2><p>This page describes {title}.</p>"
        "<ul><li><p>first point</p></li><li><p><strong>second point</strong></p></li></ul>"
        '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>Note</p></ac:rich-text-body></ac:structured-macro>'
    )


def seed(state: dict[str, Any]) -> None:
    spaces = {}
    for n, (key, name, kind) in enumerate(
        [("ENG", "Engineering", "global"), ("OPS", "Operations", "global"), ("HR", "People", "global"), ("~ada", "Ada Agent", "personal")],
        start=1,
    ):
        sid = str(65536 + n)
        spaces[sid] = {
            "id": sid, "key": key, "name": name, "type": kind, "status": "current",
            "homepageId": None, "createdAt": "2026-01-01T00:00:00.000Z", "authorId": ACCOUNT_ID,
            "_links": {"webui": f"/spaces/{key}"},
        }
    pages = {}
    for pid, title, space, parent in [
        ("1001", "Engineering Home", "65537", None),
        ("1002", "Runbook: deploys", "65537", "1001"),
        ("1003", "Architecture", "65537", "1001"),
        ("2001", "Ops Home", "65538", None),
    ]:
        pages[pid] = {
            "id": pid, "title": title, "spaceId": space, "parentId": parent, "status": "current",
            "authorId": ACCOUNT_ID, "createdAt": "2026-10-01T08:00:00.000Z",
            "version": {"number": 3, "createdAt": "2026-11-20T16:45:00.000Z", "authorId": ACCOUNT_ID, "message": ""},
            "adf": page_adf(title), "storage": page_storage(title),
            "labels": [{"id": "9001", "name": "runbook", "prefix": "global"}] if pid == "1002" else [],
            "_links": {"webui": f"/spaces/{spaces[space]['key']}/pages/{pid}", "editui": f"/pages/resumedraft.action?draftId={pid}", "tinyui": f"/x/{pid}"},
        }
    state["conf_spaces"] = spaces
    state["conf_pages"] = pages


def page_json(page: dict[str, Any], body_format: str | None, include_labels: bool) -> dict[str, Any]:
    out = {k: v for k, v in page.items() if k not in ("adf", "storage", "labels")}
    out["body"] = {}
    if body_format == "atlas_doc_format":
        out["body"] = {"atlas_doc_format": {"representation": "atlas_doc_format", "value": json.dumps(page["adf"])}}
    elif body_format == "storage":
        out["body"] = {"storage": {"representation": "storage", "value": page["storage"]}}
    if include_labels:
        out["labels"] = {"results": page["labels"], "meta": {"hasMore": False}, "_links": {}}
    return out


def paged(items: list[Any], req: Request, base_path: str, default_limit: int = 25) -> dict[str, Any]:
    """v2 cursor paging: the cursor is opaque; `_links.next` carries it."""
    limit = max(1, min(req.int_arg("limit", default_limit), 250))
    cursor = req.arg("cursor")
    start = int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0
    page = items[start : start + limit]
    body: dict[str, Any] = {"results": page, "_links": {"base": "/wiki"}}
    if start + limit < len(items):
        nxt = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
        body["_links"]["next"] = f"/wiki/api/v2{base_path}?cursor={nxt}&limit={limit}"
    return body


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state

    @cloud.route("GET", "/wiki/api/v2/spaces")
    def list_spaces(req: Request) -> Response:
        spaces = list(state["conf_spaces"].values())
        if req.arg("type"):
            spaces = [s for s in spaces if s["type"] == req.arg("type")]
        if req.arg("status"):
            spaces = [s for s in spaces if s["status"] == req.arg("status")]
        if req.arg("keys"):
            keys = req.arg("keys").split(",")
            spaces = [s for s in spaces if s["key"] in keys]
        return Response(200, paged(spaces, req, "/spaces"))

    @cloud.route("GET", "/wiki/api/v2/pages/{id}")
    def get_page(req: Request) -> Response:
        pid = req.vars["id"]
        if not pid.isdigit():
            return v2_error(400, "Invalid id")
        page = state["conf_pages"].get(pid)
        if page is None:
            return v2_error(404, "Not Found")
        return Response(200, page_json(page, req.arg("body-format"), req.arg("include-labels") == "true"))

    @cloud.route("GET", "/wiki/rest/api/user/current")
    def current_user(req: Request) -> Response:
        u = req.user or {}
        return Response(200, {"type": "known", "accountId": u.get("accountId"), "publicName": u.get("displayName"), "displayName": u.get("displayName"), "email": u.get("emailAddress")})
