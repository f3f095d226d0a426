"""JSON values for the renderer property tests: a fast deep copy, every place in a document, and a
document with one place replaced (they copy and vary tens of thousands of responses)."""

from __future__ import annotations

import copy
import marshal
from collections.abc import Iterator
from typing import Any

_ATOMS = (str, int, float, bool, type(None))


def clone(value: Any) -> Any:
    """A deep copy of a JSON value: new dicts and lists all the way down, the immutable scalars shared
    (what copy.deepcopy gives for them). marshal does that in C, about twice as fast as walking the
    value here; a value marshal refuses (any other type inside) goes to copy.deepcopy."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict or kind is list:
        try:
            return marshal.loads(marshal.dumps(value))
        except ValueError:
            pass
    return copy.deepcopy(value)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document where a value sits (the root excluded)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def replaced(doc: Any, where: tuple[Any, ...], value: Any) -> Any:
    """The document with `value` at `where`; only the containers on the way are new. The rest is shared
    with `doc`, so whoever hands the result to code under test hands out a clone of it."""
    out = copy.copy(doc)
    node = out
    for key in where[:-1]:
        node[key] = copy.copy(node[key])
        node = node[key]
    node[where[-1]] = clone(value)
    return out


class Stub:
    """A client that answers every call with a copy of a canned value (`browse_url` and friends give strings)."""

    def __init__(self, answers: dict[str, Any]):
        self.answers = answers

    def __getattr__(self, name: str) -> Any:
        if name.endswith("_url"):
            return lambda *a, **k: "https://example.atlassian.net/x"
        return lambda *a, **k: clone(self.answers.get(name, {}))


class StubServices:
    """Services whose clients all answer from `answers` (method name -> response); Jira knows no custom fields."""

    def __init__(self, **answers: Any):
        self.jira = Stub({"field_names": {}, "fields": [], **answers})
        self.confluence = self.servicedesk = self.assets = Stub(answers)
