"""Fake Jira Service Management, shaped like jsm.json: desks, request types, queues, articles, people.

Every JSM route goes through `jsm_route`, which answers 404 on a site without JSM
(`cloud.licensed["servicedesk"] = False`) and checks the `X-ExperimentalApi` header: it must be
sent on the operations jsm.json marks `x-experimental` and on no other. `GET /info` (the probe
for "is JSM installed") is served by platform.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from . import Request, Response, jsm_assets, jsm_data, jsm_requests, openapi

BASE = "/rest/servicedeskapi"


def seed(state: dict[str, Any]) -> None:
    """(Re)set all JSM and Assets data; a test that changes it calls this first."""
    jsm_data.seed(state)
    jsm_assets.seed(state)


def jsm_error(status: int, message: str) -> Response:
    return Response(status, {"errorMessage": message, "i18nErrorMessage": {"i18nKey": "fake.error", "parameters": []}})


def jsm_page(values: list[Any], req: Request, default_limit: int = 50) -> dict[str, Any]:
    start = max(0, req.int_arg("start", 0))
    limit = max(1, min(req.int_arg("limit", default_limit), 100))
    page = values[start : start + limit]
    return {"size": len(page), "start": start, "limit": limit, "isLastPage": start + limit >= len(values), "values": page, "_links": {}}


@lru_cache(maxsize=1)
def experimental_operations() -> frozenset[tuple[str, str]]:
    doc = json.loads((openapi.spec_dir() / "jsm.json").read_text())
    return frozenset(
        (method.upper(), template)
        for template, item in doc["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and op.get("x-experimental")
    )


def route_factory(cloud: Any) -> Callable[[str, str], Callable[[Callable[[Request], Response]], Any]]:
    def jsm_route(method: str, template: str) -> Callable[[Callable[[Request], Response]], Any]:
        experimental = (method, template) in experimental_operations()

        def register(fn: Callable[[Request], Response]) -> Any:
            def guarded(req: Request) -> Response:
                if not cloud.licensed["servicedesk"]:
                    return jsm_error(404, "Jira Service Management is not installed on this site")
                sent = req.headers.get("x-experimentalapi")
                if sent and not experimental:
                    cloud.violations.append(f"X-ExperimentalApi sent on non-experimental {method} {template}")
                if experimental and sent != "opt-in":
                    return jsm_error(400, "This API is experimental: set the header 'X-ExperimentalApi: opt-in' to use it.")
                return fn(req)

            return cloud.route(method, template)(guarded)

        return register

    return jsm_route


def find_desk(state: dict[str, Any], ref: str) -> dict[str, Any] | None:
    return next((d for d in state["jsm_desks"] if ref in (d["id"], d["projectKey"])), None)


def install(cloud: Any) -> None:
    seed(cloud.state)
    state = cloud.state
    route = route_factory(cloud)

    def desk_or_404(req: Request) -> Any:
        desk = find_desk(state, req.vars["serviceDeskId"])
        return desk if desk else jsm_error(404, f"Service desk {req.vars['serviceDeskId']} does not exist")

    @route("GET", BASE + "/servicedesk")
    def list_desks(req: Request) -> Response:
        return Response(200, jsm_page(state["jsm_desks"], req))

    @route("GET", BASE + "/servicedesk/{serviceDeskId}")
    def get_desk(req: Request) -> Response:
        desk = desk_or_404(req)
        return desk if isinstance(desk, Response) else Response(200, desk)

    def public_type(rt: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in rt.items() if not k.startswith("_")}

    def types_matching(req: Request, desk_id: str | None) -> list[dict[str, Any]]:
        query = (req.arg("searchQuery") or "").lower()
        return [
            public_type(rt)
            for rt in state["jsm_request_types"].values()
            if (desk_id is None or rt["serviceDeskId"] == desk_id) and (query in rt["name"].lower() or query in rt["description"].lower())
        ]

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/requesttype")
    def desk_types(req: Request) -> Response:
        desk = desk_or_404(req)
        return desk if isinstance(desk, Response) else Response(200, jsm_page(types_matching(req, desk["id"]), req))

    @route("GET", BASE + "/requesttype")
    def all_types(req: Request) -> Response:
        return Response(200, jsm_page(types_matching(req, None), req))

    def type_or_404(req: Request) -> Any:
        desk = desk_or_404(req)
        if isinstance(desk, Response):
            return desk
        rt = state["jsm_request_types"].get(req.vars["requestTypeId"])
        if rt is None or rt["serviceDeskId"] != desk["id"]:
            return jsm_error(404, f"Request type {req.vars['requestTypeId']} does not exist in service desk {desk['id']}")
        return rt

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}")
    def get_type(req: Request) -> Response:
        rt = type_or_404(req)
        return rt if isinstance(rt, Response) else Response(200, public_type(rt))

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field")
    def type_fields(req: Request) -> Response:
        rt = type_or_404(req)
        return rt if isinstance(rt, Response) else Response(200, rt["_fields"])

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/queue")
    def queues(req: Request) -> Response:
        desk = desk_or_404(req)
        if isinstance(desk, Response):
            return desk
        values = [
            {"id": q["id"], "name": q["name"], "jql": q["jql"], "fields": ["summary", "status"], "issueCount": len(q["keys"])}
            for q in state["jsm_queues"].get(desk["id"], [])
        ]
        return Response(200, jsm_page(values, req))

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/queue/{queueId}/issue")
    def queue_issues(req: Request) -> Response:
        desk = desk_or_404(req)
        if isinstance(desk, Response):
            return desk
        queue = next((q for q in state["jsm_queues"].get(desk["id"], []) if q["id"] == req.vars["queueId"]), None)
        if queue is None:
            return jsm_error(404, f"Queue {req.vars['queueId']} does not exist")
        issues = [jsm_requests.as_issue(state["jsm_requests"][k]) for k in queue["keys"] if k in state["jsm_requests"]]
        return Response(200, jsm_page(issues, req))

    def articles(req: Request, desk_id: str | None) -> Response:
        query = req.arg("query")
        if not query or req.arg("highlight") is None:
            return jsm_error(400, "query and highlight are required")
        words = query.lower().split()
        found = [
            a for a in state["jsm_articles"] if (desk_id is None or a["desk"] == desk_id) and all(w in (a["title"] + " " + a["excerpt"]).lower() for w in words)
        ]
        start = int(base64.b64decode(req.arg("cursor")).decode()) if req.arg("cursor") else 0
        limit = max(1, min(req.int_arg("limit", 50), 100))
        page = found[start : start + limit]

        def mark(text: str) -> str:
            if req.arg("highlight") != "true":
                return text
            for w in words:
                at = text.lower().find(w)
                if at >= 0:
                    text = text[:at] + "@@@hl@@@" + text[at : at + len(w)] + "@@@endhl@@@" + text[at + len(w) :]
            return text

        values = [
            {
                "title": mark(a["title"]),
                "excerpt": mark(a["excerpt"]),
                "source": {"type": "confluence", "pageId": a["pageId"], "spaceKey": a["spaceKey"]},
                "content": {"iframeSrc": f"{cloud.url}{BASE}/knowledgebase/article/view/{a['pageId']}"},
            }
            for a in page
        ]
        last = start + limit >= len(found)
        links = (
            {}
            if last
            else {
                "next": f"{cloud.url}{req.path}?query={quote(query)}&highlight={req.arg('highlight')}&cursor={base64.b64encode(str(start + limit).encode()).decode()}&limit={limit}"
            }
        )
        return Response(200, {"size": len(values), "start": start, "limit": limit, "isLastPage": last, "values": values, "_links": links})

    @route("GET", BASE + "/knowledgebase/article")
    def all_articles(req: Request) -> Response:
        return articles(req, None)

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/knowledgebase/article")
    def desk_articles(req: Request) -> Response:
        desk = desk_or_404(req)
        return desk if isinstance(desk, Response) else articles(req, desk["id"])

    def org_view(o: dict[str, Any]) -> dict[str, Any]:
        return {"id": o["id"], "name": o["name"], "scimManaged": False, "_links": {}}

    @route("GET", BASE + "/organization")
    def orgs(req: Request) -> Response:
        return Response(200, jsm_page([org_view(o) for o in state["jsm_organizations"]], req))

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/organization")
    def desk_orgs(req: Request) -> Response:
        desk = desk_or_404(req)
        if isinstance(desk, Response):
            return desk
        return Response(200, jsm_page([org_view(o) for o in state["jsm_organizations"] if desk["id"] in o["desks"]], req))

    @route("GET", BASE + "/servicedesk/{serviceDeskId}/customer")
    def customers(req: Request) -> Response:
        desk = desk_or_404(req)
        if isinstance(desk, Response):
            return desk
        query = (req.arg("query") or "").lower()
        found = [u for u in state["jsm_customers"].get(desk["id"], []) if query in (u["displayName"] + " " + u["emailAddress"]).lower()]
        return Response(200, jsm_page(found, req))

    jsm_requests.install(cloud, route)
    jsm_assets.install(cloud, route)
