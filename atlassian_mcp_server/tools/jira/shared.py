"""What the Jira tool modules share: parameter schemas, user lookup, Markdown <-> ADF, small renderers."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import InvalidInput
from ...render import name_of, value_text

if TYPE_CHECKING:
    from ...services import Services

MODULE = "jira"

ISSUE_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Issue key, e.g. PROJ-1."}
PROJECT_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "description": "Project key, e.g. PROJ."}
FIELDS = {"type": "array", "items": {"type": "string", "maxLength": 100}, "maxItems": 50, "description": "Only these fields (ids or names)."}
START_AT = {"type": "integer", "minimum": 0, "description": "Offset from the last answer."}
USER = {"type": "string", "maxLength": 255, "description": "Account id, email, name or 'me'."}
ID = {"type": "string", "pattern": "^[0-9]{1,18}$"}


def id_param(where: str) -> dict[str, Any]:
    """A numeric id, saying where to find it."""
    return {**ID, "description": f"Id from {where}."}


def markdown_param(what: str, max_length: int = 32000) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length, "description": f"{what} in Markdown."}


def to_adf(markdown: str) -> dict[str, Any]:
    from ...content import markdown_to_adf

    return markdown_to_adf(markdown)


ALLOW_LOSS = {"type": "boolean", "description": "Write even if nodes would be lost."}


def kept_adf(markdown: str, current: Any, what: str, allow_loss: bool) -> dict[str, Any]:
    """ADF for Markdown edited from `current` (the ADF it was read from), keeping every node Markdown
    cannot hold; `current` itself when nothing changed. Refused when something would still be lost."""
    from ...content import refusal, write_back

    if not isinstance(current, dict):
        return to_adf(markdown)
    doc, lost = write_back(markdown, current)
    if lost and not allow_loss:
        raise InvalidInput(refusal(what, lost, "edit the issue's ADF with jira_get_issue format=adf"))
    return doc


def to_markdown(doc: Any) -> str:
    """ADF (Jira v3) to Markdown; plain strings (older data) pass through."""
    if isinstance(doc, dict):
        from ...content import adf_to_markdown

        return adf_to_markdown(doc)
    return doc if isinstance(doc, str) else (value_text(doc) or "")


def person(user: Any) -> str | None:
    return name_of(user, "displayName", "name", "accountId")


_ACCOUNT_ID = re.compile(r"^(?:\d+:[0-9A-Za-z-]{4,}|(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{24})$")
ME = ("me", "myself", "currentuser()")


def resolve_user(services: Services, who: str) -> tuple[str, str]:
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


def people(services: Services) -> Callable[[str], str]:
    """A person -> account id resolver for one call, looking each person up once."""
    return functools.cache(lambda who: resolve_user(services, who)[0])


def issue_ref(services: Services, key: str) -> tuple[str, str]:
    """The key as the user gave it (upper-cased when it looks like a key) and its browse URL."""
    shown = key.upper() if re.match(r"^[A-Za-z][A-Za-z0-9_]*-\d+$", key) else key
    return shown, services.jira.browse_url(shown)
