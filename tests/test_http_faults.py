"""The HTTP core against the fake cloud under injected faults: retried when safe, clear errors otherwise."""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

import pytest
from fakecloud import API_TOKEN, EMAIL

from atlassian_mcp_server.auth import ApiTokenAuth
from atlassian_mcp_server.errors import ApiError, TransportError
from atlassian_mcp_server.http import HttpClient, RetryPolicy

MYSELF = r"^/rest/api/3/myself$"
SEARCH = r"^/rest/api/3/search/jql$"


def http_for(cloud: Any, retries: int = 3, timeout: float = 5) -> HttpClient:
    waits: list[float] = []
    http = HttpClient(ApiTokenAuth(cloud.url, EMAIL, API_TOKEN), timeout=timeout, retry=RetryPolicy(max_retries=retries, sleep=waits.append))
    http.waits = waits  # type: ignore[attr-defined]
    return http


def calls(cloud: Any, regex: str) -> int:
    return len(cloud.requests_to(regex))


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_for_get(cloud: Any, status: int) -> None:
    cloud.clear_log()
    cloud.inject(MYSELF, status=status, times=2)
    http = http_for(cloud)
    assert http.get("jira", "/rest/api/3/myself")["displayName"] == "Ada Agent"
    assert calls(cloud, MYSELF) == 3 and len(http.waits) == 2


def test_retry_after_seconds_and_http_date(cloud: Any) -> None:
    cloud.inject(MYSELF, status=429, headers={"Retry-After": "7"})
    cloud.inject(MYSELF, status=503, headers={"Retry-After": formatdate(usegmt=True)})
    http = http_for(cloud)
    http.get("jira", "/rest/api/3/myself")
    assert http.waits[0] == 7.0 and 0 <= http.waits[1] <= 1.0


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=2.0)
    waits = [policy.backoff(n) for n in range(6)]
    assert 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0 and all(w <= 2.0 for w in waits)


def test_gives_up_after_max_retries(cloud: Any) -> None:
    cloud.clear_log()
    cloud.inject(MYSELF, status=503, times=10)
    with pytest.raises(ApiError) as info:
        http_for(cloud, retries=3).get("jira", "/rest/api/3/myself")
    assert info.value.status == 503 and calls(cloud, MYSELF) == 4


def test_retry_after_past_budget_says_when(cloud: Any) -> None:
    cloud.clear_log()
    cloud.inject(MYSELF, status=429, headers={"Retry-After": "120"})
    with pytest.raises(ApiError) as info:
        http_for(cloud).get("jira", "/rest/api/3/myself")
    assert "Retry-After 120" in str(info.value) and calls(cloud, MYSELF) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_never_repeated_after_an_ambiguous_failure(cloud: Any, status: int) -> None:
    cloud.clear_log()
    cloud.inject(SEARCH, status=status, method="POST")
    with pytest.raises(ApiError) as info:
        http_for(cloud).post("jira", "/rest/api/3/search/jql", json={"jql": "project = PROJ"})
    assert calls(cloud, SEARCH) == 1 and "may have been applied" in str(info.value)


def test_post_is_repeated_after_429(cloud: Any) -> None:
    cloud.clear_log()
    cloud.inject(SEARCH, status=429, method="POST", headers={"Retry-After": "0"})
    with pytest.raises(ApiError):  # the fake has no POST search behaviour: it answers 404 after the retry
        http_for(cloud).post("jira", "/rest/api/3/search/jql", json={"jql": "project = PROJ"})
    assert calls(cloud, SEARCH) == 2


def test_read_timeout(cloud: Any) -> None:
    cloud.inject(MYSELF, status=200, delay=1.5, times=5)
    with pytest.raises(TransportError, match="did not answer GET /rest/api/3/myself within 1 s"):
        http_for(cloud, retries=1, timeout=1).get("jira", "/rest/api/3/myself")


def test_connection_reset_is_retried_for_get_only(cloud: Any) -> None:
    cloud.clear_log()
    cloud.inject(MYSELF, reset=True)
    assert http_for(cloud).get("jira", "/rest/api/3/myself")["accountId"]
    assert calls(cloud, MYSELF) == 2
    cloud.inject(SEARCH, reset=True, method="POST")
    with pytest.raises(TransportError, match="connection .* broke.*may have been applied"):
        http_for(cloud).post("jira", "/rest/api/3/search/jql", json={})


