"""Confluence blog posts, folders, page copies, templates and attachment removal.

Blog posts go through the page tools' own read and write path (`pages.get_page`,
`pages_write.create_page` / `update_page`) on the client's blog-post view, so they share its
formats, version-conflict rules and whatever else that path does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import ApiError, InvalidInput
from ...render import as_dict, bound, fields_block, records, table
from ..params import CURSOR, cursor_note, page_size, text_param, when
from ..registry import Answer, ToolSpec
from . import pages, pages_write
from ._common import CONTENT_FORMAT, MODULE, PAGE_ID, READ_FORMAT, SPACE, VERSION, content_param

if TYPE_CHECKING:
    from ...services import Services

BLOG = "confluence_blog_posts"
FOLDERS = "confluence_folders"
TEMPLATES = "confluence_templates"

POST_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Numeric blog post id."}
FOLDER_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Numeric folder id."}
TEMPLATE_ID = {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "Template id (from confluence_list_templates)."}


class _BlogServices:
    """The services, with `confluence` reading and writing blog posts instead of pages."""

    def __init__(self, services: Services):
        self._services = services
        self.confluence = services.confluence.blog_posts()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._services, name)


def _as_post(answer: Answer) -> Answer:
    return Answer(answer.text.replace(" page **", " blog post **", 1), answer.data, answer.images)


def list_blog_posts(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    space_id = client.space_id(args["space_key"]) if args.get("space_key") else None
    result = as_dict(client.list_blog_posts(space_id=space_id, title=args.get("title"), limit=args.get("limit", 25), cursor=args.get("cursor")))
    posts = [
        {
            "id": p.get("id"),
            "title": p.get("title"),
            "space_id": p.get("spaceId"),
            "created": p.get("createdAt"),
            "version": as_dict(p.get("version")).get("number"),
            "url": client.web_url(p.get("_links")),
        }
        for p in records(result.get("results"))
    ]
    cursor = result.get("next_cursor")
    rows = [[p["title"], p["id"], p["space_id"], when(p["created"])] for p in posts]
    text = table(["Title", "Id", "Space id", "Created"], rows) if rows else "No blog posts match."
    return Answer(bound(text + cursor_note(cursor, "blog posts"), "lower limit"), {"blog_posts": posts, "next_cursor": cursor})


def get_blog_post(services: Services, args: dict[str, Any]) -> Answer:
    return pages.get_page(_BlogServices(services), {"page_id": args["blog_post_id"], "format": args.get("format", "markdown")})  # type: ignore[arg-type]


def create_blog_post(services: Services, args: dict[str, Any]) -> Answer:
    wanted = {k: args[k] for k in ("space_key", "title", "content", "content_format") if k in args}
    return _as_post(pages_write.create_page(_BlogServices(services), wanted))  # type: ignore[arg-type]


def update_blog_post(services: Services, args: dict[str, Any]) -> Answer:
    wanted = {k: v for k, v in args.items() if k != "blog_post_id"}
    return _as_post(pages_write.update_page(_BlogServices(services), {**wanted, "page_id": args["blog_post_id"]}))  # type: ignore[arg-type]


def _folder_data(services: Services, f: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f.get("id"),
        "title": f.get("title"),
        "space_id": f.get("spaceId"),
        "parent_id": f.get("parentId"),
        "parent_type": f.get("parentType"),
        "created": f.get("createdAt"),
        "url": services.confluence.web_url(f.get("_links")),
    }


def get_folder(services: Services, args: dict[str, Any]) -> Answer:
    data = _folder_data(services, as_dict(services.confluence.get_folder(args["folder_id"])))
    pairs = [
        ("Id", data["id"]),
        ("Space id", data["space_id"]),
        ("Parent", f"{data['parent_type'] or 'page'} {data['parent_id']}" if data["parent_id"] else None),
    ]
    pairs += [("Created", when(data["created"])), ("URL", data["url"])]
    return Answer(f"# {data['title']} (folder)\n" + fields_block(pairs), data)


def _parent_space(services: Services, parent_id: str) -> str:
    """The space id of a parent page or folder."""
    client = services.confluence
    try:
        return str(client.get_page(parent_id, body_format=None, include_labels=False).get("spaceId"))
    except ApiError as exc:
        if exc.status != 404:
            raise
    return str(client.get_folder(parent_id).get("spaceId"))


def create_folder(services: Services, args: dict[str, Any]) -> Answer:
    client, parent = services.confluence, args.get("parent_id")
    if args.get("space_key"):
        space_id = client.space_id(args["space_key"])
    elif parent:
        space_id = _parent_space(services, parent)
    else:
        raise InvalidInput("Give space_key (or parent_id) to say where the folder goes.")
    data = _folder_data(services, client.create_folder(space_id, args["title"].strip(), parent_id=parent))
    return Answer(f"Created folder **{data['title']}** (id {data['id']})" + (f": {data['url']}" if data["url"] else "."), data)


def copy_page(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    page_id, parent, space = args["page_id"], args.get("to_parent_id"), args.get("to_space")
    if bool(parent) == bool(space):
        raise InvalidInput("Give exactly one of to_parent_id (copy under that page) or to_space (copy to that space's home page).")
    flags = {"copyAttachments": args.get("copy_attachments", True), "copyLabels": args.get("copy_labels", True)}
    if args.get("include_children"):
        if space:
            parent = str(client.get_space(client.space_id(space)).get("homepageId") or "")
            if not parent:
                raise InvalidInput(f"Space {space} has no home page to copy under; give to_parent_id.")
        task = client.copy_hierarchy(page_id, str(parent), title_prefix=args.get("title_prefix"), **flags)
        text = f"Copying page {page_id} and its children under page {parent}: Confluence runs it in the background (task {task.get('id')})."
        return Answer(text + " Look for the copies with confluence_get_page_children.", {"page_id": page_id, "to_parent_id": parent, "task_id": task.get("id")})
    if args.get("title_prefix"):
        raise InvalidInput("title_prefix is for include_children; give title for a single page's copy.")
    if space and not str(space).isdigit():
        destination = {"type": "space", "value": space}
    elif space:
        destination = {"type": "space", "value": str(client.get_space(space).get("key"))}
    else:
        destination = {"type": "parent_page", "value": str(parent)}
    made = client.copy_page(page_id, destination, title=args.get("title"), **flags)
    data = {
        "id": made.get("id"),
        "title": made.get("title"),
        "space_key": (made.get("space") or {}).get("key"),
        "copied_from": page_id,
        "url": client.web_url(made.get("_links")),
    }
    where = f"under page {parent}" if parent else f"in space {data['space_key']}"
    return Answer(f"Copied page {page_id} to **{data['title']}** (id {data['id']}) {where}" + (f": {data['url']}" if data["url"] else "."), data)


def list_templates(services: Services, args: dict[str, Any]) -> Answer:
    start = args.get("start", 0)
    result = as_dict(services.confluence.templates(space_key=args.get("space_key"), start=start, limit=args.get("limit", 25)))
    found = [
        {"id": t.get("templateId"), "name": t.get("name"), "description": t.get("description"), "space_key": as_dict(t.get("space")).get("key")}
        for t in records(result.get("results"))
    ]
    more = bool(as_dict(result.get("_links")).get("next"))
    rows = [[t["name"], t["id"], t["description"]] for t in found]
    where = f"space {args['space_key']}" if args.get("space_key") else "the site (global templates; give space_key for a space's own)"
    note = f"\n\nMore templates: call again with start={start + len(found)}." if more else ""
    text = f"No page templates in {where}." if not rows else f"Page templates of {where}:\n\n" + table(["Name", "Id", "Description"], rows) + note
    text += "\n\nCreate a page from one with confluence_create_page and template_id." if rows else ""
    return Answer(bound(text, "page with start"), {"templates": found, "next_start": start + len(found) if more else None})


def delete_attachment(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    meta = client.get_attachment(args["attachment_id"])
    client.delete_attachment(args["attachment_id"])
    name = meta.get("title") or args["attachment_id"]
    text = f"Deleted attachment {name} ({args['attachment_id']}): it is in the space's trash, where a space admin can restore it."
    return Answer(text, {"id": args["attachment_id"], "title": meta.get("title"), "page_id": meta.get("pageId"), "deleted": True})


TOOLS = [
    ToolSpec(
        name="confluence_list_blog_posts",
        title="List blog posts",
        description="List blog posts, newest first, of one space or every space you can see, or by exact title.",
        handler=list_blog_posts,
        module=MODULE,
        toolset=BLOG,
        read_only=True,
        params={"space_key": SPACE, "title": text_param("Exact title."), "limit": page_size(25, 250), "cursor": CURSOR},
    ),
    ToolSpec(
        name="confluence_get_blog_post",
        title="Read a blog post",
        description="Read a blog post as Markdown (or raw adf/storage) with its version and labels.",
        handler=get_blog_post,
        module=MODULE,
        toolset=BLOG,
        read_only=True,
        params={"blog_post_id": POST_ID, "format": READ_FORMAT},
        required=("blog_post_id",),
    ),
    ToolSpec(
        name="confluence_create_blog_post",
        title="Create a blog post",
        description="Publish a blog post in a space.",
        handler=create_blog_post,
        module=MODULE,
        toolset=BLOG,
        read_only=False,
        params={"space_key": SPACE, "title": text_param("Blog post title."), "content": content_param("Blog post body"), "content_format": CONTENT_FORMAT},
        required=("space_key", "title", "content"),
    ),
    ToolSpec(
        name="confluence_update_blog_post",
        title="Replace a blog post's body",
        description="Replace a blog post's body (and title); never overwrites a newer edit by someone else.",
        handler=update_blog_post,
        module=MODULE,
        toolset=BLOG,
        read_only=False,
        params={
            "blog_post_id": POST_ID,
            "content": content_param("New body"),
            "title": text_param("New title."),
            "version": VERSION,
            "content_format": CONTENT_FORMAT,
            "version_message": pages_write.VERSION_MESSAGE,
        },
        required=("blog_post_id", "content"),
    ),
    ToolSpec(
        name="confluence_get_folder",
        title="Read a folder",
        description="Show a Confluence folder: title, space, parent and link. Page trees and children list folders too.",
        handler=get_folder,
        module=MODULE,
        toolset=FOLDERS,
        read_only=True,
        params={"folder_id": FOLDER_ID},
        required=("folder_id",),
    ),
    ToolSpec(
        name="confluence_create_folder",
        title="Create a folder",
        description="Create a folder in a space, at its top or under a page or folder, to group pages.",
        handler=create_folder,
        module=MODULE,
        toolset=FOLDERS,
        read_only=False,
        params={
            "space_key": {**SPACE, "description": "Space key or id (default: the parent's)."},
            "title": text_param("Folder title."),
            "parent_id": {**PAGE_ID, "description": "Parent page or folder id."},
        },
        required=("title",),
    ),
    ToolSpec(
        name="confluence_copy_page",
        title="Copy a page",
        description="Copy a page, with or without its children, under another page or into a space.",
        handler=copy_page,
        module=MODULE,
        toolset=TEMPLATES,
        read_only=False,
        params={
            "page_id": PAGE_ID,
            "to_parent_id": {**PAGE_ID, "description": "New parent page."},
            "to_space": {**SPACE, "description": "Or: space key (under its home)."},
            "title": text_param("New title (default: same)."),
            "include_children": {"type": "boolean", "default": False, "description": "Copy descendants too."},
            "title_prefix": text_param("With children: prefix for each title.", 100),
            "copy_attachments": {"type": "boolean", "default": True, "description": "With attachments."},
            "copy_labels": {"type": "boolean", "default": True, "description": "With labels."},
        },
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_list_templates",
        title="List page templates",
        description="List a space's page templates (or the global ones) with ids for confluence_create_page.",
        handler=list_templates,
        module=MODULE,
        toolset=TEMPLATES,
        read_only=True,
        params={
            "space_key": {**SPACE, "description": "Space key (default: global templates)."},
            "limit": page_size(25, 200),
            "start": {"type": "integer", "minimum": 0, "description": "Offset."},
        },
    ),
]

RARE_TOOLS = [
    ToolSpec(
        name="confluence_delete_attachment",
        title="Delete a page attachment",
        description="Delete an attachment from its page (it goes to the space's trash).",
        handler=delete_attachment,
        module=MODULE,
        toolset="confluence_attachments",
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"attachment_id": {"type": "string", "pattern": "^(att)?[0-9]{1,20}$", "description": "Attachment id."}},
        required=("attachment_id",),
    ),
]
