"""servicedesk_create_request: field values checked against the request type before anything is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ..params import text_param
from ..registry import Answer, ToolSpec
from ._common import DESK, MODULE, REQUEST_TYPE, resolve_desk, resolve_request_type

if TYPE_CHECKING:
    from ...services import Services

ACCOUNT_ID = {"type": "string", "minLength": 1, "maxLength": 128}


def _is_rich_text(field: dict[str, Any]) -> bool:
    schema = field.get("jiraSchema") or {}
    return schema.get("system") in ("description", "environment") or str(schema.get("custom", "")).endswith(":textarea")


def _find_field(by_id: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    if name in by_id:
        return by_id[name]
    matches = [f for f in by_id.values() if str(f.get("name") or "").casefold() == name.casefold()]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(f"{f.get('name')} ({f.get('fieldId')})" for f in (matches or by_id.values()))
    if matches:
        raise InvalidInput(f"{len(matches)} fields are named {name!r}: {listed}; use the field id.")
    raise InvalidInput(f"This request type has no field {name!r}; its fields are: {listed}.")


def _option(field: dict[str, Any], given: Any) -> dict[str, Any]:
    wanted = str(given.get("id") or given.get("value") or "") if isinstance(given, dict) else str(given)
    for option in field.get("validValues") or []:
        if wanted == str(option.get("value")) or wanted.casefold() == str(option.get("label") or "").casefold():
            return {"id": str(option.get("value"))}
    labels = ", ".join(str(o.get("label") or o.get("value")) for o in field.get("validValues") or [])
    raise InvalidInput(f"Field '{field.get('name')}' ({field.get('fieldId')}) has no option {wanted!r}; choose one of: {labels}.")


def _convert(field: dict[str, Any], value: Any) -> Any:
    """The value in the shape Jira expects for this field, checked against its valid values."""
    schema = field.get("jiraSchema") or {}
    if field.get("validValues"):
        if schema.get("type") == "array":
            return [_option(field, v) for v in (value if isinstance(value, list) else [value])]
        if isinstance(value, list):
            raise InvalidInput(f"Field '{field.get('name')}' takes one value, not a list.")
        return _option(field, value)
    if _is_rich_text(field) and isinstance(value, str):
        from ...content import markdown_to_adf

        return markdown_to_adf(value)
    if schema.get("type") == "user" and isinstance(value, str):
        return {"accountId": value}
    return value


def build_field_values(meta: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """requestFieldValues from field ids or names to values; raises InvalidInput naming the problem."""
    by_id = {str(f.get("fieldId")): f for f in meta.get("requestTypeFields") or []}
    out: dict[str, Any] = {}
    for name, value in given.items():
        field = _find_field(by_id, name)
        out[str(field["fieldId"])] = _convert(field, value)
    missing = [f for fid, f in by_id.items() if f.get("required") and fid not in out and not f.get("defaultValues") and not f.get("presetValues")]
    if missing:
        listed = ", ".join(f"{f.get('name')} ({f.get('fieldId')})" for f in missing)
        raise InvalidInput(f"Missing required field(s) {listed}; pass them in fields (see servicedesk_get_request_type_fields).")
    return out


def create_request(services: Services, args: dict[str, Any]) -> Answer:
    sd = services.servicedesk
    desk = resolve_desk(services, args["service_desk_id"], numeric=True)
    request_type = resolve_request_type(services, desk, args["request_type_id"])
    meta = sd.request_type_fields(desk, request_type)
    given: dict[str, Any] = dict(args.get("fields") or {})
    if not str(args["summary"]).strip():
        raise InvalidInput("summary must not be blank.")
    given["summary"] = args["summary"]
    if args.get("description"):
        given["description"] = args["description"]
    body: dict[str, Any] = {"serviceDeskId": desk, "requestTypeId": request_type, "requestFieldValues": build_field_values(meta, given)}
    if any(isinstance(v, dict) and v.get("type") == "doc" for v in body["requestFieldValues"].values()):
        body["isAdfRequest"] = True
    if args.get("on_behalf_of"):
        if not meta.get("canRaiseOnBehalfOf"):
            raise InvalidInput("You cannot raise requests of this type on behalf of a customer; leave on_behalf_of out.")
        body["raiseOnBehalfOf"] = args["on_behalf_of"]
    if args.get("participants"):
        if not meta.get("canAddRequestParticipants"):
            raise InvalidInput("This request type does not take participants at creation; add them later with servicedesk_add_participants.")
        body["requestParticipants"] = list(args["participants"])
    created = sd.create_request(body)
    key = created.get("issueKey")
    url = sd.portal_url(created)
    status = (created.get("currentStatus") or {}).get("status")
    type_name = (created.get("requestType") or {}).get("name") or f"request type {request_type}"
    text = f"Created {key} ({type_name}) in service desk {desk}" + (f", status {status}" if status else "") + f".\n{url}"
    return Answer(text, {"key": key, "id": created.get("issueId"), "url": url, "status": status, "service_desk_id": desk, "request_type_id": request_type})


TOOLS = [
    ToolSpec(
        name="servicedesk_create_request",
        title="Raise a customer request",
        description="Raise a customer request; field values are checked first (options by label or id).",
        handler=create_request,
        module=MODULE,
        toolset="servicedesk_requests",
        read_only=False,
        params={
            "service_desk_id": DESK,
            "request_type_id": REQUEST_TYPE,
            "summary": text_param("One-line summary."),
            "description": text_param("Markdown.", 32000),
            "fields": {"type": "object", "maxProperties": 50, "description": "Other fields: id or name -> value."},
            "on_behalf_of": {**ACCOUNT_ID, "description": "Customer account id."},
            "participants": {"type": "array", "items": ACCOUNT_ID, "maxItems": 50, "description": "Account ids."},
        },
        required=("service_desk_id", "request_type_id", "summary"),
    ),
]
