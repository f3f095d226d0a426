"""The HTTP core: one requests.Session, safe path building, retries and error mapping."""

from __future__ import annotations

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
from .errors import ApiError, InvalidInput, TransportError, parse_error_body
from .network import configure_session, describe_failure

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

    def delay_for(self, method: str, status: int | None, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next try, or None to give up now."""
        if not self.should_retry(method, status, attempt):
            return None
        return self.backoff(attempt, retry_after)


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
    ):
        self.credentials = credentials
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
    ) -> Any:
        """Send one logical request (with retries); return parsed JSON, or the Response when raw.

        Redirects are followed only on the same host; `follow_offsite=True` lets a GET follow a
        redirect to another host (an attachment's signed download URL) without credentials.
        `idempotent=True` marks a POST that only reads (users-bulk, an AQL search): it is retried
        like a GET after an ambiguous failure, and its errors do not say a change may have happened.
        """
        safe = method in SAFE_METHODS if idempotent is None else idempotent
        url = self.url(product, path_)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        attempt = 0
        refreshed = False
        started = time.monotonic()
        redirects = 0
        auth_override: Any = None
        while True:
            check_cancelled()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=clean_params,
                    json=json,
                    data=data,
                    files=files,
                    headers=dict(headers or {}),
                    timeout=self.timeout,
                    allow_redirects=False,
                    auth=auth_override,
                    verify=self.verify_override,
                )
            except requests.exceptions.RequestException as exc:
                failure = _transport_error(exc, method, path_, url, self.timeout, safe)
                if self._wait_before_retry(method, None, None, attempt, started, reached_server=failure.reached_server, safe=safe):
                    attempt += 1
                    log.info("%s %s failed (%s); retry %d", method, path_, type(exc).__name__, attempt)
                    continue
                raise failure from exc

            status = response.status_code
            log.debug("%s %s -> %s (%.0f ms)", method, path_, status, (time.monotonic() - started) * 1000)
            if status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                target = urljoin(url, response.headers["Location"])
                response.close()
                redirects += 1
                if redirects > 5:
                    raise TransportError(f"{method} {path_} was redirected more than 5 times; giving up.")
                same_host = urlsplit(target)[:2] == urlsplit(url)[:2]
                if not same_host and not (follow_offsite and method == "GET"):
                    raise TransportError(
                        f"{method} {path_} was redirected to another host ({urlsplit(target).netloc}); refused, "
                        "so your credentials are never sent elsewhere. Check ATLASSIAN_SITE_URL."
                    )
                if not same_host:
                    auth_override = _no_auth  # a signed download URL needs no credentials: send none
                url, clean_params = target, {}
                if status == 303:
                    method, json, data, files = "GET", None, None, None
                continue
            if status == 401 and not refreshed and self.credentials.refresh_after_401():
                refreshed = True
                response.close()
                continue
            if status >= 400:
                retry_after = response.headers.get("Retry-After")
                if self._wait_before_retry(method, status, retry_after, attempt, started, safe=safe):
                    attempt += 1
                    log.info("%s %s answered %s; retry %d", method, path_, status, attempt)
                    response.close()
                    continue
                raise _api_error(method, path_, response, safe)
            if raw:
                return response
            return _parse_json(method, path_, response)

    def _wait_before_retry(
        self, method: str, status: int | None, retry_after: str | None, attempt: int, started: float, *, reached_server: bool = True, safe: bool
    ) -> bool:
        """Sleep and say True when the policy allows another try within the time budget."""
        if not self.retry.should_retry(method, status, attempt, reached_server=reached_server, safe=safe):
            return False
        wait = self.retry.backoff(attempt, retry_after)
        if time.monotonic() - started + wait > self.retry.budget_s:
            return False
        self.retry.sleep(wait)
        return True


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


def _parse_json(method: str, path_: str, response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        raise TransportError(
            f"{method} {path_} answered {response.status_code} with a body that is not JSON ({kind}); a proxy or login page may be in the way."
        ) from exc


def _api_error(method: str, path_: str, response: requests.Response, safe: bool) -> ApiError:
    try:
        body: Any = response.json()
    except ValueError:
        text = response.text or ""
        body = "" if "<html" in text[:500].lower() else text
    messages, fields = parse_error_body(body)
    denied = response.headers.get("X-Authentication-Denied-Reason")
    if denied:
        messages.append(f"authentication denied: {denied}")
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