def test_truncated_body(cloud: Any) -> None:
    cloud.inject(MYSELF, status=200, body={"accountId": "x" * 50}, truncate=True, times=5)
    with pytest.raises(TransportError, match="cut off|broke"):
        http_for(cloud, retries=1).get("jira", "/rest/api/3/myself")


def test_html_from_a_proxy(cloud: Any) -> None:
    cloud.inject(MYSELF, status=200, raw=b"<html><body>Sign in to the corporate proxy</body></html>", headers={"Content-Type": "text/html"})
    with pytest.raises(TransportError, match="not JSON \\(text/html\\)"):
        http_for(cloud).get("jira", "/rest/api/3/myself")
    cloud.inject(MYSELF, status=502, raw=b"<html>" + b"x" * 4000 + b"</html>", headers={"Content-Type": "text/html"}, times=10)
    with pytest.raises(ApiError) as info:
        http_for(cloud, retries=0).get("jira", "/rest/api/3/myself")
    assert "<html" not in str(info.value) and len(str(info.value)) < 250


def test_dns_failure_is_named() -> None:
    http = HttpClient(ApiTokenAuth("https://no-such-host.invalid", "a", "b"), retry=RetryPolicy(max_retries=1, sleep=lambda s: None))
    with pytest.raises(TransportError, match="DNS lookup failed|Could not"):
        http.get("jira", "/rest/api/3/myself")


def test_redirect_to_another_host_is_refused(cloud: Any) -> None:
    cloud.inject(MYSELF, status=302, headers={"Location": "http://127.0.0.2:9/steal"})
    with pytest.raises(TransportError, match="redirected to another host"):
        http_for(cloud).get("jira", "/rest/api/3/myself")


def test_same_host_redirect_is_followed_with_credentials(cloud: Any) -> None:
    cloud.clear_log()
    cloud.inject(r"^/rest/api/3/serverInfo$", status=301, headers={"Location": "/rest/api/3/myself"})
    assert http_for(cloud).get("jira", "/rest/api/3/serverInfo")["displayName"] == "Ada Agent"


def test_offsite_download_redirect_sends_no_credentials(cloud: Any) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen: dict[str, Any] = {}

    class Media(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen["authorization"] = self.headers.get("Authorization")
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"bytes")

        def log_message(self, *args: Any) -> None:
            return

    media = HTTPServer(("127.0.0.1", 0), Media)
    threading.Thread(target=media.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{media.server_address[1]}/file/abc?token=signed"
        cloud.inject(r"^/rest/api/3/attachment/content/", status=303, headers={"Location": target})
        response = http_for(cloud).get("jira", "/rest/api/3/attachment/content/10001", raw=True, follow_offsite=True)
        assert response.content == b"bytes"
        assert seen["authorization"] is None
    finally:
        media.shutdown()
        media.server_close()


def test_a_post_that_only_reads_is_retried_like_a_get(cloud: Any) -> None:
    """users-bulk is a POST that changes nothing: a 503 on it is retried, and never said to maybe have applied."""
    cloud.clear_log()
    cloud.inject(r"^/wiki/api/v2/users-bulk$", status=503, method="POST")
    http = http_for(cloud)
    http.post("confluence", "/wiki/api/v2/users-bulk", json={"accountIds": ["x"]}, idempotent=True)
    assert calls(cloud, r"^/wiki/api/v2/users-bulk$") == 2
    cloud.inject(r"^/wiki/api/v2/users-bulk$", status=503, method="POST", times=10)
    with pytest.raises(ApiError) as info:
        http_for(cloud, retries=1).post("confluence", "/wiki/api/v2/users-bulk", json={"accountIds": ["x"]}, idempotent=True)
    assert "may have been applied" not in str(info.value)


def test_pool_holds_a_connection_per_worker(cloud: Any) -> None:
    http = HttpClient(ApiTokenAuth(cloud.url, EMAIL, API_TOKEN), pool_size=32)
    assert http.session.get_adapter(cloud.url)._pool_maxsize == 32
