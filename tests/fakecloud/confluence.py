"""Fake Confluence: spaces, a page tree with versions, shaped like confluence-v2.json (v1 where v2 lacks it).

Comments, labels and users live in confluence_social.py, attachments in confluence_files.py and
CQL search in confluence_search.py; `install` wires them all. One space (SECRET) exists but the
signed-in user cannot see it: every route answers as if it were not there.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from . import ACCOUNT_ID, Request, Response, rich_content
from .confluence_docs import adf_text, adf_to_storage, page_adf, page_storage, storage_to_adf

BOB_ID = "712020:bob-0001"
HIDDEN = "65541"


def v2_error(status: int, title: str) -> Response:
    return Response(status, {"errors": [{"status": status, "code": title.upper().replace(" ", "_")[:40], "title": title, "detail": None}]})


def v1_error(status: int, message: str) -> Response:
    return Response(
        status, {"statusCode": status, "data": {"authorized": status != 403, "valid": False, "errors": [], "successful": False}, "message": message}
    )


def tick(state: dict[str, Any]) -> str:
    """A fresh, increasing timestamp for each write."""
    state["conf_clock"] = state.get("conf_clock", 0) + 1
    n = state["conf_clock"]
    return f"2026-12-{1 + n // 1440:02d}T{(n // 60) % 24:02d}:{n % 60:02d}:00.000Z"


def new_id(state: dict[str, Any]) -> str:
    state["conf_next_id"] = state.get("conf_next_id", 500000) + 1
    return str(state["conf_next_id"])


def snapshot(number: int, title: str, adf: dict[str, Any] | None, storage: str | None, author: str, when: str, message: str = "") -> dict[str, Any]:
    if adf is None:
        adf = storage_to_adf(storage or "")
    if storage is None:
        storage = adf_to_storage(adf)
    return {"number": number, "title": title, "adf": adf, "storage": storage, "authorId": author, "createdAt": when, "message": message, "minorEdit": False}


def same_body(last: dict[str, Any], adf: dict[str, Any] | None, storage: str | None) -> tuple[dict[str, Any] | None, str | None]:
    """Real Confluence derives one representation from the other deterministically: a body sent
    unchanged in one keeps the other as it was."""
    if adf is not None and adf == last["adf"]:
        return adf, last["storage"]
    if storage is not None and storage == last["storage"]:
        return last["adf"], storage
    return adf, storage


def seed(state: dict[str, Any]) -> None:
    spaces = {}
    for n, (key, name, kind) in enumerate(
        [
            ("ENG", "Engineering", "global"),
            ("OPS", "Operations", "global"),
            ("HR", "People", "global"),
            ("~ada", "Ada Agent", "personal"),
            ("SECRET", "Board", "global"),
        ],
        start=1,
    ):
        sid = str(65536 + n)
        spaces[sid] = {
            "id": sid,
            "key": key,
            "name": name,
            "type": kind,
            "status": "current",
            "homepageId": None,
            "createdAt": "2026-01-01T00:00:00.000Z",
            "authorId": ACCOUNT_ID,
            "description": f"Home of the {name} team.",
            "_links": {"webui": f"/spaces/{key}"},
        }
    pages: dict[str, dict[str, Any]] = {}
    tree = [
        ("1001", "Engineering Home", "65537", None),
        ("1002", "Runbook: deploys", "65537", "1001"),
        ("1003", "Architecture", "65537", "1001"),
        ("1004", "Deploy checklist", "65537", "1002"),
        ("1005", "Rollback", "65537", "1004"),
        ("2001", "Ops Home", "65538", None),
        ("3001", "Board minutes", HIDDEN, None),
    ]
    for position, (pid, title, space, parent) in enumerate(tree):
        versions = [snapshot(3, title, page_adf(title), page_storage(title), ACCOUNT_ID, "2026-11-20T16:45:00.000Z")]
        if pid == "1002":
            first = {"type": "doc", "version": 1, "content": page_adf(title)["content"][:2]}
            versions = [
                snapshot(1, "Runbook", first, None, ACCOUNT_ID, "2026-10-01T08:00:00.000Z", "First draft"),
                snapshot(2, title, first, None, BOB_ID, "2026-10-15T09:30:00.000Z", "Renamed"),
                versions[0],
            ]
        pages[pid] = {
            "id": pid,
            "spaceId": space,
            "parentId": parent,
            "status": "current",
            "position": position,
            "authorId": ACCOUNT_ID,
            "createdAt": "2026-10-01T08:00:00.000Z",
            "versions": versions,
            "labels": [],
        }
    for sid, home in (("65537", "1001"), ("65538", "2001"), (HIDDEN, "3001")):
        spaces[sid]["homepageId"] = home
    state["conf_spaces"] = spaces
    state["conf_pages"] = pages
    rich_content.seed_confluence(state, snapshot)


# -- views --------------------------------------------------------------------------------
def visible_space(state: dict[str, Any], space_id: str | None) -> dict[str, Any] | None:
    space = state["conf_spaces"].get(space_id or "")
    return None if space is None or space["id"] == HIDDEN else space


def create_target(state: dict[str, Any], req: Request) -> tuple[dict[str, Any], dict[str, Any], str] | Response:
    """A v2 create's payload, its space (visible to the caller) and its title (trimmed); or the error
    Confluence answers when the space is unknown (404) or the title empty (400)."""
    payload = req.json() or {}
    space = visible_space(state, payload.get("spaceId"))
    if space is None:
        return v2_error(404, "Space not found")
    title = (payload.get("title") or "").strip()
    if not title:
        return v2_error(400, "Title is required")
    return payload, space, title


def visible_page(state: dict[str, Any], page_id: str) -> dict[str, Any] | None:
    page = state["conf_pages"].get(page_id)
    if page is None or page["status"] != "current" or visible_space(state, page["spaceId"]) is None:
        return None
    return page


def current(page: dict[str, Any]) -> dict[str, Any]:
    return page["versions"][-1]


def page_web(state: dict[str, Any], page: dict[str, Any]) -> str:
    return f"/spaces/{state['conf_spaces'][page['spaceId']]['key']}/pages/{page['id']}"


def version_json(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v[k] for k in ("createdAt", "message", "number", "minorEdit", "authorId")}


def body_json(v: dict[str, Any], body_format: str | None) -> dict[str, Any]:
    if body_format == "atlas_doc_format":
        return {"atlas_doc_format": {"representation": "atlas_doc_format", "value": json.dumps(v["adf"])}}
    if body_format == "storage":
        return {"storage": {"representation": "storage", "value": v["storage"]}}
    return {}


def page_json(
    state: dict[str, Any], page: dict[str, Any], body_format: str | None = None, include_labels: bool = False, number: int | None = None
) -> dict[str, Any]:
    v = current(page) if number is None else page["versions"][number - 1]
    out = {
        "id": page["id"],
        "status": page["status"],
        "title": v["title"],
        "spaceId": page["spaceId"],
        "parentId": page["parentId"],
        "parentType": "page" if page["parentId"] else None,
        "position": page["position"],
        "authorId": page["authorId"],
        "ownerId": page["authorId"],
        "createdAt": page["createdAt"],
        "version": version_json(v),
        "body": body_json(v, body_format),
        "_links": {"webui": page_web(state, page), "editui": f"/pages/resumedraft.action?draftId={page['id']}", "tinyui": f"/x/{page['id']}"},
    }
    if include_labels:
        out["labels"] = {"results": list(page["labels"]), "meta": {"hasMore": False}, "_links": {}}
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


def read_body(payload: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(adf, storage, problem) from a v2 write body {representation, value}."""
    body = payload.get("body") or {}
    rep, value = body.get("representation"), body.get("value")
    if not isinstance(value, str):
        return None, None, "body.value must be a string"
    if rep == "storage":
        return None, value, None
    if rep == "atlas_doc_format":
        try:
            doc = json.loads(value)
        except ValueError:
            return None, None, "body.value is not valid JSON for atlas_doc_format"
        if not isinstance(doc, dict) or doc.get("type") != "doc":
            return None, None, "body.value is not an ADF document"
        return doc, None, None
    return None, None, f"unsupported body representation {rep!r}"


