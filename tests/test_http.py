"""HTTP core, unit-tested with `responses`: safe paths, error mapping, retries."""

from __future__ import annotations

import pytest
import responses

from atlassian_mcp_server.auth import ApiTokenAuth, NoAuth
from atlassian_mcp_server.errors import ApiError, InvalidInput, NotSignedIn, TransportError
from atlassian_mcp_server.http import HttpClient, RetryPolicy, path

SITE = "https://acme.atlassian.net"


def client(retries: int = 3) -> HttpClient:
    waits: list[float] = []
    http = HttpClient(ApiTokenAuth(SITE, "a@b.c", "tok"), retry=RetryPolicy(max_retries=retries, sleep=waits.append))
    http.waits = waits  # type: ignore[attr-defined]
    return http


@pytest.mark.parametrize(
    "value, encoded",
    [
        ("ABC-1", "ABC-1"),
        ("ABC-1/../../x", "ABC-1%2F..%2F..%2Fx"),
        ("1?expand=x", "1%3Fexpand%3Dx"),
        ("a#b", "a%23b"),
        ("%2e%2e", "%252e%252e"),
        ("a;b", "a%3Bb"),
        ("a b", "a%20b"),
        ("https://evil.example/x", "https%3A%2F%2Fevil.example%2Fx"),
        ("ＡＢＣ-1", "%EF%BC%A1%EF%BC%A2%EF%BC%A3-1"),
        (42, "42"),
    ],
)
def test_path_encodes_one_segment(value: object, encoded: str) -> None:
    assert path("/rest/api/3/issue/{key}/comment", key=value) == f"/rest/api/3/issue/{encoded}/comment"


@pytest.mark.parametrize("value", ["", " ", ".", "..", "a\r\nb", "a\x00b", "x" * 300, None, 1.5, True, ["a"]])
def test_path_refuses_unsendable_values(value: object) -> None:
    with pytest.raises(InvalidInput):
        path("/rest/api/3/issue/{key}", key=value)


@responses.activate
def test_basic_auth_and_json() -> None:
    responses.get(SITE + "/rest/api/3/myself", json={"accountId": "1"})
    assert client().get("jira", "/rest/api/3/myself") == {"accountId": "1"}
    sent = responses.calls[0].request
    assert sent.headers["Authorization"] == "Basic YUBiLmM6dG9r"
    assert sent.headers["User-Agent"].startswith("atlassian-mcp-server/")


@responses.activate
def test_none_params_are_dropped() -> None:
    responses.get(SITE + "/rest/api/3/search/jql", json={})
    client().get("jira", "/rest/api/3/search/jql", params={"jql": "a = b", "nextPageToken": None})
    assert responses.calls[0].request.url == SITE + "/rest/api/3/search/jql?jql=a+%3D+b"


@responses.activate
@pytest.mark.parametrize(
    "status, body, expect",
    [
        (400, {"errorMessages": ["Error in the JQL Query"], "errors": {}}, "Error in the JQL Query"),
        (400, {"errorMessages": [], "errors": {"summary": "You must specify a summary"}}, "summary: You must specify a summary"),
        (401, None, "sign in again"),
        (403, {"message": "Forbidden"}, "permission"),
        (404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."]}, "not visible to you"),
        (404, {"errors": [{"status": 404, "title": "Not Found", "detail": None}]}, "Not Found"),
        (404, {"errorMessage": "No service desk"}, "No service desk"),
        (410, {"errorMessages": ["removed"]}, "removed"),
        (409, {"statusCode": 409, "message": "Version must be incremented on update."}, "Version must be incremented"),
    ],
)
def test_errors_become_typed_with_hint(status: int, body: object, expect: str) -> None:
    responses.get(SITE + "/rest/api/3/x", json=body, status=status)
    with pytest.raises(ApiError) as info:
        client(retries=0).get("jira", "/rest/api/3/x")
    assert info.value.status == status
    assert expect in str(info.value)
    assert str(status) in str(info.value)


@responses.activate
def test_html_error_page_is_not_dumped() -> None:
    responses.get(SITE + "/rest/api/3/x", body="<html><body>" + "x" * 5000 + "</body></html>", status=502, content_type="text/html")
    with pytest.raises(ApiError) as info:
        client(retries=0).get("jira", "/rest/api/3/x")
    assert len(str(info.value)) < 300 and "<html" not in str(info.value)


@responses.activate
def test_non_json_success_is_a_clear_error() -> None:
    responses.get(SITE + "/rest/api/3/x", body="<html>login</html>", status=200, content_type="text/html")
    with pytest.raises(TransportError, match="not JSON"):
        client().get("jira", "/rest/api/3/x")


@responses.activate
def test_retry_after_on_429_is_honoured_for_post() -> None:
    responses.post(SITE + "/rest/api/3/issue", status=429, headers={"Retry-After": "2"})
    responses.post(SITE + "/rest/api/3/issue", json={"key": "A-1"}, status=201)
    http = client()
    assert http.post("jira", "/rest/api/3/issue", json={})["key"] == "A-1"
    assert http.waits == [2.0]  # type: ignore[attr-defined]


@responses.activate
def test_post_is_not_repeated_after_a_500() -> None:
    responses.post(SITE + "/rest/api/3/issue", status=500)
    with pytest.raises(ApiError):
        client().post("jira", "/rest/api/3/issue", json={})
    assert len(responses.calls) == 1


@responses.activate
def test_get_retried_then_gives_up() -> None:
    responses.get(SITE + "/rest/api/3/x", status=503)
    http = client(retries=2)
    with pytest.raises(ApiError) as info:
        http.get("jira", "/rest/api/3/x")
    assert info.value.status == 503 and len(responses.calls) == 3


@responses.activate
def test_retry_after_beyond_budget_is_an_error_saying_when() -> None:
    responses.get(SITE + "/rest/api/3/x", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(ApiError) as info:
        client().get("jira", "/rest/api/3/x")
    assert "Retry-After 3600" in str(info.value) and len(responses.calls) == 1


def test_connection_refused_is_a_transport_error() -> None:
    """Refused before anything was sent: retried (any method may go again), then a clear error."""
    waits: list[float] = []
    http = HttpClient(ApiTokenAuth("http://127.0.0.1:9", "a", "b"), timeout=2, retry=RetryPolicy(sleep=waits.append))
    with pytest.raises(TransportError, match="Could not"):
        http.get("jira", "/rest/api/3/myself")
    assert len(waits) == RetryPolicy().max_retries


def test_no_credentials_says_how_to_sign_in() -> None:
    with pytest.raises(NotSignedIn, match="ATLASSIAN_API_TOKEN"):
        HttpClient(NoAuth(SITE)).get("jira", "/rest/api/3/myself")
