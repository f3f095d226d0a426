"""Jira attachment tools: list, download (text, image, or to a file) and upload, inside one file root."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ...calls import report_progress
from ...render import as_dict, bound, records, table
from ..attachments import download_cap, fetch, media_type, save_target, show, show_limit, size_text, stored_size, upload_body
from ..params import when
from ..registry import Answer, ToolSpec
from .shared import ISSUE_KEY, MODULE, id_param, issue_ref, person

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_attachments"


def get_attachments(services: Services, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    issue = services.jira.get_issue(args["issue_key"], fields=["attachment"])
    files = records(as_dict(issue.get("fields")).get("attachment"))
    rows = [[a.get("id"), a.get("filename"), a.get("mimeType"), size_text(a.get("size")), person(a.get("author")), when(a.get("created"))] for a in files]
    text = f"{key} has no attachments." if not files else f"Attachments on {key}:\n\n" + table(["Id", "File", "Type", "Size", "By", "Added"], rows)
    data = {
        "issue_key": key,
        "attachments": [{"id": a.get("id"), "filename": a.get("filename"), "mime_type": a.get("mimeType"), "size": a.get("size")} for a in files],
    }
    return Answer(bound(text, "the list is long"), data)


def download_attachment(services: Services, args: dict[str, Any]) -> Answer:
    attachment_id = args["attachment_id"]
    meta = services.jira.attachment(attachment_id)
    name, size = str(meta.get("filename") or f"attachment-{attachment_id}"), int(meta.get("size") or 0)
    mime = media_type(meta.get("mimeType"), name)
    info = {"id": attachment_id, "filename": name, "mime_type": mime, "size": size}
    content = partial(services.jira.attachment_content, attachment_id)
    save_to = args.get("save_to")
    if save_to:
        overwrite = bool(args.get("overwrite"))
        policy, target = save_target(services.settings, save_to, name, overwrite=overwrite)
        data = fetch(content, name, size, download_cap(services.settings), "downloads are limited by ATLASSIAN_MAX_DOWNLOAD_MB")
        policy.write(target, data, overwrite=overwrite)
        report_progress(len(data), len(data), f"saved {name}")
        return Answer(f"Saved {name} ({size_text(len(data))}, {mime}) to {target}.", {**info, "saved_to": str(target)})
    limit = show_limit(name, mime, size, "pass save_to with a file path to save it")
    data = fetch(content, name, size, limit, "pass save_to to save it")
    return show(name, mime, data, info, text_in_data=True)


def upload_attachment(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    source, name, mime, body = upload_body(services.settings, args["file_path"], args.get("filename"))
    report_progress(0, len(body), f"uploading {name}")
    added = services.jira.add_attachment(args["issue_key"], name, body, mime)
    report_progress(len(body), len(body), f"uploaded {name}")
    first = added[0] if added else {}
    stored, note = stored_size(first.get("size"), len(body))
    shown = size_text(stored) if stored is not None else "size not reported"
    text = f"Attached {first.get('filename') or name} ({shown}) to {key} as attachment {first.get('id')}.{note}\n{url}"
    return Answer(
        text, {"key": key, "url": url, "attachment_id": first.get("id"), "filename": first.get("filename") or name, "size": stored, "sent": len(body)}
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