def new_version(state: dict[str, Any], content: dict[str, Any], req: Request) -> Response | None:
    """A v2 PUT of a page or blog post: the error the API answers, or None once the new version is stored."""
    payload = req.json() or {}
    if str(payload.get("id")) != content["id"] or not payload.get("title") or payload.get("status") not in ("current", "draft"):
        return v2_error(400, "id, status and title are required and id must match the path")
    number = (payload.get("version") or {}).get("number")
    latest = current(content)["number"]
    if number != latest + 1:
        return v2_error(409, f"Version must be incremented on update. Current version is: {latest}")
    adf, storage, problem = read_body(payload)
    if problem:
        return v2_error(400, problem)
    message = (payload.get("version") or {}).get("message") or ""
    adf, storage = same_body(current(content), adf, storage)
    content["versions"].append(snapshot(number, payload["title"], adf, storage, req.user["accountId"], tick(state), message))
    return None


def edit_as(state: dict[str, Any], page_id: str, author: str, paragraph: str) -> int:
    """Someone else edits a page (for conflict tests): appends a paragraph as a new version."""
    page = state["conf_pages"][page_id]
    v = current(page)
    adf = {**v["adf"], "content": [*v["adf"]["content"], {"type": "paragraph", "content": [{"type": "text", "text": paragraph}]}]}
    page["versions"].append(snapshot(v["number"] + 1, v["title"], adf, None, author, tick(state), "Edited elsewhere"))
    return v["number"] + 1


