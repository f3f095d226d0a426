"""Compose JQL, CQL and AQL from a user's clause and the clauses a tool adds, so the user can only narrow.

One small reader for the three Atlassian query languages, enough to know where a user's clause
really ends: quoted strings ('...' and "..." with backslash escapes), parentheses, and a trailing
top-level ORDER BY. `narrow(user_query, *clauses)` refuses a clause whose quotes or parentheses do
not balance (`1=1) OR (project is not EMPTY` would otherwise close the tool's own group), keeps an
`order by` that sits inside a quoted string, and moves the user's ORDER BY to the end.
"""

from __future__ import annotations

import re

from ..errors import InvalidInput

_ORDER_BY = re.compile(r"order\s+by\b", re.IGNORECASE)


def quote(value: str) -> str:
    """A JQL/CQL/AQL string literal: the value can never become query syntax."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_order(query: str) -> tuple[str, str]:
    """(where, order_by) of one query; order_by is '' or starts with ORDER BY. Refuses unbalanced text.

    Only an ORDER BY outside quotes and parentheses counts, so `summary ~ "sort order by date"`
    stays whole. The text must read the same whether or not single quotes delimit strings (the
    three languages differ there), and backslashes outside quotes are refused (they differ there
    too): a reading that differed from the product's could hide a parenthesis from this one.
    """
    order_at = _scan(query, "\"'")
    if _scan(query, '"') != order_at:
        raise InvalidInput("The query reads differently depending on single quotes; use double quotes for its values.")
    if order_at < 0:
        return query.strip(), ""
    return query[:order_at].strip(), query[order_at:].strip()


def _scan(query: str, quotes: str) -> int:
    """Check quotes and parentheses balance; the index of the top-level ORDER BY, or -1."""
    depth = 0
    quote_char = ""
    order_at = -1
    i = 0
    while i < len(query):
        ch = query[i]
        if quote_char:
            if ch == "\\":
                i += 2
                continue
            if ch == quote_char:
                quote_char = ""
        elif ch in quotes:
            quote_char = ch
        elif ch == "\\":
            raise InvalidInput('A backslash outside quotes is not accepted in a query; put that value in double quotes, e.g. summary ~ "a\\\\b".')
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise InvalidInput("The query closes a parenthesis it never opened; balance its parentheses.")
        elif depth == 0 and order_at < 0 and ch in "oO" and (i == 0 or not (query[i - 1].isalnum() or query[i - 1] in "_.")):
            if _ORDER_BY.match(query, i):
                order_at = i
        i += 1
    if quote_char:
        raise InvalidInput(f"The query has an unclosed {quote_char} quote; close it.")
    if depth:
        raise InvalidInput("The query opens a parenthesis it never closes; balance its parentheses.")
    return order_at


def narrow(user_query: str | None, *clauses: str, default_order: str = "") -> str:
    """The tool's `clauses` AND-ed with the user's own clause (in parentheses), its ORDER BY last.

    `clauses` are written by the tool (values put through `quote`); empty ones are skipped. The
    user's ORDER BY wins over `default_order` (e.g. "ORDER BY rank"). The result can match only
    what every tool clause matches.
    """
    where, order = split_order(user_query or "")
    parts = [c for c in clauses if c]
    if where:
        parts.append(f"({where})" if parts else where)
    text = " AND ".join(parts)
    order = order or default_order
    return f"{text} {order}".strip() if order else text
