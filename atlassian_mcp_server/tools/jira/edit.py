"""Jira tools that create and edit issues, with every value checked against the create or edit screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import ApiError, InvalidInput
from ...render import records, table
from ..params import choose
from ..registry import Answer, ToolSpec
from .screens import Screen, system_values
from .shared import ALLOW_LOSS, ISSUE_KEY, MODULE, PROJECT_KEY, USER, issue_ref, kept_adf, markdown_param, people

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_issues"
_LIST = {"type": "array", "items": {"type": "string", "maxLength": 255}, "maxItems": 50}


def _every(fetch: Callable[[int], dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Every item of a startAt-paged createmeta answer, found under the first of `keys` present."""
    items: list[dict[str, Any]] = []
    while True:
        page = fetch(len(items))
        batch = records(next((page[k] for k in keys if page.get(k)), []))
        items += batch
        total = page.get("total")
        if not batch or len(items) >= (total if isinstance(total, int) else 0):
            return items


def issue_type_id(services: Services, project: str, wanted: str, types: list[dict[str, Any]] | None = None) -> tuple[str, str]:
    """(id, name) of an issue type the project lets you create, by name or id."""
    if types is None:
        types = creatable_types(services, project)
    options = [(f"{t.get('name')} ({t.get('id')})", (t.get("id"), t.get("name")), (t.get("id"), t.get("name"))) for t in records(types)]
    return choose("issue type", wanted, options, f" in project {project}")


def creatable_types(services: Services, project: str) -> list[dict[str, Any]]:
    return _every(lambda start: services.jira.create_meta_issue_types(project, start_at=start), "issueTypes", "createMetaIssueType")


def create_screen(services: Services, project: str, type_id: str, type_name: str) -> Screen:
    fields = _every(lambda start: services.jira.create_meta_fields(project, type_id, start_at=start), "fields", "results")
    return Screen(fields, f"the create screen of {type_name} in {project}")


def _create_fields(user: Callable[[str], str], screen: Screen, project: str, type_id: str, item: dict[str, Any]) -> dict[str, Any]:
    fields = screen.build(system_values(item), user)
    missing = screen.missing_required(set(fields))
    if missing:
        raise InvalidInput(f"Missing required field(s) on {screen.where}: {'; '.join(missing)}. Pass them in fields.")
    fields["project"] = {"key": project} if not project.isdigit() else {"id": project}
    fields["issuetype"] = {"id": type_id}
    return fields


def create_issue(services: Services, args: dict[str, Any]) -> Answer:
    project = args["project_key"]
    type_id, type_name = issue_type_id(services, project, args.get("issue_type") or "Task")
    screen = create_screen(services, project, type_id, type_name)
    created = services.jira.create_issue(_create_fields(people(services), screen, project, type_id, args))
    key, url = created.get("key"), services.jira.browse_url(created.get("key", ""))
    text = f"Created {type_name} {key}: {args['summary']}\n{url}"
    return Answer(text, {"key": key, "id": created.get("id"), "url": url, "issue_type": type_name, "project": project})


