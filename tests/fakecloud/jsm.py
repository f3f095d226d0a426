"""Fake Jira Service Management: service desks, shaped like jsm.json."""

from __future__ import annotations

from typing import Any

from . import Request, Response


def seed(state: dict[str, Any]) -> None:
    state["jsm_desks"] = [
        {"id": str(n), "projectId": str(10000 + n), "projectKey": key, "projectName": name}
        for n, (key, name) in enumerate([("OPS", "Operations"), ("HELP", "IT Help"), ("HR", "People Desk")], start=1)
    ]


def jsm_page(values: list[Any], req: Request, default_limit: int = 50) -> dict[str, Any]:
    start = max(0, req.int_arg("start", 0))
    limit = max(1, min(req.int_arg("limit", default_limit), 100))
    page = values[start : start + limit]
    return {"size": len(page), "start": start, "limit": limit, "isLastPage": start + limit >= len(values), "values": page, "_links": {}}


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state

    @cloud.route("GET", "/rest/servicedeskapi/servicedesk")
    def list_desks(req: Request) -> Response:
        if not cloud.licensed["servicedesk"]:
            return Response(404, {"errorMessage": "Jira Service Management is not installed on this site", "i18nErrorMessage": {}})
        return Response(200, jsm_page(state["jsm_desks"], req))
