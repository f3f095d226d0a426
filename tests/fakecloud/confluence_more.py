"""Fake Confluence: blog posts and folders (v2), page copies and templates (v1, which v2 lacks), attachment
removal; shaped like confluence-v2.json and confluence-v1.json."""

from __future__ import annotations

import copy
from typing import Any

from . import ACCOUNT_ID, Request, Response
from .confluence import (
    create_target,
    current,
    new_id,
    new_version,
    page_json,
    paged,
    read_body,
    snapshot,
    subtree,
    tick,
    v1_error,
    v2_error,
    visible_page,
    visible_space,
)

TEMPLATE_BODY = "<h2>Attendees</h2><ul><li><p>Name</p></li></ul><h2>Notes</h2><p>What was said.</p>"


def seed(state: dict[str, Any]) -> None:
    post = {
        "id": "4001",
        "spaceId": "65537",
        "parentId": None,
        "status": "current",
        "position": 0,
        "authorId": ACCOUNT_ID,
        "createdAt": "2026-11-10T09:00:00.000Z",
        "labels": [],
        "versions": [snapshot(1, "Release 1.2 is out", None, "<p>We shipped <strong>1.2</strong>.</p>", ACCOUNT_ID, "2026-11-10T09:00:00.000Z")],
    }
    ops_post = copy.deepcopy(post)
    ops_post.update(id="4002", spaceId="65538", createdAt="2026-11-12T09:00:00.000Z")
    ops_post["versions"] = [snapshot(1, "On-call changes", None, "<p>New rota from December.</p>", ACCOUNT_ID, "2026-11-12T09:00:00.000Z")]
    state["conf_blogposts"] = {"4001": post, "4002": ops_post}
    state["conf_folders"] = {
        "5001": {
            "id": "5001",
            "spaceId": "65537",
            "parentId": "1001",
            "title": "Design notes",
            "authorId": ACCOUNT_ID,
            "createdAt": "2026-11-01T08:00:00.000Z",
        },
    }
    state["conf_templates"] = {
        "98305": {"templateId": "98305", "name": "Meeting notes", "description": "Agenda, attendees and notes", "space": None},
        "98306": {"templateId": "98306", "name": "Runbook", "description": "Steps for an operation", "space": {"key": "ENG", "name": "Engineering"}},
        "98307": {"templateId": "98307", "name": "Incident review", "description": "After an incident", "space": {"key": "OPS", "name": "Operations"}},
    }


def folder_children(state: dict[str, Any], parent_id: str) -> list[dict[str, Any]]:
    """The folders directly under a page, as a v2 child or descendant entry (type folder)."""
    found = [f for f in (state.get("conf_folders") or {}).values() if f["parentId"] == parent_id]
    return [{"id": f["id"], "status": "current", "title": f["title"], "type": "folder", "spaceId": f["spaceId"], "parentId": parent_id} for f in found]