def update_issue(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    if isinstance(args.get("description"), str):
        current = (services.jira.get_issue(args["issue_key"], fields=["description"]).get("fields") or {}).get("description")
        args = {**args, "description": kept_adf(args["description"], current, f"the description of {key}", bool(args.get("allow_loss")))}
    values = system_values(args)
    add, remove = args.get("add_labels") or [], args.get("remove_labels") or []
    if not values and not add and not remove:
        raise InvalidInput("Nothing to change: give at least one field (summary, description, labels, fields, ...).")
    meta = services.jira.edit_meta(args["issue_key"])
    if not meta.get("fields"):
        raise InvalidInput(f"Jira offers no editable field on {key}: you lack the Edit Issues permission in its project, or it is closed to edits.")
    screen = Screen(meta["fields"], f"the edit screen of {key}")
    fields = screen.build(values, people(services))
    update: dict[str, Any] = {}
    if add or remove:
        screen.field_id("labels")  # labels must be editable here
        update["labels"] = [{"add": x} for x in add] + [{"remove": x} for x in remove]
    services.jira.edit_issue(args["issue_key"], fields=fields, update=update)
    changed = [screen.fields[f].get("name") or f for f in fields]
    if add:
        changed.append(f"labels +{', +'.join(add)}")
    if remove:
        changed.append(f"labels -{', -'.join(remove)}")
    return Answer(f"Updated {key}: {', '.join(changed)}.\n{url}", {"key": key, "url": url, "changed": changed})


def bulk_create(services: Services, args: dict[str, Any]) -> Answer:
    project = args["project_key"]
    items = args["issues"]
    types = creatable_types(services, project)
    user = people(services)
    screens: dict[str, tuple[str, str, Screen]] = {}
    payloads: list[dict[str, Any]] = []
    sent_from: list[int] = []
    errors: dict[int, str] = {}
    for n, item in enumerate(items):
        try:
            wanted = item.get("issue_type") or "Task"
            if wanted.lower() not in screens:
                type_id, type_name = issue_type_id(services, project, wanted, types)
                screens[wanted.lower()] = (type_id, type_name, create_screen(services, project, type_id, type_name))
            type_id, _, screen = screens[wanted.lower()]
            payloads.append({"fields": _create_fields(user, screen, project, type_id, item)})
            sent_from.append(n)
        except InvalidInput as exc:
            errors[n] = str(exc)
    created: list[dict[str, Any]] = []
    if payloads:
        try:
            result = services.jira.create_issues(payloads)
        except ApiError as exc:  # when every item fails Jira answers 400 with the per-item errors
            if exc.status != 400 or not isinstance(exc.body, dict) or not exc.body.get("errors"):
                raise
            result = exc.body
        created = result.get("issues") or []
        for failure in result.get("errors") or []:
            original = sent_from[failure.get("failedElementNumber", 0)]
            element = failure.get("elementErrors") or {}
            said = list(element.get("errorMessages") or []) + [f"{k}: {v}" for k, v in (element.get("errors") or {}).items()]
            errors[original] = "; ".join(said) or f"rejected with status {failure.get('status')}"
    ok_indexes = [i for i in sent_from if i not in errors]
    rows = [[i + 1, c.get("key"), items[i]["summary"]] for i, c in zip(ok_indexes, created)]
    if not rows:
        raise InvalidInput("No issue was created: " + " | ".join(f"#{i + 1}: {e}" for i, e in sorted(errors.items())))
    text = f"Created {len(rows)} of {len(items)} issue(s) in {project}:\n\n" + table(["#", "Key", "Summary"], rows)
    if errors:
        text += "\n\nNot created:\n" + "\n".join(f"- #{i + 1} ({items[i]['summary']}): {e}" for i, e in sorted(errors.items()))
    data = {
        "created": [{"index": r[0], "key": r[1], "url": services.jira.browse_url(r[1] or "")} for r in rows],
        "errors": [{"index": i + 1, "error": e} for i, e in sorted(errors.items())],
    }
    return Answer(text, data)


_ISSUE_FIELDS = {
    "summary": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Title."},
    "description": markdown_param("Body"),
    "issue_type": {"type": "string", "maxLength": 60, "description": "e.g. Bug (default Task)."},
    "assignee": USER,
    "priority": {"type": "string", "maxLength": 60, "description": "e.g. High."},
    "labels": {**_LIST, "description": "Replaces all labels."},
    "components": {**_LIST, "description": "Names or ids."},
    "fix_versions": {**_LIST, "description": "Names or ids."},
    "parent": {**ISSUE_KEY, "description": "Epic, or parent of a sub-task."},
    "due_date": {"type": "string", "format": "date", "maxLength": 10, "description": "YYYY-MM-DD."},
    "fields": {"type": "object", "maxProperties": 50, "description": 'Other fields by name or id, e.g. {"Story points": 3}; null clears.'},
}
_BULK_ITEM = {k: {"type": v["type"]} for k, v in _ISSUE_FIELDS.items()}
_BULK_ITEM["summary"] = _ISSUE_FIELDS["summary"]

TOOLS = [
    ToolSpec(
        name="jira_create_issue",
        title="Create a Jira issue",
        description="Create an issue; fields and values by name, checked against the project's create screen.",
        handler=create_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={"project_key": PROJECT_KEY, **_ISSUE_FIELDS},
        required=("project_key", "summary"),
    ),
    ToolSpec(
        name="jira_update_issue",
        title="Edit a Jira issue",
        description="Change the given fields of an issue; the others stay as they are.",
        handler=update_issue,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={
            "issue_key": ISSUE_KEY,
            **{k: v for k, v in _ISSUE_FIELDS.items() if k != "issue_type"},
            "add_labels": {**_LIST, "description": "Labels to add."},
            "remove_labels": {**_LIST, "description": "Labels to remove."},
            "allow_loss": ALLOW_LOSS,
        },
        required=("issue_key",),
    ),
]

# Listed after every other Jira tool in the catalogue: needed less often.
RARE_TOOLS = [
    ToolSpec(
        name="jira_bulk_create_issues",
        title="Bulk-create Jira issues",
        description="Create up to 50 issues in one project at once; reports each item's errors.",
        handler=bulk_create,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "project_key": PROJECT_KEY,
            "issues": {
                "type": "array",
                "minItems": 1,
                "maxItems": 50,
                "items": {"type": "object", "properties": _BULK_ITEM, "required": ["summary"], "additionalProperties": False},
                "description": "Issues, each with jira_create_issue's fields.",
            },
        },
        required=("project_key", "issues"),
    ),
]
