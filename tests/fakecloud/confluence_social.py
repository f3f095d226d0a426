"""Fake Confluence: users, footer and inline comments (with replies), and labels."""

from __future__ import annotations

import json
from typing import Any

from . import ACCOUNT_ID, Request, Response
from .confluence import BOB_ID, new_id, page_json, paged, read_body, tick, v1_error, v2_error, visible_page
from .confluence_docs import adf_text

USERS = {ACCOUNT_ID: "Ada Agent", BOB_ID: "Bob Builder"}


def _doc(text: str) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]}


def seed(state: dict[str, Any]) -> None:
    comments = {}
    for cid, kind, parent, author, text, extra in [
        ("7001", "footer", None, BOB_ID, "Do we roll back automatically?", {}),
        ("7002", "footer", "7001", ACCOUNT_ID, "Yes, see the **Rollback** page.", {}),
        ("7003", "footer", None, ACCOUNT_ID, "Reviewed for Q4.", {}),
        ("7101", "inline", None, BOB_ID, "Which point is first?", {"resolutionStatus": "open", "selection": "first point"}),
        ("7102", "inline", None, ACCOUNT_ID, "Fixed the wording.", {"resolutionStatus": "resolved", "selection": "describes"}),
    ]:
        comments[cid] = {
            "id": cid,
            "kind": kind,
            "pageId": "1002",
            "parentCommentId": parent,
            "authorId": author,
            "createdAt": f"2026-11-2{int(cid[-1])}T10:00:00.000Z",
            "adf": _doc(text),
            "status": "current",
            **extra,
        }
    state["conf_comments"] = comments
    labels = {
        "9001": {"id": "9001", "name": "runbook", "prefix": "global"},
        "9002": {"id": "9002", "name": "architecture", "prefix": "global"},
        "9003": {"id": "9003", "name": "favourite", "prefix": "my"},
    }
    state["conf_labels"] = labels
    pages = state["conf_pages"]
    pages["1002"]["labels"] = [labels["9001"]]
    pages["1004"]["labels"] = [labels["9001"]]
    pages["1003"]["labels"] = [labels["9002"]]


