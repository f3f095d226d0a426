"""Assets (CMDB) tools: find, read, create and update objects; values from users are quoted into AQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, as_list, bound, fields_block, guarded, records, stamp, table, value_text
from ..params import page_size, pick, text_param
from ..query import narrow
from ..registry import Answer, ToolSpec
from ._common import ID_TYPES, MODULE, START, text

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "assets"
OBJECT = {"type": ID_TYPES, "maxLength": 255, "description": "Object id or key, e.g. ITAM-42."}
VALUES = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 50,
    "description": "Attribute name or id -> value (a list for several; a referenced object by key).",
}


def _attributes(obj: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for attr in as_list(obj.get("attributes")):
        attr = as_dict(attr)
        type_attr = as_dict(attr.get("objectTypeAttribute"))
        type_id = value_text(attr.get("objectTypeAttributeId"))
        name = value_text(type_attr.get("name")) or names.get(str(type_id)) or str(type_id)
        shown = [guarded(_attribute_value, v) for v in as_list(attr.get("objectAttributeValues"))]
        if any(shown):
            out[name] = ", ".join(s for s in shown if s)
    return out


def _attribute_value(v: Any) -> str | None:
    if not isinstance(v, dict):
        return value_text(v)
    ref = as_dict(v.get("referencedObject"))
    return (
        value_text(v.get("displayValue")) or value_text(ref.get("label")) or value_text(v.get("value")) or value_text(as_dict(v.get("user")).get("displayName"))
    )


def object_view(obj: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    kind = as_dict(obj.get("objectType"))
    return {
        "id": str(obj.get("id")),
        "key": value_text(obj.get("objectKey")),
        "label": value_text(obj.get("label")),
        "type": value_text(kind.get("name")),
        "type_id": str(kind.get("id")),
        "updated": stamp(obj.get("updated")) or None,
        "url": value_text(as_dict(obj.get("_links")).get("self")),
        "attributes": _attributes(obj, names or {}),
    }


def list_workspaces(services: Services, args: dict[str, Any]) -> Answer:
    found = [str(w) for w in services.assets.workspaces() if w]
    if not found:
        return Answer("This site has no Assets workspace (Assets comes with JSM Premium or Enterprise).", {"workspaces": [], "used": None})
    used = services.assets.workspace_id()
    return Answer(f"Assets workspace id(s): {', '.join(found)}; the assets_* tools use {used}.", {"workspaces": found, "used": used})


def build_aql(args: dict[str, Any]) -> str:
    """The caller's own AQL, AND-ed with equality filters whose names and values are quoted literals."""
    from ...clients.assets import aql_string

    parts = []
    if args.get("object_type"):
        parts.append(f"objectType = {aql_string(args['object_type'])}")
    for name, value in (args.get("where") or {}).items():
        parts.append(f"{aql_string(name)} = {aql_string(value)}")
    if not parts and not (args.get("aql") or "").strip():
        raise InvalidInput("Give aql, object_type or where, e.g. object_type='Laptop' and where={'Owner': 'Ada'}.")
    return narrow(args.get("aql"), *parts)  # the caller's AQL can only narrow the filters (tools/query.py)


def search_objects(services: Services, args: dict[str, Any]) -> Answer:
    aql, start = build_aql(args), args.get("start", 0)
    result = services.assets.search(aql, start=start, limit=args.get("limit", 25))
    names = _names(result)
    objects = [object_view(o, names) for o in as_list(result.get("values")) if isinstance(o, dict)]
    if not objects:
        return Answer(f"No Assets objects match `{aql}`.", {"aql": aql, "objects": [], "next_start": None})
    text_ = f"{len(objects)} object(s) for `{aql}`" + (f" of {value_text(result['total'])}" if result.get("total") is not None else "") + ":\n\n"
    rows = ([o["key"], o["label"], o["type"], o["id"], o["updated"], "; ".join(f"{k}: {v}" for k, v in o["attributes"].items())] for o in objects)
    text_ += table(["Key", "Label", "Type", "Id", "Updated", "Attributes"], rows, limit=400)
    next_start = None if result.get("isLast", True) else start + len(objects)
    if next_start is not None:
        text_ += f"\n\nMore objects: call again with start={next_start}."
    return Answer(bound(text_, "narrow the AQL or lower limit"), {"aql": aql, "objects": objects, "next_start": next_start})


def _load(services: Services, ref: Any) -> dict[str, Any]:
    """An object's view by id, or by key through a quoted AQL search."""
    from ...clients.assets import aql_string

    wanted = text(ref)
    if wanted.isdigit():
        return object_view(services.assets.get_object(wanted))
    result = services.assets.search(f"Key = {aql_string(wanted)}", limit=1)
    found = [o for o in as_list(result.get("values")) if isinstance(o, dict)]
    if not found:
        raise InvalidInput(f"No Assets object has the key {wanted!r}; find it with assets_search_objects.")
    return object_view(found[0], _names(result))


def _names(result: dict[str, Any]) -> dict[str, str]:
    """Attribute id -> name from a search answer's `objectTypeAttributes`."""
    return {str(a.get("id")): str(a.get("name")) for a in as_list(result.get("objectTypeAttributes")) if isinstance(a, dict) and a.get("name")}


def get_object(services: Services, args: dict[str, Any]) -> Answer:
    o = _load(services, args["object_id"])
    lines = [
        f"# {o['key']}: {o['label']}",
        o["url"] or "",
        "",
        fields_block([("Type", f"{o['type']} (id {o['type_id']})"), ("Object id", o["id"]), ("Updated", o["updated"])]),
    ]
    if o["attributes"]:
        lines += ["", "## Attributes", "", fields_block(o["attributes"].items())]
    return Answer(bound("\n".join(lines), "search with fewer attributes"), o)


