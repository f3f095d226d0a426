"""Parameter helpers every product's tools share: schemas (page size, cursor, text), time
formatting, paging notes and name resolution that lists the candidates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import InvalidInput
from ..render import stamp

CURSOR = {"type": "string", "maxLength": 2000, "description": "Cursor from the last answer."}


def page_size(default: int, maximum: int = 100, what: str | None = None) -> dict[str, Any]:
    """A page size: the bounds say it all, or "Max <what> (1-<maximum>)." when `what` is given."""
    description = f"Max {what} (1-{maximum})." if what else "Page size."
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default, "description": description}


def text_param(description: str, max_length: int = 255, min_length: int = 1) -> dict[str, Any]:
    """A bounded string argument."""
    return {"type": "string", "minLength": min_length, "maxLength": max_length, "description": description}


def when(value: Any) -> str:
    """A timestamp as 'YYYY-MM-DD HH:MM' (`2026-11-02T11:00:00.000+0000` -> `2026-11-02 11:00`); "" when absent.

    JSM's DateDTO objects (`{"iso8601": ..., "jira": ..., "friendly": ...}`) and epoch milliseconds
    are read too; any other value shows as it is (see render.stamp).
    """
    return stamp(value)


def when_or_none(value: Any) -> str | None:
    """`when()`, but None when the timestamp is absent (for structured data)."""
    return when(value) or None


def cursor_note(cursor: str | None, what: str) -> str:
    """The paging note of a cursor-paged list (Confluence v2): how to get the next page, if any."""
    return f'\n\nMore {what}: call again with cursor="{cursor}".' if cursor else ""


def paging_note(start_at: int, shown: int, total: int | None, is_last: bool | None = None) -> tuple[str, int | None]:
    """The note of an offset-paged list (Jira `startAt`): where this page sits, and the next start_at (None at the end)."""
    end = start_at + shown
    more = (not is_last) if is_last is not None else (total is not None and end < total)
    if not more or shown == 0:
        return "", None
    of = f" of {total}" if total is not None else ""
    return f"\n\nShowing {start_at + 1}-{end}{of}: call again with start_at={end} for more.", end


def last_page_note(result: dict[str, Any], start: int, shown: int, what: str) -> tuple[str, int | None]:
    """The note of a JSM page (`isLastPage`, paged with `start`) and the start of the next page, if any."""
    if result.get("isLastPage", True):
        return "", None
    nxt = start + shown
    return f"\n\nMore {what}: call again with start={nxt}.", nxt


def listed(labels: list[str], limit: int) -> str:
    """Up to `limit` labels joined by commas, saying how many more there are."""
    return ", ".join(labels[:limit]) + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def choose(kind: str, wanted: str, options: Iterable[tuple[str, Iterable[Any], Any]], where: str = "") -> Any:
    """The one option whose id or name equals `wanted` (any case); never a silent first match.

    options are (label shown in errors, the strings it answers to, value returned). No match or
    several matches are an InvalidInput that lists the candidates.
    """
    target = str(wanted).strip().lower()
    options = list(options)
    hits: dict[str, Any] = {}
    for label, names, value in options:
        if any(str(n).strip().lower() == target for n in names if n not in (None, "")):
            hits.setdefault(label, value)
    if len(hits) == 1:
        return next(iter(hits.values()))
    if hits:
        raise InvalidInput(f"{kind} {wanted!r}{where} is ambiguous: it matches {'; '.join(hits)}. Pass the id instead.")
    shown = listed([label for label, _, _ in options], 40)
    raise InvalidInput(f"Unknown {kind} {wanted!r}{where}; choose one of: {shown or 'none available'}.")


def pick(candidates: Iterable[dict[str, Any]], wanted: str, what: str, *, id_key: str = "id", name_key: str = "name") -> dict[str, Any]:
    """The one candidate (a JSON object) whose id, or else name (any case), is `wanted`; an
    InvalidInput listing the candidates as "name (id N)" otherwise."""
    items = list(candidates)
    for item in items:
        if str(item.get(id_key)) == wanted:
            return item
    matches = [i for i in items if str(i.get(name_key) or "").casefold() == wanted.casefold()]
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(f"{i.get(name_key)} (id {i.get(id_key)})" for i in (matches or items)[:25]) or "none"
    if matches:
        raise InvalidInput(f"{len(matches)} {what}s are named {wanted!r}: {shown}; pass the id instead.")
    raise InvalidInput(f"No {what} is named {wanted!r}; choose one of: {shown}.")
