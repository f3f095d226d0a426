"""Shared pieces of the JSM and Assets tools: parameter shapes, service desk and request type lookup, small renderers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...render import name_of, records
from ..params import pick

if TYPE_CHECKING:
    from ...services import Services

MODULE = "service_desk"
ID_TYPES = "string"  # ids are strings in JSM and Assets JSON; a model sends "2" when the schema says so
# Empty ids need no schema rule: path() refuses empty, "." and ".." segments with a clear message.
KEY = {"type": "string", "maxLength": 255, "description": "Request key, e.g. HELP-12."}
DESK = {"type": ID_TYPES, "maxLength": 255, "description": "Service desk id, key or name."}
REQUEST_TYPE = {"type": ID_TYPES, "maxLength": 255, "description": "Request type id or name."}
START = {"type": "integer", "minimum": 0, "description": "Paging offset."}


_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,254}$")


def text(value: Any) -> str:
    """A string argument that the schema may also let through as an integer id."""
    return str(value).strip()


def who(user: Any) -> str | None:
    return name_of(user, "displayName", "emailAddress", "accountId")


def resolve_desk(services: Services, value: Any, *, numeric: bool = False) -> str:
    """A service desk reference for a URL path (id or project key), or its numeric id when asked.

    Digits are taken as an id and an upper-case word as a project key (both valid in JSM paths);
    anything else is a name, looked up among the desks you can see.
    """
    wanted = text(value)
    sd = services.servicedesk
    if wanted.isdigit():
        return wanted
    if _PROJECT_KEY.match(wanted):
        return str(sd.get_service_desk(wanted).get("id")) if numeric else wanted
    desks = records((sd.list_service_desks(limit=100) or {}).get("values"))
    keyed = [d for d in desks if str(d.get("projectKey") or "").casefold() == wanted.casefold()]
    return str((keyed[0] if keyed else pick(desks, wanted, "service desk", name_key="projectName")).get("id"))


def resolve_request_type(services: Services, desk: str, value: Any) -> str:
    wanted = text(value)
    if wanted.isdigit():
        return wanted
    found = records((services.servicedesk.list_request_types(desk, search=wanted, limit=100) or {}).get("values"))
    if not found:
        found = records((services.servicedesk.list_request_types(desk, limit=100) or {}).get("values"))
    return str(pick(found, wanted, "request type").get("id"))
