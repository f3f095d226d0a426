"""Field values checked against a create, edit or transition screen's metadata, by field name or id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ...errors import InvalidInput
from ..params import choose
from .shared import to_adf

_RICH_SYSTEM = {"description", "environment"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _label(value: dict[str, Any]) -> str:
    return str(value.get("name") or value.get("value") or value.get("key") or value.get("id"))


class Screen:
    """The fields one screen offers, keyed by field id, and how to turn plain values into their JSON."""

    def __init__(self, fields: dict[str, dict[str, Any]] | list[dict[str, Any]], where: str):
        pairs: Iterable[tuple[str | None, dict[str, Any]]]
        if isinstance(fields, list):  # createmeta pages list fields; editmeta and transitions map them by id
            pairs = {str(f.get("fieldId") or f.get("key") or ""): f for f in fields if isinstance(f, dict)}.items()
        else:
            pairs = fields.items()
        self.fields = {str(fid): meta for fid, meta in pairs if fid and isinstance(meta, dict)}
        self.where = where

    def field_id(self, name_or_id: str) -> str:
        """The id of a field given by id, key or name (any case); unknown or ambiguous names are errors."""
        if name_or_id in self.fields:
            return name_or_id
        options = [
            (f"{meta.get('name') or fid} ({fid})", (fid, meta.get("key"), meta.get("name")), fid)
            for fid, meta in sorted(self.fields.items(), key=lambda kv: str(kv[1].get("name") or kv[0]))
        ]
        return choose("field", name_or_id, options, f" on {self.where}")

    def describe(self, fid: str) -> str:
        meta = self.fields[fid]
        allowed = meta.get("allowedValues")
        hint = f"; one of {', '.join(_label(v) for v in allowed[:20])}" if allowed else ""
        kind = (meta.get("schema") or {}).get("type")
        return f"{meta.get('name') or fid} ({fid}, {kind or 'any'}{hint})"

    def missing_required(self, given: set[str]) -> list[str]:
        return [
            self.describe(fid)
            for fid, meta in self.fields.items()
            if meta.get("required") and not meta.get("hasDefaultValue") and fid not in given and fid not in ("project", "issuetype")
        ]

    def build(self, values: dict[str, Any], user: Callable[[str], str]) -> dict[str, Any]:
        """{name or id: plain value} -> {field id: Jira JSON}; `user` turns a person into an account id."""
        out: dict[str, Any] = {}
        for name, raw in values.items():
            fid = self.field_id(name)
            if fid in out:
                raise InvalidInput(f"Field {self.fields[fid].get('name') or fid} is given twice; give it once.")
            out[fid] = self.value(fid, raw, user)
        return out

    def value(self, fid: str, raw: Any, user: Callable[[str], str]) -> Any:
        meta = self.fields[fid]
        schema = meta.get("schema") or {}
        if raw is None:
            return [] if schema.get("type") == "array" else None
        if str(schema.get("custom", "")).endswith(":gh-sprint"):  # an array field that takes one sprint id
            return self._one(meta, fid, "sprint", raw[0] if isinstance(raw, list) and len(raw) == 1 else raw, user)
        if schema.get("type") == "array":
            items = raw if isinstance(raw, list) else [raw]
            return [self._one(meta, fid, schema.get("items") or "string", v, user) for v in items]
        return self._one(meta, fid, schema.get("type") or "any", raw, user)

    def _one(self, meta: dict[str, Any], fid: str, kind: str, raw: Any, user: Callable[[str], str]) -> Any:
        name = meta.get("name") or fid
        schema = meta.get("schema") or {}
        if isinstance(raw, dict) and kind != "timetracking":
            return raw  # already Jira JSON, e.g. {"id": "10001"} or a cascading select
        allowed = meta.get("allowedValues")
        if allowed and kind != "user":
            options = [(_label(v), (v.get("id"), v.get("name"), v.get("value"), v.get("key")), v.get("id")) for v in allowed]
            return {"id": choose(f"value for {name}", str(raw), options, f" on {self.where}")}
        if kind == "user":
            return {"accountId": user(str(raw))}
        if kind == "string":
            text = str(raw)
            is_rich = schema.get("system") in _RICH_SYSTEM or str(schema.get("custom", "")).endswith(":textarea")
            return to_adf(text) if is_rich else text
        if kind == "number":
            try:
                number = float(raw)
            except (TypeError, ValueError):
                raise InvalidInput(f"{name} needs a number, not {raw!r}.") from None
            return int(number) if number.is_integer() else number
        if kind == "date":
            if not _DATE.match(str(raw)):
                raise InvalidInput(f"{name} needs a date like 2026-12-31, not {raw!r}.")
            return str(raw)
        if kind in ("issuelink", "issue") or fid == "parent":
            return {"key": str(raw)}
        if kind == "option":
            return {"value": str(raw)}
        if kind == "project":
            return {"key": str(raw)}
        if kind == "timetracking":
            return raw if isinstance(raw, dict) else {"originalEstimate": str(raw)}
        if kind == "sprint":
            try:
                return int(raw)
            except (TypeError, ValueError):
                raise InvalidInput(f"{name} needs a sprint id (a number; see jira_list_sprints), not {raw!r}.") from None
        return raw


def system_values(args: dict[str, Any], fields_arg: str = "fields") -> dict[str, Any]:
    """The named arguments of create/update as {field id: value}, then the free `fields` object."""
    mapping = {
        "summary": "summary",
        "description": "description",
        "assignee": "assignee",
        "priority": "priority",
        "labels": "labels",
        "components": "components",
        "fix_versions": "fixVersions",
        "parent": "parent",
        "due_date": "duedate",
    }
    values = {fid: args[arg] for arg, fid in mapping.items() if arg in args}
    for name, value in (args.get(fields_arg) or {}).items():
        values[name] = value
    return values
