"""The HTTP core: one requests.Session, safe path building, retries and error mapping."""

from __future__ import annotations

import json as jsonlib
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import requests

from . import __version__
from .calls import check_cancelled
from .errors import ApiError, InvalidInput, TooLarge, TransportError, parse_error_body
from .network import configure_session, describe_failure
from .redact import scrub, scrub_value

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SEGMENT_LIMIT = 255


def path(template: str, **params: Any) -> str:
    """Fill a path template; every value becomes exactly one percent-encoded segment.

    A value cannot add a segment, a query or a fragment: `/`, `?`, `#`, `%`, `;`, spaces
    and control characters are encoded, and empty, `.` and `..` values are refused.
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"path template {template!r} needs {name!r}")
        value = params[name]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InvalidInput(f"{name} must be a string or an integer, not {type(value).__name__}.")
        text = str(value)
        if text.strip() in ("", ".", ".."):
            raise InvalidInput(f"{name} must not be empty, '.' or '..' (got {text!r}).")
        if len(text) > _SEGMENT_LIMIT:
            raise InvalidInput(f"{name} is too long ({len(text)} characters; at most {_SEGMENT_LIMIT}).")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            raise InvalidInput(f"{name} must not contain control characters.")
        return quote(text, safe="")

    return _PLACEHOLDER.sub(fill, template)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    """Which failures are retried and how long to wait: capped exponential backoff with jitter.

    A 429 means Atlassian did not serve the request, so any method may go again. After an
    ambiguous failure (a 5xx, a read timeout, a connection lost after sending) only methods
    that are safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE) go again: a POST that may have
    been applied is never sent twice.
    """

    max_retries: int = 3
    budget_s: float = 60.0
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    sleep: Callable[[float], None] = time.sleep

    def should_retry(self, method: str, status: int | None, attempt: int, *, reached_server: bool = True, safe: bool | None = None) -> bool:
        """`safe` overrides the method's own answer, for a POST that only reads (a bulk lookup, a search)."""
        if attempt >= self.max_retries:
            return False
        if status == 429 or not reached_server:
            return True
        if status is None or status in RETRY_STATUSES:
            return method in SAFE_METHODS if safe is None else safe
        return False

    def backoff(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before try number `attempt + 1`; Retry-After wins when given."""
        wait = _parse_retry_after(retry_after)
        if wait is not None:
            return wait
        cap = min(self.max_delay_s, self.base_delay_s * (2**attempt))
        return cap / 2 + random.uniform(0, cap / 2)


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpClient:
    """Sends requests for the product clients; knows auth, base URLs, timeouts and errors, not REST."""

    def __init__(
        self,
        credentials: Any,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        verify: bool = True,
        pool_size: int = 10,
        trust_store: str = "system",
        max_download_bytes: int = 100 * 1024 * 1024,
    ):
        self.credentials = credentials
        self.max_download_bytes = max_download_bytes
        self.guard: Any = None  # allowlist.Guard when ATLASSIAN_PROJECTS/SPACES are set: every request passes through it
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self.session.auth = credentials  # explicit, so ~/.netrc is never used by surprise
        # The system trust store (or REQUESTS_CA_BUNDLE, or certifi) on this session's adapters only.
        self.trust_source = configure_session(self.session, trust_store=trust_store, verify=verify, pool_size=pool_size)
        # ATLASSIAN_SSL_VERIFY=false, warned about once at start. It is passed with every request:
        # a Session-level False would lose to REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE from the environment.
        self.verify_override = None if verify else False
        if not verify:
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.session.headers["User-Agent"] = f"atlassian-mcp-server/{__version__}"
        self.session.headers["Accept"] = "application/json"

    def url(self, product: str, path_: str) -> str:
        if not path_.startswith("/"):
            raise ValueError(f"path must start with '/': {path_!r}")
        return self.credentials.base_url(product) + path_

    def get(self, product: str, path_: str, **kw: Any) -> Any:
        return self.request("GET", product, path_, **kw)

    def post(self, product: str, path_: str, **kw: Any) -> Any:
        return self.request("POST", product, path_, **kw)

    def put(self, product: str, path_: str, **kw: Any) -> Any:
        return self.request("PUT", product, path_, **kw)

    def delete(self, product: str, path_: str, **kw: Any) -> Any:
        return self.request("DELETE", product, path_, **kw)

    def request(
        self,
        method: str,
        product: str,
        path_: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        raw: bool = False,
        follow_offsite: bool = False,
        idempotent: bool | None = None,
        max_bytes: int | None = None,
        landed: Callable[[ApiError], Any] | None = None,
        guarded: bool = True,
    ) -> Any:
        """Send one logical request (with retries); return parsed JSON, or the Response when raw.

        The body is encoded to bytes once, before the first try, so every try sends the same
        bytes (a file stream is read once, never resent half-consumed). Redirects are followed
        only on the same host; `follow_offsite=True` lets a GET follow a redirect to another
        host (an attachment's signed download URL) without credentials. `idempotent=True` marks
        a POST that only reads (users-bulk, an AQL search): it is retried like a GET after an
        ambiguous failure, and its errors do not say a change may have happened.

        Every answer body is read with a byte cap (`max_bytes`, else ATLASSIAN_MAX_DOWNLOAD_MB):
        reading stops at the cap and TooLarge is raised, whatever Content-Length said. A raw
        Response comes back with its content already read.

        When a retried request fails after an earlier try went unanswered, the failure may be
        our own change seen from the other side; `_own_change` decides (see there), asking
        `landed(error)` when given: a non-None value is returned as the request's result.

        With ATLASSIAN_PROJECTS or ATLASSIAN_SPACES set, `self.guard` (allowlist.py) sees the request
        first and sends it with `guarded=False` once it has checked it.
        """
        if guarded and self.guard is not None:
            kw = {"params": params, "json": json, "data": data, "files": files, "headers": headers, "raw": raw}
            kw.update(follow_offsite=follow_offsite, idempotent=idempotent, max_bytes=max_bytes, landed=landed)
            return self.guard.around(self, method, product, path_, kw)
        body, content_type = _encode_body(json, data, files)
        all_headers = dict(headers or {})
        if content_type and not any(k.lower() == "content-type" for k in all_headers):
            all_headers["Content-Type"] = content_type
        call = _Call(
            method=method,
            path=path_,
            url=self.url(product, path_),
            params={k: v for k, v in (params or {}).items() if v is not None},
            headers=all_headers,
            body=body,
            safe=method in SAFE_METHODS if idempotent is None else idempotent,
            follow_offsite=follow_offsite,
            cap=self.max_download_bytes if max_bytes is None else max_bytes,
        )
        return self._with_retries(call, raw, landed)

    # -- the three steps: retries around (send + redirects), one send ------------------------
    def _with_retries(self, call: _Call, raw: bool, landed: Callable[[ApiError], Any] | None) -> Any:
        attempt = 0
        refreshed = False
        unanswered = False  # an earlier try reached the site and got no clear answer
        started = time.monotonic()
        while True:
            check_cancelled()
            try:
                response, offsite = self._send_following_redirects(call)
                status = response.status_code
                log.debug("%s %s -> %s (%.0f ms)", call.method, call.path, status, (time.monotonic() - started) * 1000)
                if status < 400:
                    content = _read_capped(response, call.cap, call.method, call.path)
                    if raw:
                        response._content = content
                        return response
                    return _parse_json(call.method, call.path, response, content)
            except requests.exceptions.RequestException as exc:
                failure = _transport_error(exc, call.method, call.path, call.url, self.timeout, call.safe)
                unanswered = unanswered or failure.reached_server
                if self._may_repeat(call, None, None, attempt, started, reached_server=failure.reached_server):
                    attempt += 1
                    log.info("%s %s failed (%s); retry %d", call.method, call.path, type(exc).__name__, attempt)
                    continue
                raise failure from exc
            # An HTTP error answer.
            if status == 401 and not offsite and not refreshed and self.credentials.refresh_after_401():
                refreshed = True  # only a 401 from the site or the gateway says our token is stale
                response.close()
                continue
            retry_after = response.headers.get("Retry-After")
            if self._may_repeat(call, status, retry_after, attempt, started):
                attempt += 1
                unanswered = unanswered or status >= 500
                log.info("%s %s answered %s; retry %d", call.method, call.path, status, attempt)
                response.close()
                continue
            error = _api_error(call.method, call.path, response, call.safe, offsite_host=urlsplit(response.url).netloc if offsite else None)
            if unanswered:
                error.after_unanswered = True
                outcome = self._own_change(call, error, landed)
                if outcome is not _NOT_OURS:
                    return outcome
            raise error

    def _may_repeat(self, call: _Call, status: int | None, retry_after: str | None, attempt: int, started: float, *, reached_server: bool = True) -> bool:
        """The one place that decides whether a request goes again: the policy, then the time budget.

        A 429 or a failure before the request reached the site repeats any method; an ambiguous
        failure repeats only what is safe to repeat (`call.safe`). The body is bytes, so a repeat
        sends exactly what the first try sent. Sleeps before saying True.
        """
        if not self.retry.should_retry(call.method, status, attempt, reached_server=reached_server, safe=call.safe):
            return False
        wait = self.retry.backoff(attempt, retry_after)
        if time.monotonic() - started + wait > self.retry.budget_s:
            return False
        self.retry.sleep(wait)
        return True

    def _own_change(self, call: _Call, error: ApiError, landed: Callable[[ApiError], Any] | None) -> Any:
        """After an unanswered try, recognise the state our own change left.

        A DELETE that now finds nothing (404/410) deleted it on the earlier try. Otherwise the
        caller's `landed` check decides (for example a page update that meets its own version).
        """
        if call.method == "DELETE" and error.status in (404, 410):
            log.info("%s %s: gone after an unanswered try, so the earlier try deleted it", call.method, call.path)
            return None
        if landed is not None:
            result = landed(error)
            if result is not None:
                log.info("%s %s: the earlier unanswered try was applied", call.method, call.path)
                return result
        return _NOT_OURS

    def _send_following_redirects(self, call: _Call) -> tuple[requests.Response, bool]:
        """Send, then follow redirects (at most 5); the final response and whether it came from off-site.

        Credentials go only to the site or gateway the call started at: a redirect to another
        host is refused, unless `follow_offsite` allows a GET there, and from then on no
        credentials are sent, even if a later hop comes back.
        """
        method, url, params, body = call.method, call.url, call.params, call.body
        headers = dict(call.headers)
        home = urlsplit(call.url)[:2]
        offsite = False
        for _ in range(6):
            response = self._send(method, url, params, headers, body, no_auth=offsite)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response, offsite
            response.close()
            target = urljoin(url, location)
            if urlsplit(target)[:2] != home:
                if not (call.follow_offsite and method == "GET"):
                    raise TransportError(
                        f"{call.method} {call.path} was redirected to another host ({urlsplit(target).netloc}); refused, "
                        "so your credentials are never sent elsewhere. Check ATLASSIAN_SITE_URL."
                    )
                offsite = True  # a signed download URL needs no credentials: send none, from here on
                headers = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}
            url, params = target, {}
            if response.status_code == 303:
                method, body = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        raise TransportError(f"{call.method} {call.path} was redirected more than 5 times; giving up.")

    def _send(self, method: str, url: str, params: Mapping[str, Any], headers: Mapping[str, str], body: bytes | None, *, no_auth: bool) -> requests.Response:
        """One HTTP exchange: no redirects followed, the body left unread (streamed)."""
        return self.session.request(
            method,
            url,
            params=params,
            data=body,
            headers=dict(headers),
            timeout=self.timeout,
            allow_redirects=False,
            auth=_no_auth if no_auth else None,
            verify=self.verify_override,
            stream=True,
        )


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ERROR_BODY_CAP = 1024 * 1024  # an error body is read for its message only
_NOT_OURS = object()


@dataclass
class _Call:
    """One logical request, ready to send as often as the retry policy allows."""

    method: str
    path: str  # for messages
    url: str
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes | None  # bytes, never a stream: a repeat sends the same bytes
    safe: bool  # may be repeated after an ambiguous failure
    follow_offsite: bool
    cap: int


def _encode_body(json: Any, data: Any, files: Any) -> tuple[bytes | None, str | None]:
    """The request body as bytes (JSON, form or multipart, encoded the way requests does) and its Content-Type.

    A file stream in `files` or `data` is read here, once; `data` may also be a factory (a
    callable returning bytes).
    """
    if callable(data):
        data = data()
    if json is None and data is None and not files:
        return None, None
    prepared = requests.Request("POST", "http://body.invalid/", json=json, data=data, files=files).prepare()
    body: Any = prepared.body
    if hasattr(body, "read"):
        body = body.read()
    elif body is not None and not isinstance(body, (bytes, str)):
        body = b"".join(chunk if isinstance(chunk, bytes) else str(chunk).encode() for chunk in body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return body, prepared.headers.get("Content-Type")


def _read_capped(response: requests.Response, cap: int, method: str, path_: str) -> bytes:
    """The body, read in chunks until the cap; TooLarge (and the connection dropped) past it.

    Content-Length is only trusted to refuse early: a body longer than it said is still cut at the cap.
    """

    def too_large() -> TooLarge:
        response.close()
        return TooLarge(
            f"The answer to {method} {path_} is larger than {_size(cap)}, so reading stopped there "
            "(the limit is ATLASSIAN_MAX_DOWNLOAD_MB, or the max_bytes you passed).",
            cap,
        )

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large()
    chunks = []
    total = 0
    try:
        for chunk in response.iter_content(64 * 1024):
            total += len(chunk)
            if total > cap:
                raise too_large()
            chunks.append(chunk)
    finally:
        response.close()
    return b"".join(chunks)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


def _no_auth(request: Any) -> Any:
    return request


class _Failure(TransportError):
    reached_server: bool = True


def _transport_error(exc: Exception, method: str, path_: str, url: str, timeout: float, safe: bool) -> _Failure:
    """One clear sentence per way a request can fail without an HTTP answer."""
    host = _host(url)
    maybe = "" if safe else " The change may have been applied: check before repeating it."
    reached = True
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        text, reached = f"Could not connect to {host} within {timeout:g} s; check the network, a proxy, or ATLASSIAN_SITE_URL.", False
    elif isinstance(exc, requests.exceptions.ReadTimeout):
        text = f"{host} did not answer {method} {path_} within {timeout:g} s (ATLASSIAN_TIMEOUT).{maybe}"
    elif isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.InvalidSchema)) and (tls := describe_failure(exc, host)):
        text, reached = tls, False  # an untrusted certificate (the fix first), or a SOCKS proxy without the extra
    elif isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        text = f"The answer to {method} {path_} from {host} was cut off or garbled.{maybe}"
    elif isinstance(exc, requests.exceptions.ConnectionError):
        reason = _root_cause(exc)
        if "NameResolution" in reason or "Name or service not known" in reason or "getaddrinfo" in reason:
            text, reached = f"Could not find the host {host} (DNS lookup failed); check ATLASSIAN_SITE_URL and the network.", False
        elif "NewConnectionError" in reason or "Connection refused" in reason:
            text, reached = f"Could not connect to {host} (connection refused); check ATLASSIAN_SITE_URL, a proxy, or the network.", False
        else:
            text = f"The connection to {host} broke during {method} {path_} ({reason}).{maybe}"
    else:
        text = f"Request to {host} failed: {_short(exc)}."
    failure = _Failure(text)
    failure.reached_server = reached
    return failure


def _root_cause(exc: BaseException) -> str:
    """The innermost urllib3/socket reason, as a short string."""
    seen = exc
    names = []
    for _ in range(6):
        names.append(type(seen).__name__)
        nxt = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
        if nxt is None and seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        if nxt is None or nxt is seen:
            break
        seen = nxt
    return " / ".join(dict.fromkeys(names)) + f": {_short(seen)}"


def _parse_json(method: str, path_: str, response: requests.Response, content: bytes) -> Any:
    if response.status_code == 204 or not content:
        return None
    try:
        return jsonlib.loads(content)
    except ValueError as exc:
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        raise TransportError(
            f"{method} {path_} answered {response.status_code} with a body that is not JSON ({kind}); a proxy or login page may be in the way."
        ) from exc


def _api_error(method: str, path_: str, response: requests.Response, safe: bool, offsite_host: str | None = None) -> ApiError:
    """The error for an HTTP error answer; every text taken from the site is scrubbed of known secrets."""
    try:
        content = _read_capped(response, ERROR_BODY_CAP, method, path_)
    except (TooLarge, requests.exceptions.RequestException):
        content = b""
    try:
        text = content.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        text = content.decode("utf-8", errors="replace")
    text = scrub(text)
    try:
        body: Any = jsonlib.loads(text)
    except ValueError:
        body = "" if "<html" in text[:500].lower() else text
    body = scrub_value(body)
    messages, fields = parse_error_body(body)
    denied = response.headers.get("X-Authentication-Denied-Reason")
    if denied:
        messages.append(f"authentication denied: {scrub(denied)}")
    if offsite_host:  # the redirect's target answered, not the site: its refusal says nothing about our sign-in
        messages.insert(0, f"the download host {offsite_host} refused the redirected request; ask again for a fresh link")
    return ApiError(
        response.status_code,
        method,
        path_,
        messages=messages,
        field_errors=fields,
        retry_after=response.headers.get("Retry-After"),
        body=body,
        may_have_applied=not safe,
    )


def _host(url: str) -> str:
    return url.split("/", 3)[2] if "://" in url else url


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."
