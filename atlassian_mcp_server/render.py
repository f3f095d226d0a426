"""Compact Markdown for models: tables, key-value lines, paging notes, size bounds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MAX_ANSWER_CHARS = 40_000


def cell(value: Any, limit: int = 120) -> str:
    """One table cell: a single line, pipes escaped, long text clipped."""
    if value is None or value == "":
        return "-"
    text = " ".join(str(value).split())
    text = text.replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fields_block(pairs: Iterable[tuple[str, Any]]) -> str:
    """`- **Name:** value` lines, skipping empty values."""
    return "\n".join(f"- **{k}:** {v}" for k, v in pairs if v not in (None, "", [], {}))


def name_of(obj: Any, *keys: str) -> str | None:
    """The first present display key of a Jira/Confluence object (displayName, name, value...)."""
    if not isinstance(obj, dict):
        return obj if isinstance(obj, str) else None
    for key in keys or ("displayName", "name", "value", "key"):
        if obj.get(key):
            return str(obj[key])
    return None


def bound(text: str, how_to_get_more: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """Keep an answer under the size bound, saying how to get the rest."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n\n… (answer cut at {limit} characters; {how_to_get_more})"
