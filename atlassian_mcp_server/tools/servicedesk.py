"""Jira Service Management tools: service desks."""

from __future__ import annotations

from typing import Any

from ..render import table
from . import limit_param
from .registry import Answer, ToolSpec


def list_service_desks(services: Any, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    result = services.servicedesk.list_service_desks(start=start, limit=args.get("limit", 50))
    desks = [
        {"id": d.get("id"), "project_key": d.get("projectKey"), "name": d.get("projectName"), "project_id": d.get("projectId")}
        for d in result.get("values") or []
    ]
    text = table(["Id", "Project key", "Name"], ([d["id"], d["project_key"], d["name"]] for d in desks)) if desks else "No service desks are visible to you."
    more = not result.get("isLastPage", True)
    next_start = start + len(desks) if more else None
    if more:
        text += f"\n\nMore service desks: call again with start={next_start}."
    return Answer(text, {"service_desks": desks, "next_start": next_start})


TOOLSETS = {"servicedesk_requests": "Service desks and customer requests"}

TOOLS = [
    ToolSpec(
        name="servicedesk_list_service_desks",
        title="List service desks",
        description="List the Jira Service Management service desks you can see (id, project key, name); the id is what request tools need.",
        handler=list_service_desks,
        module="service_desk",
        toolset="servicedesk_requests",
        read_only=True,
        params={
            "limit": limit_param(50, 100, "service desks"),
            "start": {"type": "integer", "minimum": 0, "maximum": 100000, "default": 0, "description": "Index of the first result, for paging."},
        },
    ),
]
