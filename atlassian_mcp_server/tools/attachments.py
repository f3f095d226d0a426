"""Attachment rules shared by Jira and Confluence: limits, text and image answers, saving and uploading.

Free of product imports: each product's tool module fetches metadata with its own client and
hands the bytes and names here. Local paths go through `files.FilePolicy` (root, private
folders, links, FIFOs, atomic writes); bodies sent to Atlassian are bytes, so a retried
upload sends the whole file again.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..calls import report_progress
from ..errors import InvalidInput, TooLarge
from ..files import IMAGE_TYPES, FilePolicy, size_text
from ..render import bound
from .registry import Answer

if TYPE_CHECKING:
    from ..config import Settings

MAX_TEXT_BYTES = 512 * 1024  # shown as text in an answer
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # shown as an image in an answer
MAX_FILE_BYTES = 100 * 1024 * 1024  # uploaded, or saved with save_to (ATLASSIAN_MAX_DOWNLOAD_MB may lower it)
TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/yaml",
        "application/x-yaml",
        "application/javascript",
        "application/sql",
        "application/csv",
        "image/svg+xml",
    }
)

__all__ = ["IMAGE_TYPES", "MAX_FILE_BYTES", "MAX_IMAGE_BYTES", "MAX_TEXT_BYTES", "is_text", "size_text"]


def is_text(media: str) -> bool:
    return media.startswith("text/") or media in TEXT_TYPES or media.endswith(("+json", "+xml"))


def media_type(declared: str | None, name: str) -> str:
    return str(declared or mimetypes.guess_type(name)[0] or "application/octet-stream").split(";")[0].strip().lower()


def download_cap(settings: Settings) -> int:
    """The most bytes one download may bring: ATLASSIAN_MAX_DOWNLOAD_MB, and never more than MAX_FILE_BYTES."""
    return min(MAX_FILE_BYTES, settings.max_download_mb * 1024 * 1024)


def fetch(download: Callable[..., Any], name: str, declared: int | None, cap: int, how: str) -> Any:
    """Call `download(max_bytes=cap)` (the HTTP core stops reading there) and check what came back.

    Neither Content-Length nor the metadata is trusted alone: more bytes than `cap`, or a length
    other than the size Atlassian declared, is refused. `download` returns bytes or (bytes, type).
    """
    if declared and declared > cap:
        raise InvalidInput(f"{name} is {size_text(declared)}, more than {size_text(cap)}; {how}.")
    report_progress(0, declared or None, f"downloading {name}")
    try:
        got = download(max_bytes=cap)
    except TooLarge:  # the HTTP core stopped reading at the cap
        raise InvalidInput(f"{name} sent more than {size_text(cap)}; {how}.") from None
    data = got[0] if isinstance(got, tuple) else got
    if len(data) > cap:
        raise InvalidInput(f"{name} sent more than {size_text(cap)}; {how}.")
    if declared and len(data) != declared:
        raise InvalidInput(f"{name} should be {declared} bytes but {len(data)} arrived; nothing was kept. Try again, or check the attachment in Atlassian.")
    report_progress(len(data), len(data), f"downloaded {name}")
    return got


def show(name: str, media: str, data: bytes, info: dict[str, Any], *, text_in_data: bool) -> Answer:
    """An image as an image, text as fenced text (bounded); anything else is refused by the caller."""
    if media in IMAGE_TYPES:
        return Answer(f"{name} ({media}, {size_text(len(data))}):", info, images=((media, base64.b64encode(data).decode("ascii")),))
    text = data.decode("utf-8", errors="replace")
    fence = "```"
    while fence in text:
        fence += "`"
    shown = f"{name} ({media}, {size_text(len(data))}):\n\n{fence}\n{text.rstrip()}\n{fence}"
    return Answer(bound(shown, "pass save_to to get the whole file"), {**info, "text": text} if text_in_data else info)


def show_limit(name: str, media: str, size: int | None, save_hint: str) -> int:
    """The byte limit for showing this file in an answer; refuses what can only be saved."""
    if media in IMAGE_TYPES:
        limit, kind = MAX_IMAGE_BYTES, "to show"
    elif is_text(media):
        limit, kind = MAX_TEXT_BYTES, "of text to show"
    else:
        raise InvalidInput(f"{name} is {media} ({size_text(size)}), which cannot be shown as text or an image; {save_hint}.")
    if size and size > limit:
        raise InvalidInput(f"{name} is {size_text(size)}, too big {kind} (limit {size_text(limit)}); {save_hint}.")
    return limit


def save_target(settings: Settings, save_to: str, name: str, *, overwrite: bool | None) -> tuple[FilePolicy, Path]:
    """Check where a download would go before fetching anything."""
    policy = FilePolicy.from_settings(settings)
    return policy, policy.target(save_to, name, overwrite=overwrite)


def upload_body(settings: Settings, file_path: str, filename: str | None) -> tuple[Path, str, str, bytes]:
    """(source, name, media type, bytes) of a local file to upload, read whole so any retry resends it."""
    source, data = FilePolicy.from_settings(settings).read_source(file_path, MAX_FILE_BYTES)
    name = filename or source.name
    return source, name, media_type(None, name), data


def stored_size(reported: Any, sent: int) -> tuple[int | None, str]:
    """What Atlassian says it stored, as (bytes, note): a note when it differs from what was sent."""
    try:
        size = int(reported) if reported is not None else None
    except (TypeError, ValueError):
        size = None
    if size is None:
        return None, f" Atlassian did not say how many bytes it stored ({sent} were sent)."
    if size != sent:
        return size, f" Warning: Atlassian stored {size} bytes but {sent} were sent; check the attachment and upload it again."
    return size, ""
