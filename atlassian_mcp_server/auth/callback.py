"""The loopback callback server: 127.0.0.1 only, one /callback answer, shut down in every outcome."""

from __future__ import annotations

import errno
import html
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import AtlassianError


class LoginError(AtlassianError):
    """The sign-in did not complete; the message says why and what to do next."""


@dataclass(frozen=True)
class CallbackResult:
    """What came back to the redirect URI: a code, or an error from Atlassian."""

    code: str | None = None
    state: str | None = None
    error: str | None = None
    error_description: str | None = None


def parse_redirect(url_or_query: str) -> CallbackResult:
    """Read the code/state/error from a redirect URL (or just its query), e.g. one pasted by a user."""
    text = url_or_query.strip()
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    values = parse_qs(query, keep_blank_values=True)

    def one(name: str) -> str | None:
        found = values.get(name)
        return found[0] if found else None

    return CallbackResult(one("code"), one("state"), one("error"), one("error_description"))


class StaleCallback(LoginError):
    """A callback whose state is not this attempt's (a stale link, or a forged request): ignored, the attempt keeps waiting."""


def state_matches(result: CallbackResult, expected_state: str) -> bool:
    return result.state is not None and secrets.compare_digest(result.state.encode("utf-8", "replace"), expected_state.encode("utf-8"))


def check_result(result: CallbackResult, expected_state: str) -> str:
    """The authorization code when the callback is genuine; LoginError otherwise (no exchange happens)."""
    if not state_matches(result, expected_state):
        raise LoginError(
            "Sign-in rejected: the callback's state does not match this sign-in attempt (a stale or forged link). "
            "Start the sign-in again and use the newest URL."
        )
    if result.error:
        if result.error == "access_denied":
            raise LoginError("Sign-in cancelled: access was denied on the Atlassian consent screen. Start it again and choose Accept to continue.")
        said = f" ({result.error_description})" if result.error_description else ""
        raise LoginError(f"Atlassian refused the sign-in: {result.error}{said}. Check the app's settings in the developer console and try again.")
    if not result.code:
        raise LoginError("The callback carried no authorization code; start the sign-in again.")
    return result.code


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>{title}</h1><p>{body}</p></body></html>"""


class CallbackServer:
    """Serves GET /callback on 127.0.0.1:<port> in a thread until one genuine answer arrives.

    Construction binds the port (a busy port raises LoginError naming the setting); `wait()`
    returns the authorization code or raises LoginError; `close()` is safe to call repeatedly.
    """

    def __init__(self, port: int | None, expected_state: str):
        self.expected_state = expected_state
        self._done = threading.Event()
        self._settle_lock = threading.Lock()
        self._outcome: str | BaseException | None = None
        self._server: ThreadingHTTPServer | None = None
        self.port = port
        if port is None:  # no listener: the answer can only come through offer() (a pasted URL)
            return
        try:
            # Threaded: a browser's idle speculative connection must not block the real request.
            self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
            self._server.daemon_threads = True
        except OSError as exc:
            if exc.errno == errno.EACCES:
                raise LoginError(
                    f"Not allowed to listen on port {port} for the sign-in callback: set ATLASSIAN_OAUTH_CALLBACK_PORT to a port above 1023."
                ) from exc
            if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
                raise LoginError(
                    f"Port {port} on 127.0.0.1 is busy, so the sign-in callback cannot listen there: stop what uses it, "
                    "or set ATLASSIAN_OAUTH_CALLBACK_PORT to a free port and add http://localhost:<that port>/callback "
                    "as the callback URL of your app in the Atlassian developer console."
                ) from exc
            raise LoginError(f"Cannot listen for the sign-in callback on 127.0.0.1:{port}: {exc.strerror or exc}.") from exc
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True, name="oauth-callback")
        self._thread.start()

    def wait(self, timeout: float) -> str:
        """Block until the callback arrives or `timeout` seconds pass; the server is closed either way."""
        try:
            if not self._done.wait(timeout):
                raise LoginError(
                    f"Sign-in timed out after {timeout:g} s without the browser reaching the callback "
                    "(ATLASSIAN_OAUTH_TIMEOUT). Start the sign-in again; if the browser runs on another machine, "
                    "paste the URL it ended on instead."
                )
            if isinstance(self._outcome, BaseException):
                raise self._outcome
            assert isinstance(self._outcome, str)
            return self._outcome
        finally:
            self.close()

    def offer(self, result: CallbackResult) -> bool:
        """Feed a result from elsewhere (a pasted URL); False when the flow already finished.

        A result with another attempt's state raises StaleCallback and the attempt keeps waiting.
        """
        outcome = self._settle(result)
        if isinstance(outcome, StaleCallback):
            raise outcome
        return outcome is not None

    @property
    def settled(self) -> bool:
        """True once an answer (a code or a failure) was taken; the listener is then closing."""
        return self._done.is_set()

    def cancel(self, reason: LoginError) -> None:
        with self._settle_lock:
            if not self._done.is_set():
                self._outcome = reason
                self._done.set()

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def _settle(self, result: CallbackResult) -> LoginError | None | str:
        """Record the first answer; return the LoginError or the code, or None if already settled.

        A result whose state is not ours settles nothing: any web page can make the browser send
        one (an <img> tag suffices), and it must not end the sign-in the user is doing.
        """
        if not state_matches(result, self.expected_state):
            return StaleCallback(
                "That sign-in answer is not for the sign-in in progress (its state does not match: a stale or forged link), "
                "so it was ignored and the sign-in keeps waiting; use the newest sign-in URL."
            )
        with self._settle_lock:
            if self._done.is_set():
                return None
            try:
                outcome: str | LoginError = check_result(result, self.expected_state)
            except LoginError as exc:
                outcome = exc
            self._outcome = outcome
            self._done.set()
            return outcome

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class _Callback(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # stdout/stderr stay quiet
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                parts = urlsplit(self.path)
                host = (self.headers.get("Host") or "").strip().lower()
                if host not in (f"localhost:{owner.port}", f"127.0.0.1:{owner.port}"):
                    # A page on another name that resolves here (DNS rebinding) is not the browser's redirect.
                    self._page(421, "Wrong address", "This listener only answers http://localhost or 127.0.0.1 with its port.")
                    return
                if parts.path != "/callback":
                    self._page(404, "Not found", "This address only serves the sign-in callback.")
                    return
                outcome = owner._settle(parse_redirect(parts.query))
                if outcome is None:
                    self._page(409, "Already handled", "This sign-in already finished; you can close this tab.")
                elif isinstance(outcome, StaleCallback):
                    self._page(400, "Not this sign-in", str(outcome))
                elif isinstance(outcome, LoginError):
                    self._page(400, "Sign-in failed", str(outcome))
                else:
                    self._page(
                        200, "Sign-in received", "atlassian-mcp-server got the answer from Atlassian and is finishing the sign-in. You can close this tab."
                    )

            def _page(self, status: int, title: str, body: str) -> None:
                payload = _PAGE.format(title=html.escape(title), body=html.escape(body)).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(payload)

        return _Callback