def install(cloud: Any) -> None:
    state = cloud.state
    seed(state)

    def post_json(post: dict[str, Any], body_format: str | None = None, labels: bool = False, number: int | None = None) -> dict[str, Any]:
        out = page_json(state, post, body_format, labels, number)
        for key in ("parentId", "parentType", "position"):
            out.pop(key, None)
        out["_links"]["webui"] = f"/spaces/{state['conf_spaces'][post['spaceId']]['key']}/blog/{post['id']}"
        return out

    def visible_post(post_id: str) -> dict[str, Any] | None:
        post = state["conf_blogposts"].get(post_id)
        return post if post and post["status"] == "current" and visible_space(state, post["spaceId"]) else None

    @cloud.route("GET", "/wiki/api/v2/blogposts")
    def list_posts(req: Request) -> Response:
        posts = [p for p in state["conf_blogposts"].values() if visible_post(p["id"])]
        if req.arg("space-id"):
            posts = [p for p in posts if p["spaceId"] in req.arg("space-id").split(",")]
        if req.arg("title"):
            posts = [p for p in posts if current(p)["title"] == req.arg("title")]
        posts.sort(key=lambda p: p["createdAt"], reverse=req.arg("sort") == "-created-date")
        return Response(200, paged([post_json(p, req.arg("body-format")) for p in posts], req, "/blogposts"))

    @cloud.route("GET", "/wiki/api/v2/blogposts/{id}")
    def get_post(req: Request) -> Response:
        if not req.vars["id"].isdigit():
            return v2_error(400, "Invalid id")
        post = visible_post(req.vars["id"])
        if post is None:
            return v2_error(404, "Not Found")
        number = req.int_arg("version", 0) or None
        if number is not None and not 1 <= number <= len(post["versions"]):
            return v2_error(404, "Not Found")
        return Response(200, post_json(post, req.arg("body-format"), req.arg("include-labels") == "true", number))

    @cloud.route("POST", "/wiki/api/v2/blogposts")
    def create_post(req: Request) -> Response:
        target = create_target(state, req)
        if isinstance(target, Response):
            return target
        payload, space, title = target
        if "parentId" in payload:
            return v2_error(400, "Blog posts have no parent")
        adf, storage, problem = read_body(payload)
        if problem:
            return v2_error(400, problem)
        pid, when = new_id(state), tick(state)
        state["conf_blogposts"][pid] = {
            "id": pid,
            "spaceId": space["id"],
            "parentId": None,
            "status": "current",
            "position": 0,
            "authorId": req.user["accountId"],
            "createdAt": when,
            "labels": [],
            "versions": [snapshot(1, title, adf, storage, req.user["accountId"], when)],
        }
        return Response(200, post_json(state["conf_blogposts"][pid]))

    @cloud.route("PUT", "/wiki/api/v2/blogposts/{id}")
    def update_post(req: Request) -> Response:
        post = visible_post(req.vars["id"])
        if post is None:
            return v2_error(404, "Not Found")
        return new_version(state, post, req) or Response(200, post_json(post))

    def folder_json(f: dict[str, Any]) -> dict[str, Any]:
        space = state["conf_spaces"][f["spaceId"]]
        parent_type = "folder" if f["parentId"] in state["conf_folders"] else "page" if f["parentId"] else None
        return {
            "id": f["id"],
            "type": "folder",
            "status": "current",
            "title": f["title"],
            "parentId": f["parentId"],
            "parentType": parent_type,
            "position": 0,
            "authorId": f["authorId"],
            "ownerId": f["authorId"],
            "createdAt": f["createdAt"],
            "spaceId": f["spaceId"],
            "version": {"number": 1, "authorId": f["authorId"], "createdAt": f["createdAt"], "message": "", "minorEdit": False},
            "_links": {"webui": f"/spaces/{space['key']}/folder/{f['id']}"},
        }

    @cloud.route("GET", "/wiki/api/v2/folders/{id}")
    def get_folder(req: Request) -> Response:
        f = state["conf_folders"].get(req.vars["id"])
        if f is None or visible_space(state, f["spaceId"]) is None:
            return v2_error(404, "Not Found")
        return Response(200, folder_json(f))

    @cloud.route("POST", "/wiki/api/v2/folders")
    def create_folder(req: Request) -> Response:
        target = create_target(state, req)
        if isinstance(target, Response):
            return target
        payload, space, title = target
        parent = payload.get("parentId")
        if parent:
            owner = visible_page(state, parent) or state["conf_folders"].get(parent)
            if owner is None or owner["spaceId"] != space["id"]:
                return v2_error(400, "Parent not found in this space")
        siblings = [f for f in state["conf_folders"].values() if f["spaceId"] == space["id"] and f["parentId"] == (parent or space["homepageId"])]
        if any(f["title"] == title for f in siblings):
            return v2_error(400, "A folder with this title already exists here")
        fid = new_id(state)
        state["conf_folders"][fid] = {
            "id": fid,
            "spaceId": space["id"],
            "parentId": parent or space["homepageId"],
            "title": title,
            "authorId": req.user["accountId"],
            "createdAt": tick(state),
        }
        return Response(200, folder_json(state["conf_folders"][fid]))

    def copy_one(page: dict[str, Any], space_id: str, parent_id: str | None, title: str, user: str) -> dict[str, Any]:
        v = current(page)
        pid, when = new_id(state), tick(state)
        state["conf_pages"][pid] = {
            "id": pid,
            "spaceId": space_id,
            "parentId": parent_id,
            "status": "current",
            "position": len(state["conf_pages"]),
            "authorId": user,
            "createdAt": when,
            "labels": list(page["labels"]),
            "versions": [snapshot(1, title, copy.deepcopy(v["adf"]), v["storage"], user, when)],
        }
        return state["conf_pages"][pid]

    def title_taken(space_id: str, title: str) -> bool:
        return any(p["spaceId"] == space_id and p["status"] == "current" and current(p)["title"] == title for p in state["conf_pages"].values())

    @cloud.route("POST", "/wiki/rest/api/content/{id}/copy")
    def copy_page(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v1_error(404, f"No content found with id: {req.vars['id']}")
        payload = req.json() or {}
        dest = payload.get("destination") or {}
        if dest.get("type") == "space":
            space = next((s for s in state["conf_spaces"].values() if s["key"] == dest.get("value") and visible_space(state, s["id"])), None)
            if space is None:
                return v1_error(404, f"No space with key : {dest.get('value')}")
            space_id, parent = space["id"], space["homepageId"]
        elif dest.get("type") == "parent_page":
            target = visible_page(state, str(dest.get("value")))
            if target is None:
                return v1_error(404, f"No content found with id: {dest.get('value')}")
            space_id, parent = target["spaceId"], target["id"]
        else:
            return v1_error(400, "destination.type must be space, parent_page, existing_page or parent_content")
        title = payload.get("pageTitle") or current(page)["title"]
        if title_taken(space_id, title):
            return v1_error(400, f"A page with this title already exists: A page already exists with the title {title} in this space.")
        new = copy_one(page, space_id, parent, title, req.user["accountId"])
        space = state["conf_spaces"][space_id]
        body = {
            "id": new["id"],
            "type": "page",
            "status": "current",
            "title": title,
            "space": {"id": int(space_id), "key": space["key"], "name": space["name"]},
            "version": {"number": 1},
            "_links": {"webui": f"/spaces/{space['key']}/pages/{new['id']}", "base": f"{cloud.url}/wiki"},
        }
        return Response(200, body)

    @cloud.route("POST", "/wiki/rest/api/content/{id}/pagehierarchy/copy")
    def copy_tree(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        payload = req.json() or {}
        target = visible_page(state, str(payload.get("destinationPageId") or ""))
        if page is None or target is None:
            return v1_error(404, "No content found with that id")
        prefix = ((payload.get("titleOptions") or {}).get("prefix")) or ""
        tree = [page, *subtree(state, page["id"])] if payload.get("copyDescendants", True) else [page]
        if any(title_taken(target["spaceId"], prefix + current(p)["title"]) for p in tree):
            return v1_error(400, "A page with one of these titles already exists in the destination space; give a title prefix.")
        copies = {page["parentId"]: target["id"]}
        for p in tree:
            copies[p["id"]] = copy_one(p, target["spaceId"], copies.get(p["parentId"], target["id"]), prefix + current(p)["title"], req.user["accountId"])["id"]
        task = f"task-{new_id(state)}"
        return Response(202, {"id": task, "links": {"status": f"/rest/api/longtask/{task}"}})

    @cloud.route("GET", "/wiki/rest/api/template/page")
    def templates(req: Request) -> Response:
        key = req.arg("spaceKey")
        if key and not any(s["key"] == key and visible_space(state, s["id"]) for s in state["conf_spaces"].values()):
            return v1_error(404, f"No space with key : {key}")
        found = [t for t in state["conf_templates"].values() if ((t["space"] or {}).get("key") == key if key else t["space"] is None)]
        start, limit = req.int_arg("start", 0), max(1, min(req.int_arg("limit", 25), 200))
        shown = [dict(t, templateType="page", labels=[]) for t in found[start : start + limit]]
        body = {"results": shown, "start": start, "limit": limit, "size": len(shown), "_links": {}}
        if start + limit < len(found):
            body["_links"]["next"] = f"/rest/api/template/page?start={start + limit}&limit={limit}"
        return Response(200, body)

    @cloud.route("GET", "/wiki/rest/api/template/{contentTemplateId}")
    def template(req: Request) -> Response:
        t = state["conf_templates"].get(req.vars["contentTemplateId"])
        if t is None:
            return v1_error(404, f"Cannot find template with id: {req.vars['contentTemplateId']}")
        out = dict(t, templateType="page", labels=[])
        if "body" in (req.arg("expand") or ""):
            out["body"] = {"storage": {"value": TEMPLATE_BODY, "representation": "storage"}}
        return Response(200, out)

    @cloud.route("DELETE", "/wiki/api/v2/attachments/{id}")
    def delete_attachment(req: Request) -> Response:
        a = state["conf_attachments"].get(req.vars["id"])
        if a is None or visible_page(state, a["pageId"]) is None:
            return v2_error(404, "Not Found")
        del state["conf_attachments"][req.vars["id"]]
        return Response(204)
