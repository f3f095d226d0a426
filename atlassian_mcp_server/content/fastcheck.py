"""A fast yes/no check of the JSON Schema subset the ADF schema uses (draft 4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def _bound(applies: Check, test: Callable[[Any, Any], bool], bound: Any) -> Check:
    """A check that `test(value, bound)` holds for every value `applies` accepts."""
    return lambda v: not applies(v) or test(v, bound)


class Compiler:
    """Compiles schema fragments to closures; `$ref`s are resolved lazily so recursion works."""

    def __init__(self, schema: dict) -> None:
        self.definitions = schema["definitions"]
        self.compiled: dict[str, Check] = {}
        self.root = self.compile(schema)

    def ref(self, name: str) -> Check:
        def check(value):
            if name not in self.compiled:
                self.compiled[name] = self.compile(self.definitions[name])
            return self.compiled[name](value)

        return check

    def node_type(self, fragment: dict) -> set[str] | None:
        """The `type` enum a fragment (through refs and allOf) pins a node to, if any."""
        if "$ref" in fragment:
            return self.node_type(self.definitions[fragment["$ref"].rsplit("/", 1)[-1]])
        enum = fragment.get("properties", {}).get("type", {}).get("enum")
        if enum:
            return set(enum)
        kinds = [k for k in (self.node_type(part) for part in fragment.get("allOf", [])) if k is not None]
        if kinds:
            return set.intersection(*kinds)
        options = [self.node_type(part) for part in fragment.get("anyOf", [])]
        known = [o for o in options if o is not None]
        if options and len(known) == len(options):
            return set[str]().union(*known)
        return None

    def compile(self, fragment: dict) -> Check:
        checks: list[Check] = []
        if "$ref" in fragment:
            checks.append(self.ref(fragment["$ref"].rsplit("/", 1)[-1]))
        if "type" in fragment:
            checks.append(_TYPES[fragment["type"]])
        if "enum" in fragment:
            allowed = fragment["enum"]
            checks.append(lambda v: v in allowed)
        if "pattern" in fragment:
            pattern = re.compile(fragment["pattern"])
            checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
        checks.extend(self._bounds(fragment))
        if "properties" in fragment or "required" in fragment or "additionalProperties" in fragment:
            checks.append(self._object(fragment))
        if "items" in fragment:
            checks.append(self._items(fragment["items"]))
        for part in fragment.get("allOf", []):
            checks.append(self.compile(part))
        if "anyOf" in fragment:
            checks.append(self._any_of(fragment["anyOf"]))
        return lambda v: all(check(v) for check in checks)

    def _bounds(self, fragment: dict) -> list[Check]:
        number, text, array = _TYPES["number"], _TYPES["string"], _TYPES["array"]
        limits: list[tuple[str, Check, Callable[[Any, Any], bool]]] = [
            ("minimum", number, lambda v, n: v >= n),
            ("maximum", number, lambda v, n: v <= n),
            ("minLength", text, lambda v, n: len(v) >= n),
            ("minItems", array, lambda v, n: len(v) >= n),
            ("maxItems", array, lambda v, n: len(v) <= n),
        ]
        return [_bound(applies, test, fragment[key]) for key, applies, test in limits if key in fragment]

    def _object(self, fragment: dict) -> Check:
        properties = {k: self.compile(v) for k, v in fragment.get("properties", {}).items()}
        required = fragment.get("required", [])
        closed = fragment.get("additionalProperties", True) is False

        def check(value):
            if not isinstance(value, dict):
                return True
            if any(key not in value for key in required):
                return False
            for key, item in value.items():
                rule = properties.get(key)
                if rule is None:
                    if closed:
                        return False
                elif not rule(item):
                    return False
            return True

        return check

    def _items(self, items) -> Check:
        if isinstance(items, list):
            rules = [self.compile(i) for i in items]
            return lambda v: not isinstance(v, list) or all(r(x) for r, x in zip(rules, v))
        rule = self.compile(items)
        return lambda v: not isinstance(v, list) or all(rule(x) for x in v)

    def _any_of(self, options: list[dict]) -> Check:
        rules = [(self.node_type(o), self.compile(o)) for o in options]

        def check(value):
            kind = value.get("type") if isinstance(value, dict) else None
            return any((types is None or kind in types) and rule(value) for types, rule in rules)

        return check
