"""A site without Jira Service Management: every servicedesk_* and assets_* tool answers one clear sentence."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of

from atlassian_mcp_server.tools.catalogue import CATALOGUE

TOOLS = [t for t in CATALOGUE.tools if t.module == "service_desk"]

ARGS = {
    "issue_key": "HELP-1",
    "service_desk_id": "HELP",
    "request_type_id": "10",
    "summary": "Printer on fire",
    "comment": "On it.",
    "transition_id": "761",
    "approval_id": "7",
    "decision": "decline",
    "account_ids": ["qm:carol-0001"],
    "queue_id": "1",
    "query": "vpn",
    "object_id": "ITAM-1",
    "object_type": "Laptop",
    "attributes": {"Name": "x"},
}


def _arguments(spec: Any) -> dict[str, Any]:
    args = {name: ARGS[name] for name in spec.required}
    if spec.name == "assets_search_objects":
        args["object_type"] = "Laptop"
    return args


def test_every_tool_says_jsm_is_not_available(cloud: Any) -> None:
    cloud.clear_log()
    cloud.licensed["servicedesk"] = False

    async def scenario(server: Any) -> dict[str, Any]:
        listed = {t.name for t in (await server.session.list_tools()).tools}
        assert {t.name for t in TOOLS} <= listed
        return {spec.name: await server.call(spec.name, _arguments(spec)) for spec in TOOLS}

    try:
        out = run_with_server(cloud.env(ATLASSIAN_API_URL=cloud.url, ATLASSIAN_MODULES="service_desk"), scenario)
    finally:
        cloud.licensed["servicedesk"] = True
    sentence = (
        f"Jira Service Management is not available on {cloud.url}: the servicedesk_* and assets_* tools need a JSM "
        "licence on this site, so ask a site admin to add it or leave service_desk out of ATLASSIAN_MODULES."
    )
    assert len(out) == len(TOOLS) == 31
    for name, result in out.items():
        assert text_of(result) == sentence, name
        assert result.is_error == (name != "servicedesk_check_availability"), name
    assert out["servicedesk_check_availability"].structured_content == {"available": False}
    # The probe runs once per process; after that every 404 is known to mean "no JSM".
    assert len(cloud.requests_to(r"^/rest/servicedeskapi/info$")) == 1
    assert not [r for r in cloud.log if r["path"].startswith("/jsm/")]  # Assets is never tried without a workspace
