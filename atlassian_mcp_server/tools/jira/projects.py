"""Jira discovery tools: projects, the fields a create screen needs, field ids, and people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import as_dict, as_list, bound, fields_block, records, table, value_text
from ..params import page_size, paging_note, text_param
from ..registry import Answer, ToolSpec
from .edit import create_screen, issue_type_id
from .shared import MODULE, PROJECT_KEY, START_AT, person

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_projects"


def list_projects(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start_at", 0)
    page = services.jira.search_projects(query=args.get("query"), start_at=start, limit=args.get("limit", 50))
    values = records(page.get("values"))
    rows = [[p.get("key"), p.get("name"), p.get("projectTypeKey"), person(p.get("lead")), p.get("id")] for p in values]
    note, next_start = paging_note(start, len(values), page.get("total"), page.get("isLast"))
    text = "No projects match." if not values else table(["Key", "Name", "Type", "Lead", "Id"], rows) + note
    data = {"projects": [dict(zip(("key", "name", "type", "lead", "id"), r)) for r in rows], "total": page.get("total"), "next_start_at": next_start}
    return Answer(bound(text, "use query or page with start_at"), data)


def get_project(services: Services, args: dict[str, Any]) -> Answer:
    p = services.jira.project(args["project_key"])
    types = [t for t in records(p.get("issueTypes"))]
    versions = [v for v in records(p.get("versions")) if not v.get("archived")]
    unreleased = [
        f"{v.get('name')} ({v.get('id')}{', due ' + str(v['releaseDate']) if v.get('releaseDate') else ''})" for v in versions if not v.get("released")
    ]
    released = [str(v.get("name")) for v in versions if v.get("released")]
    pairs = [
        ("Key", p.get("key")),
        ("Id", p.get("id")),
        ("Type", p.get("projectTypeKey")),
        ("Lead", person(p.get("lead"))),
        ("Issue types", ", ".join(f"{t.get('name')} ({t.get('id')}{', sub-task' if t.get('subtask') else ''})" for t in types)),
        ("Components", ", ".join(f"{c.get('name')} ({c.get('id')})" for c in records(p.get("components")))),
        ("Unreleased versions", ", ".join(unreleased)),
        ("Released versions", ", ".join(released[-10:])),
    ]
    desc = (value_text(p.get("description")) or "").strip()
    text = f"# {p.get('name')} ({p.get('key')})\n" + fields_block(pairs) + (f"\n\n{desc}" if desc else "")
    data = {
        "key": p.get("key"),
        "id": p.get("id"),
        "name": p.get("name"),
        "type": p.get("projectTypeKey"),
        "lead": person(p.get("lead")),
        "issue_types": [{"id": t.get("id"), "name": t.get("name"), "subtask": bool(t.get("subtask"))} for t in types],
        "components": [{"id": c.get("id"), "name": c.get("name")} for c in records(p.get("components"))],
        "versions": [{"id": v.get("id"), "name": v.get("name"), "released": bool(v.get("released"))} for v in versions],
    }
    return Answer(bound(text, "the project has too much to show; ask for its parts"), data)


def get_create_fields(services: Services, args: dict[str, Any]) -> Answer:
    project = args["project_key"]
    type_id, type_name = issue_type_id(services, project, args.get("issue_type") or "Task")
    screen = create_screen(services, project, type_id, type_name)
    rows, data_fields = [], []

    def must(meta: dict[str, Any]) -> bool:
        return bool(meta.get("required") and not meta.get("hasDefaultValue"))

    for fid, meta in sorted(screen.fields.items(), key=lambda kv: (not must(kv[1]), str(kv[1].get("name")))):
        if fid in ("project", "issuetype"):
            continue
        allowed = [str(v.get("name") or v.get("value") or v.get("id")) for v in records(meta.get("allowedValues"))]
        schema = as_dict(meta.get("schema"))
        kind = str(schema.get("type") or "any") + (f" of {schema['items']}" if schema.get("items") else "")
        required = must(meta)
        shown = ", ".join(allowed[:15]) + (f" (+{len(allowed) - 15} more)" if len(allowed) > 15 else "")
        rows.append([meta.get("name"), fid, kind, "yes" if required else "", shown or "-"])
        data_fields.append({"id": fid, "name": meta.get("name"), "type": kind, "required": required, "allowed_values": allowed})
    text = f"Fields to create a {type_name} in {project} (set them by name or id in jira_create_issue):\n\n" + table(
        ["Field", "Id", "Type", "Required", "Allowed values"], rows
    )
    return Answer(
        bound(text, "the screen is large; ask for one field by name"),
        {"project": project, "issue_type": type_name, "issue_type_id": type_id, "fields": data_fields},
    )


def search_fields(services: Services, args: dict[str, Any]) -> Answer:
    query = (args.get("query") or "").strip().lower()
    limit = args.get("limit", 30)
    found = [f for f in records(services.jira.fields()) if not query or query in str(f.get("name", "")).lower() or query in str(f.get("id", "")).lower()]
    found.sort(key=lambda f: (str(f.get("name", "")).lower() != query, str(f.get("name", "")).lower()))
    rows = [
        [
            f.get("name"),
            f.get("id"),
            as_dict(f.get("schema")).get("type"),
            "custom" if f.get("custom") else "system",
            ", ".join(str(c) for c in as_list(f.get("clauseNames"))[:2]),
        ]
        for f in found[:limit]
    ]
    more = f"\n\n{len(found) - limit} more match; narrow the query." if len(found) > limit else ""
    text = f"No field matches {args.get('query')!r}." if not found else table(["Name", "Id", "Type", "Kind", "JQL"], rows) + more
    return Answer(text, {"fields": [dict(zip(("name", "id", "type", "kind", "jql"), r)) for r in rows], "total": len(found)})


def search_users(services: Services, args: dict[str, Any]) -> Answer:
    users = records(services.jira.search_users(args["query"], limit=args.get("limit", 20)))
    rows = [
        [u.get("displayName"), u.get("emailAddress") or "(hidden)", u.get("accountId"), "yes" if u.get("active", True) else "no", u.get("accountType")]
        for u in users
    ]
    text = f"No user matches {args['query']!r}." if not users else table(["Name", "Email", "Account id", "Active", "Type"], rows)
    return Answer(text, {"users": [dict(zip(("name", "email", "account_id", "active", "type"), r)) for r in rows]})


TOOLS = [
    ToolSpec(
        name="jira_list_projects",
        title="List Jira projects",
        description="List the Jira projects you can see, with key, name, type and lead.",
        handler=list_projects,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"query": text_param("Part of a project key or name.", 100), "limit": page_size(50, 100), "start_at": START_AT},
    ),
    ToolSpec(
        name="jira_get_project",
        title="Read a Jira project",
        description="Show a project's issue types, components and versions with their ids.",
        handler=get_project,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"project_key": PROJECT_KEY},
        required=("project_key",),
    ),
    ToolSpec(
        name="jira_get_create_fields",
        title="Jira create fields",
        description="List the fields of a project's create screen for an issue type: required or not, type, allowed values.",
        handler=get_create_fields,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"project_key": PROJECT_KEY, "issue_type": {"type": "string", "minLength": 1, "maxLength": 60, "description": "Name or id (default Task)."}},
        required=("project_key",),
    ),
    ToolSpec(
        name="jira_search_fields",
        title="Find Jira fields",
        description="Find field ids (e.g. customfield_10016) and JQL names by part of a field's name.",
        handler=search_fields,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"query": text_param("Part of a field name or id.", 100, 0), "limit": page_size(30, 200)},
    ),
    ToolSpec(
        name="jira_search_users",
        title="Find Jira users",
        description="Find people by part of their name or email, to get account ids.",
        handler=search_users,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"query": text_param("Part of a name or an email."), "limit": page_size(20, 100)},
        required=("query",),
    ),
]
