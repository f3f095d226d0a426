"""Validate ADF against the packaged Atlassian JSON Schema, with one-sentence errors."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .nodes import too_deep

_SCHEMA_PATH = Path(__file__).with_name("adf_schema.json")


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _fast():
    from .fastcheck import Compiler

    return Compiler(_schema()).root


@functools.lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft4Validator

    return Draft4Validator(_schema())


@functools.lru_cache(maxsize=1)
def _children_by_type() -> dict[str, dict[str, set[str]]]:
    """For each node type, each child type it accepts mapped to the schema definitions that apply."""
    definitions = _schema()["definitions"]
    result: dict[str, dict[str, set[str]]] = {}
    for name, definition in definitions.items():
        if name.endswith("_node"):
            children = _child_definitions(definition, definitions)
            for kind in _types_of(definition, definitions):
                table = result.setdefault(kind, {})
                for child_name in children:
                    for child_kind in _types_of(definitions[child_name], definitions):
                        table.setdefault(child_kind, set()).add(child_name)
    return result


def _resolve(definition: dict, definitions: dict) -> dict:
    ref = definition.get("$ref", "")
    return definitions[ref.rsplit("/", 1)[-1]] if ref else definition


def _types_of(definition: dict, definitions: dict) -> set[str]:
    definition = _resolve(definition, definitions)
    kinds: set[str] = set()
    for part in definition.get("allOf", []) + definition.get("anyOf", []):
        kinds |= _types_of(part, definitions)
    kinds.update(definition.get("properties", {}).get("type", {}).get("enum", []))
    return kinds


def _child_definitions(definition: dict, definitions: dict) -> set[str]:
    """Names of the definitions a node's content items may match."""
    definition = _resolve(definition, definitions)
    names: set[str] = set()
    for part in definition.get("allOf", []):
        names |= _child_definitions(part, definitions)
    content = _resolve(definition.get("properties", {}).get("content", {}), definitions)
    items = content.get("items", [])
    for item in items if isinstance(items, list) else [items]:
        names |= _definition_names(item, definitions)
    return names


def _definition_names(item: dict, definitions: dict) -> set[str]:
    ref = item.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        target = definitions[name]
        return _definition_names(target, definitions) if "anyOf" in target else {name}
    names: set[str] = set()
    for option in item.get("anyOf", []):
        names |= _definition_names(option, definitions)
    return names


MAX_JSON_DEPTH = 100  # about 24 nested lists: the schema checks below recurse, so they stop here first


def validate_adf(doc) -> None:
    """Raise ValueError naming the first problem when `doc` is not a valid ADF document."""
    if not isinstance(doc, dict):
        raise ValueError(f"ADF must be a JSON object with type 'doc', got {type(doc).__name__}.")
    if doc.get("type") != "doc":
        raise ValueError(f"ADF at the root: type must be 'doc', got {doc.get('type')!r}.")
    if too_deep(doc, MAX_JSON_DEPTH):
        raise ValueError(f"ADF nests deeper than {MAX_JSON_DEPTH} JSON levels; flatten the document (Atlassian's editors nest far less).")
    try:
        if _fast()(doc):
            return
    except RecursionError:
        raise ValueError(f"ADF nests too deeply to check; keep it under {MAX_JSON_DEPTH} JSON levels.") from None
    problem = _structural_problem(doc, "content", doc.get("content"), "doc")
    raise ValueError(problem or _schema_problem(doc))


def _structural_problem(node, path: str, content, parent: str) -> str | None:
    """The deepest problem found walking depth first: unknown types, misplaced or invalid nodes."""
    known = _children_by_type()
    if not isinstance(content, list):
        return None
    allowed = known.get(parent, {})
    for index, child in enumerate(content):
        where = f"{path}[{index}]"
        if not isinstance(child, dict):
            return f"ADF at {where}: expected a node object, got {type(child).__name__}."
        kind = child.get("type")
        if kind not in known:
            return f"ADF at {where}: unknown node type {kind!r}."
        if kind not in allowed:
            return f"ADF at {where}: a {kind!r} node is not allowed inside {parent!r} (allowed: {', '.join(sorted(allowed))})."
        problem = _structural_problem(child, where + ".content", child.get("content"), kind)
        if problem:
            return problem
        problem = _node_problem(child, where, allowed[kind])
        if problem:
            return problem
    return None


def _node_problem(node: dict, where: str, names: set[str]) -> str | None:
    """None when the node matches one of its definitions, else the best error of the closest one."""
    from jsonschema import Draft4Validator
    from jsonschema.exceptions import best_match

    definitions = _schema()["definitions"]
    found = []
    for name in sorted(names):
        validator = Draft4Validator({"definitions": definitions, "$ref": f"#/definitions/{name}"})
        errors = list(validator.iter_errors(node))
        if not errors:
            return None
        found.append(best_match(errors))
    error = max(found, key=lambda e: (len(e.absolute_path), not _is_type_guess(e)))
    inner = _path(error.absolute_path)
    location = where + ("" if inner == "the root" else ("" if inner.startswith("[") else ".") + inner)
    return f"ADF at {location}: {_short(error.message)}."


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _schema_problem(doc: dict) -> str:
    """The deepest leaf error of the schema validation, preferring errors that are not type guesses."""
    leaves = []
    for error in _validator().iter_errors(doc):
        leaves.extend(_leaves(error))
    candidates = [e for e in leaves if not _is_type_guess(e)] or leaves
    best = max(candidates, key=lambda e: len(e.absolute_path))
    return f"ADF at {_path(best.absolute_path)}: {_short(best.message)}."


def _leaves(error) -> list:
    if not error.context:
        return [error]
    found = []
    for sub in error.context:
        found.extend(_leaves(sub))
    return found


def _is_type_guess(error) -> bool:
    path = list(error.absolute_path)
    return error.validator == "enum" and bool(path) and path[-1] == "type"


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (("." if text else "") + str(part))
    return text or "the root"
