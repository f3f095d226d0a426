"""One OAuth sign-in attempt, run in the background, shared by the `login` command and the MCP tool."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import AtlassianError
from .callback import CallbackServer, LoginError, parse_redirect
from .oauth import accessible_resources, authorize_url, exchange_code, match_site, new_entry, pkce_pair, redirect_uri
from .scopes import required_scopes
from .tokens import TokenStore, entry_key

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger(__name__)


class LoginFlow:
    """Authorize URL, callback listener and code exchange for one attempt.

    Construction binds the callback port (LoginError when it is busy, unless `listen=False`);
    `start()` waits for the browser in a thread; `wait()` blocks until the end; `offer()` takes a
    redirect URL pasted by the user instead of the browser reaching the callback.
    """

    def __init__(self, settings: Settings, store: TokenStore, *, listen: bool = True):
        if not settings.client_secret:
            raise LoginError("ATLASSIAN_CLIENT_SECRET is not set: OAuth sign-in needs the app's secret next to ATLASSIAN_CLIENT_ID.")
        self.settings = settings
        self.store = store
        self.scopes = required_scopes(settings)
        self._verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(32)
        self.url = authorize_url(settings, state, challenge, self.scopes)
        self.redirect_uri = redirect_uri(settings)
        self.timeout = float(settings.oauth_timeout)
        self.started = time.monotonic()
        self.status = "waiting"  # -> succeeded | failed
        self.error: str | None = None
        self.entry: dict[str, Any] | None = None
        self.reported = False  # a failure is told once, then a new attempt starts
        self._callback = CallbackServer(settings.oauth_callback_port if listen else None, state)
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._on_success: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None

    def start(self) -> LoginFlow:
        self._thread = threading.Thread(target=self._run, daemon=True, name="oauth-login")
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        """True while the attempt waits for its answer.

        Once the answer came (or the time ran out) the attempt only has the code exchange and
        the listener's shutdown left: wait for those, so that nobody is told "still waiting"
        about a listener that is already gone.
        """
        if not self._finished.is_set() and (self._callback.settled or self.seconds_left() <= 0):
            self._finished.wait(float(self.settings.timeout) + 5)
        return not self._finished.is_set()

    def seconds_left(self) -> int:
        return max(0, int(self.timeout - (time.monotonic() - self.started)))

    def offer(self, redirect_url: str) -> None:
        """Complete the attempt with the URL the browser ended on (for a browser on another machine)."""
        result = parse_redirect(redirect_url)
        if not (result.code or result.error or result.state):
            raise LoginError("That is not the sign-in redirect: paste the whole address the browser ended on, starting with " + self.redirect_uri)
        if not self._callback.offer(result):
            raise LoginError("This sign-in attempt already finished; start a new one.")

    def cancel(self) -> None:
        self._callback.cancel(LoginError("Sign-in cancelled."))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the attempt ends; True when it ended within `timeout`."""
        return self._finished.wait(timeout)

    def when_succeeded(self, callback: Callable[[], None]) -> bool:
        """Run `callback` (in the flow's thread) once the sign-in succeeds; False if the attempt already ended."""
        with self._lock:
            if self._finished.is_set():
                return False
            self._on_success.append(callback)
            return True

    def _run(self) -> None:
        try:
            code = self._callback.wait(self.timeout)
            tokens = exchange_code(self.settings, code, self._verifier)
            if not tokens.get("access_token"):
                raise LoginError("Atlassian's token answer had no access token; sign in again.")
            resource = match_site(self.settings.site_url, accessible_resources(self.settings, tokens["access_token"]))
            entry = new_entry(self.settings, tokens, resource)
            self.store.put(entry_key(self.settings.site_url, self.settings.client_id), entry)
            self.entry = entry
            self.status = "succeeded"
            log.info("signed in to %s (cloud id %s)", self.settings.site_url, entry["cloud_id"])
        except AtlassianError as exc:
            self.error, self.status = str(exc), "failed"
            log.warning("sign-in failed: %s", exc)
        except Exception as exc:  # the flow thread must always end in a clear state
            self.error, self.status = f"Sign-in failed unexpectedly ({type(exc).__name__}); see the server log and try again.", "failed"
            log.warning("sign-in failed unexpectedly: %s: %s", type(exc).__name__, exc)
        finally:
            self._callback.close()
            with self._lock:
                self._finished.set()
                callbacks = list(self._on_success) if self.status == "succeeded" else []
            for callback in callbacks:
                try:
                    callback()
                except Exception as exc:  # a notification failure must not undo the sign-in
                    log.debug("after-sign-in callback failed: %s", exc)


class LoginManager:
    """At most one attempt at a time per process; later calls report on it."""

    def __init__(self, settings: Settings, store: TokenStore, on_success: Callable[[dict[str, Any]], None] | None = None):
        self.settings = settings
        self.store = store
        self._on_success = on_success
        self._lock = threading.Lock()
        self.current: LoginFlow | None = None

    def start(self, *, open_browser: bool = True) -> tuple[LoginFlow, bool]:
        """The running attempt, or a new one; the flag says whether it is new."""
        with self._lock:
            if self.current is not None and self.current.running:
                return self.current, False
            flow = LoginFlow(self.settings, self.store)
            self.current = flow
        if self._on_success is not None:
            on_success = self._on_success
            flow.when_succeeded(lambda: on_success(flow.entry or {}))
        flow.start()
        if open_browser:
            open_in_browser(flow.url)
        return flow, True


def has_display() -> bool:
    """Whether a graphical browser can plausibly open here (never a console browser on our terminal)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("BROWSER") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open `url` in a detached helper process whose stdin/stdout/stderr are not ours.

    Launchers print to stdout ("Opening in existing browser session."), and console browsers
    would take over the terminal: either would corrupt the MCP stream, so they get /dev/null.
    """
    if not has_display():
        return False
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys, webbrowser; webbrowser.open(sys.argv[1])", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=os.name == "posix",
        )
    except OSError as exc:
        log.info("could not start a browser: %s", exc)
        return False
    threading.Thread(target=proc.wait, daemon=True, name="browser-reaper").start()
    return True
