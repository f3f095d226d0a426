"""What the Jira tool modules share: parameter schemas, name resolution, Markdown <-> ADF, small renderers."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from ...errors import InvalidInput
from ...render import name_of, value_text

MODULE = "jira"

ISSUE_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Issue key, e.g. PROJ-1."}
PROJECT_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Project key, e.g. PROJ."}
FIELDS = {"type": "array", "items": {"type": "string", "maxLength": 100}, "maxItems": 50, "description": "Only these fields (ids or names)."}
START_AT = {"type": "integer", "minimum": 0, "description": "Offset from the last answer."}
USER = {"type": "string", "maxLength": 255, "description": "Account id, email, name or 'me'."}
ID = {"type": "string", "pattern": "^[0-9]{1,18}$"}


def limit(default: int, maximum: int = 100) -> dict[str, Any]:
    """A page size; the bounds say it all."""
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default, "description": "Page size."}


def id_param(where: str) -> dict[str, Any]:
    """A numeric id, saying where to find it."""
    return {**ID, "description": f"Id from {where}."}


def markdown_param(what: str, max_length: int = 32000) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length, "description": f"{what} in Markdown."}


def to_adf(markdown: str) -> dict[str, Any]:
    from ...content import markdown_to_adf

    return markdown_to_adf(markdown)


def to_markdown(doc: Any) -> str:
    """ADF (Jira v3) to Markdown; plain strings (older data) pass through."""
    if isinstance(doc, dict):
        from ...content import adf_to_markdown

        return adf_to_markdown(doc)
    return doc if isinstance(doc, str) else (value_text(doc) or "")


def when(stamp: Any) -> str:
    """`2026-11-02T11:00:00.000+0000` -> `2026-11-02 11:00`."""
    return str(stamp or "")[:16].replace("T", " ")


def person(user: Any) -> str | None:
    return name_of(user, "displayName", "name", "accountId")


def choose(kind: str, wanted: str, options: Iterable[tuple[str, Iterable[Any], Any]], where: str = "") -> Any:
    """Pick the one option whose id or name equals `wanted` (any case); never a silent first match.

    options are (label shown in errors, the strings it answers to, value returned).
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
    labels = [label for label, _, _ in options]
    shown = ", ".join(labels[:40]) + (f" and {len(labels) - 40} more" if len(labels) > 40 else "")
    raise InvalidInput(f"Unknown {kind} {wanted!r}{where}; choose one of: {shown or 'none available'}.")


_ACCOUNT_ID = re.compile(r"^(?:\d+:[0-9A-Za-z-]{4,}|(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{24})$")
ME = ("me", "myself", "currentuser()")


def resolve_user(services: Any, who: str) -> tuple[str, str]:
    """(account id, display name) for an account id, email, display name or 'me'; ambiguity is an error."""
    text = who.strip()
    if _ACCOUNT_ID.match(text):
        return text, text
    cache = services.jira.user_cache  # people resolve once per process: names rarely move
    found = cache.get(text.lower())
    if found is not None:
        return found
    if text.lower() in ME:
        me = services.jira.myself()
        cache[text.lower()] = (me["accountId"], me.get("displayName") or me["accountId"])
        return cache[text.lower()]
    users = [u for u in services.jira.search_users(text, limit=20) if u.get("active", True) and u.get("accountType") != "app"]
    exact = [u for u in users if text.lower() in ((u.get("emailAddress") or "").lower(), (u.get("displayName") or "").lower())]
    pool = exact or users
    if len(pool) == 1:
        cache[text.lower()] = (pool[0]["accountId"], pool[0].get("displayName") or pool[0]["accountId"])
        return cache[text.lower()]
    if not pool:
        raise InvalidInput(f"No active user matches {who!r}; try jira_search_users with part of the name or the email.")
    listed = "; ".join(f"{u.get('displayName')} <{u.get('emailAddress') or 'email hidden'}> ({u['accountId']})" for u in pool[:10])
    raise InvalidInput(f"User {who!r} is ambiguous: it matches {listed}. Pass the email or account id instead.")


def people(services: Any) -> Callable[[str], str]:
    """A person -> account id resolver for one call, looking each person up once."""
    return functools.cache(lambda who: resolve_user(services, who)[0])


def paging_note(start_at: int, shown: int, total: int | None, is_last: bool | None = None) -> tuple[str, int | None]:
    """A one-line note on where this page sits, and the next start_at (None at the end)."""
    end = start_at + shown
    more = (not is_last) if is_last is not None else (total is not None and end < total)
    if not more or shown == 0:
        return "", None
    of = f" of {total}" if total is not None else ""
    return f"\n\nShowing {start_at + 1}-{end}{of}: call again with start_at={end} for more.", end


def issue_ref(services: Any, key: str) -> tuple[str, str]:
    """The key as the user gave it (upper-cased when it looks like a key) and its browse URL."""
    shown = key.upper() if re.match(r"^[A-Za-z][A-Za-z0-9_]*-\d+$", key) else key
    return shown, services.jira.browse_url(shown)
