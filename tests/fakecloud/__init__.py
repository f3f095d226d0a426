"""A fake Atlassian Cloud: a threaded stdlib HTTP server on 127.0.0.1 with in-memory Jira, Confluence and JSM.

Every request is logged and checked against the official OpenAPI documents: a request to an
undocumented or deprecated operation is answered 404 and recorded in `violations`, which the
test suite asserts empty after every test.

Product behaviour lives in one module each (jira.py, confluence.py, jsm.py); each has an
`install(cloud)` that registers its routes and seeds its data on `cloud.state`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import openapi

EMAIL = "agent@example.com"
API_TOKEN = "fake-api-token-7f3a9c"
ACCOUNT_ID = "5b10a2844c20165700ede21g"


@dataclass
class Request:
    method: str
    path: str  # raw, still percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    vars: dict[str, str] = field(default_factory=dict)
    user: dict[str, Any] | None = None

    def arg(self, name: str, default: Any = None) -> Any:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        try:
            return int(self.arg(name, default))
        except (TypeError, ValueError):
            return default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


def error(status: int, *messages: str, **field_errors: str) -> Response:
    """Jira-style error body."""
    return Response(status, {"errorMessages": list(messages), "errors": field_errors})


@dataclass
class Fault:
    """Answer the next `times` requests whose path matches `path_regex` with this instead."""

    path_regex: str
    status: int = 503
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None
    delay: float = 0.0
    method: str | None = None
    reset: bool = False  # drop the connection without answering
    passthrough: bool = False  # only delay, then answer normally
    after: bool = False  # apply the request for real, then answer with the fault (an ambiguous failure)
    truncate: bool = False  # promise more bytes than are sent


Handler = Callable[[Request], Response]


class FakeCloud:
    """Start with `with FakeCloud() as cloud:`; `cloud.url` is the site URL for ATLASSIAN_SITE_URL."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, str, re.Pattern[str], Handler]] = []
        self.state: dict[str, Any] = {}
        self.log: list[dict[str, Any]] = []
        self.violations: list[str] = []
        # (method, template) of every documented operation asked for; the conftest drains it after
        # each test to check the OAuth scopes (tests/scopecheck.py).
        self.operations: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.latency = 0.0
        self.lock = threading.RLock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.users: dict[str, dict[str, Any]] = {
            self._basic(EMAIL, API_TOKEN): {
                "accountId": ACCOUNT_ID,
                "displayName": "Ada Agent",
                "emailAddress": EMAIL,
                "timeZone": "Europe/London",
                "active": True,
                "accountType": "atlassian",
            }
        }
        self.licensed = {"jira": True, "confluence": True, "servicedesk": True}
        # Hooks see each request before the OpenAPI check: one may answer it (a Response) or
        # rewrite req.path / set req.user and pass (None). oauth.py adds the OAuth endpoints and
        # strips the /ex/{product}/{cloudId} API-gateway prefix with its bearer-token check.
        self.hooks: list[Callable[[Request], Response | None]] = []
        from . import confluence, jira, jsm, oauth, platform

        for product in (platform, jira, confluence, jsm, oauth):
            product.install(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @staticmethod
    def _basic(email: str, token: str) -> str:
        return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a server process signed in with the API token against this cloud, every toolset listed
        (tests of the default profile pass ATLASSIAN_TOOLSETS="default")."""
        base = {"ATLASSIAN_SITE_URL": self.url, "ATLASSIAN_EMAIL": EMAIL, "ATLASSIAN_API_TOKEN": API_TOKEN, "ATLASSIAN_TOOLSETS": "all"}
        base.update(extra)
        return base

    def __enter__(self) -> FakeCloud:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- routing ---------------------------------------------------------------------------
    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        pattern = openapi._compile(template)
        names = re.findall(r"\{([^}]+)\}", template)

        def register(fn: Handler) -> Handler:
            self.routes.append((method, template, re.compile(pattern.pattern.replace(r"[^/]+", r"([^/]+)")), fn))
            fn.__dict__.setdefault("vars", names)
            return fn

        return register

    def requests_to(self, template_regex: str, method: str | None = None) -> list[dict[str, Any]]:
        """Logged requests whose raw path matches a regex (and method)."""
        return [r for r in self.log if re.search(template_regex, r["path"]) and (method is None or r["method"] == method)]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()
            self.violations.clear()

    def inject(self, path_regex: str, status: int = 503, times: int = 1, **kw: Any) -> Fault:
        fault = Fault(path_regex, status, times, **kw)
        with self.lock:
            self.faults.append(fault)
        return fault

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and re.search(fault.path_regex, path) and fault.method in (None, method):
                    fault.times -= 1
                    return fault
        return None

    def dispatch(self, req: Request) -> Response:
        original = req.path
        for hook in self.hooks:
            answer = hook(req)
            if answer is not None:
                with self.lock:
                    self.log.append({"method": req.method, "path": original, "query": req.query, "operation": f"hook:{req.path}"})
                return answer
        op = openapi.find(req.method, req.path)
        entry = {"method": req.method, "path": original, "query": req.query, "operation": op.template if op else None}
        with self.lock:
            self.log.append(entry)
            if op is not None:
                self.operations.append((op.method, op.template))
        if op is None:
            self.violations.append(f"undocumented: {req.method} {req.path}")
            return error(404, f"fake cloud: {req.method} {req.path} is not in the OpenAPI documents")
        if op.deprecated:
            self.violations.append(f"deprecated: {req.method} {op.template}")
            if op.template == "/rest/api/3/search":
                return error(410, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.")
        if self.latency:
            time.sleep(self.latency)
        fault = self._take_fault(req.method, req.path)
        if fault is not None and fault.passthrough:
            time.sleep(fault.delay)
            fault = None
        applied_then_failed = fault if fault is not None and fault.after else None
        if applied_then_failed is not None:
            fault = None
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            resp = Response(fault.status, fault.body, dict(fault.headers), fault.raw)
            resp.fault = fault  # type: ignore[attr-defined]
            return resp
        if req.user is None:  # a hook may have signed the request in already (OAuth bearer token)
            req.user = self.users.get(req.headers.get("authorization", ""))
        if req.user is None:
            return Response(401, raw=b"Client must be authenticated to access this resource.", headers={"Content-Type": "text/plain"})
        for method, _template, pattern, fn in self.routes:
            if method != req.method:
                continue
            match = pattern.match(req.path)
            if match:
                req.vars = {name: unquote(value) for name, value in zip(fn.__dict__["vars"], match.groups())}
                with self.lock:
                    answer = fn(req)
                if applied_then_failed is not None:
                    if applied_then_failed.delay:
                        time.sleep(applied_then_failed.delay)
                    failed = Response(applied_then_failed.status, applied_then_failed.body, dict(applied_then_failed.headers), applied_then_failed.raw)
                    failed.fault = applied_then_failed  # type: ignore[attr-defined]
                    return failed
                return answer
        return error(404, f"fake cloud: no behaviour for {req.method} {op.template}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        cloud = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, each keep-alive answer would
            # wait ~40 ms for the client's delayed ACK.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with cloud.lock:
                    cloud.in_flight += 1
                    cloud.max_in_flight = max(cloud.max_in_flight, cloud.in_flight)
                try:
                    resp = cloud.dispatch(req)
                except Exception as exc:  # a fake bug must show up as a 500, not a hang
                    resp = error(500, f"fake cloud crashed: {type(exc).__name__}: {exc}")
                finally:
                    with cloud.lock:
                        cloud.in_flight -= 1
                payload = resp.raw if resp.raw is not None else (b"" if resp.body is None else json.dumps(resp.body).encode())
                fault = getattr(resp, "fault", None)
                if fault is not None and fault.reset:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(resp.status)
                headers = {"Content-Type": "application/json"} if resp.raw is None and resp.body is not None else {}
                headers.update(resp.headers)
                for k, v in headers.items():
                    self.send_header(k, v)
                promised = len(payload) + (100 if fault is not None and fault.truncate else 0)
                self.send_header("Content-Length", str(promised))
                if fault is not None and fault.truncate:
                    self.close_connection = True
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

        return _Handler
