"""Index of the official OpenAPI documents: is (method, path) a documented operation, and which OAuth scopes allow it?"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# file -> prefix the document's paths are relative to
DOCUMENTS = {
    "jira-v3.json": "",
    "agile.json": "",
    "jsm.json": "",
    "confluence-v1.json": "",
    "confluence-v2.json": "/wiki/api/v2",
}
METHODS = {"get", "post", "put", "delete", "patch", "head", "options"}


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    document: str
    deprecated: bool
    pattern: re.Pattern[str]
    scopes: tuple[str, ...] = ()  # the OAuth 2.0 (3LO) scopes that allow it; see `oauth_scopes`


def _compile(template: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{") and part.endswith("}"):
            out.append(r"[^/]+")
        else:
            out.append(re.escape(part))
    return re.compile("^" + "".join(out) + "$")


def spec_dir() -> Path:
    """ATLASSIAN_OPENAPI_DIR, else shared/atlassian-openapi beside the repository (as CI lays it out)."""
    explicit = os.environ.get("ATLASSIAN_OPENAPI_DIR")
    candidates = [Path(explicit)] if explicit else []
    candidates += [parent / "shared" / "atlassian-openapi" for parent in REPO.parents]
    for candidate in candidates:
        if (candidate / "jira-v3.json").is_file():
            return candidate
    raise FileNotFoundError("the OpenAPI documents were not found: set ATLASSIAN_OPENAPI_DIR or put shared/ beside the repository")


def oauth_scopes(op: dict[str, Any]) -> tuple[str, ...]:
    """The scope set an operation documents: the Current set of `x-atlassian-oauth2-scopes` (Jira's
    classic scopes) where there is one, else its only (granular) set, else the OAuth scopes of its
    `security` block (the Jira Software document has no `x-atlassian-oauth2-scopes`)."""
    entries = op.get("x-atlassian-oauth2-scopes") or []
    for state in ("Current", None):
        for entry in entries:
            if state is None or entry.get("state") == state:
                return tuple(entry.get("scopes") or ())
    for requirement in op.get("security") or []:
        for scheme, scopes in requirement.items():
            if scheme != "basicAuth" and scopes:
                return tuple(scopes)
    return ()


@lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    ops = []
    base = spec_dir()
    for name, prefix in DOCUMENTS.items():
        doc = json.loads((base / name).read_text())
        for template, item in doc["paths"].items():
            full = prefix + template
            for method, op in item.items():
                if method in METHODS:
                    ops.append(Operation(method.upper(), full, name, bool(op.get("deprecated")), _compile(full), oauth_scopes(op)))
    # Literal segments beat placeholders: try the most specific templates first.
    ops.sort(key=lambda o: (o.template.count("{"), -len(o.template)))
    return tuple(ops)


# Operations documented elsewhere than in an OpenAPI file here (e.g. Assets, from Atlassian's
# Assets REST reference); product fakes add them with `register_extra`.
EXTRA: list[Operation] = []


def register_extra(method: str, template: str, document: str, scopes: tuple[str, ...] = ()) -> None:
    if not any(op.method == method and op.template == template for op in EXTRA):
        EXTRA.append(Operation(method, template, document, False, _compile(template), scopes))
        EXTRA.sort(key=lambda o: (o.template.count("{"), -len(o.template)))
        _by_method.clear()
        _found.clear()


# Caches for `find` and `lookup`, both emptied when an extra operation is registered: the
# operations of each method in search order, and the answer for each (method, raw path) asked.
_by_method: dict[str, tuple[Operation, ...]] = {}
_found: dict[tuple[str, str], Operation | None] = {}


def _of_method(method: str) -> tuple[Operation, ...]:
    ops = _by_method.get(method)
    if ops is None:
        ops = _by_method[method] = tuple(op for op in (*operations(), *EXTRA) if op.method == method)
    return ops


def find(method: str, raw_path: str) -> Operation | None:
    """The documented operation a raw (still percent-encoded) request path belongs to."""
    key = (method, raw_path)
    if key in _found:
        return _found[key]
    answer = next((op for op in _of_method(method) if op.pattern.match(raw_path)), None)
    _found[key] = answer
    return answer


def lookup(method: str, template: str) -> Operation | None:
    """The operation declared as `method template` (a template exactly as the documents write it)."""
    return next((op for op in _of_method(method) if op.template == template), None)
