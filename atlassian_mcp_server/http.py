"""The HTTP core: one requests.Session, safe path building, retries and error mapping."""

from __future__ import annotations

import logging
import random
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Mapping
from urllib.parse import quote

import requests

from . import __version__
from .errors import ApiError, InvalidInput, TransportError, parse_error_body

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


@dataclass
class RetryPolicy:
    """Which failures are retried, and how long to wait; the reliability work extends this seam."""

    max_retries: int = 3
    budget_s: float = 60.0
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    sleep: Callable[[float], None] = time.sleep

    def delay_for(self, method: str, status: int | None, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next try, or None to give up now."""
        if attempt >= self.max_retries:
            return None
        idempotent = method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
        if status == 429 or (status == 503 and retry_after):
            pass  # the server says the request was not served: any method may go again
        elif status in (500, 502, 503, 504) and idempotent:
            pass
        else:
            return None
        wait = _parse_retry_after(retry_after)
        if wait is None:
            wait = min(self.max_delay_s, self.base_delay_s * (2**attempt))
            wait = wait / 2 + random.uniform(0, wait / 2)
        return wait


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
    ):
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self.session.auth = credentials  # explicit, so ~/.netrc is never used by surprise
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
    ) -> Any:
        """Send one logical request (with retries); return parsed JSON, or the Response when raw."""
        url = self.url(product, path_)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        attempt = 0
        refreshed = False
        started = time.monotonic()
        while True:
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
                )
            except requests.exceptions.ConnectTimeout as exc:
                raise TransportError(f"Could not connect to {_host(url)} within {self.timeout:g} s; check the network or ATLASSIAN_SITE_URL.") from exc
            except requests.exceptions.ReadTimeout as exc:
                maybe = "" if method in ("GET", "HEAD") else " The change may have been applied: check before repeating it."
                raise TransportError(f"{_host(url)} did not answer {method} {path_} within {self.timeout:g} s (ATLASSIAN_TIMEOUT).{maybe}") from exc
            except requests.exceptions.SSLError as exc:
                raise TransportError(f"TLS error talking to {_host(url)}: the certificate could not be verified (see REQUESTS_CA_BUNDLE).") from exc
            except requests.exceptions.ConnectionError as exc:
                raise TransportError(f"Could not reach {_host(url)}: {_short(exc)}; check the network or ATLASSIAN_SITE_URL.") from exc
            except requests.exceptions.RequestException as exc:
                raise TransportError(f"Request to {_host(url)} failed: {_short(exc)}.") from exc

            elapsed_ms = (time.monotonic() - started) * 1000
            log.debug("%s %s -> %s (%.0f ms)", method, path_, response.status_code, elapsed_ms)
            status = response.status_code
            if status == 401 and not refreshed and self.credentials.refresh_after_401():
                refreshed = True
                continue
            if status >= 400:
                retry_after = response.headers.get("Retry-After")
                wait = self.retry.delay_for(method, status, retry_after, attempt)
                spent = time.monotonic() - started
                if wait is not None and spent + wait <= self.retry.budget_s:
                    attempt += 1
                    log.info("%s %s answered %s; retry %d in %.1f s", method, path_, status, attempt, wait)
                    response.close()
                    self.retry.sleep(wait)
                    continue
                raise _api_error(method, path_, response)
            if raw:
                return response
            return _parse_json(method, path_, response)


def _parse_json(method: str, path_: str, response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        raise TransportError(
            f"{method} {path_} answered {response.status_code} with a body that is not JSON ({kind}); "
            "a proxy or login page may be in the way."
        ) from exc


def _api_error(method: str, path_: str, response: requests.Response) -> ApiError:
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
    )


def _host(url: str) -> str:
    return url.split("/", 3)[2] if "://" in url else url


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."
