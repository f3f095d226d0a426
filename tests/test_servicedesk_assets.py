"""Assets (CMDB) end to end on the API gateway path, plus the AQL quoting that keeps user values as values."""

from __future__ import annotations

from typing import Any

import pytest
from fakecloud.jsm_assets import parse_aql
from harness import run_with_server, text_of

from atlassian_mcp_server.clients.assets import aql_string
from atlassian_mcp_server.errors import InvalidInput
from atlassian_mcp_server.tools.servicedesk.assets import build_aql

WS = "/jsm/assets/workspace/ws-0001/v1"


@pytest.mark.parametrize(
    "value, literal",
    [("Laptop", '"Laptop"'), ('15" Screen', '"15\\" Screen"'), ("C:\\temp", '"C:\\\\temp"'), ('x" OR Name != "', '"x\\" OR Name != \\""'), (42, '"42"')],
)
def test_aql_string_quotes_and_escapes(value: Any, literal: str) -> None:
    assert aql_string(value) == literal
    assert parse_aql(f"Name = {literal}") == [("Name", str(value))]  # reads back as exactly one value


def test_aql_refuses_line_breaks_and_needs_a_filter() -> None:
    with pytest.raises(InvalidInput):
        aql_string("a\nb")
    with pytest.raises(InvalidInput, match="Give aql, object_type or where"):
        build_aql({})
    assert build_aql({"aql": "Status = Active", "object_type": "Laptop", "where": {"Serial number": "A\\1"}}) == (
        'objectType = "Laptop" AND "Serial number" = "A\\\\1" AND (Status = Active)'
    )


def test_assets_end_to_end(cloud: Any, fresh_jsm: None) -> None:
    injection = 'x" OR "Owner" = "Bob Builder'

    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "workspaces": ("assets_list_workspaces", {}),
            "types": ("assets_get_object_types", {}),
            "types_itam": ("assets_get_object_types", {"schema": "itam"}),
            "quoted": ("assets_search_objects", {"object_type": "Laptop", "where": {"Name": 'ThinkPad "X1" Carbon', "Serial number": "PF-2B\\77"}}),
            "injection": ("assets_search_objects", {"where": {"Owner": injection}}),
            "raw": ("assets_search_objects", {"aql": "objectType = Monitor"}),
            "nothing": ("assets_search_objects", {}),
            "by_key": ("assets_get_object", {"object_id": "ITAM-1"}),
            "by_id": ("assets_get_object", {"object_id": "90"}),
            "no_key": ("assets_get_object", {"object_id": "ITAM-404"}),
            "create": ("assets_create_object", {"object_type": "monitor", "attributes": {"Name": "LG 32", "size": 32}}),
            "bad_attr": ("assets_create_object", {"object_type": "11", "attributes": {"Colour": "red"}}),
            "update": ("assets_update_object", {"object_id": "ITAM-1", "attributes": {"Status": "Retired", "Owner": "Bob Builder"}}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    out = run_with_server(cloud.env(ATLASSIAN_API_URL=cloud.url), scenario)
    for name, result in out.items():
        assert result.is_error == (name in ("nothing", "no_key", "bad_attr")), (name, text_of(result))
    assert out["workspaces"].structured_content == {"workspaces": ["ws-0001"], "used": "ws-0001"}
    types = out["types"].structured_content["object_types"]
    assert [(t["name"], t["objects"]) for t in types] == [("Laptop", 2), ("Monitor", 1)]
    assert len(out["types_itam"].structured_content["object_types"]) == 2

    log = cloud.state["assets_aql_log"]
    assert log[0] == 'objectType = "Laptop" AND "Name" = "ThinkPad \\"X1\\" Carbon" AND "Serial number" = "PF-2B\\\\77"'
    assert [o["key"] for o in out["quoted"].structured_content["objects"]] == ["ITAM-2"]
    assert log[1] == '"Owner" = "x\\" OR \\"Owner\\" = \\"Bob Builder"' and out["injection"].structured_content["objects"] == []
    assert [o["label"] for o in out["raw"].structured_content["objects"]] == ["Dell 27"]
    assert "Give aql, object_type or where" in text_of(out["nothing"])

    by_key = text_of(out["by_key"])
    assert by_key.startswith("# ITAM-1: MacBook Pro 14 (Ada)") and "- **Owner:** Ada Agent" in by_key and "- **Serial number:** C02XYZ" in by_key
    assert log[3] == 'Key = "ITAM-1"'
    assert out["by_id"].structured_content["attributes"] == {"Key": "ITAM-3", "Name": "Dell 27", "Size": "27"}
    assert "No Assets object has the key 'ITAM-404'" in text_of(out["no_key"])

    created = out["create"].structured_content
    assert created["key"] == "ITAM-4" and created["label"] == "LG 32" and "objectId=91" in created["url"]
    assert "No attribute of object type 11 is named 'Colour'; choose one of: Name (id 111), Size (id 112)." == text_of(out["bad_attr"])
    assert text_of(out["update"]).startswith("Updated Assets object ITAM-1 ('MacBook Pro 14 (Ada)'): set Status, Owner.")
    assert cloud.state["assets_objects"]["88"]["values"]["Status"] == "Retired"
    assert cloud.state["assets_last_body"] == {
        "objectTypeId": "10",
        "attributes": [
            {"objectTypeAttributeId": "104", "objectAttributeValues": [{"value": "Retired"}]},
            {"objectTypeAttributeId": "102", "objectAttributeValues": [{"value": "Bob Builder"}]},
        ],
    }
    # One workspace lookup per process, then every Assets call on the gateway path of that workspace.
    assert len(cloud.requests_to(r"^/rest/servicedeskapi/assets/workspace$")) == 1
    gateway = [r for r in cloud.log if r["path"].startswith("/jsm/")]
    assert gateway and all(r["path"].startswith(WS + "/") for r in gateway)
    assert cloud.requests_to(r"/object/create$", "POST") and cloud.requests_to(r"/object/88$", "PUT") and cloud.requests_to(r"/object/90$", "GET")


def test_site_without_an_assets_workspace(cloud: Any, fresh_jsm: None) -> None:
    cloud.state["assets_workspaces"] = []

    async def scenario(server: Any) -> tuple[Any, Any]:
        return await server.call("assets_list_workspaces"), await server.call("assets_search_objects", {"object_type": "Laptop"})

    listed, search = run_with_server(cloud.env(ATLASSIAN_API_URL=cloud.url), scenario)
    assert not listed.is_error and listed.structured_content["workspaces"] == []
    assert search.is_error and text_of(search) == (
        f"Assets is not available on {cloud.url}: the site has no Assets workspace (Assets comes with Jira Service Management Premium or Enterprise)."
    )
