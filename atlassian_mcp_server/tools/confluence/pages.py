"""Confluence tools that read pages, page trees and spaces."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import as_dict, as_list, bound, fields_block, records, table, value_text
from ..params import CURSOR, cursor_note, page_size, text_param, when
from ..registry import Answer, ToolSpec
from ._common import MODULE, PAGE_ID, READ_FORMAT, SPACE, body_text, wire_format

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_pages"


def resolve_page_id(services: Services, args: dict[str, Any]) -> str:
    """page_id as given, else the one page with that exact title (in space_key when given)."""
    if args.get("page_id"):
        return args["page_id"]
    title = args.get("title")
    if not title:
        raise InvalidInput("Give page_id, or title (with space_key to look in one space).")
    client = services.confluence
    space_id = client.space_id(args["space_key"]) if args.get("space_key") else None
    found = records(client.find_pages(title, space_id=space_id, limit=10).get("results"))
    where = f" in space {args['space_key']}" if space_id else ""
    if not found:
        raise InvalidInput(f"No page titled {title!r}{where} that you can see; search with confluence_search.")
    if len(found) > 1:
        options = "; ".join(f"id {p.get('id')} in space id {p.get('spaceId')}" for p in found)
        raise InvalidInput(f"{len(found)} pages are titled {title!r}{where}: {options}. Pass page_id, or space_key to choose.")
    return str(found[0]["id"])


def page_answer(services: Services, page: dict[str, Any], fmt: str, heading: str | None = None) -> Answer:
    body = body_text(page, fmt)
    version = as_dict(page.get("version"))
    labels = [value_text(as_dict(label).get("name")) for label in as_list(as_dict(page.get("labels")).get("results"))]
    url = services.confluence.web_url(as_dict(page.get("_links")))
    data = {
        "id": page.get("id"),
        "title": value_text(page.get("title")),
        "space_id": page.get("spaceId"),
        "parent_id": page.get("parentId"),
        "status": page.get("status"),
        "version": version.get("number"),
        "last_modified": version.get("createdAt"),
        "author_id": version.get("authorId"),
        "labels": labels,
        "url": url,
        "format": fmt,
        "body": body,
    }
    head = fields_block(
        [
            ("Id", data["id"]),
            ("Space id", data["space_id"]),
            ("Parent id", data["parent_id"]),
            ("Version", data["version"]),
            ("Last modified", when(data["last_modified"])),
            ("Labels", ", ".join(lab for lab in labels if lab)),
            ("URL", url),
        ]
    )
    fence = "" if fmt == "markdown" else ("```json" if fmt == "adf" else "```xml")
    text = f"# {heading or data['title']}\n{head}\n\n"
    text += f"{fence}\n{body}\n```" if fence else body
    return Answer(bound(text, "edit parts of it with confluence_update_page_section, which needs no full read"), data)


def get_page(services: Services, args: dict[str, Any]) -> Answer:
    fmt = args.get("format", "markdown")
    page = services.confluence.get_page(resolve_page_id(services, args), body_format=wire_format(fmt))
    return page_answer(services, page, fmt)


def read_page_resource(services: Services, page_id: str) -> str:
    """The `confluence://page/{id}` resource: the page as Markdown under its title."""
    if not page_id.isdigit():
        raise InvalidInput(f"confluence://page/ takes a numeric page id, not {page_id!r}.")
    page = services.confluence.get_page(page_id, body_format="atlas_doc_format", include_labels=False)
    url = services.confluence.web_url(as_dict(page.get("_links")))
    head = fields_block([("Id", page.get("id")), ("Version", as_dict(page.get("version")).get("number")), ("URL", url)])
    return f"# {page.get('title')}\n{head}\n\n{body_text(page, 'markdown')}"


def get_children(services: Services, args: dict[str, Any]) -> Answer:
    result = services.confluence.direct_children(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = [{k: c.get(k) for k in ("id", "title", "type", "status")} for c in records(result.get("results"))]
    cursor = result.get("next_cursor")
    text = table(["Title", "Type", "Id"], ([r["title"], r["type"], r["id"]] for r in rows)) if rows else f"Page {args['page_id']} has no children."
    return Answer(bound(text + cursor_note(cursor, "children"), "lower limit"), {"children": rows, "next_cursor": cursor})


def get_tree(services: Services, args: dict[str, Any]) -> Answer:
    root = args["page_id"]
    result = services.confluence.descendants(root, depth=args.get("depth", 2), limit=args.get("limit", 100), cursor=args.get("cursor"))
    nodes = [
        {"id": str(d.get("id")), "title": d.get("title"), "type": d.get("type"), "parent_id": d.get("parentId"), "depth": d.get("depth")}
        for d in records(result.get("results"))
    ]
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        by_parent.setdefault(str(node["parent_id"]), []).append(node)
    lines: list[str] = []
    placed: set[str] = set()

    def walk(parent: str, indent: int) -> None:
        for node in by_parent.get(parent, []):
            if node["id"] in placed:
                continue
            placed.add(node["id"])
            kind = "" if node["type"] in (None, "page") else f" [{node['type']}]"
            lines.append(f"{'  ' * indent}- {node['title']} (id {node['id']}){kind}")
            walk(str(node["id"]), indent + 1)

    walk(str(root), 0)
    for node in nodes:  # parents cut off by paging still show their descendants
        if node["id"] not in placed:
            walk(str(node["parent_id"]), 0)
    cursor = result.get("next_cursor")
    text = f"Pages under {root}:\n" + "\n".join(lines) if lines else f"Page {root} has no descendants."
    return Answer(bound(text + cursor_note(cursor, "descendants"), "lower depth"), {"descendants": nodes, "next_cursor": cursor})


def _space_row(services: Services, s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s.get("id"),
        "key": s.get("key"),
        "name": s.get("name"),
        "type": s.get("type"),
        "status": s.get("status"),
        "url": services.confluence.web_url(s.get("_links")),
    }


def list_spaces(services: Services, args: dict[str, Any]) -> Answer:
    result = services.confluence.list_spaces(
        limit=args.get("limit", 25), space_type=args.get("space_type"), status=args.get("status", "current"), cursor=args.get("cursor")
    )
    rows = [_space_row(services, s) for s in records(result.get("results"))]
    text = table(["Key", "Name", "Type", "Id"], ([r["key"], r["name"], r["type"], r["id"]] for r in rows)) if rows else "No spaces found."
    cursor = result.get("next_cursor")
    return Answer(bound(text + cursor_note(cursor, "spaces"), "lower limit"), {"spaces": rows, "next_cursor": cursor})


def get_space(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    space = client.get_space(client.space_id(args["space_id"]), include_icon=bool(args.get("include_icon")))
    data = _space_row(services, space)
    data["homepage_id"] = space.get("homepageId")
    data["description"] = value_text(as_dict(as_dict(space.get("description")).get("plain")).get("value"))
    data["labels"] = [str(lab.get("name")) for lab in records(as_dict(space.get("labels")).get("results"))]
    if args.get("include_icon"):
        data["icon"] = as_dict(space.get("icon")).get("path")
    text = f"# {data['name']} ({data['key']})\n" + fields_block(
        [
            ("Id", data["id"]),
            ("Type", data["type"]),
            ("Status", data["status"]),
            ("Homepage id", data["homepage_id"]),
            ("Labels", ", ".join(data["labels"])),
            ("Icon", data.get("icon")),
            ("URL", data["url"]),
            ("Description", data["description"]),
        ]
    )
    return Answer(bound(text, "the description was cut"), data)


def get_space_pages(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    result = client.get_space_pages(
        client.space_id(args["space_id"]), limit=args.get("limit", 25), status=args.get("status", "current"), cursor=args.get("cursor")
    )
    rows = [
        {
            "id": p.get("id"),
            "title": p.get("title"),
            "parent_id": p.get("parentId"),
            "version": as_dict(p.get("version")).get("number"),
            "url": client.web_url(p.get("_links")),
        }
        for p in records(result.get("results"))
    ]
    cursor = result.get("next_cursor")
    text = table(["Title", "Id", "Parent id"], ([r["title"], r["id"], r["parent_id"]] for r in rows)) if rows else "No pages found."
    return Answer(bound(text + cursor_note(cursor, "pages"), "lower limit"), {"pages": rows, "next_cursor": cursor})


TOOLS = [
    ToolSpec(
        name="confluence_get_page",
        title="Read a Confluence page",
        description="Read a page by id, or by exact title (within space_key): version, labels, URL and body as Markdown.",
        handler=get_page,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "page_id": PAGE_ID,
            "title": text_param("Exact title, instead of page_id."),
            "space_key": {**SPACE, "description": "Space of title."},
            "format": READ_FORMAT,
        },
    ),
    ToolSpec(
        name="confluence_get_page_children",
        title="List child pages",
        description="List the direct children of a page, in tree order.",
        handler=get_children,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "limit": page_size(25, 250, "children"), "cursor": CURSOR},
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_get_page_tree",
        title="Show a page tree",
        description="Show the pages below a page as an indented tree.",
        handler=get_tree,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "page_id": PAGE_ID,
            "depth": {"type": "integer", "minimum": 1, "maximum": 10, "default": 2, "description": "Levels (1-10)."},
            "limit": page_size(100, 250, "pages"),
            "cursor": CURSOR,
        },
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_list_spaces",
        title="List Confluence spaces",
        description="List the Confluence spaces you can see: key, name, type, id.",
        handler=list_spaces,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "limit": page_size(25, 250, "spaces"),
            "space_type": {"type": "string", "enum": ["global", "personal", "collaboration", "knowledge_base"], "description": "Only this type."},
            "status": {"type": "string", "enum": ["current", "archived"], "default": "current", "description": "Space status."},
            "cursor": CURSOR,
        },
    ),
    ToolSpec(
        name="confluence_get_space",
        title="Read a Confluence space",
        description="Show a space: key, name, type, homepage id, labels, description.",
        handler=get_space,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"space_id": SPACE, "include_icon": {"type": "boolean", "default": False, "description": "Add the icon path."}},
        required=("space_id",),
    ),
    ToolSpec(
        name="confluence_get_space_pages",
        title="List pages in a space",
        description="List the pages of a space: id, title, parent id.",
        handler=get_space_pages,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "space_id": SPACE,
            "limit": page_size(25, 250, "pages"),
            "status": {"type": "string", "enum": ["current", "archived", "trashed"], "default": "current", "description": "Page status."},
            "cursor": CURSOR,
        },
        required=("space_id",),
    ),
]