def subtree(state: dict[str, Any], root: str) -> list[dict[str, Any]]:
    out, frontier = [], [root]
    while frontier:
        parent = frontier.pop(0)
        kids = sorted((p for p in state["conf_pages"].values() if p["parentId"] == parent and p["status"] == "current"), key=lambda p: p["position"])
        out += kids
        frontier += [k["id"] for k in kids]
    return out


def install(cloud: Any) -> None:
    from . import confluence_files, confluence_more, confluence_realistic, confluence_search, confluence_social

    seed(cloud.state)
    confluence_realistic.seed(cloud.state)
    state = cloud.state

    @cloud.route("GET", "/wiki/api/v2/spaces")
    def list_spaces(req: Request) -> Response:
        spaces = [s for s in state["conf_spaces"].values() if s["id"] != HIDDEN]
        if req.arg("type"):
            spaces = [s for s in spaces if s["type"] == req.arg("type")]
        if req.arg("status"):
            spaces = [s for s in spaces if s["status"] == req.arg("status")]
        if req.arg("keys"):
            keys = req.arg("keys").split(",")
            spaces = [s for s in spaces if s["key"] in keys]
        return Response(200, paged([{k: v for k, v in s.items() if k != "description"} for s in spaces], req, "/spaces"))

    @cloud.route("GET", "/wiki/api/v2/spaces/{id}")
    def get_space(req: Request) -> Response:
        space = visible_space(state, req.vars["id"])
        if space is None:
            return v2_error(404, "Not Found")
        out = {k: v for k, v in space.items() if k != "description"}
        if req.arg("description-format") == "plain":
            out["description"] = {"plain": {"representation": "plain", "value": space["description"]}}
        if req.arg("include-icon") == "true":
            out["icon"] = {"path": f"/wiki/download/attachments/{space['id']}/icon.png", "apiDownloadLink": None}
        if req.arg("include-labels") == "true":
            out["labels"] = {"results": [], "meta": {"hasMore": False}, "_links": {}}
        return Response(200, out)

    @cloud.route("GET", "/wiki/api/v2/spaces/{id}/pages")
    def space_pages(req: Request) -> Response:
        if visible_space(state, req.vars["id"]) is None:
            return v2_error(404, "Not Found")
        status = req.arg("status", "current")
        pages = [p for p in state["conf_pages"].values() if p["spaceId"] == req.vars["id"] and p["status"] == status]
        if req.arg("depth") == "root":
            pages = [p for p in pages if p["parentId"] is None]
        items = [page_json(state, p, req.arg("body-format")) for p in pages]
        return Response(200, paged(items, req, f"/spaces/{req.vars['id']}/pages"))

    @cloud.route("GET", "/wiki/api/v2/pages")
    def list_pages(req: Request) -> Response:
        pages = [p for p in state["conf_pages"].values() if visible_page(state, p["id"])]
        if req.arg("space-id"):
            pages = [p for p in pages if p["spaceId"] in req.arg("space-id").split(",")]
        if req.arg("title"):
            pages = [p for p in pages if current(p)["title"] == req.arg("title")]
        return Response(200, paged([page_json(state, p, req.arg("body-format")) for p in pages], req, "/pages"))

    @cloud.route("GET", "/wiki/api/v2/pages/{id}")
    def get_page(req: Request) -> Response:
        pid = req.vars["id"]
        if not pid.isdigit():
            return v2_error(400, "Invalid id")
        page = visible_page(state, pid)
        if page is None:
            return v2_error(404, "Not Found")
        number = req.int_arg("version", 0) or None
        if number is not None and not 1 <= number <= len(page["versions"]):
            return v2_error(404, "Not Found")
        return Response(200, page_json(state, page, req.arg("body-format"), req.arg("include-labels") == "true", number))

    @cloud.route("POST", "/wiki/api/v2/pages")
    def create_page(req: Request) -> Response:
        target = create_target(state, req)
        if isinstance(target, Response):
            return target
        payload, space, title = target
        if any(p["spaceId"] == space["id"] and current(p)["title"] == title and p["status"] == "current" for p in state["conf_pages"].values()):
            return v2_error(400, "A page with this title already exists in this space")
        parent = payload.get("parentId") or space["homepageId"]
        if payload.get("parentId") and (visible_page(state, parent) is None or state["conf_pages"][parent]["spaceId"] != space["id"]):
            return v2_error(400, "Parent page not found in this space")
        adf, storage, problem = read_body(payload)
        if problem:
            return v2_error(400, problem)
        pid = new_id(state)
        when = tick(state)
        state["conf_pages"][pid] = {
            "id": pid,
            "spaceId": space["id"],
            "parentId": parent,
            "status": "current",
            "position": len(state["conf_pages"]),
            "authorId": req.user["accountId"],
            "createdAt": when,
            "labels": [],
            "versions": [snapshot(1, title, adf, storage, req.user["accountId"], when)],
        }
        return Response(200, page_json(state, state["conf_pages"][pid]))

    @cloud.route("PUT", "/wiki/api/v2/pages/{id}")
    def update_page(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v2_error(404, "Not Found")
        return new_version(state, page, req) or Response(200, page_json(state, page))

    @cloud.route("DELETE", "/wiki/api/v2/pages/{id}")
    def delete_page(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v2_error(404, "Not Found")
        page["status"] = "trashed"
        return Response(204)

    @cloud.route("GET", "/wiki/api/v2/pages/{id}/direct-children")
    def children(req: Request) -> Response:
        if visible_page(state, req.vars["id"]) is None:
            return v2_error(404, "Not Found")
        kids = [p for p in subtree(state, req.vars["id"]) if p["parentId"] == req.vars["id"]]
        items = [
            {"id": p["id"], "status": p["status"], "title": current(p)["title"], "type": "page", "spaceId": p["spaceId"], "childPosition": p["position"]}
            for p in kids
        ]
        items += confluence_more.folder_children(state, req.vars["id"])
        return Response(200, paged(items, req, f"/pages/{req.vars['id']}/direct-children"))

    @cloud.route("GET", "/wiki/api/v2/pages/{id}/descendants")
    def descendants(req: Request) -> Response:
        root = req.vars["id"]
        if visible_page(state, root) is None:
            return v2_error(404, "Not Found")
        depth_of = {root: 0}
        items = []
        for p in subtree(state, root):
            depth_of[p["id"]] = depth_of[p["parentId"]] + 1
            if depth_of[p["id"]] <= req.int_arg("depth", 2):
                items.append(
                    {
                        "id": p["id"],
                        "status": p["status"],
                        "title": current(p)["title"],
                        "type": "page",
                        "parentId": p["parentId"],
                        "depth": depth_of[p["id"]],
                        "childPosition": p["position"],
                    }
                )
        items += [
            dict(f, depth=depth_of[pid] + 1) for pid in depth_of if depth_of[pid] < req.int_arg("depth", 2) for f in confluence_more.folder_children(state, pid)
        ]
        return Response(200, paged(items, req, f"/pages/{root}/descendants"))

    @cloud.route("GET", "/wiki/api/v2/pages/{id}/versions")
    def versions(req: Request) -> Response:
        page = visible_page(state, req.vars["id"])
        if page is None:
            return v2_error(404, "Not Found")
        ordered = page["versions"] if req.arg("sort") == "modified-date" else list(reversed(page["versions"]))
        items = [{**version_json(v), "page": {"id": page["id"], "title": v["title"]}} for v in ordered]
        return Response(200, paged(items, req, f"/pages/{page['id']}/versions"))

    @cloud.route("PUT", "/wiki/rest/api/content/{pageId}/move/{position}/{targetId}")
    def move_page(req: Request) -> Response:
        page, target = visible_page(state, req.vars["pageId"]), visible_page(state, req.vars["targetId"])
        position = req.vars["position"]
        if page is None or target is None:
            return v1_error(404, "The id or targetId refer to non-existent pages")
        if position not in ("append", "before", "after"):
            return v1_error(400, f"Invalid position {position}")
        if target["id"] == page["id"] or target in subtree(state, page["id"]):
            return v1_error(400, "A page cannot be moved below itself")
        parent = target["id"] if position == "append" else target["parentId"]
        page["parentId"] = parent
        page["position"] = target["position"] + {"append": 1000, "before": -0.5, "after": 0.5}[position]
        for moved in [page, *subtree(state, page["id"])]:
            moved["spaceId"] = target["spaceId"]
        return Response(200, {"pageId": page["id"]})

    @cloud.route("GET", "/wiki/rest/api/user/current")
    def current_user(req: Request) -> Response:
        u = req.user or {}
        return Response(
            200,
            {
                "type": "known",
                "accountId": u.get("accountId"),
                "publicName": u.get("displayName"),
                "displayName": u.get("displayName"),
                "email": u.get("emailAddress"),
            },
        )

    confluence_social.install(cloud)
    confluence_files.install(cloud)
    confluence_more.install(cloud)
    confluence_search.install(cloud)


__all__ = ["adf_text", "edit_as", "install", "page_json", "paged", "v1_error", "v2_error", "visible_page"]
