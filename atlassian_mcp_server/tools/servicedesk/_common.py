"""Shared pieces of the JSM and Assets tools: parameter shapes, name resolution, small renderers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ...errors import InvalidInput
from ...render import name_of, records, stamp

MODULE = "service_desk"
ID_TYPES = "string"  # ids are strings in JSM and Assets JSON; a model sends "2" when the schema says so
# Empty ids need no schema rule: path() refuses empty, "." and ".." segments with a clear message.
KEY = {"type": "string", "maxLength": 255, "description": "Request key, e.g. HELP-12."}
DESK = {"type": ID_TYPES, "maxLength": 255, "description": "Service desk id, key or name."}
REQUEST_TYPE = {"type": ID_TYPES, "maxLength": 255, "description": "Request type id or name."}
START = {"type": "integer", "minimum": 0, "description": "Paging offset."}


def page_size(default: int, maximum: int = 100) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default, "description": "Page size."}


_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,254}$")


def text(value: Any) -> str:
    """A string argument that the schema may also let through as an integer id."""
    return str(value).strip()


def when(date: Any) -> str | None:
    """A JSM DateDTO (or ISO string, or epoch milliseconds) as 'YYYY-MM-DD HH:MM'."""
    if isinstance(date, dict) and isinstance(date.get("epochMillis"), (int, float)) and not (date.get("iso8601") or date.get("jira")):
        date = date["epochMillis"]
    return stamp(date) or None


def who(user: Any) -> str | None:
    return name_of(user, "displayName", "emailAddress", "accountId")


def paged(result: dict[str, Any], start: int, shown: int, what: str) -> tuple[str, int | None]:
    """The paging note for a JSM page (`isLastPage`) and the start of the next page, if any."""
    if result.get("isLastPage", True):
        return "", None
    nxt = start + shown
    return f"\n\nMore {what}: call again with start={nxt}.", nxt


def pick(candidates: Iterable[dict[str, Any]], wanted: str, what: str, *, id_key: str = "id", name_key: str = "name") -> dict[str, Any]:
    """The one candidate whose id or name (any case) is `wanted`; an InvalidInput listing the options otherwise."""
    items = list(candidates)
    for item in items:
        if str(item.get(id_key)) == wanted:
            return item
    matches = [i for i in items if str(i.get(name_key) or "").casefold() == wanted.casefold()]
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(f"{i.get(name_key)} (id {i.get(id_key)})" for i in (matches or items)[:25]) or "none"
    if matches:
        raise InvalidInput(f"{len(matches)} {what}s are named {wanted!r}: {shown}; pass the id instead.")
    raise InvalidInput(f"No {what} is named {wanted!r}; choose one of: {shown}.")


def resolve_desk(services: Any, value: Any, *, numeric: bool = False) -> str:
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


def resolve_request_type(services: Any, desk: str, value: Any) -> str:
    wanted = text(value)
    if wanted.isdigit():
        return wanted
    found = records((services.servicedesk.list_request_types(desk, search=wanted, limit=100) or {}).get("values"))
    if not found:
        found = records((services.servicedesk.list_request_types(desk, limit=100) or {}).get("values"))
    return str(pick(found, wanted, "request type").get("id"))
