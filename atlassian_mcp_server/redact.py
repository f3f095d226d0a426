"""One scrubber for every secret this process holds; error text and log records pass through it.

Each sign-in method registers what it holds as soon as it holds it: the API token and the
base64 form of its Basic header, the OAuth client secret, and every access and refresh token
as it is read from the token file or rotated by a refresh. `scrub()` replaces each of them,
wherever it appears, with `[redacted]`. It is applied where error text is made (every
`AtlassianError`, the error bodies and headers the HTTP core reads) and to every log record
(stderr and the client's notifications/message), so a site that echoes a credential back
cannot make it reach a tool result or a log.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from urllib.parse import quote

REDACTED = "[redacted]"
_MIN_LENGTH = 8  # shorter values are not credentials, and replacing them would garble text

_lock = threading.Lock()
_known: set[str] = set()
_pattern: re.Pattern[str] | None = None


def remember(*values: str | None) -> None:
    """Add secrets (and their percent-encoded forms) to what `scrub` removes."""
    global _pattern
    fresh = set()
    for value in values:
        if not value or len(value) < _MIN_LENGTH:
            continue
        fresh.add(value)
        fresh.add(quote(value, safe=""))
    with _lock:
        if fresh <= _known:
            return
        _known.update(fresh)
        ordered = sorted(_known, key=len, reverse=True)  # the longest form first
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def remember_basic(email: str | None, token: str | None) -> str:
    """Remember an API token and its Basic header value; returns that header value."""
    encoded = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
    remember(token, encoded, encoded.rstrip("="))
    return "Basic " + encoded


def scrub(text: str) -> str:
    """`text` with every known secret replaced by [redacted]."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def scrub_value(value: object) -> object:
    """A JSON-like value with every string scrubbed (for error bodies kept on an exception)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {scrub(str(k)): scrub_value(v) for k, v in value.items()}
    return value


class ScrubbingFormatter(logging.Formatter):
    """Formats a record as usual, then scrubs the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
