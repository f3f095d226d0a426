"""JSM discovery tools: availability, service desks, request types and their fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import as_dict, bound, cell, fields_block, records, table
from ..params import last_page_note, page_size, text_param, when_or_none
from ..registry import Answer, ToolSpec
from ._common import DESK, MODULE, REQUEST_TYPE, START, resolve_desk, resolve_request_type

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "servicedesk_requests"


def check_availability(services: Services, args: dict[str, Any]) -> Answer:
    from ...clients.servicedesk import ServiceDeskUnavailable

    try:
        info = services.servicedesk.info()
    except ServiceDeskUnavailable as exc:
        return Answer(str(exc), {"available": False})
    data = {
        "available": bool(info.get("isLicensedForUse", True)),
        "version": info.get("version"),
        "platform_version": info.get("platformVersion"),
        "build_date": when_or_none(info.get("buildDate")),
    }
    state = "available" if data["available"] else "installed but not licensed for use"
    return Answer(f"Jira Service Management {data['version'] or ''} is {state} on {services.settings.site_url}.".replace("  ", " "), data)


def list_service_desks(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    result = services.servicedesk.list_service_desks(start=start, limit=args.get("limit", 50))
    desks = [
        {"id": d.get("id"), "project_key": d.get("projectKey"), "name": d.get("projectName"), "project_id": d.get("projectId")}
        for d in records(result.get("values"))
    ]
    text_ = table(["Id", "Project key", "Name"], ([d["id"], d["project_key"], d["name"]] for d in desks)) if desks else "No service desks are visible to you."
    note, next_start = last_page_note(result, start, len(desks), "service desks")
    return Answer(text_ + note, {"service_desks": desks, "next_start": next_start})


def get_service_desk(services: Services, args: dict[str, Any]) -> Answer:
    desk = services.servicedesk.get_service_desk(resolve_desk(services, args["service_desk_id"]))
    data: dict[str, Any] = {"id": desk.get("id"), "project_key": desk.get("projectKey"), "name": desk.get("projectName"), "project_id": desk.get("projectId")}
    data["url"] = f"{services.settings.site_url}/jira/servicedesk/projects/{data['project_key']}"
    lines = [f"# {data['name']} ({data['project_key']})", data["url"], "", fields_block([("Service desk id", data["id"]), ("Project id", data["project_id"])])]
    return Answer("\n".join(lines), data)


def _type_row(rt: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rt.get("id"),
        "name": rt.get("name"),
        "description": rt.get("description") or "",
        "service_desk_id": rt.get("serviceDeskId"),
    }


def list_request_types(services: Services, args: dict[str, Any]) -> Answer:
    sd = services.servicedesk
    start, limit, search = args.get("start", 0), args.get("limit", 50), args.get("search")
    if args.get("service_desk_id") is not None:
        result = sd.list_request_types(resolve_desk(services, args["service_desk_id"]), search=search, start=start, limit=limit)
    else:
        result = sd.list_all_request_types(search=search, start=start, limit=limit)
    types = [_type_row(rt) for rt in records(result.get("values"))]
    if not types:
        return Answer("No request types match." if search else "No request types are visible to you.", {"request_types": [], "next_start": None})
    text_ = table(["Id", "Name", "Desk", "Description"], ([t["id"], t["name"], t["service_desk_id"], cell(t["description"], 80)] for t in types))
    note, next_start = last_page_note(result, start, len(types), "request types")
    return Answer(bound(text_ + note, "pass search or a smaller limit"), {"request_types": types, "next_start": next_start})


def get_request_type(services: Services, args: dict[str, Any]) -> Answer:
    desk = resolve_desk(services, args["service_desk_id"])
    rt = services.servicedesk.get_request_type(desk, resolve_request_type(services, desk, args["request_type_id"]))
    data = _type_row(rt) | {"help_text": rt.get("helpText"), "issue_type_id": rt.get("issueTypeId"), "can_create": rt.get("canCreateRequest")}
    lines = [
        f"# Request type {data['name']} (id {data['id']})",
        "",
        fields_block(
            [
                ("Description", data["description"]),
                ("Help text", data["help_text"]),
                ("Service desk", data["service_desk_id"]),
                ("Issue type id", data["issue_type_id"]),
            ]
        ),
        "",
        "Call servicedesk_get_request_type_fields for the fields a new request needs.",
    ]
    return Answer("\n".join(lines), data)


def field_view(field: dict[str, Any]) -> dict[str, Any]:
    schema = as_dict(field.get("jiraSchema"))
    return {
        "id": field.get("fieldId"),
        "name": field.get("name"),
        "required": bool(field.get("required")),
        "type": schema.get("type"),
        "valid_values": [{"value": v.get("value"), "label": v.get("label")} for v in records(field.get("validValues"))],
        "description": field.get("description") or "",
    }


def get_request_type_fields(services: Services, args: dict[str, Any]) -> Answer:
    desk = resolve_desk(services, args["service_desk_id"])
    rt = resolve_request_type(services, desk, args["request_type_id"])
    meta = services.servicedesk.request_type_fields(desk, rt)
    fields = [field_view(f) for f in records(meta.get("requestTypeFields"))]
    rows = []
    for f in fields:
        values = ", ".join(str(v["label"] or v["value"]) for v in f["valid_values"][:20])
        if len(f["valid_values"]) > 20:
            values += f", … ({len(f['valid_values'])} in all)"
        rows.append([f["id"], f["name"], "yes" if f["required"] else "no", f["type"], values or "any"])
    data = {
        "request_type_id": rt,
        "fields": fields,
        "can_raise_on_behalf_of": bool(meta.get("canRaiseOnBehalfOf")),
        "can_add_participants": bool(meta.get("canAddRequestParticipants")),
    }
    text_ = table(["Field id", "Name", "Required", "Type", "Valid values"], rows) if rows else "This request type has no fields."
    text_ += (
        f"\n\nOn behalf of a customer: {'allowed' if data['can_raise_on_behalf_of'] else 'not allowed'}; "
        f"participants at creation: {'allowed' if data['can_add_participants'] else 'not allowed'}."
    )
    return Answer(bound(text_, "fields with many values are clipped; use the labels shown"), data)


TOOLS = [
    ToolSpec(
        name="servicedesk_check_availability",
        title="Check Jira Service Management",
        description="Check whether Jira Service Management is available on this site, and its version.",
        handler=check_availability,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
    ),
    ToolSpec(
        name="servicedesk_list_service_desks",
        title="List service desks",
        description="List the service desks you can see: id, project key, name.",
        handler=list_service_desks,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"limit": page_size(50), "start": START},
    ),
    ToolSpec(
        name="servicedesk_get_service_desk",
        title="Read a service desk",
        description="Show one service desk: id, project key, name and link.",
        handler=get_service_desk,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"service_desk_id": DESK},
        required=("service_desk_id",),
    ),
    ToolSpec(
        name="servicedesk_list_request_types",
        title="List request types",
        description="List request types (id, name) of a service desk, or of all desks.",
        handler=list_request_types,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "service_desk_id": DESK,
            "search": text_param("Filter by name."),
            "limit": page_size(50),
            "start": START,
        },
    ),
    ToolSpec(
        name="servicedesk_get_request_type",
        title="Read a request type",
        description="Show one request type: description, help text and issue type.",
        handler=get_request_type,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"service_desk_id": DESK, "request_type_id": REQUEST_TYPE},
        required=("service_desk_id", "request_type_id"),
    ),
    ToolSpec(
        name="servicedesk_get_request_type_fields",
        title="Fields of a request type",
        description="List a request type's fields: id, name, required, valid values. Call it before servicedesk_create_request.",
        handler=get_request_type_fields,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"service_desk_id": DESK, "request_type_id": REQUEST_TYPE},
        required=("service_desk_id", "request_type_id"),
    ),
]
