"""Confluence tools for footer and inline comments."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ...errors import ApiError, InvalidInput
from ...render import as_dict, bound, records
from ..params import CURSOR, cursor_note, page_size, text_param, when
from ..registry import Answer, ToolSpec
from ._common import COMMENT_ID, CONTENT_FORMAT, MODULE, PAGE_ID, body_text, content_param, outgoing_body

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_comments"


def _rows(services: Services, comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = services.confluence.user_names([as_dict(c.get("version")).get("authorId") for c in comments])
    rows = []
    for c in comments:
        version = as_dict(c.get("version"))
        row = {
            "id": c.get("id"),
            "author": names.get(str(version.get("authorId"))) or version.get("authorId"),
            "created": version.get("createdAt"),
            "parent_comment_id": c.get("parentCommentId"),
            "body": body_text(c, "markdown"),
            "url": services.confluence.web_url(c.get("_links")),
        }
        if "resolutionStatus" in c or "properties" in c:
            row["resolution"] = c.get("resolutionStatus")
            row["selection"] = as_dict(c.get("properties")).get("inlineOriginalSelection")
        rows.append(row)
    return rows


def _render(rows: list[dict[str, Any]], indent: str = "") -> str:
    out = []
    for r in rows:
        extra = f", {r['resolution']}" if r.get("resolution") else ""
        out.append(f"{indent}### {r['author']} · {when(r['created'])} (id {r['id']}{extra})")
        if r.get("selection"):
            out.append(f"{indent}On: “{r['selection']}”")
        out.append("\n".join(indent + line for line in r["body"].splitlines()) or f"{indent}(empty)")
        out.append("")
    return "\n".join(out).rstrip()


def _list(services: Services, args: dict[str, Any], kind: str) -> Answer:
    result = services.confluence.page_comments(
        args["page_id"], kind, limit=args.get("limit", 25), cursor=args.get("cursor"), resolution=args.get("resolution_status")
    )
    rows = _rows(services, records(result.get("results")))
    cursor = result.get("next_cursor")
    text = _render(rows) if rows else f"Page {args['page_id']} has no {kind} comments."
    if rows and kind == "footer":
        text += "\n\nReplies: confluence_get_comment with a comment id."
    return Answer(bound(text + cursor_note(cursor, "comments"), "lower limit"), {"comments": rows, "next_cursor": cursor})


def get_page_comments(services: Services, args: dict[str, Any]) -> Answer:
    return _list(services, args, "footer")


def get_inline_comments(services: Services, args: dict[str, Any]) -> Answer:
    return _list(services, args, "inline")


def get_comment(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    comment_id = args["comment_id"]
    kind = "footer"
    try:
        comment = client.get_comment(comment_id, kind)
    except ApiError as exc:
        if exc.status != 404:
            raise
        kind = "inline"  # the same id space holds both kinds
        comment = client.get_comment(comment_id, kind)
    replies = client.comment_replies(comment_id, kind, limit=args.get("limit", 25), cursor=args.get("cursor"))
    rows = _rows(services, [comment, *(records(replies.get("results")))])
    cursor = replies.get("next_cursor")
    data = {**rows[0], "kind": kind, "page_id": comment.get("pageId"), "replies": rows[1:], "next_cursor": cursor}
    text = _render(rows[:1])
    if rows[1:]:
        text += "\n\nReplies:\n\n" + _render(rows[1:], "> ")
    return Answer(bound(text + cursor_note(cursor, "replies"), "lower limit"), data)


def _comment_answer(services: Services, comment: dict[str, Any], what: str) -> Answer:
    data = {
        "id": comment.get("id"),
        "page_id": comment.get("pageId"),
        "parent_comment_id": comment.get("parentCommentId"),
        "url": services.confluence.web_url(comment.get("_links")),
    }
    where = f"reply to comment {data['parent_comment_id']}" if data["parent_comment_id"] else f"{what} on page {data['page_id']}"
    return Answer(f"Added {where} (comment id {data['id']})" + (f": {data['url']}" if data["url"] else "."), data)


def add_comment(services: Services, args: dict[str, Any]) -> Answer:
    body = outgoing_body(args["comment"], args.get("content_format", "markdown"))
    parent = args.get("parent_comment_id")
    comment = services.confluence.add_footer_comment(body, page_id=None if parent else args["page_id"], parent_comment_id=parent)
    return _comment_answer(services, comment, "comment")


def page_text(adf: dict[str, Any]) -> str:
    """The visible text of an ADF page, one line per text block, as Confluence matches a selection in it."""
    blocks: list[str] = []

    def text_of(node: Any) -> str:
        if not isinstance(node, dict):
            return ""
        return node.get("text") or "" if node.get("type") == "text" else "".join(text_of(c) for c in records(node.get("content")))

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("type") in ("paragraph", "heading", "codeBlock"):
            blocks.append(text_of(node))
            return
        for child in records(node.get("content")):
            walk(child)

    walk(adf)
    return "\n".join(blocks)


def add_inline_comment(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    page_id, selection = args["page_id"], args["text_selection"]
    body = outgoing_body(args["comment"], args.get("content_format", "markdown"))
    page = client.get_page(page_id, include_labels=False)
    raw = (as_dict(page.get("body")).get("atlas_doc_format") or {}).get("value") or "{}"
    count = page_text(json.loads(raw)).count(selection)
    if count == 0:
        raise InvalidInput(f"The text {selection!r} does not appear on page {page_id}; quote text exactly as it reads on the page, within one paragraph.")
    occurrence = args.get("occurrence", 1)
    if occurrence > count:
        raise InvalidInput(f"The text {selection!r} appears {count} time(s) on page {page_id}; occurrence must be 1-{count}.")
    comment = client.add_inline_comment(page_id, body, selection, count, occurrence - 1)
    return _comment_answer(services, comment, f"inline comment on “{selection}”")


COMMENT = content_param("Comment")

TOOLS = [
    ToolSpec(
        name="confluence_get_page_comments",
        title="Read page comments",
        description="Read a page's footer comments with author and date.",
        handler=get_page_comments,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "limit": page_size(25, 100, "comments"), "cursor": CURSOR},
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_get_comment",
        title="Read a comment",
        description="Read a comment and its replies.",
        handler=get_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"comment_id": COMMENT_ID, "limit": page_size(25, 100, "replies"), "cursor": CURSOR},
        required=("comment_id",),
    ),
    ToolSpec(
        name="confluence_add_comment",
        title="Comment on a page",
        description="Comment on a page, or reply to a comment.",
        handler=add_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "page_id": PAGE_ID,
            "comment": COMMENT,
            "parent_comment_id": {**COMMENT_ID, "description": "Reply to this comment."},
            "content_format": CONTENT_FORMAT,
        },
        required=("page_id", "comment"),
    ),
    ToolSpec(
        name="confluence_get_inline_comments",
        title="Read inline comments",
        description="Read a page's inline comments and the text each marks.",
        handler=get_inline_comments,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "page_id": PAGE_ID,
            "resolution_status": {"type": "string", "enum": ["open", "reopened", "resolved", "dangling"], "description": "Only this state."},
            "limit": page_size(25, 100, "comments"),
            "cursor": CURSOR,
        },
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_add_inline_comment",
        title="Comment on page text",
        description="Comment on a piece of text in a page.",
        handler=add_inline_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "page_id": PAGE_ID,
            "text_selection": text_param("Exact page text (one paragraph).", 500),
            "comment": COMMENT,
            "occurrence": {"type": "integer", "minimum": 1, "default": 1, "description": "Which occurrence (1 = first)."},
            "content_format": CONTENT_FORMAT,
        },
        required=("page_id", "text_selection", "comment"),
    ),
]
