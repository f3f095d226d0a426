"""ServiceDeskClient and AssetsClient without MCP: the "is JSM installed" probe, headers, paths."""

from __future__ import annotations

import json

import pytest
import responses

from atlassian_mcp_server.auth import ApiTokenAuth
from atlassian_mcp_server.clients.assets import AssetsClient
from atlassian_mcp_server.clients.servicedesk import ServiceDeskClient, ServiceDeskUnavailable
from atlassian_mcp_server.errors import ApiError
from atlassian_mcp_server.http import HttpClient, RetryPolicy

SITE = "https://acme.atlassian.net"
API = "https://api.example.test"
SD = SITE + "/rest/servicedeskapi"


def client() -> ServiceDeskClient:
    http = HttpClient(ApiTokenAuth(SITE, "a@b.c", "tok", API), retry=RetryPolicy(max_retries=0))
    return ServiceDeskClient(http, SITE)


@responses.activate
def test_a_404_on_a_site_with_jsm_stays_a_404() -> None:
    responses.get(SD + "/request/HELP-9", status=404, json={"errorMessage": "Request does not exist"})
    responses.get(SD + "/info", json={"version": "10.0.0"})
    sd = client()
    for _ in range(2):
        with pytest.raises(ApiError) as caught:
            sd.get_request("HELP-9")
        assert caught.value.status == 404 and "Request does not exist" in str(caught.value)
    assert [c.request.url.split("?")[0] for c in responses.calls].count(SD + "/info") == 1  # probed once


@responses.activate
def test_a_404_on_a_site_without_jsm_says_so() -> None:
    responses.get(SD + "/servicedesk/HELP/queue", status=404, body="<html>Not found</html>")
    responses.get(SD + "/info", status=404, body="<html>Not found</html>")
    with pytest.raises(ServiceDeskUnavailable, match=r"^Jira Service Management is not available on https://acme\.atlassian\.net: "):
        client().queues("HELP")


@responses.activate
def test_a_failing_probe_is_not_mistaken_for_no_jsm() -> None:
    responses.get(SD + "/request/HELP-9", status=404, json={})
    responses.get(SD + "/info", status=403, json={"errorMessage": "Forbidden"})
    with pytest.raises(ApiError) as caught:
        client().get_request("HELP-9")
    assert caught.value.status == 403


@responses.activate
def test_experimental_header_only_on_experimental_operations() -> None:
    responses.get(SD + "/requesttype", json={"values": []})
    responses.get(SD + "/servicedesk/2/customer", json={"values": []})
    responses.get(SD + "/servicedesk/2/requesttype", json={"values": []})
    sd = client()
    sd.list_all_request_types()
    sd.customers("2", query="carol")
    sd.list_request_types("2")
    sent = [c.request.headers.get("X-ExperimentalApi") for c in responses.calls]
    assert sent == ["opt-in", "opt-in", None]


@responses.activate
def test_assets_uses_the_gateway_and_one_encoded_segment_per_id() -> None:
    responses.get(SD + "/assets/workspace", json={"values": [{"workspaceId": "ws/1"}]})
    responses.get(API + "/jsm/assets/workspace/ws%2F1/v1/object/..%2Fobjectschema", json={"id": "1"})
    responses.post(API + "/jsm/assets/workspace/ws%2F1/v1/object/aql", json={"values": []})
    assets = AssetsClient(client().http, client())
    assets.get_object("../objectschema")
    assets.search('Name = "x"', start=5, limit=10)
    search = responses.calls[-1].request
    assert json.loads(search.body) == {"qlQuery": 'Name = "x"'}
    assert "startAt=5" in search.url and "maxResults=10" in search.url
    assert len([c for c in responses.calls if c.request.url.startswith(SD + "/assets/workspace")]) == 1
