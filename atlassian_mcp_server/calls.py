"""Per-call context for handlers on the thread pool: progress reports, cancellation, and news
for the client such as "the tool list changed"."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar

from .errors import AtlassianError

ProgressSink = Callable[[float, "float | None", "str | None"], None]
Notice = Callable[[], None]


class CallCancelled(AtlassianError):
    """The client cancelled the call; no further requests are sent for it."""


class CallContext:
    """What a running tool call can tell its client, and whether the client gave up on it."""

    def __init__(self, send_progress: ProgressSink | None = None, tools_changed: Notice | None = None):
        self.send_progress = send_progress
        # Tells the client (notifications/tools/list_changed) that the tools it may use changed;
        # thread-safe, and usable after the call ended (e.g. once a sign-in completes).
        self.tools_changed = tools_changed
        self.cancelled = threading.Event()


_current: ContextVar[CallContext | None] = ContextVar("atlassian_call", default=None)


def current() -> CallContext | None:
    return _current.get()


def activate(context: CallContext) -> object:
    return _current.set(context)


def deactivate(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def report_progress(done: float, total: float | None = None, message: str | None = None) -> None:
    """Tell the client how far a long call has come; a no-op when it asked for no progress."""
    context = _current.get()
    if context is not None and context.send_progress is not None and not context.cancelled.is_set():
        context.send_progress(done, total, message)


def tools_changed_notice() -> Notice | None:
    """How the running call tells its client the tool list changed; None outside a server call."""
    context = _current.get()
    return context.tools_changed if context is not None else None


def check_cancelled() -> None:
    """Raise CallCancelled when the client cancelled this call: called before every request."""
    context = _current.get()
    if context is not None and context.cancelled.is_set():
        raise CallCancelled("The call was cancelled by the client; no further requests were sent.")
