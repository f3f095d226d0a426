"""Fake Jira links and files: issue links, remote (web) links and attachments with multipart upload."""

from __future__ import annotations

from typing import Any

from . import ACCOUNT_ID, Request, Response, error
from .confluence_files import multipart
from .jira import find_issue, issue_for, route
from .jira_meta import LINK_TYPES, user_json
from .jira_write import denied, is_adf, now

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
SEED_FILES = [
    ("10500", "notes.txt", "text/plain", b"Steps to reproduce:\n1. Open /login\n2. See a blank page\n"),
    ("10501", "screenshot.png", "image/png", PNG),
    ("10502", "trace.pdf", "application/pdf", b"%PDF-1.4 fake pdf bytes\n%%EOF\n"),
]


def seed(state: dict[str, Any]) -> None:
    state["jira_attachments"] = {}
    state["jira_remote_links"] = {}
    state["jira_link_seq"] = 20001
    for attachment_id, name, mime, data in SEED_FILES:
        state["jira_attachments"][attachment_id] = {
            "id": attachment_id,
            "issue": "PROJ-1",
            "filename": name,
            "mimeType": mime,
            "data": data,
            "author": "712020:bob-0001",
            "created": "2026-11-02T11:30:00.000+0000",
        }
    state["jira_issues"]["PROJ-1"]["fields"]["attachment"] = [attachment_json("", a) for a in state["jira_attachments"].values()]


def attachment_json(site: str, a: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": a["id"],
        "filename": a["filename"],
        "mimeType": a["mimeType"],
        "size": len(a["data"]),
        "author": user_json(a["author"]),
        "created": a["created"],
        "self": f"{site}/rest/api/3/attachment/{a['id']}",
        "content": f"{site}/rest/api/3/attachment/content/{a['id']}",
    }


def install(cloud: Any) -> None:
    state = cloud.state
    seed(state)

    @route(cloud, "POST", "/rest/api/3/issueLink")
    def link(req: Request) -> Response:
        body = req.json() or {}
        wanted = body.get("type") or {}
        kind = next((t for t in LINK_TYPES if t["name"] == wanted.get("name") or t["id"] == wanted.get("id")), None)
        if kind is None:
            return error(404, f"No issue link type with name '{wanted.get('name')}' found.")
        inward = find_issue(state, str((body.get("inwardIssue") or {}).get("key") or ""))
        outward = find_issue(state, str((body.get("outwardIssue") or {}).get("key") or ""))
        if inward is None or outward is None:
            return error(404, "The issue no longer exists.")
        no = denied(state, inward, "link issues") or denied(state, outward, "link issues")
        if no:
            return no
        state["jira_link_seq"] += 1
        link_id = str(state["jira_link_seq"])
        # Jira shows the inward issue with the type's outward phrase: "inward blocks outward".
        inward["fields"].setdefault("issuelinks", []).append({"id": link_id, "type": dict(kind), "outwardIssue": {"key": outward["key"]}})
        outward["fields"].setdefault("issuelinks", []).append({"id": link_id, "type": dict(kind), "inwardIssue": {"key": inward["key"]}})
        comment = body.get("comment")
        if comment:
            if not is_adf(comment.get("body")):
                return error(400, comment="Comment body must be an Atlassian Document.")
            thread = outward["fields"].setdefault("comment", {"total": 0, "comments": []})
            thread["comments"].append(
                {
                    "id": str(5000 + len(thread["comments"])),
                    "author": user_json(req.user["accountId"]),
                    "body": comment["body"],
                    "created": now(),
                    "updated": now(),
                }
            )
            thread["total"] = len(thread["comments"])
        return Response(201)

    @route(cloud, "DELETE", "/rest/api/3/issueLink/{linkId}")
    def unlink(req: Request) -> Response:
        holders = [i for i in state["jira_issues"].values() if any(link.get("id") == req.vars["linkId"] for link in i["fields"].get("issuelinks") or [])]
        if not holders:
            return error(404, f"No issue link with id '{req.vars['linkId']}' exists.")
        for issue in holders:
            no = denied(state, issue, "delete links")
            if no:
                return no
        for issue in holders:
            issue["fields"]["issuelinks"] = [link for link in issue["fields"]["issuelinks"] if link.get("id") != req.vars["linkId"]]
        return Response(204)

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/remotelink")
    def remote_link(req: Request) -> Response:
        issue, problem = issue_for(state, req, "link issues")
        if problem:
            return problem
        body = req.json() or {}
        obj = body.get("object") or {}
        if not obj.get("title"):
            return error(400, title="'title' is required.")
        if not obj.get("url"):
            return error(400, url="'url' is required.")
        links = state["jira_remote_links"].setdefault(issue["key"], [])
        existing = next((x for x in links if body.get("globalId") and x.get("globalId") == body.get("globalId")), None)
        if existing:
            existing.update(body)
            return Response(200, {"id": existing["id"], "self": f"{cloud.url}/rest/api/3/issue/{issue['key']}/remotelink/{existing['id']}"})
        new_id = 60000 + sum(len(v) for v in state["jira_remote_links"].values()) + 1
        links.append(dict(body, id=new_id))
        return Response(201, {"id": new_id, "self": f"{cloud.url}/rest/api/3/issue/{issue['key']}/remotelink/{new_id}"})

    @route(cloud, "GET", "/rest/api/3/attachment/{id}")
    def attachment_meta(req: Request) -> Response:
        a = state["jira_attachments"].get(req.vars["id"])
        if a is None:
            return error(404, "The attachment was not found.")
        return Response(200, attachment_json(cloud.url, a))

    @route(cloud, "GET", "/rest/api/3/attachment/content/{id}")
    def attachment_content(req: Request) -> Response:
        a = state["jira_attachments"].get(req.vars["id"])
        if a is None:
            return error(404, "The attachment was not found.")
        if req.arg("redirect") != "false":  # the real site sends the client to the media service
            return Response(303, headers={"Location": f"{cloud.url}/media-redirect/{a['id']}"})
        return Response(200, raw=a["data"], headers={"Content-Type": a["mimeType"]})

    @route(cloud, "POST", "/rest/api/3/issue/{issueIdOrKey}/attachments")
    def upload(req: Request) -> Response:
        if req.headers.get("x-atlassian-token") != "no-check":
            return Response(403, raw=b"XSRF check failed", headers={"Content-Type": "text/plain"})
        issue, problem = issue_for(state, req, "create attachments")
        if problem:
            return problem
        fields = multipart(req)
        if not fields or "file" not in fields or not fields["file"][0]:
            return error(400, "A multipart body with a 'file' part is required.")
        filename, data, mime = fields["file"]
        attachment_id = str(10500 + len(state["jira_attachments"]))
        a = {
            "id": attachment_id,
            "issue": issue["key"],
            "filename": filename,
            "mimeType": mime,
            "data": data,
            "author": req.user.get("accountId", ACCOUNT_ID),
            "created": now(),
        }
        state["jira_attachments"][attachment_id] = a
        issue["fields"].setdefault("attachment", []).append(attachment_json(cloud.url, a))
        return Response(200, [attachment_json(cloud.url, a)])
