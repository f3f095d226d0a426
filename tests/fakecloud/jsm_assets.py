"""Fake JSM Assets (CMDB) on the API gateway path, with a small AQL subset (AND of `name = value`).

There is no Assets OpenAPI document in shared/atlassian-openapi, so ASSETS_OPERATIONS lists the
operations the server uses, taken from Atlassian's Assets REST API reference
(https://developer.atlassian.com/cloud/assets/rest/), and registers them with openapi.py as
documented operations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import Request, Response, openapi

GATEWAY = "/jsm/assets/workspace/{workspaceId}/v1"
# (method, template, the OAuth scopes the reference names for it)
ASSETS_OPERATIONS = [
    ("POST", GATEWAY + "/object/aql", ("read:cmdb-object:jira",)),
    ("GET", GATEWAY + "/object/{id}", ("read:cmdb-object:jira",)),
    ("PUT", GATEWAY + "/object/{id}", ("write:cmdb-object:jira",)),
    ("POST", GATEWAY + "/object/create", ("write:cmdb-object:jira",)),
    ("GET", GATEWAY + "/objectschema/list", ("read:cmdb-schema:jira",)),
    ("GET", GATEWAY + "/objectschema/{id}/objecttypes/flat", ("read:cmdb-type:jira",)),
    ("GET", GATEWAY + "/objecttype/{id}/attributes", ("read:cmdb-attribute:jira",)),
]
WORKSPACE = "ws-0001"
_TOKEN = re.compile(r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<op>[()=])|(?P<word>[^\s()="]+))')


class AqlError(ValueError):
    pass


def parse_aql(aql: str) -> list[tuple[str, str]]:
    """`a = "b" AND (c = d)` -> [(a, b), (c, d)]; anything else (OR, !=, like...) is an error."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(aql.rstrip()):
        m = _TOKEN.match(aql, pos)
        if not m or m.end() == pos:
            raise AqlError(f"cannot parse AQL at {aql[pos:]!r}")
        pos = m.end()
        if m.group("q"):
            tokens.append(("str", re.sub(r"\\(.)", r"\1", m.group("q")[1:-1])))
        elif m.group("op") in ("(", ")"):
            continue
        elif m.group("op"):
            tokens.append(("op", "="))
        else:
            tokens.append(("word", m.group("word")))
    conditions = []
    while tokens:
        if len(tokens) < 3 or tokens[1] != ("op", "="):
            raise AqlError(f"the fake only understands `name = value` joined by AND, not {tokens[:3]}")
        conditions.append((tokens[0][1], tokens[2][1]))
        tokens = tokens[3:]
        if tokens:
            if tokens[0][0] != "word" or tokens[0][1].upper() != "AND":
                raise AqlError(f"the fake only understands AND, not {tokens[0][1]!r}")
            tokens = tokens[1:]
    return conditions


def seed(state: dict[str, Any]) -> None:
    state["assets_workspaces"] = [WORKSPACE]
    state["assets_schemas"] = [{"id": "1", "name": "IT Assets", "objectSchemaKey": "ITAM", "status": "Ok", "objectCount": 3, "objectTypeCount": 2}]
    state["assets_types"] = {
        "10": {"id": "10", "name": "Laptop", "objectSchemaId": "1", "parentObjectTypeId": None},
        "11": {"id": "11", "name": "Monitor", "objectSchemaId": "1", "parentObjectTypeId": None},
    }
    names = {"10": ["Key", "Name", "Owner", "Serial number", "Status"], "11": ["Key", "Name", "Size"]}
    state["assets_attributes"] = {
        tid: [{"id": f"{tid}{n}", "name": name, "label": name == "Name", "editable": name != "Key", "objectType": {"id": tid}} for n, name in enumerate(attrs)]
        for tid, attrs in names.items()
    }
    state["assets_objects"] = {}
    for oid, tid, values in [
        ("88", "10", {"Name": "MacBook Pro 14 (Ada)", "Owner": "Ada Agent", "Serial number": "C02XYZ", "Status": "In use"}),
        ("89", "10", {"Name": 'ThinkPad "X1" Carbon', "Owner": "Bob Builder", "Serial number": "PF-2B\\77", "Status": "Spare"}),
        ("90", "11", {"Name": "Dell 27", "Size": "27"}),
    ]:
        state["assets_objects"][oid] = {"id": oid, "key": f"ITAM-{int(oid) - 87}", "type": tid, "values": values}
    state["assets_aql_log"] = []