def comment_json(state: dict[str, Any], c: dict[str, Any], body_format: str | None) -> dict[str, Any]:
    out = {
        "id": c["id"],
        "status": c["status"],
        "title": f"Re: page {c['pageId']}",
        "pageId": c["pageId"],
        "version": {"createdAt": c["createdAt"], "message": "", "number": 1, "minorEdit": False, "authorId": c["authorId"]},
        "body": {"atlas_doc_format": {"representation": "atlas_doc_format", "value": json.dumps(c["adf"])}} if body_format == "atlas_doc_format" else {},
        "_links": {"webui": f"/spaces/ENG/pages/{c['pageId']}?focusedCommentId={c['id']}"},
    }
    if c["parentCommentId"]:
        out["parentCommentId"] = c["parentCommentId"]
    if c["kind"] == "inline":
        out["resolutionStatus"] = c["resolutionStatus"]
        out["properties"] = {"inlineMarkerRef": f"marker-{c['id']}", "inlineOriginalSelection": c["selection"]}
    return out


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state

    @cloud.route("POST", "/wiki/api/v2/users-bulk")
    def users_bulk(req: Request) -> Response:
        ids = (req.json() or {}).get("accountIds")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 250:
            return v2_error(400, "accountIds must list 1 to 250 account ids")
        found = [{"accountId": a, "displayName": USERS[a], "publicName": USERS[a], "accountStatus": "active"} for a in ids if a in USERS]
        return Response(200, {"results": found, "_links": {}})

    def comments_of(page_id: str, kind: str, parent: str | None) -> list[dict[str, Any]]:
        return [c for c in state["conf_comments"].values() if c["pageId"] == page_id and c["kind"] == kind and c["parentCommentId"] == parent]

    for kind in ("footer", "inline"):

        def page_comments(req: Request, kind: str = kind) -> Response:
            if visible_page(state, req.vars["id"]) is None:
                return v2_error(404, "Not Found")
            found = comments_of(req.vars["id"], kind, None)
            if req.arg("resolution-status"):
                found = [c for c in found if c.get("resolutionStatus") == req.arg("resolution-status")]
            items = [comment_json(state, c, req.arg("body-format")) for c in found]
            return Response(200, paged(items, req, f"/pages/{req.vars['id']}/{kind}-comments"))

        def get_comment(req: Request, kind: str = kind) -> Response:
            c = state["conf_comments"].get(req.vars["comment-id"])
            if c is None or c["kind"] != kind or visible_page(state, c["pageId"]) is None:
                return v2_error(404, "Not Found")
            return Response(200, comment_json(state, c, req.arg("body-format")))

        def replies(req: Request, kind: str = kind) -> Response:
            c = state["conf_comments"].get(req.vars["id"])
            if c is None or c["kind"] != kind or visible_page(state, c["pageId"]) is None:
                return v2_error(404, "Not Found")
            items = [comment_json(state, r, req.arg("body-format")) for r in comments_of(c["pageId"], kind, c["id"])]
            return Response(200, paged(items, req, f"/{kind}-comments/{c['id']}/children"))

        cloud.route("GET", f"/wiki/api/v2/pages/{{id}}/{kind}-comments")(page_comments)
        cloud.route("GET", f"/wiki/api/v2/{kind}-comments/{{comment-id}}")(get_comment)
        cloud.route("GET", f"/wiki/api/v2/{kind}-comments/{{id}}/children")(replies)

    def add_comment(req: Request, kind: str) -> Response:
        payload = req.json() or {}
        parent = state["conf_comments"].get(payload.get("parentCommentId") or "")
        if payload.get("parentCommentId") and (parent is None or parent["kind"] != kind):
            return v2_error(404, "Parent comment not found")
        page_id = parent["pageId"] if parent else payload.get("pageId")
        if parent is not None and payload.get("pageId"):
            return v2_error(400, "Give pageId or parentCommentId, not both")
        if visible_page(state, page_id or "") is None:
            return v2_error(404, "Page not found")
        adf, storage, problem = read_body(payload)
        if problem:
            return v2_error(400, problem)
        extra: dict[str, Any] = {}
        if kind == "inline" and parent is None:
            props = payload.get("inlineCommentProperties") or {}
            selection = props.get("textSelection") or ""
            count = adf_text(state["conf_pages"][page_id]["versions"][-1]["adf"]).count(selection) if selection else 0
            if not count or props.get("textSelectionMatchCount") != count or not 0 <= props.get("textSelectionMatchIndex", -1) < count:
                return v2_error(400, "Inline comment properties do not match the page text")
            extra = {"resolutionStatus": "open", "selection": selection}
        cid = new_id(state)
        state["conf_comments"][cid] = {
            "id": cid,
            "kind": kind,
            "pageId": page_id,
            "parentCommentId": parent["id"] if parent else None,
            "authorId": req.user["accountId"],
            "createdAt": tick(state),
            "status": "current",
            "adf": adf if adf is not None else {"type": "doc", "version": 1, "content": []},
            "storage": storage,
            **extra,
        }
        return Response(200, comment_json(state, state["conf_comments"][cid], None))

    cloud.route("POST", "/wiki/api/v2/footer-comments")(lambda req: add_comment(req, "footer"))
    cloud.route("POST", "/wiki/api/v2/inline-comments")(lambda req: add_comment(req, "inline"))

    # -- labels --------------------------------------------------------------------------
    @cloud.route("GET", "/wiki/api/v2/pages/{id}/labels")
    def page_labels(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v2_error(404, "Not Found")
        found = [lab for lab in page["labels"] if not req.arg("prefix") or lab["prefix"] == req.arg("prefix")]
        return Response(200, paged(found, req, f"/pages/{page['id']}/labels"))

    @cloud.route("GET", "/wiki/api/v2/labels")
    def all_labels(req: Request) -> Response:
        found = [lab for lab in state["conf_labels"].values() if not req.arg("prefix") or lab["prefix"] == req.arg("prefix")]
        return Response(200, paged(found, req, "/labels"))

    @cloud.route("GET", "/wiki/api/v2/labels/{id}/pages")
    def label_pages(req: Request) -> Response:
        if req.vars["id"] not in state["conf_labels"]:
            return v2_error(404, "Not Found")
        pages = [p for p in state["conf_pages"].values() if visible_page(state, p["id"]) and any(lab["id"] == req.vars["id"] for lab in p["labels"])]
        if req.arg("space-id"):
            pages = [p for p in pages if p["spaceId"] in req.arg("space-id").split(",")]
        return Response(200, paged([page_json(state, p) for p in pages], req, f"/labels/{req.vars['id']}/pages"))

    @cloud.route("POST", "/wiki/rest/api/content/{id}/label")
    def add_labels(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v1_error(404, f"There is no content with the given id {req.vars['id']}")
        body = req.json()
        items = body if isinstance(body, list) else [body]
        for item in items:
            name = (item or {}).get("name") or ""
            if not name or any(ch in name for ch in " :;,!#&()*<>?@[]^") or item.get("prefix") not in ("global", "my", "team"):
                return v1_error(400, f"Label '{name}' contains invalid characters")
        for item in items:
            name = item["name"].lower()
            label = next((lab for lab in state["conf_labels"].values() if lab["name"] == name and lab["prefix"] == item["prefix"]), None)
            if label is None:
                lid = new_id(state)
                label = state["conf_labels"][lid] = {"id": lid, "name": name, "prefix": item["prefix"]}
            if label not in page["labels"]:
                page["labels"].append(label)
        results = [{**lab, "label": lab["name"]} for lab in page["labels"]]
        return Response(200, {"results": results, "start": 0, "limit": 200, "size": len(results), "_links": {}})

    @cloud.route("DELETE", "/wiki/rest/api/content/{id}/label")
    def remove_label(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v1_error(404, f"There is no content with the given id {req.vars['id']}")
        name = req.arg("name") or ""
        keep = [lab for lab in page["labels"] if lab["name"] != name]
        if len(keep) == len(page["labels"]):
            return v1_error(404, f"Label '{name}' is not on content {page['id']}")
        page["labels"] = keep
        return Response(204)
