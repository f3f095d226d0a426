"""Confluence tools for attachments: list, inspect, download and upload files."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ...calls import report_progress
from ...errors import InvalidInput
from ...render import as_dict, bound, records, table
from ..attachments import download_cap, fetch, media_type, save_target, show, show_limit, stored_size, upload_body
from ..params import CURSOR, cursor_note, page_size, text_param, when
from ..registry import Answer, ToolSpec
from ._common import MODULE, PAGE_ID

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "confluence_attachments"

ATTACHMENT_ID = {"type": "string", "pattern": "^(att)?[0-9]{1,20}$", "description": "Attachment id (att123)."}
MAX_BYTES = 100_000_000


def _row(services: Services, a: dict[str, Any]) -> dict[str, Any]:
    version = as_dict(a.get("version"))
    return {
        "id": a.get("id"),
        "title": a.get("title"),
        "media_type": a.get("mediaType"),
        "size": a.get("fileSize"),
        "comment": a.get("comment") or None,
        "page_id": a.get("pageId") or a.get("blogPostId"),
        "version": version.get("number"),
        "created": a.get("createdAt") or version.get("createdAt"),
        "url": services.confluence.web_url({"webui": a.get("webuiLink") or as_dict(a.get("_links")).get("webui")}),
    }


def get_page_attachments(services: Services, args: dict[str, Any]) -> Answer:
    result = services.confluence.page_attachments(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"), filename=args.get("filename"))
    rows = [_row(services, a) for a in records(result.get("results"))]
    cursor = result.get("next_cursor")
    text = (
        table(["File", "Type", "Bytes", "Id"], ([r["title"], r["media_type"], r["size"], r["id"]] for r in rows))
        if rows
        else f"Page {args['page_id']} has no attachments{' named ' + args['filename'] if args.get('filename') else ''}."
    )
    return Answer(bound(text + cursor_note(cursor, "attachments"), "lower limit"), {"attachments": rows, "next_cursor": cursor})


def get_attachment(services: Services, args: dict[str, Any]) -> Answer:
    row = _row(services, services.confluence.get_attachment(args["attachment_id"]))
    lines = [f"# {row['title']}"] + [
        f"- **{k}:** {v}"
        for k, v in (
            ("Id", row["id"]),
            ("Type", row["media_type"]),
            ("Bytes", row["size"]),
            ("Page id", row["page_id"]),
            ("Version", row["version"]),
            ("Created", when(row["created"])),
            ("Comment", row["comment"]),
            ("URL", row["url"]),
        )
        if v not in (None, "")
    ]
    return Answer("\n".join(lines), row)


def download_attachment(services: Services, args: dict[str, Any]) -> Answer:
    client = services.confluence
    att = client.get_attachment(args["attachment_id"])
    row = _row(services, att)
    limit = args.get("max_bytes", 10_000_000)
    name, size = str(row["title"] or f"attachment-{row['id']}"), int(row["size"] or 0)
    if size > limit:
        raise InvalidInput(f"{name} is {size} bytes, over max_bytes ({limit}); raise max_bytes (at most {MAX_BYTES}) to fetch it.")
    media = media_type(row["media_type"], name)
    content = partial(client.download_attachment, str(row["page_id"]), row["id"])
    if args.get("save_to"):
        policy, target = save_target(services.settings, args["save_to"], name, overwrite=None)
        data, _ = fetch(content, name, size, min(limit, download_cap(services.settings)), f"over max_bytes ({limit}) or ATLASSIAN_MAX_DOWNLOAD_MB")
        policy.write(target, data, overwrite=None)
        return Answer(f"Saved {name} ({len(data)} bytes) to {target}.", {**row, "saved_to": str(target), "bytes": len(data)})
    shown = min(limit, show_limit(name, media, size, f"give save_to, a file path inside {services.settings.file_root}"))
    data, _ = fetch(content, name, size, shown, f"over max_bytes ({limit}) or the limit for showing it; give save_to to save it")
    answer = show(name, media, data, {**row, "bytes": len(data)}, text_in_data=False)
    return answer


def upload_attachment(services: Services, args: dict[str, Any]) -> Answer:
    _, name, media, body = upload_body(services.settings, args["file_path"], args.get("filename"))
    report_progress(0, len(body), f"uploading {name}")
    result = services.confluence.upload_attachment(args["page_id"], name, body, media_type=media, comment=args.get("comment"))
    report_progress(len(body), len(body), f"uploaded {name}")
    att = ((result or {}).get("results") or [{}])[0]
    url = services.confluence.web_url(att.get("_links"))
    stored, note = stored_size((att.get("extensions") or {}).get("fileSize", att.get("fileSize")), len(body))
    info = {
        "id": att.get("id"),
        "title": att.get("title") or name,
        "page_id": args["page_id"],
        "bytes": stored,
        "sent": len(body),
        "media_type": media,
        "version": as_dict(att.get("version")).get("number"),
        "url": url,
    }
    shown = f"{stored} bytes" if stored is not None else "size not reported"
    return Answer(f"Attached {info['title']} ({shown}) to page {args['page_id']} as {info['id']}" + (f": {url}" if url else ".") + note, info)


TOOLS = [
    ToolSpec(
        name="confluence_get_page_attachments",
        title="List page attachments",
        description="List a page's attachments: name, type, size, id.",
        handler=get_page_attachments,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"page_id": PAGE_ID, "filename": text_param("Only this file name."), "limit": page_size(25, 250, "attachments"), "cursor": CURSOR},
        required=("page_id",),
    ),
    ToolSpec(
        name="confluence_get_attachment",
        title="Read attachment details",
        description="Show an attachment's name, type, size, page and version.",
        handler=get_attachment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"attachment_id": ATTACHMENT_ID},
        required=("attachment_id",),
    ),
    ToolSpec(
        name="confluence_download_attachment",
        title="Download an attachment",
        description="Fetch an attachment: text as text, images as images; other files need save_to.",
        handler=download_attachment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={
            "attachment_id": ATTACHMENT_ID,
            "save_to": text_param("Local path to save it to, inside the file root.", 1000),
            "max_bytes": {"type": "integer", "minimum": 1, "maximum": MAX_BYTES, "default": 10_000_000, "description": "Size limit."},
        },
        required=("attachment_id",),
    ),
    ToolSpec(
        name="confluence_upload_attachment",
        title="Attach a file to a page",
        description="Attach a local file (inside the file root) to a page.",
        handler=upload_attachment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=False,
        params={
            "page_id": PAGE_ID,
            "file_path": text_param("Local file path.", 1000),
            "filename": text_param("Name on the page."),
            "comment": text_param("Comment.", 500),
        },
        required=("page_id", "file_path"),
    ),
]
