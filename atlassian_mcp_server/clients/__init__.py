"""Product clients: REST semantics for Jira, Confluence and JSM, returning plain dicts."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit


def cursor_from_next(next_link: str | None) -> str | None:
    """The `cursor` query value of a Confluence v2 `_links.next` URL, or None at the end."""
    if not next_link:
        return None
    values = parse_qs(urlsplit(next_link).query).get("cursor")
    return values[0] if values else None


def body_bytes(data: Any) -> bytes:
    """An upload body as bytes: a request that is retried must send the same body again, and a stream sends it only once."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, "read"):
        read = data.read()
        return read.encode("utf-8") if isinstance(read, str) else bytes(read)
    raise TypeError(f"an upload body must be bytes or a readable file, not {type(data).__name__}")
