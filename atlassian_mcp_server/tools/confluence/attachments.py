"""Confluence tools for attachments: list, inspect, download and upload files."""

from __future__ import annotations

import base64
import re
from functools import partial
from typing import Any

from ...calls import report_progress
from ...errors import InvalidInput
from ...files import IMAGE_TYPES, inside_root
from ...render import as_dict, bound, records, table
from .. import limit_param, text_param
from ..registry import Answer
from ._common import CURSOR, PAGE_ID, more, tool, when

ATTACHMENT_ID = {"type": "string", "pattern": "^(att)?[0-9]{1,20}$", "description": "Attachment id (att123)."}
MAX_BYTES = 100_000_000
TEXT_TYPES = {"application/json", "application/xml", "application/javascript", "application/x-yaml", "application/yaml", "application/csv", "image/svg+xml"}


def _row(services: Any, a: dict[str, Any]) -> dict[str, Any]:
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


def get_page_attachments(services: Any, args: dict[str, Any]) -> Answer:
    result = services.confluence.page_attachments(args["page_id"], limit=args.get("limit", 25), cursor=args.get("cursor"), filename=args.get("filename"))
    rows = [_row(services, a) for a in records(result.get("results"))]
    cursor = result.get("next_cursor")
    text = (
        table(["File", "Type", "Bytes", "Id"], ([r["title"], r["media_type"], r["size"], r["id"]] for r in rows))
        if rows
        else f"Page {args['page_id']} has no attachments{' named ' + args['filename'] if args.get('filename') else ''}."
    )
    return Answer(bound(text + more(cursor, "attachments"), "lower limit"), {"attachments": rows, "next_cursor": cursor})


def get_attachment(services: Any, args: dict[str, Any]) -> Answer:
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


def _is_text(media: str) -> bool:
    return media.startswith("text/") or media in TEXT_TYPES or media.endswith("+json") or media.endswith("+xml")


def download_attachment(services: Any, args: dict[str, Any]) -> Answer:
    client = services.confluence
    att = client.get_attachment(args["attachment_id"])
    row = _row(services, att)
    limit = args.get("max_bytes", 10_000_000)
    if (row["size"] or 0) > limit:
        raise InvalidInput(f"{row['title']} is {row['size']} bytes, over max_bytes ({limit}); raise max_bytes (at most {MAX_BYTES}) to fetch it.")
    target = inside_root(services.settings.file_root, args["save_to"]) if args.get("save_to") else None
    if target is not None and (target.exists() or target.is_symlink()):
        raise InvalidInput(f"{target} already exists; choose another save_to.")
    media = (row["media_type"] or "").lower()
    if target is None and not (_is_text(media) or media in IMAGE_TYPES):
        raise InvalidInput(f"{row['title']} is {media or 'binary'}, neither text nor an image: give save_to, a file path inside {services.settings.file_root}.")
    report_progress(0, row["size"] or None, f"downloading {row['title']}")
    data, served_type = client.download_attachment(str(row["page_id"]), row["id"])
    report_progress(len(data), len(data), f"downloaded {row['title']}")
    if len(data) > limit:
        raise InvalidInput(f"{row['title']} is {len(data)} bytes, over max_bytes ({limit}).")
    media = media or served_type
    if target is not None:
        try:
            with open(target, "xb") as out:  # never replaces a file, nor follows a planted symlink
                out.write(data)
        except FileExistsError:
            raise InvalidInput(f"{target} already exists; choose another save_to.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot write {target}: {exc.strerror or exc}.") from None
        return Answer(f"Saved {row['title']} ({len(data)} bytes) to {target}.", {**row, "saved_to": str(target), "bytes": len(data)})
    if media in IMAGE_TYPES:
        image = (media, base64.b64encode(data).decode("ascii"))
        return Answer(f"{row['title']} ({media}, {len(data)} bytes):", {**row, "bytes": len(data)}, images=(image,))
    text = data.decode("utf-8", errors="replace")
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return Answer(
        bound(f"{row['title']} ({media}, {len(data)} bytes):\n{fence}\n{text}\n{fence}", "give save_to to get the whole file"), {**row, "bytes": len(data)}
    )


def upload_attachment(services: Any, args: dict[str, Any]) -> Answer:
    source = inside_root(services.settings.file_root, args["file_path"])
    if not source.is_file():
        raise InvalidInput(f"{source} is not a file; give the path of a file inside {services.settings.file_root}.")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise InvalidInput(f"{source.name} is {size} bytes; the upload limit is {MAX_BYTES}.")
    import mimetypes

    name = args.get("filename") or source.name
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    data = source.read_bytes()  # bytes, not a stream, so a retried request sends the whole file again
    report_progress(0, size, f"uploading {name}")
    result = services.confluence.upload_attachment(args["page_id"], name, data, media_type=media, comment=args.get("comment"))
    report_progress(size, size, f"uploaded {name}")
    att = ((result or {}).get("results") or [{}])[0]
    url = services.confluence.web_url(att.get("_links"))
    info = {
        "id": att.get("id"),
        "title": att.get("title") or name,
        "page_id": args["page_id"],
        "bytes": size,
        "media_type": media,
        "version": as_dict(att.get("version")).get("number"),
        "url": url,
    }
    return Answer(f"Attached {info['title']} ({size} bytes) to page {args['page_id']} as {info['id']}" + (f": {url}" if url else "."), info)


_tool = partial(tool, "confluence_attachments")

TOOLS = [
    _tool(
        "confluence_get_page_attachments",
        "List page attachments",
        "List a page's attachments: name, type, size, id.",
        get_page_attachments,
        {"page_id": PAGE_ID, "filename": text_param("Only this file name."), "limit": limit_param(25, 250, "attachments"), "cursor": CURSOR},
        ("page_id",),
    ),
    _tool(
        "confluence_get_attachment",
        "Read attachment details",
        "Show an attachment's name, type, size, page and version.",
        get_attachment,
        {"attachment_id": ATTACHMENT_ID},
        ("attachment_id",),
    ),
    _tool(
        "confluence_download_attachment",
        "Download an attachment",
        "Fetch an attachment: text as text, images as images; other files need save_to.",
        download_attachment,
        {
            "attachment_id": ATTACHMENT_ID,
            "save_to": text_param("Local path to save it to, inside the file root.", 1000),
            "max_bytes": {"type": "integer", "minimum": 1, "maximum": MAX_BYTES, "default": 10_000_000, "description": "Size limit."},
        },
        ("attachment_id",),
    ),
    _tool(
        "confluence_upload_attachment",
        "Attach a file to a page",
        "Attach a local file (inside the file root) to a page.",
        upload_attachment,
        {
            "page_id": PAGE_ID,
            "file_path": text_param("Local file path.", 1000),
            "filename": text_param("Name on the page."),
            "comment": text_param("Comment.", 500),
        },
        ("page_id", "file_path"),
        read_only=False,
        idempotent=False,
    ),
]
