"""Fake Confluence v1 CQL search (`GET /wiki/rest/api/search`) over a small CQL subset.

Supported: clauses `field op value` joined by AND / OR with parentheses, `NOT`, `IN (...)`, and
ORDER BY. Fields: text, title, space (space.key), type, label, ancestor, parent, id, creator,
lastmodified, created. Operators: = != ~ !~ and (NOT) IN; dates also >= <= > <. Anything else answers 400 like Confluence does for bad CQL.
Excerpts use the `highlight` strategy: HTML-escaped text with @@@hl@@@...@@@endhl@@@ markers.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from . import Request, Response
from .confluence import current, page_web, subtree, v1_error, visible_page
from .confluence_docs import adf_text

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>!=|!~|>=|<=|=|~|>|<|\(|\)|,)|(?P<word>[^\s=!~<>(),"]+))')
FIELDS = {"text", "title", "space", "space.key", "type", "label", "ancestor", "parent", "id", "creator", "lastmodified", "created"}
DATES = {"lastmodified", "created"}


class CqlError(ValueError):
    pass


def tokens(cql: str) -> list[str]:
    out, pos = [], 0
    cql = cql.rstrip()
    while pos < len(cql):
        m = _TOKEN.match(cql, pos)
        if not m or m.end() == pos:
            raise CqlError(f"unexpected character at {pos}")
        if m.group("str"):
            out.append(m.group("str"))
        else:
            out.append(m.group("op") or m.group("word"))
        pos = m.end()
    return out


def _value(tok: str) -> str:
    return re.sub(r"\\(.)", r"\1", tok[1:-1]) if tok.startswith('"') else tok


Pred = Callable[[dict[str, Any]], bool]


class Parser:
    def __init__(self, toks: list[str], me: str, state: dict[str, Any]):
        self.toks, self.i, self.me, self.state = toks, 0, me, state
        self.terms: list[str] = []

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise CqlError("unexpected end of query")
        self.i += 1
        return tok

    def expr(self) -> Pred:
        parts = [self.term()]
        while (self.peek() or "").upper() == "OR":
            self.take()
            parts.append(self.term())
        return lambda p: any(part(p) for part in parts)

    def term(self) -> Pred:
        parts = [self.factor()]
        while (self.peek() or "").upper() == "AND":
            self.take()
            parts.append(self.factor())
        return lambda p: all(part(p) for part in parts)

    def factor(self) -> Pred:
        tok = self.take()
        if tok.upper() == "NOT":
            inner = self.factor()
            return lambda p: not inner(p)
        if tok == "(":
            inner = self.expr()
            if self.take() != ")":
                raise CqlError("missing )")
            return inner
        field = tok.lower()
        if field not in FIELDS:
            raise CqlError(f"unknown field {tok}")
        op = self.take()
        negate = False
        if op.upper() == "NOT":
            negate, op = True, self.take()
        if op.upper() == "IN":
            if self.take() != "(":
                raise CqlError("IN needs (")
            values = [_value(self.take())]
            while self.peek() == ",":
                self.take()
                values.append(_value(self.take()))
            if self.take() != ")":
                raise CqlError("missing )")

            def test(p: dict[str, Any], f: str = field, vs: list[str] = values) -> bool:
                return negate != any(self.match(p, f, "=", v) for v in vs)

            return test
        if op in (">=", "<=", ">", "<") and field in DATES:
            bound = _value(self.take())
            key = "createdAt" if field == "lastmodified" else None
            compare = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}[op]
            return lambda p: compare((current(p)[key] if key else p["createdAt"])[: len(bound)], bound)
        if op not in ("=", "!=", "~", "!~"):
            raise CqlError(f"unknown operator {op}")
        raw = self.take()
        value = self.me if raw == "currentUser()" else _value(raw)
        if field in ("text", "title") and op == "~":
            self.terms += [w for w in re.findall(r"\w+", value.lower())]
        if op.startswith("!"):
            return lambda p: not self.match(p, field, op[1], value)
        return lambda p: self.match(p, field, op, value)

    def match(self, page: dict[str, Any], field: str, op: str, value: str) -> bool:
        state, v = self.state, current(page)
        if field in ("text", "title") and op == "~":
            hay = v["title"] if field == "title" else " ".join([v["title"], adf_text(v["adf"]), *(lab["name"] for lab in page["labels"])])
            hay = hay.lower()
            return all(w in hay for w in re.findall(r"\w+", value.lower()))
        if op == "~" or field in DATES:
            raise CqlError(f"{op} is not supported for {field}")
        if field == "title":
            return v["title"] == value
        if field in ("space", "space.key"):
            return state["conf_spaces"][page["spaceId"]]["key"] == value
        if field == "type":
            return value == "page"
        if field == "label":
            return any(lab["name"] == value for lab in page["labels"])
        if field == "parent":
            return page["parentId"] == value
        if field == "ancestor":
            return any(p["id"] == page["id"] for p in subtree(state, value))
        if field == "id":
            return page["id"] == value
        return page["authorId"] == value  # creator


def highlight(text: str, terms: list[str]) -> str:
    out = html.escape(text)
    for term in sorted(set(terms), key=len, reverse=True):
        out = re.sub(rf"(?i)\b({re.escape(html.escape(term))})", r"@@@hl@@@\1@@@endhl@@@", out)
    return out.replace("@@@endhl@@@@@@hl@@@", "")


def excerpt(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    hits = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    start = max(0, min(hits) - 40) if hits else 0
    return highlight(" ".join(text[start : start + 160].split()), terms)


def install(cloud: Any) -> None:
    state = cloud.state

    @cloud.route("GET", "/wiki/rest/api/search")
    def search(req: Request) -> Response:
        cql = req.arg("cql") or ""
        order = None
        m = re.search(r"\s+order\s+by\s+(\w+)(\s+(asc|desc))?\s*$", cql, re.IGNORECASE)
        where = cql[: m.start()] if m else cql
        try:
            parser = Parser(tokens(where), req.user["accountId"], state)
            pred = parser.expr()
            if parser.peek() is not None:
                raise CqlError(f"unexpected {parser.peek()}")
        except CqlError as exc:
            return v1_error(400, f"Could not parse cql : {cql} ({exc})")
        pages = [p for p in state["conf_pages"].values() if visible_page(state, p["id"]) and pred(p)]
        if m:
            order = m.group(1).lower()
            key = {"title": lambda p: current(p)["title"], "lastmodified": lambda p: current(p)["createdAt"], "created": lambda p: p["createdAt"]}.get(order)
            if key is None:
                return v1_error(400, f"Could not parse cql : {cql} (cannot order by {order})")
            pages.sort(key=key, reverse=(m.group(3) or "asc").lower() == "desc")
        limit = max(1, min(req.int_arg("limit", 25), 50))
        cursor = req.arg("cursor")
        start = int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0
        chunk = pages[start : start + limit]
        strategy = req.arg("excerpt", "highlight")
        results = []
        for p in chunk:
            v, space = current(p), state["conf_spaces"][p["spaceId"]]
            text = adf_text(v["adf"])
            results.append(
                {
                    "content": {"id": p["id"], "type": "page", "status": "current", "title": v["title"], "_links": {"webui": page_web(state, p)}},
                    "title": highlight(v["title"], parser.terms) if strategy == "highlight" else v["title"],
                    "excerpt": excerpt(text, parser.terms) if strategy == "highlight" else ("" if strategy == "none" else text[:160]),
                    "url": page_web(state, p),
                    "resultGlobalContainer": {"title": space["name"], "displayUrl": f"/spaces/{space['key']}"},
                    "breadcrumbs": [],
                    "entityType": "content",
                    "iconCssClass": "aui-icon content-type-page",
                    "lastModified": v["createdAt"],
                    "friendlyLastModified": v["createdAt"][:10],
                    "score": 1.0,
                }
            )
        links: dict[str, Any] = {"base": cloud.url + "/wiki", "context": "/wiki"}
        if start + limit < len(pages):
            nxt = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
            links["next"] = f"/rest/api/search?next=true&cursor={nxt}&limit={limit}&cql={quote(cql)}"
        body = {
            "results": results,
            "start": start,
            "limit": limit,
            "size": len(results),
            "totalSize": len(pages),
            "cqlQuery": cql,
            "searchDuration": 7,
            "_links": links,
        }
        return Response(200, body)
