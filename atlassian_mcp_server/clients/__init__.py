"""Product clients: REST semantics for Jira, Confluence and JSM, returning plain dicts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def cursor_from_next(next_link: str | None) -> str | None:
    """The `cursor` query value of a Confluence v2 `_links.next` URL, or None at the end."""
    if not next_link:
        return None
    values = parse_qs(urlsplit(next_link).query).get("cursor")
    return values[0] if values else None
