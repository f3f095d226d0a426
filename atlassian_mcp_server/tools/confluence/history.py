"""Confluence tools for page history: versions, one version's body, and diffs between versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import as_dict, bound, records, table
from ..params import CURSOR, cursor_note, page_size, when
from ..registry import Answer, ToolSpec
from ._common import MODULE, PAGE_ID, READ_FORMAT, body_text, wire_format
from .pages import page_answer

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_history"

VERSION_NUMBER = {"type": "integer", "minimum": 1, "description": "Version number."}


def get_versions(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    result = client.page_versions(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"))
    versions = records(result.get("results"))
    names = client.user_names([v.get("authorId") for v in versions])
    rows = [
        {
            "number": v.get("number"),
            "created": v.get("createdAt"),
            "author": names.get(str(v.get("authorId"))) or v.get("authorId"),
            "author_id": v.get("authorId"),
            "message": v.get("message") or None,
            "minor_edit": bool(v.get("minorEdit")),
        }
        for v in versions
    ]
    cursor = result.get("next_cursor")
    text = (
        table(["Version", "When", "Author", "Message"], ([r["number"], when(r["created"]), r["author"], r["message"]] for r in rows))
        if rows
        else f"Page {args['page_id']} has no versions you can see."
    )
    return Answer(bound(text + cursor_note(cursor, "versions"), "lower limit"), {"versions": rows, "next_cursor": cursor})


def get_version(services: Services, args: dict[str, Any]) -> Answer:
    fmt = args.get("format", "markdown")
    number = args["version_number"]
    page = services.confluence.get_page(args["page_id"], body_format=wire_format(fmt), version=number, include_labels=False)
    version = as_dict(page.get("version"))
    author = services.confluence.user_names([version.get("authorId")]).get(str(version.get("authorId")))
    answer = page_answer(services, page, fmt, heading=f"{page.get('title')} (version {version.get('number', number)})")
    data = {**answer.data, "author": author, "message": version.get("message") or None}
    text = answer.text.replace("\n", f"\n- **Author:** {author}\n", 1) if author else answer.text
    return Answer(text, data)


def get_diff(services: Services, args: dict[str, Any]) -> Answer:
    import difflib

    client = services.confluence
    page_id, old = args["page_id"], args["from_version"]
    new_page = client.get_page(page_id, version=args.get("to_version"), include_labels=False)
    old_page = client.get_page(page_id, version=old, include_labels=False)
    new = as_dict(new_page.get("version")).get("number")
    before, after = body_text(old_page, "markdown"), body_text(new_page, "markdown")
    if old_page.get("title") != new_page.get("title"):
        before, after = f"# {old_page.get('title')}\n\n{before}", f"# {new_page.get('title')}\n\n{after}"
    before, after = before.rstrip("\n") + "\n", after.rstrip("\n") + "\n"
    diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"version {old}", f"version {new}"))
    added = sum(1 for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff.splitlines() if line.startswith("-") and not line.startswith("---"))
    data = {"page_id": page_id, "from_version": old, "to_version": new, "added_lines": added, "removed_lines": removed, "diff": diff}
    if not diff:
        return Answer(f"Versions {old} and {new} of page {page_id} read the same as Markdown.", data)
    fence = "````" if "```" in diff else "```"
    text = f"Page {page_id}, version {old} → {new}: +{added} −{removed} lines.\n{fence}diff\n{diff.rstrip()}\n{fence}"
    return Answer(bound(text, "compare closer versions"), data)


TOOLS = [
    ToolSpec(
        name="confluence_get_page_versions",
        title="List page versions",
        description="List a page's versions, newest first: date, author, message.",
        handler=get_versions,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "limit": page_size(25, 250, "versions"), "cursor": CURSOR},
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_get_page_version",
        title="Read an old page version",
        description="Read a page as it was at one version.",
        handler=get_version,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "version_number": VERSION_NUMBER, "format": READ_FORMAT},
        required=("page_id", "version_number"),
    ),
    ToolSpec(
        name="confluence_get_page_diff",
        title="Compare page versions",
        description="Show what changed between two page versions, as a diff of their Markdown.",
        handler=get_diff,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "from_version": VERSION_NUMBER, "to_version": {**VERSION_NUMBER, "description": "Newer version (default: current)."}},
        required=("page_id", "from_version"),
    ),
]
