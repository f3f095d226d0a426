"""Jira link tools: link types, issue-to-issue links, web links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import records, table
from ..params import choose
from ..registry import Answer, ToolSpec
from .shared import ISSUE_KEY, MODULE, id_param, issue_ref, markdown_param, to_adf

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_links"


def get_link_types(services: Services, args: dict[str, Any]) -> Answer:
    types = records(services.jira.link_types())
    rows = [[t.get("name"), t.get("outward"), t.get("inward"), t.get("id")] for t in types]
    text = (
        "Issue linking is on, but no link types exist."
        if not types
        else (
            "Use the outward or inward phrase as `relation` in jira_link_issues (A <phrase> B):\n\n"
            + table(["Type", "Outward (A → B)", "Inward (A ← B)", "Id"], rows)
        )
    )
    return Answer(text, {"link_types": [dict(zip(("name", "outward", "inward", "id"), r)) for r in rows]})


def _relation(services: Services, wanted: str) -> tuple[str, str, bool]:
    """(type name, phrase, is_outward) for a type name or one of its phrases."""
    options: list[tuple[str, tuple[Any, ...], tuple[str, str, bool]]] = []
    t: Any  # a link type as the API sends it
    for t in services.jira.link_types():
        name, outward, inward = t.get("name"), t.get("outward") or t.get("name"), t.get("inward") or t.get("name")
        options.append((f"{outward} ({name})", (name, outward, t.get("id")), (name, outward, True)))
        if inward.lower() != outward.lower():
            options.append((f"{inward} ({name})", (inward,), (name, inward, False)))
    return choose("link relation", wanted, options)


def link_issues(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    other, _ = issue_ref(services, args["other_issue_key"])
    type_name, phrase, is_outward = _relation(services, args["relation"])
    inward_key, outward_key = (args["issue_key"], args["other_issue_key"]) if is_outward else (args["other_issue_key"], args["issue_key"])
    comment = to_adf(args["comment"]) if args.get("comment") else None
    services.jira.link_issues(type_name, inward_key, outward_key, comment)
    text = f"Linked: {key} {phrase} {other} ({type_name}).\n{url}"
    return Answer(text, {"key": key, "relation": phrase, "other_key": other, "link_type": type_name, "url": url})


def add_remote_link(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    created = services.jira.add_remote_link(args["issue_key"], args["url"], args["title"], summary=args.get("summary"), relationship=args.get("relationship"))
    text = f"Web link {args['title']!r} → {args['url']} is on {key} (remote link {created.get('id')}).\n{url}"
    return Answer(text, {"key": key, "remote_link_id": created.get("id"), "url": url, "link_url": args["url"]})


def delete_issue_link(services: Services, args: dict[str, Any]) -> Answer:
    services.jira.delete_link(args["link_id"])
    return Answer(f"Deleted issue link {args['link_id']} (both issues lose it).", {"deleted_link_id": args["link_id"]})


TOOLS = [
    ToolSpec(
        name="jira_get_link_types",
        title="Jira link types",
        description="List the issue link types (Blocks, Relates, ...) with their outward and inward phrases.",
        handler=get_link_types,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
    ),
    ToolSpec(
        name="jira_link_issues",
        title="Link two Jira issues",
        description="Link two issues so that '<issue_key> <relation> <other_issue_key>' reads true, e.g. PROJ-1 blocks PROJ-2.",
        handler=link_issues,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": ISSUE_KEY,
            "relation": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Type name or phrase: 'blocks', 'is blocked by', ..."},
            "other_issue_key": {**ISSUE_KEY, "description": "The issue on the other end."},
            "comment": markdown_param("Comment to add", 4000),
        },
        required=("issue_key", "relation", "other_issue_key"),
    ),
    ToolSpec(
        name="jira_add_remote_link",
        title="Add web link to Jira issue",
        description="Add a web link to an issue; the same URL again updates it.",
        handler=add_remote_link,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={
            "issue_key": ISSUE_KEY,
            "url": {"type": "string", "pattern": "^https?://", "maxLength": 2000, "description": "Web address."},
            "title": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Link text."},
            "summary": {"type": "string", "maxLength": 1000, "description": "Short note shown under it."},
            "relationship": {"type": "string", "maxLength": 100, "description": "Group heading, e.g. 'mentioned in'."},
        },
        required=("issue_key", "url", "title"),
    ),
    ToolSpec(
        name="jira_delete_issue_link",
        title="Delete Jira link",
        description="Remove one issue-to-issue link by its id (shown by jira_get_issue as 'link N').",
        handler=delete_issue_link,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"link_id": id_param("jira_get_issue")},
        required=("link_id",),
    ),
]
