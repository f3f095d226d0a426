"""Jira attachment tools: list, download (text, image, or to a file) and upload, inside one file root."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

from ...calls import report_progress
from ...errors import InvalidInput
from ...files import IMAGE_TYPES, inside_root
from ...render import as_dict, bound, records, table
from ..registry import Answer, ToolSpec
from .shared import ISSUE_KEY, MODULE, id_param, issue_ref, person, when

TOOLSET = "jira_attachments"
MAX_TEXT_BYTES = 512 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
TEXT_TYPES = ("application/json", "application/xml", "application/yaml", "application/x-yaml", "application/javascript", "application/sql", "application/csv")


def _size(n: Any) -> str:
    if not isinstance(n, (int, float)) or isinstance(n, bool):
        return str(n) if n not in (None, "") else "-"
    n = int(n)
    return f"{n} B" if n < 1024 else (f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB")


def get_attachments(services: Any, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    issue = services.jira.get_issue(args["issue_key"], fields=["attachment"])
    files = records(as_dict(issue.get("fields")).get("attachment"))
    rows = [[a.get("id"), a.get("filename"), a.get("mimeType"), _size(a.get("size")), person(a.get("author")), when(a.get("created"))] for a in files]
    text = f"{key} has no attachments." if not files else f"Attachments on {key}:\n\n" + table(["Id", "File", "Type", "Size", "By", "Added"], rows)
    data = {
        "issue_key": key,
        "attachments": [{"id": a.get("id"), "filename": a.get("filename"), "mime_type": a.get("mimeType"), "size": a.get("size")} for a in files],
    }
    return Answer(bound(text, "the list is long"), data)


def _is_text(mime: str) -> bool:
    return mime.startswith("text/") or mime in TEXT_TYPES or mime.endswith(("+json", "+xml"))


def download_attachment(services: Any, args: dict[str, Any]) -> Answer:
    attachment_id = args["attachment_id"]
    meta = services.jira.attachment(attachment_id)
    name, size = str(meta.get("filename") or f"attachment-{attachment_id}"), int(meta.get("size") or 0)
    mime = str(meta.get("mimeType") or mimetypes.guess_type(name)[0] or "application/octet-stream").split(";")[0].lower()
    info = {"id": attachment_id, "filename": name, "mime_type": mime, "size": size}
    save_to = args.get("save_to")
    if save_to:
        root = services.settings.file_root
        target = inside_root(root, save_to)
        if target.is_dir():
            target = inside_root(root, str(target / Path(name).name))
        if target.exists() and not args.get("overwrite"):
            raise InvalidInput(f"{target} already exists; pass overwrite=true or choose another save_to.")
        if size > MAX_FILE_BYTES:
            raise InvalidInput(f"{name} is {_size(size)}; downloads are limited to {_size(MAX_FILE_BYTES)}.")
        if not target.parent.is_dir():
            raise InvalidInput(f"The folder {target.parent} does not exist; create it or choose another save_to.")
        report_progress(0, size or None, f"downloading {name}")
        content = services.jira.attachment_content(attachment_id)
        target.write_bytes(content)
        report_progress(len(content), len(content), f"saved {name}")
        return Answer(f"Saved {name} ({_size(len(content))}, {mime}) to {target}.", {**info, "saved_to": str(target)})
    if mime in IMAGE_TYPES:
        if size > MAX_IMAGE_BYTES:
            raise InvalidInput(f"{name} is {_size(size)}, too big to show (limit {_size(MAX_IMAGE_BYTES)}); pass save_to to save it.")
        content = services.jira.attachment_content(attachment_id)
        return Answer(f"{name} ({mime}, {_size(len(content))}):", info, images=((mime, base64.b64encode(content).decode("ascii")),))
    if _is_text(mime):
        if size > MAX_TEXT_BYTES:
            raise InvalidInput(f"{name} is {_size(size)} of text, more than {_size(MAX_TEXT_BYTES)}; pass save_to to save it.")
        content = services.jira.attachment_content(attachment_id)
        text = content.decode("utf-8", errors="replace")
        fence = "```"
        while fence in text:
            fence += "`"
        shown = f"{name} ({mime}, {_size(len(content))}):\n\n{fence}\n{text.rstrip()}\n{fence}"
        return Answer(bound(shown, "pass save_to to get the whole file"), {**info, "text": text})
    raise InvalidInput(f"{name} is {mime} ({_size(size)}), which cannot be shown as text or an image; pass save_to with a file path to save it.")


def upload_attachment(services: Any, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    source = inside_root(services.settings.file_root, args["file_path"])
    if not source.is_file():
        raise InvalidInput(f"{source} is not a file; give the path of a file inside {services.settings.file_root}.")
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidInput(f"{source.name} is {_size(size)}; uploads are limited to {_size(MAX_FILE_BYTES)}.")
    name = args.get("filename") or source.name
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    report_progress(0, size, f"uploading {name}")
    with source.open("rb") as stream:
        added = services.jira.add_attachment(args["issue_key"], name, stream, mime)
    report_progress(size, size, f"uploaded {name}")
    first = added[0] if added else {}
    text = f"Attached {first.get('filename') or name} ({_size(first.get('size') or size)}) to {key} as attachment {first.get('id')}.\n{url}"
    return Answer(
        text, {"key": key, "url": url, "attachment_id": first.get("id"), "filename": first.get("filename") or name, "size": first.get("size") or size}
    )


TOOLS = [
    ToolSpec(
        name="jira_get_attachments",
        title="Jira attachments",
        description="List the files attached to an issue with id, type and size.",
        handler=get_attachments,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": ISSUE_KEY},
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_download_attachment",
        title="Download Jira attachment",
        description="Read an attachment: text as text, images as images; other files need save_to.",
        handler=download_attachment,
        module=MODULE,
        toolset=TOOLSET,
        # Read-only towards Atlassian; save_to writes only below ATLASSIAN_FILE_ROOT, never over a file unasked.
        read_only=True,
        params={
            "attachment_id": id_param("jira_get_attachments"),
            "save_to": {"type": "string", "minLength": 1, "maxLength": 1000, "description": "File or folder inside ATLASSIAN_FILE_ROOT."},
            "overwrite": {"type": "boolean", "default": False, "description": "Replace an existing file."},
        },
        required=("attachment_id",),
    ),
    ToolSpec(
        name="jira_upload_attachment",
        title="Upload Jira attachment",
        description="Upload a local file (inside ATLASSIAN_FILE_ROOT) to an issue as an attachment.",
        handler=upload_attachment,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        params={
            "issue_key": ISSUE_KEY,
            "file_path": {"type": "string", "minLength": 1, "maxLength": 1000, "description": "File inside ATLASSIAN_FILE_ROOT."},
            "filename": {"type": "string", "minLength": 1, "maxLength": 255, "description": "Name in Jira (default: the file's)."},
        },
        required=("issue_key", "file_path"),
    ),
]
