"""Jira comment tools: read, add, edit and delete comments, Markdown both ways."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import as_dict, bound, guarded, records, stamp, value_text
from ..params import page_size, paging_note
from ..registry import Answer, ToolSpec
from .shared import ALLOW_LOSS, ISSUE_KEY, MODULE, START_AT, id_param, issue_ref, kept_adf, markdown_param, person, to_adf, to_markdown

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_comments"
COMMENT_ID = id_param("jira_get_comments")


def _comment_url(services: Services, key: str, comment_id: Any) -> str:
    return f"{services.jira.browse_url(key)}?focusedCommentId={comment_id}"


def get_comments(services: Services, args: dict[str, Any]) -> Answer:
    key, start = args["issue_key"], args.get("start_at", 0)
    newest = args.get("newest_first", True)
    page = services.jira.comments(key, start_at=start, limit=args.get("limit", 20), newest_first=newest)
    comments = records(page.get("comments"))
    total = page.get("total") if isinstance(page.get("total"), int) else len(comments)
    note, next_start = paging_note(start, len(comments), total)
    blocks = []
    for c in comments:
        edited = " (edited)" if c.get("updated") and c.get("updated") != c.get("created") else ""
        seen = as_dict(c.get("visibility"))
        restricted = f" [visible to {value_text(seen.get('value')) or value_text(seen.get('identifier'))}]" if seen else ""
        blocks.append(
            f"**{guarded(person, c.get('author')) or 'Someone'}** · {stamp(c.get('created'))} · id {c.get('id')}{edited}{restricted}\n{guarded(to_markdown, c.get('body')) or ''}"
        )
    order = "newest first" if newest else "oldest first"
    text = f"No comments on {key}." if not comments else f"Comments on {key} ({total} in all, {order}):\n\n" + "\n\n".join(blocks) + note
    data = {
        "issue_key": key,
        "total": total,
        "comments": [
            {
                "id": c.get("id"),
                "author": guarded(person, c.get("author")),
                "created": c.get("created"),
                "updated": c.get("updated"),
                "body": guarded(to_markdown, c.get("body")),
            }
            for c in comments
        ],
        "next_start_at": next_start,
    }
    return Answer(bound(text, "lower limit and page with start_at"), data)


def add_comment(services: Services, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    role = args.get("visible_to_role")
    created = services.jira.add_comment(args["issue_key"], to_adf(args["comment"]), visibility={"type": "role", "value": role} if role else None)
    url = _comment_url(services, key, created.get("id"))
    limited = f" (visible to role {role} only)" if role else ""
    return Answer(f"Added comment {created.get('id')} to {key}{limited}.\n{url}", {"issue_key": key, "comment_id": created.get("id"), "url": url})


def edit_comment(services: Services, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    current = services.jira.get_comment(args["issue_key"], args["comment_id"]).get("body")
    body = kept_adf(args["comment"], current, f"comment {args['comment_id']}", bool(args.get("allow_loss")))
    services.jira.update_comment(args["issue_key"], args["comment_id"], body)
    url = _comment_url(services, key, args["comment_id"])
    return Answer(f"Replaced the text of comment {args['comment_id']} on {key}.\n{url}", {"issue_key": key, "comment_id": args["comment_id"], "url": url})


def delete_comment(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    services.jira.delete_comment(args["issue_key"], args["comment_id"])
    return Answer(f"Deleted comment {args['comment_id']} from {key}.\n{url}", {"issue_key": key, "deleted_comment_id": args["comment_id"]})


TOOLS = [
    ToolSpec(
        name="jira_get_comments",
        title="Read Jira comments",
        description="List an issue's comments (Markdown, author, date, id), newest first.",
        handler=get_comments,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "issue_key": ISSUE_KEY,
            "limit": page_size(20, 100),
            "start_at": START_AT,
            "newest_first": {"type": "boolean", "default": True, "description": "false: oldest first."},
        },
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_add_comment",
        title="Add Jira comment",
        description="Add a Markdown comment to an issue, optionally visible only to one project role.",
        handler=add_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": ISSUE_KEY,
            "comment": markdown_param("Comment text"),
            "visible_to_role": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Only this project role may see it."},
        },
        required=("issue_key", "comment"),
    ),
    ToolSpec(
        name="jira_edit_comment",
        title="Edit a Jira comment",
        description="Replace the text of a comment (ids from jira_get_comments) with new Markdown.",
        handler=edit_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        params={"issue_key": ISSUE_KEY, "comment_id": COMMENT_ID, "comment": markdown_param("New text"), "allow_loss": ALLOW_LOSS},
        required=("issue_key", "comment_id", "comment"),
    ),
    ToolSpec(
        name="jira_delete_comment",
        title="Delete a Jira comment",
        description="Delete one comment from an issue for good.",
        handler=delete_comment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"issue_key": ISSUE_KEY, "comment_id": COMMENT_ID},
        required=("issue_key", "comment_id"),
    ),
]