def install(cloud: Any, route: Callable[[str, str], Any]) -> None:
    for method, template, scopes in ASSETS_OPERATIONS:
        openapi.register_extra(method, template, "assets (Atlassian Assets REST reference)", scopes)
    state = cloud.state

    def attrs_of(tid: str) -> list[dict[str, Any]]:
        return state["assets_attributes"][tid]

    def view(obj: dict[str, Any], inline: bool) -> dict[str, Any]:
        t = state["assets_types"][obj["type"]]
        attributes = []
        for a in attrs_of(obj["type"]):
            value = obj["key"] if a["name"] == "Key" else obj["values"].get(a["name"])
            if value is None:
                continue
            item: dict[str, Any] = {"objectTypeAttributeId": a["id"], "objectAttributeValues": [{"value": value, "displayValue": value}]}
            if inline:
                item["objectTypeAttribute"] = {"id": a["id"], "name": a["name"]}
            attributes.append(item)
        return {
            "workspaceId": WORKSPACE,
            "id": obj["id"],
            "objectKey": obj["key"],
            "label": obj["values"].get("Name"),
            "objectType": {"id": t["id"], "name": t["name"], "objectSchemaId": t["objectSchemaId"]},
            "created": "2026-10-01T09:00:00.000Z",
            "updated": "2026-11-01T09:00:00.000Z",
            "hasAvatar": False,
            "attributes": attributes,
            "_links": {"self": f"{cloud.url}/jira/servicedesk/assets/object-schema/1?typeId={t['id']}&objectId={obj['id']}"},
        }

    def workspace_ok(req: Request) -> Response | None:
        if req.vars["workspaceId"] not in state["assets_workspaces"]:
            return Response(404, {"errorMessages": [f"Workspace {req.vars['workspaceId']} not found"], "errors": {}})
        return None

    def gateway(method: str, suffix: str) -> Callable[[Callable[[Request], Response]], Any]:
        def register(fn: Callable[[Request], Response]) -> Any:
            def checked(req: Request) -> Response:
                return workspace_ok(req) or fn(req)

            return route(method, GATEWAY + suffix)(checked)

        return register

    def matches(obj: dict[str, Any], name: str, value: str) -> bool:
        if name == "objectType":
            return state["assets_types"][obj["type"]]["name"] == value
        if name == "Key":
            return obj["key"] == value
        if name not in {a["name"] for a in attrs_of(obj["type"])}:
            return False
        return obj["values"].get(name) == value

    @gateway("POST", "/object/aql")
    def search(req: Request) -> Response:
        aql = (req.json() or {}).get("qlQuery", "")
        state["assets_aql_log"].append(aql)
        try:
            conditions = parse_aql(aql)
        except AqlError as exc:
            return Response(400, {"errorMessages": [f"AQL is not valid: {exc}"], "errors": {}})
        hits = [o for o in state["assets_objects"].values() if all(matches(o, n, v) for n, v in conditions)]
        start, limit = max(0, req.int_arg("startAt", 0)), max(1, min(req.int_arg("maxResults", 25), 100))
        page = hits[start : start + limit]
        types = {o["type"] for o in page}
        return Response(
            200,
            {
                "startAt": start,
                "maxResults": limit,
                "total": len(hits),
                "isLast": start + limit >= len(hits),
                "values": [view(o, False) for o in page],
                "objectTypeAttributes": [a for t in sorted(types) for a in attrs_of(t)],
            },
        )

    @gateway("GET", "/object/{id}")
    def get_object(req: Request) -> Response:
        obj = state["assets_objects"].get(req.vars["id"])
        return Response(200, view(obj, True)) if obj else Response(404, {"errorMessages": [f"Object {req.vars['id']} not found"], "errors": {}})

    def apply(obj_type: str, attributes: list[dict[str, Any]]) -> dict[str, str] | Response:
        by_id = {a["id"]: a for a in attrs_of(obj_type)}
        out = {}
        for item in attributes:
            a = by_id.get(str(item.get("objectTypeAttributeId")))
            if a is None or not a["editable"]:
                return Response(
                    400, {"errorMessages": [], "errors": {"attributes": f"attribute {item.get('objectTypeAttributeId')} is not editable on type {obj_type}"}}
                )
            out[a["name"]] = ", ".join(str(v.get("value")) for v in item.get("objectAttributeValues") or [])
        return out

    @gateway("POST", "/object/create")
    def create(req: Request) -> Response:
        body = req.json() or {}
        state["assets_last_body"] = body
        tid = str(body.get("objectTypeId"))
        if tid not in state["assets_types"]:
            return Response(400, {"errorMessages": [f"Object type {tid} not found"], "errors": {}})
        values = apply(tid, body.get("attributes") or [])
        if isinstance(values, Response):
            return values
        oid = str(max(int(k) for k in state["assets_objects"]) + 1)
        obj = {"id": oid, "key": f"ITAM-{int(oid) - 87}", "type": tid, "values": values}
        state["assets_objects"][oid] = obj
        return Response(201, view(obj, False))

    @gateway("PUT", "/object/{id}")
    def update(req: Request) -> Response:
        obj = state["assets_objects"].get(req.vars["id"])
        if obj is None:
            return Response(404, {"errorMessages": [f"Object {req.vars['id']} not found"], "errors": {}})
        body = req.json() or {}
        state["assets_last_body"] = body
        values = apply(obj["type"], body.get("attributes") or [])
        if isinstance(values, Response):
            return values
        obj["values"].update(values)
        return Response(200, view(obj, False))

    @gateway("GET", "/objectschema/list")
    def schemas(req: Request) -> Response:
        values = state["assets_schemas"]
        return Response(200, {"startAt": 0, "maxResults": 50, "total": len(values), "isLast": True, "values": values})

    @gateway("GET", "/objectschema/{id}/objecttypes/flat")
    def types(req: Request) -> Response:
        found = [
            dict(t, objectCount=sum(o["type"] == t["id"] for o in state["assets_objects"].values()))
            for t in state["assets_types"].values()
            if t["objectSchemaId"] == req.vars["id"]
        ]
        return Response(200, found)

    @gateway("GET", "/objecttype/{id}/attributes")
    def attributes(req: Request) -> Response:
        if req.vars["id"] not in state["assets_attributes"]:
            return Response(404, {"errorMessages": [f"Object type {req.vars['id']} not found"], "errors": {}})
        return Response(200, attrs_of(req.vars["id"]))

    @route("GET", "/rest/servicedeskapi/assets/workspace")
    def workspaces(req: Request) -> Response:
        values = [{"workspaceId": w} for w in state["assets_workspaces"]]
        return Response(200, {"size": len(values), "start": 0, "limit": 50, "isLastPage": True, "values": values, "_links": {}})
