"""Jira versions (releases), components and saved filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, bound, fields_block, records, table
from ..params import page_size, paging_note, pick, text_param
from ..registry import Answer, ToolSpec
from .shared import MODULE, PROJECT_KEY, START_AT, USER, person, resolve_user

if TYPE_CHECKING:
    from ...services import Services

RELEASES = "jira_releases"
FILTERS = "jira_filters"

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD."}
VERSION = text_param("Id, or name with project_key.")


def _version_row(v: dict[str, Any]) -> dict[str, Any]:
    state = "archived" if v.get("archived") else "released" if v.get("released") else "unreleased"
    return {
        "id": v.get("id"),
        "name": v.get("name"),
        "state": state,
        "start_date": v.get("startDate"),
        "release_date": v.get("releaseDate"),
        "overdue": bool(v.get("overdue")),
        "description": v.get("description"),
    }


def list_versions(services: Services, args: dict[str, Any]) -> Answer:
    project, start = args["project_key"], args.get("start_at", 0)
    status = ",".join(args.get("status") or []) or None
    page = as_dict(services.jira.versions(project, query=args.get("query"), status=status, start_at=start, limit=args.get("limit", 50)))
    versions = [_version_row(v) for v in records(page.get("values"))]
    rows = [[v["name"], v["id"], v["state"] + (" (overdue)" if v["overdue"] else ""), v["start_date"], v["release_date"], v["description"]] for v in versions]
    note, next_start = paging_note(start, len(rows), page.get("total"), page.get("isLast"))
    text = (
        f"No versions in {project} match."
        if not rows
        else f"Versions of {project}:\n\n" + table(["Name", "Id", "State", "Start", "Release", "Description"], rows) + note
    )
    return Answer(bound(text, "filter with query or status, or page with start_at"), {"project": project, "versions": versions, "next_start_at": next_start})


def _dates_and_flags(args: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for arg, key in (
        ("description", "description"),
        ("start_date", "startDate"),
        ("release_date", "releaseDate"),
        ("released", "released"),
        ("archived", "archived"),
    ):
        if args.get(arg) is not None:
            body[key] = args[arg]
    if body.get("startDate") and body.get("releaseDate") and body["startDate"] > body["releaseDate"]:
        raise InvalidInput("start_date must not be after release_date.")
    return body


def _version_answer(verb: str, v: dict[str, Any], project: str) -> Answer:
    row = _version_row(v)
    pairs = [("Id", row["id"]), ("State", row["state"]), ("Start", row["start_date"]), ("Release", row["release_date"]), ("Description", row["description"])]
    return Answer(f"{verb} version {row['name']} in {project}.\n" + fields_block(pairs), {"project": project, **row})


def create_version(services: Services, args: dict[str, Any]) -> Answer:
    project = services.jira.project(args["project_key"])
    body = {"name": args["name"].strip(), "projectId": int(project["id"]), **_dates_and_flags(args)}
    return _version_answer("Created", services.jira.create_version(body), str(project.get("key")))


def _find_version(services: Services, wanted: str, project: str | None) -> dict[str, Any]:
    if project:
        return pick(services.jira.versions(project, limit=100).get("values") or [], wanted, "version")
    if wanted.isdigit():
        return services.jira.version(wanted)
    raise InvalidInput(f"Version {wanted!r} is a name: give project_key too, or the version id.")


def update_version(services: Services, args: dict[str, Any]) -> Answer:
    version = _find_version(services, args["version"].strip(), args.get("project_key"))
    changes = _dates_and_flags(args)
    if args.get("name"):
        changes["name"] = args["name"].strip()
    if not changes:
        raise InvalidInput("Nothing to change: give name, description, start_date, release_date, released or archived.")
    updated = services.jira.update_version(str(version["id"]), changes)
    return _version_answer("Updated", updated, args.get("project_key") or str(updated.get("projectId") or version.get("projectId")))


def list_components(services: Services, args: dict[str, Any]) -> Answer:
    project, start = args["project_key"], args.get("start_at", 0)
    page = as_dict(services.jira.components(project, query=args.get("query"), start_at=start, limit=args.get("limit", 50)))
    found = records(page.get("values"))
    comps = [
        {"id": c.get("id"), "name": c.get("name"), "lead": person(c.get("lead")), "assignee_type": c.get("assigneeType"), "description": c.get("description")}
        for c in found
    ]
    rows = [[c["name"], c["id"], c["lead"], c["assignee_type"], c["description"]] for c in comps]
    note, next_start = paging_note(start, len(rows), page.get("total"), page.get("isLast"))
    text = (
        f"No components in {project} match."
        if not rows
        else f"Components of {project}:\n\n" + table(["Name", "Id", "Lead", "Default assignee", "Description"], rows) + note
    )
    return Answer(bound(text, "filter with query or page with start_at"), {"project": project, "components": comps, "next_start_at": next_start})


def create_component(services: Services, args: dict[str, Any]) -> Answer:
    project = str(services.jira.project(args["project_key"]).get("key"))
    body: dict[str, Any] = {"name": args["name"].strip(), "project": project}
    if args.get("description"):
        body["description"] = args["description"]
    lead_name = None
    if args.get("lead"):
        body["leadAccountId"], lead_name = resolve_user(services, args["lead"])
    if args.get("default_assignee"):
        body["assigneeType"] = args["default_assignee"]
    c = services.jira.create_component(body)
    pairs = [
        ("Id", c.get("id")),
        ("Lead", person(c.get("lead")) or lead_name),
        ("Default assignee", c.get("assigneeType")),
        ("Description", c.get("description")),
    ]
    data = {"project": project, "id": c.get("id"), "name": c.get("name"), "lead": person(c.get("lead")) or lead_name, "assignee_type": c.get("assigneeType")}
    return Answer(f"Created component {c.get('name')} in {project}.\n" + fields_block(pairs), data)


def _filter_row(f: dict[str, Any]) -> dict[str, Any]:
    return {"id": f.get("id"), "name": f.get("name"), "owner": person(f.get("owner")), "favourite": bool(f.get("favourite")), "jql": f.get("jql")}


def list_filters(services: Services, args: dict[str, Any]) -> Answer:
    name, start = (args.get("name") or "").strip(), args.get("start_at", 0)
    if name:
        page = as_dict(services.jira.search_filters(name, start_at=start, limit=args.get("limit", 50)))
        found = records(page.get("values"))
        note, next_start = paging_note(start, len(found), page.get("total"), page.get("isLast"))
        empty = f"No filter you can see is named like {name!r}."
    else:
        found, note, next_start = records(services.jira.my_filters()), "", None
        empty = "You have no filters and no favourite filters; search by name with name=."
    filters = [_filter_row(f) for f in found]
    rows = [[f["name"], f["id"], f["owner"], "yes" if f["favourite"] else "", f["jql"]] for f in filters]
    text = empty if not rows else table(["Name", "Id", "Owner", "Favourite", "JQL"], rows) + note + "\n\nRun one with jira_search and its JQL."
    return Answer(bound(text, "search by name or page with start_at"), {"filters": filters, "next_start_at": next_start})


def get_filter(services: Services, args: dict[str, Any]) -> Answer:
    f = as_dict(services.jira.filter(args["filter_id"]))
    row = _filter_row(f)
    pairs = [("Id", row["id"]), ("Owner", row["owner"]), ("Favourite", "yes" if row["favourite"] else "no"), ("Description", f.get("description"))]
    text = f"# {row['name']}\n" + fields_block(pairs) + f"\n\nJQL (run it with jira_search):\n\n```\n{row['jql'] or ''}\n```"
    return Answer(text, {**row, "description": f.get("description"), "url": f.get("viewUrl")})


def delete_attachment(services: Services, args: dict[str, Any]) -> Answer:
    meta = services.jira.attachment(args["attachment_id"])
    services.jira.delete_attachment(args["attachment_id"])
    name = meta.get("filename") or args["attachment_id"]
    return Answer(f"Deleted attachment {name} ({args['attachment_id']}).", {"id": args["attachment_id"], "filename": meta.get("filename"), "deleted": True})


_ID = {"type": "string", "pattern": "^[0-9]{1,18}$"}
_FLAGS = {
    "description": text_param("Description.", 1000, 0),
    "start_date": DATE,
    "release_date": DATE,
    "released": {"type": "boolean", "description": "Released."},
    "archived": {"type": "boolean", "description": "Archived."},
}

TOOLS = [
    ToolSpec(
        name="jira_list_versions",
        title="List Jira versions",
        description="List a project's versions (releases) with state, dates and ids.",
        handler=list_versions,
        module=MODULE,
        toolset=RELEASES,
        read_only=True,
        params={
            "project_key": PROJECT_KEY,
            "query": text_param("Part of a name.", 100),
            "status": {
                "type": "array",
                "items": {"type": "string", "enum": ["released", "unreleased", "archived"]},
                "maxItems": 3,
                "description": "Only these.",
            },
            "limit": page_size(50, 100),
            "start_at": START_AT,
        },
        required=("project_key",),
    ),
    ToolSpec(
        name="jira_create_version",
        title="Create Jira version",
        description="Create a version (release) in a project, with optional dates and description.",
        handler=create_version,
        module=MODULE,
        toolset=RELEASES,
        read_only=False,
        params={"project_key": PROJECT_KEY, "name": text_param("Version name, e.g. 2.1."), **_FLAGS},
        required=("project_key", "name"),
    ),
    ToolSpec(
        name="jira_update_version",
        title="Update Jira version",
        description="Rename, re-date, describe, release or archive a version.",
        handler=update_version,
        module=MODULE,
        toolset=RELEASES,
        read_only=False,
        idempotent=True,
        params={"version": VERSION, "project_key": PROJECT_KEY, "name": text_param("New name."), **_FLAGS},
        required=("version",),
    ),
    ToolSpec(
        name="jira_list_components",
        title="List Jira components",
        description="List a project's components with lead, default assignee and ids.",
        handler=list_components,
        module=MODULE,
        toolset=RELEASES,
        read_only=True,
        params={"project_key": PROJECT_KEY, "query": text_param("Part of a name.", 100), "limit": page_size(50, 100), "start_at": START_AT},
        required=("project_key",),
    ),
    ToolSpec(
        name="jira_create_component",
        title="Create Jira component",
        description="Create a component in a project, with an optional lead and default assignee.",
        handler=create_component,
        module=MODULE,
        toolset=RELEASES,
        read_only=False,
        params={
            "project_key": PROJECT_KEY,
            "name": text_param("Component name."),
            "description": text_param("Description.", 1000, 0),
            "lead": USER,
            "default_assignee": {
                "type": "string",
                "enum": ["PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED"],
                "description": "Who gets new issues.",
            },
        },
        required=("project_key", "name"),
    ),
    ToolSpec(
        name="jira_list_filters",
        title="List Jira filters",
        description="List your saved filters and favourites with their JQL, or find filters by name.",
        handler=list_filters,
        module=MODULE,
        toolset=FILTERS,
        read_only=True,
        params={"name": text_param("Part of a name (any filter you can see).", 255, 0), "limit": page_size(50, 100), "start_at": START_AT},
    ),
    ToolSpec(
        name="jira_get_filter",
        title="Read Jira filter",
        description="Show a saved filter's JQL, owner and description; run the JQL with jira_search.",
        handler=get_filter,
        module=MODULE,
        toolset=FILTERS,
        read_only=True,
        params={"filter_id": {**_ID, "description": "Filter id."}},
        required=("filter_id",),
    ),
]

RARE_TOOLS = [
    ToolSpec(
        name="jira_delete_attachment",
        title="Delete Jira attachment",
        description="Delete an attachment from its issue for good.",
        handler=delete_attachment,
        module=MODULE,
        toolset="jira_attachments",
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"attachment_id": {**_ID, "description": "Attachment id (from jira_get_attachments)."}},
        required=("attachment_id",),
    ),
]
