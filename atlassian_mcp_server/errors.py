"""The error types every layer raises; each message is one sentence a model can act on."""

from __future__ import annotations

from typing import Any


class AtlassianError(Exception):
    """Root of every error this package raises on purpose; its text never holds a known secret."""

    def __str__(self) -> str:
        from .redact import scrub

        return scrub(super().__str__())


class ConfigError(AtlassianError):
    """Settings are missing or invalid; the message names each variable to set."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class InvalidInput(AtlassianError, ValueError):
    """A caller passed a value that cannot be sent (bad id, bad argument)."""


class NotSignedIn(AtlassianError):
    """No usable credentials: the message says how to sign in."""


class TransportError(AtlassianError):
    """The request never produced an HTTP answer (timeout, connection, TLS, DNS)."""


class TooLarge(AtlassianError):
    """A body was larger than the byte cap; reading stopped at the cap."""

    def __init__(self, message: str, limit: int):
        super().__init__(message)
        self.limit = limit


_HINTS = {
    400: "Atlassian rejected the request as invalid; fix the arguments named above and try again",
    401: "the credentials were not accepted; sign in again or check ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN",
    403: "you lack the permission (or the OAuth scope) for this; ask a site admin or add the scope and sign in again",
    404: "it does not exist or is not visible to you; check the id or key",
    405: "the site does not allow this method on this resource",
    409: "it conflicts with the current state (for example an edit made by someone else); read it again and retry",
    410: "Atlassian has removed this endpoint",
    413: "the request is too large",
    415: "the content type was not accepted",
    429: "Atlassian is rate limiting; wait a little and try again",
}


class ApiError(AtlassianError):
    """Atlassian answered with a non-2xx status."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        messages: list[str] | None = None,
        field_errors: dict[str, str] | None = None,
        retry_after: str | None = None,
        detail: str | None = None,
        body: Any = None,
        may_have_applied: bool | None = None,
    ):
        self.status = status
        self.method = method
        self.path = path
        self.messages = messages or []
        self.field_errors = field_errors or {}
        self.retry_after = retry_after
        self.detail = detail
        self.body = body  # the parsed error body, for callers that read per-item results (bulk create)
        # None: judge by the method; the HTTP core says False for a POST that only reads.
        self.may_have_applied = method not in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE") if may_have_applied is None else may_have_applied
        # Set by the HTTP core: an earlier try of this same request reached the site and got no
        # clear answer, so this error may describe the state our own earlier try produced.
        self.after_unanswered = False
        super().__init__(self._compose())

    @property
    def hint(self) -> str:
        if self.status in _HINTS:
            return _HINTS[self.status]
        if self.status >= 500:
            if self.may_have_applied:
                return "Atlassian had a server error; the change may have been applied, so check before repeating it"
            return "Atlassian had a server error; try again shortly"
        return "the request failed"

    def _compose(self) -> str:
        parts = [f"Atlassian answered {self.status} to {self.method} {self.path}"]
        said = [m for m in self.messages if m]
        said += [f"{k}: {v}" for k, v in self.field_errors.items()]
        if said:
            parts.append(": " + "; ".join(said))
        text = "".join(parts)
        if self.status == 429 and self.retry_after:
            return f"{text} ({self.hint}; Retry-After {self.retry_after})."
        return f"{text} ({self.hint})."


def parse_error_body(body: Any) -> tuple[list[str], dict[str, str]]:
    """Pull human messages out of every error shape Jira, Confluence and JSM use."""
    messages: list[str] = []
    fields: dict[str, str] = {}
    if isinstance(body, dict):
        for key in ("errorMessages",):
            value = body.get(key)
            if isinstance(value, list):
                messages += [str(v) for v in value if v]
        for key in ("errorMessage", "message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                messages.append(value)
        errors = body.get("errors")
        if isinstance(errors, dict):
            fields.update({str(k): str(v) for k, v in errors.items()})
        elif isinstance(errors, list):  # Confluence v2: [{"status", "code", "title", "detail"}]
            for item in errors:
                if isinstance(item, dict):
                    text = item.get("detail") or item.get("title") or item.get("code")
                    if text:
                        messages.append(str(text))
                elif item:
                    messages.append(str(item))
        data = body.get("data")  # Confluence v1: {"message", "data": {"errors": [{"message": {...}}]}}
        if isinstance(data, dict) and isinstance(data.get("errors"), list):
            for item in data["errors"]:
                msg = item.get("message") if isinstance(item, dict) else None
                if isinstance(msg, dict):
                    msg = msg.get("translation") or msg.get("key")
                if msg:
                    messages.append(str(msg))
    elif isinstance(body, str) and body.strip():
        messages.append(body.strip()[:200])
    # De-duplicated, order kept.
    return list(dict.fromkeys(messages)), fields
