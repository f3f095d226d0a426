"""Fake Jira: one board and one issue link by id (what the allowlist guard looks up), shaped like the documents."""

from __future__ import annotations

from typing import Any

from . import Request, Response, error
from .jira import route


def install(cloud: Any) -> None:
    state = cloud.state

    @route(cloud, "GET", "/rest/agile/1.0/board/{boardId}")
    def board(req: Request) -> Response:
        found = state["agile_boards"].get(int(req.vars["boardId"])) if req.vars["boardId"].isdigit() else None
        if found is None:
            return error(404, "Board does not exist or you do not have permission to see it.")
        return Response(200, dict(found, self=f"{cloud.url}/rest/agile/1.0/board/{found['id']}"))

    @route(cloud, "GET", "/rest/api/3/issueLink/{linkId}")
    def issue_link(req: Request) -> Response:
        for issue in state["jira_issues"].values():
            for link in issue["fields"].get("issuelinks") or []:
                if link.get("id") != req.vars["linkId"]:
                    continue
                this = {"id": issue["id"], "key": issue["key"]}
                if link.get("outwardIssue"):
                    sides = {"inwardIssue": this, "outwardIssue": link["outwardIssue"]}
                else:
                    sides = {"inwardIssue": link["inwardIssue"], "outwardIssue": this}
                return Response(200, {"id": link["id"], "type": link["type"], **sides})
        return error(404, "No issue link with id " + req.vars["linkId"] + " exists.")
