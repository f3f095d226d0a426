"""ConfluenceClient unit tests with `responses`: key resolution and caching, conflicts, uploads, names, paths."""

from __future__ import annotations

import json

import pytest
import responses

from atlassian_mcp_server.auth import ApiTokenAuth
from atlassian_mcp_server.clients.confluence import ConfluenceClient, VersionConflict
from atlassian_mcp_server.errors import ApiError, InvalidInput
from atlassian_mcp_server.http import HttpClient, RetryPolicy

SITE = "https://acme.atlassian.net"
V2 = SITE + "/wiki/api/v2"


def client() -> ConfluenceClient:
    return ConfluenceClient(HttpClient(ApiTokenAuth(SITE, "a@b.c", "tok"), retry=RetryPolicy(max_retries=0)), SITE)


@responses.activate
def test_space_keys_resolve_once_and_unknown_keys_are_clear() -> None:
    responses.get(V2 + "/spaces", json={"results": [{"id": "77", "key": "ENG", "name": "Engineering"}], "_links": {}})
    c = client()
    assert c.space_id("ENG") == "77" and c.space_id("ENG") == "77" and c.space_id("123") == "123"
    assert len(responses.calls) == 1 and "keys=ENG" in responses.calls[0].request.url
    responses.replace(responses.GET, V2 + "/spaces", json={"results": [], "_links": {}})
    with pytest.raises(InvalidInput, match="Space 'NOPE' does not exist or you cannot see it"):
        c.space_id("NOPE")


@responses.activate
def test_listing_spaces_feeds_the_key_cache_and_lifts_the_cursor() -> None:
    responses.get(V2 + "/spaces", json={"results": [{"id": "9", "key": "OPS"}], "_links": {"next": "/wiki/api/v2/spaces?cursor=abc%3D&limit=1"}})
    c = client()
    assert c.list_spaces(limit=1)["next_cursor"] == "abc="
    assert c.space_id("OPS") == "9" and len(responses.calls) == 1


@responses.activate
def test_a_409_becomes_a_conflict_naming_who_changed_the_page() -> None:
    responses.put(V2 + "/pages/5", status=409, json={"errors": [{"status": 409, "title": "Version must be incremented on update. Current version is: 7"}]})
    responses.get(V2 + "/pages/5", json={"id": "5", "version": {"number": 7, "authorId": "acc-bob", "createdAt": "2026-11-02T10:20:00.000Z"}})
    responses.post(V2 + "/users-bulk", json={"results": [{"accountId": "acc-bob", "displayName": "Bob"}]})
    c = client()
    with pytest.raises(VersionConflict) as caught:
        c.update_page("5", title="T", body={"representation": "storage", "value": "<p/>"}, version=5, based_on=4)
    message = str(caught.value)
    assert "Page 5 was changed since version 4: it is now at version 7 by Bob, 2026-11-02 10:20." in message
    assert "Nothing was overwritten" in message
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"id": "5", "status": "current", "title": "T", "body": {"representation": "storage", "value": "<p/>"}, "version": {"number": 5}}


@responses.activate
def test_other_write_errors_pass_through() -> None:
    responses.put(V2 + "/pages/5", status=403, json={"errors": [{"status": 403, "title": "Forbidden"}]})
    with pytest.raises(ApiError) as caught:
        client().update_page("5", title="T", body={"representation": "storage", "value": ""}, version=2)
    assert caught.value.status == 403 and len(responses.calls) == 1


@responses.activate
def test_upload_is_multipart_with_the_xsrf_header() -> None:
    responses.post(SITE + "/wiki/rest/api/content/12/child/attachment", json={"results": [{"id": "att1", "title": "a.txt"}]})
    client().upload_attachment("12", "a.txt", b"hello", media_type="text/plain", comment="note")
    request = responses.calls[0].request
    assert request.headers["X-Atlassian-Token"] == "no-check"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.body
    assert b'name="file"; filename="a.txt"' in body and b"hello" in body and b'name="minorEdit"' in body and b"note" in body


@responses.activate
def test_user_names_are_fetched_once_in_batches() -> None:
    responses.post(V2 + "/users-bulk", json={"results": [{"accountId": f"u{n}", "displayName": f"User {n}"} for n in range(300)]})
    c = client()
    names = c.user_names([f"u{n}" for n in range(300)] + [None, ""])  # type: ignore[list-item]
    assert len(names) == 300 and names["u7"] == "User 7"
    assert [len(json.loads(call.request.body)["accountIds"]) for call in responses.calls] == [250, 50]
    c.user_names(["u1", "u299"])
    assert len(responses.calls) == 2


@responses.activate
def test_ids_and_label_names_stay_inside_their_segment() -> None:
    responses.delete(SITE + "/wiki/rest/api/content/12/label", status=204)
    responses.get(V2 + "/footer-comments/..%2Fpages", status=404, json={"errors": [{"title": "Not Found"}]})
    c = client()
    c.remove_label("12", "a/b?c")
    assert responses.calls[0].request.url.endswith("/wiki/rest/api/content/12/label?name=a%2Fb%3Fc")
    with pytest.raises(ApiError):
        c.get_comment("../pages", "footer")
    assert responses.calls[1].request.path_url.startswith("/wiki/api/v2/footer-comments/..%2Fpages")


@responses.activate
def test_download_follows_the_signed_media_redirect_without_credentials() -> None:
    media = "https://api.media.atlassian.com/file/f-1/binary?token=signed"
    responses.get(SITE + "/wiki/rest/api/content/12/child/attachment/att3/download", status=302, headers={"Location": media})
    responses.get(media, body=b"\x89PNG...", content_type="image/png; charset=binary")
    data, media_type = client().download_attachment("12", "att3")
    assert data == b"\x89PNG..." and media_type == "image/png"
    assert "Authorization" in responses.calls[0].request.headers and "Authorization" not in responses.calls[1].request.headers