def _type_rows(types: list[dict[str, Any]], schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(t.get("id")),
            "name": t.get("name"),
            "objects": t.get("objectCount"),
            "parent_id": t.get("parentObjectTypeId"),
            "schema": schema.get("name"),
            "schema_id": str(schema.get("id")),
        }
        for t in types
    ]


def get_object_types(services: Services, args: dict[str, Any]) -> Answer:
    schemas = records(services.assets.schemas(limit=50).get("values"))
    if args.get("schema"):
        wanted = text(args["schema"])
        keyed = [s for s in schemas if str(s.get("objectSchemaKey") or "").casefold() == wanted.casefold()]
        schemas = keyed[:1] or [pick(schemas, wanted, "object schema")]
    rows = [r for s in schemas[:20] for r in _type_rows(records(services.assets.object_types(str(s.get("id")))), s)]
    if not rows:
        return Answer("No object types found.", {"object_types": []})
    text_ = table(["Schema", "Type id", "Name", "Objects", "Parent id"], ([r["schema"], r["id"], r["name"], r["objects"], r["parent_id"]] for r in rows))
    return Answer(bound(text_, "pass schema to see one schema"), {"object_types": rows})


def _resolve_type(services: Services, ref: Any) -> str:
    wanted = text(ref)
    if wanted.isdigit():
        return wanted
    types = [t for s in records(services.assets.schemas(limit=50).get("values")) for t in services.assets.object_types(str(s.get("id")))]
    return str(pick(types, wanted, "object type")["id"])


def _attribute_payload(services: Services, type_id: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    known = [a for a in services.assets.type_attributes(type_id) if a.get("editable", True)]
    payload = []
    for name, value in values.items():
        attr = pick(known, str(name), f"attribute of object type {type_id}")
        items = value if isinstance(value, list) else [value]
        payload.append({"objectTypeAttributeId": str(attr["id"]), "objectAttributeValues": [{"value": "" if v is None else str(v)} for v in items]})
    return payload


def create_object(services: Services, args: dict[str, Any]) -> Answer:
    type_id = _resolve_type(services, args["object_type"])
    created = object_view(services.assets.create_object(type_id, _attribute_payload(services, type_id, args["attributes"])))
    text_ = f"Created Assets object {created['key']} ('{created['label']}', id {created['id']}) of type {created['type'] or type_id}.\n{created['url'] or ''}".rstrip()
    return Answer(text_, {k: created[k] for k in ("id", "key", "label", "type", "url")})


def update_object(services: Services, args: dict[str, Any]) -> Answer:
    current = _load(services, args["object_id"])
    payload = _attribute_payload(services, current["type_id"], args["attributes"])
    updated = object_view(services.assets.update_object(current["id"], current["type_id"], payload))
    changed = ", ".join(str(n) for n in args["attributes"])
    text_ = (
        f"Updated Assets object {updated['key'] or current['key']} ('{updated['label']}'): set {changed}.\n{updated['url'] or current['url'] or ''}".rstrip()
    )
    return Answer(
        text_, {"id": current["id"], "key": updated["key"] or current["key"], "changed": list(args["attributes"]), "url": updated["url"] or current["url"]}
    )


def _spec(name: str, title: str, description: str, handler: Any, params: dict[str, Any], required: tuple[str, ...] = (), **kw: Any) -> ToolSpec:
    return ToolSpec(name=name, title=title, description=description, handler=handler, module=MODULE, toolset=TOOLSET, params=params, required=required, **kw)


TOOLS = [
    ToolSpec(
        name="assets_list_workspaces",
        title="Assets workspaces",
        description="List the site's Assets (CMDB) workspace ids.",
        handler=list_workspaces,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
    ),
    _spec(
        "assets_search_objects",
        "Find Assets objects",
        "Find Assets objects by AQL, or by object_type and where (values quoted for you).",
        search_objects,
        {
            "aql": text_param("AQL, e.g. objectType = Laptop.", 2000),
            "object_type": text_param("Object type name."),
            "where": {"type": "object", "maxProperties": 20, "description": "Attribute -> exact value."},
            "limit": page_size(25),
            "start": START,
        },
        read_only=True,
    ),
    _spec(
        "assets_get_object",
        "Read an Assets object",
        "Read one Assets object with its attribute values.",
        get_object,
        {"object_id": OBJECT},
        ("object_id",),
        read_only=True,
    ),
    _spec(
        "assets_get_object_types",
        "Assets object types",
        "List Assets object types (id, name, object count) per schema.",
        get_object_types,
        {"schema": text_param("Schema id, key or name.")},
        read_only=True,
    ),
    _spec(
        "assets_create_object",
        "Create an Assets object",
        "Create an Assets object of a type, setting attributes by name.",
        create_object,
        {"object_type": {"type": ID_TYPES, "maxLength": 255, "description": "Object type id or name."}, "attributes": VALUES},
        ("object_type", "attributes"),
        read_only=False,
        idempotent=False,
    ),
    _spec(
        "assets_update_object",
        "Update an Assets object",
        "Set attribute values of an Assets object; attributes not named stay as they are.",
        update_object,
        {"object_id": OBJECT, "attributes": VALUES},
        ("object_id", "attributes"),
        read_only=False,
        idempotent=True,
    ),
]
