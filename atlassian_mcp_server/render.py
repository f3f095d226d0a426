"""Compact Markdown for models: tables, key-value lines, paging notes, size bounds."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

MAX_ANSWER_CHARS = 40_000


def cell(value: Any, limit: int = 120) -> str:
    """One table cell: a single line, pipes escaped, long text clipped."""
    if value is None or value == "":
        return "-"
    text = " ".join(str(value).split())
    text = text.replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(header: Iterable[str], rows: Iterable[Iterable[Any]], limit: int = 120) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v, limit) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fields_block(pairs: Iterable[tuple[str, Any]]) -> str:
    """`- **Name:** value` lines, skipping empty values."""
    return "\n".join(f"- **{k}:** {v}" for k, v in pairs if v not in (None, "", [], {}))


def name_of(obj: Any, *keys: str) -> str | None:
    """The first present display key of a Jira/Confluence object (displayName, name, value...)."""
    if not isinstance(obj, dict):
        if isinstance(obj, bool) or obj is None or isinstance(obj, (list, dict)):
            return None
        return str(obj) if obj != "" else None
    for key in keys or ("displayName", "name", "value", "key"):
        if obj.get(key) not in (None, "", [], {}) and not isinstance(obj[key], (dict, list)):
            return str(obj[key])
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (a field of an unexpected shape reads as absent)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """The value when it is a JSON array; a lone non-empty value as a one-item list."""
    if isinstance(value, list):
        return value
    return [] if value in (None, "", {}) else [value]


def records(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list (a page's `values`, `results`, `comments`); items of any other shape are skipped."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def raw(value: Any) -> str:
    """A value as compact JSON, whole: what is shown when no better rendering fits."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def guarded(render: Callable[..., Any], *args: Any) -> Any:
    """One field's rendering; a value of a shape the renderer did not expect shows raw instead of sinking the answer."""
    try:
        return render(*args)
    except Exception:  # noqa: BLE001 - any shape a site may send; the raw value is the honest fallback
        shown = [raw(a) for a in args if a not in (None, "", [], {})]
        return f"(unreadable: {'; '.join(shown)})" if shown else None


_ISO_MINUTE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")  # an ISO date-time, at the start of a string (`match`)


def stamp(value: Any) -> str:
    """A date-time as `YYYY-MM-DD HH:MM` from an ISO string or epoch milliseconds; anything else as it is."""
    if isinstance(value, bool) or value in (None, "", [], {}):
        return ""
    if isinstance(value, (int, float)):
        import datetime as dt

        try:
            return dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        except (OverflowError, OSError, ValueError):
            return str(value)
    if isinstance(value, dict):  # JSM DateDTO
        return stamp(value.get("iso8601") or value.get("jira") or value.get("epochMillis") or value.get("friendly"))
    text = str(value)
    return text[:16].replace("T", " ") if _ISO_MINUTE.match(text) else text


_RANK = re.compile(r"^\d\|[0-9a-z]+:[0-9a-z]*$")
_EPIC_COLOUR = re.compile(r"^ghx-label-\d+$")  # Epic Colour: a board CSS class
_CHART = "_*:*_"  # time-in-status and similar chart fields: statusId_*:*_times_*:*_millis joined by _*|*_


def is_noise(value: Any) -> bool:
    """True for values no person reads: Lexorank strings, chart encodings, empty development summaries."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(_RANK.match(text) or _EPIC_COLOUR.match(text)) or _CHART in text or text in ("{}", "[]")


_DEV_ITEM = re.compile(r"([\w-]+)=com\.atlassian\.jira\.plugin\.devstatus\.rest\.SummaryItemBean@\w+\[overall=[\w.]+@\w+\[([^\]]*)\]")


def _development(text: str) -> str | None:
    """Jira's development summary string as counts a person reads: Cloud's `{pullrequest={...}, json={...}}`
    or Server's `{summaryBean=...SummaryBean@...[summary={pullrequest=...[overall=...[count=1,...]]}]}`."""
    if "json=" not in text:
        parts = []
        for kind, inner in _DEV_ITEM.findall(text):
            count = re.search(r"(?<![A-Za-z])count=(\d+)", inner)
            state = re.search(r"(?<![A-Za-z])state=(\w+)", inner)
            if count and int(count.group(1)):
                parts.append(f"{count.group(1)} {kind}" + (f" ({state.group(1).lower()})" if state and state.group(1) != "null" else ""))
        return ", ".join(parts) or None
    start = text.find("json=")
    try:
        summary = json.loads(text[start + 5 : -1])["cachedValue"]["summary"]
    except (ValueError, KeyError, TypeError):
        return None
    parts = []
    for kind, info in summary.items():
        overall = as_dict(as_dict(info).get("overall"))
        count = overall.get("count")
        if count:
            state = overall.get("state")
            parts.append(f"{count} {kind}" + (f" ({str(state).lower()})" if state else ""))
    return ", ".join(parts) or None


def value_text(value: Any) -> str | None:
    """Any field value as one line a person reads: people and options by name, cascades with their child,
    ADF as flattened text, noise hidden (None), unknown objects as their readable leaves."""
    if value in (None, "", [], {}) or is_noise(value):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        if value.startswith("{") and (("json=" in value and "cachedValue" in value) or value.startswith("{summaryBean=com.atlassian.jira.plugin.devstatus")):
            return _development(value)
        return stamp(value) if _ISO_MINUTE.match(value) else value
    if isinstance(value, list):
        parts = [value_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if not isinstance(value, dict):
        return str(value)
    if value.get("type") == "doc":
        from .content import adf_to_markdown

        return " ".join(adf_to_markdown(value).split()) or None
    name = name_of(value, "displayName", "name", "value", "label", "key")
    if name is not None:
        child = value.get("child")
        child_text = value_text(child) if isinstance(child, dict) else None
        return f"{name} › {child_text}" if child_text else name
    leaves = {k: value_text(v) for k, v in value.items() if k not in ("self", "avatarUrls", "iconUrl", "_links", "expand")}
    shown = [f"{k}: {v}" for k, v in leaves.items() if v]
    if shown == [f"id: {value.get('id')}"]:
        return str(value.get("id"))
    return "; ".join(shown) or None


def bound(text: str, how_to_get_more: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """Keep an answer under the size bound, saying how to get the rest."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n\n… (answer cut at {limit} characters; {how_to_get_more})"
