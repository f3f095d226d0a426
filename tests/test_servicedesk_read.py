"""JSM end to end, reading: discovery, requests, comments, status, transitions, SLAs, queues, knowledge base, people."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of


def _env(cloud: Any) -> dict[str, str]:
    return cloud.env(ATLASSIAN_API_URL=cloud.url)


def test_discovery(cloud: Any, fresh_jsm: None) -> None:
    cloud.state["jsm_desks"].append({"id": "4", "projectId": "10004", "projectKey": "PPL", "projectName": "People Desk"})  # a second "People Desk"

    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "info": ("servicedesk_check_availability", {}),
            "desks": ("servicedesk_list_service_desks", {"limit": 3}),
            "by_key": ("servicedesk_get_service_desk", {"service_desk_id": "HELP"}),
            "by_name": ("servicedesk_get_service_desk", {"service_desk_id": "it help"}),
            "by_lower_key": ("servicedesk_get_service_desk", {"service_desk_id": "ops"}),
            "ambiguous": ("servicedesk_get_service_desk", {"service_desk_id": "People Desk"}),
            "types": ("servicedesk_list_request_types", {"service_desk_id": "HELP"}),
            "all_types": ("servicedesk_list_request_types", {"search": "incident"}),
            "type": ("servicedesk_get_request_type", {"service_desk_id": "2", "request_type_id": "get it help"}),
            "fields": ("servicedesk_get_request_type_fields", {"service_desk_id": "HELP", "request_type_id": "10"}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    out = run_with_server(_env(cloud), scenario)
    for name, result in out.items():
        assert result.is_error == (name == "ambiguous"), (name, text_of(result))
    assert "10.0.0 is available" in text_of(out["info"]) and out["info"].structured_content["available"] is True
    assert out["desks"].structured_content["next_start"] == 3 and "start=3" in text_of(out["desks"])  # 4 desks, pages of 3
    assert "# IT Help (HELP)" in text_of(out["by_key"]) and out["by_name"].structured_content["id"] == "2"
    assert out["by_lower_key"].structured_content["project_key"] == "OPS"
    ambiguous = text_of(out["ambiguous"])
    assert "2 service desks are named 'People Desk'" in ambiguous and "(id 3)" in ambiguous and "(id 4)" in ambiguous
    assert [t["name"] for t in out["types"].structured_content["request_types"]] == ["Get IT help", "Request new hardware"]
    assert [t["id"] for t in out["all_types"].structured_content["request_types"]] == ["20"]
    assert out["type"].structured_content["id"] == "10" and "Help text" in text_of(out["type"])
    fields = text_of(out["fields"])
    assert "| customfield_10050 | Urgency | yes | option | Low, Medium, High |" in fields
    assert "On behalf of a customer: allowed" in fields
    # Names resolve through documented lookups; the desk key goes straight into the path.
    assert cloud.requests_to(r"^/rest/servicedeskapi/servicedesk/HELP/requesttype$")
    assert cloud.requests_to(r"^/rest/servicedeskapi/requesttype$")  # experimental: the fake insists on the header


def test_reading_requests(cloud: Any, fresh_jsm: None) -> None:

    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "open_help": ("servicedesk_get_requests", {"service_desk_id": "HELP", "status": "open", "search": "vpn"}),
            "approver": ("servicedesk_get_requests", {"ownership": ["approver"]}),
            "request": ("servicedesk_get_request", {"issue_key": "HELP-1"}),
            "comments": ("servicedesk_get_request_comments", {"issue_key": "HELP-1"}),
            "status": ("servicedesk_get_request_status", {"issue_key": "HELP-1"}),
            "transitions": ("servicedesk_get_request_transitions", {"issue_key": "HELP-1"}),
            "sla": ("servicedesk_get_sla", {"issue_key": "HELP-1"}),
            "participants": ("servicedesk_get_participants", {"issue_key": "HELP-1"}),
            "approvals": ("servicedesk_get_approvals", {"issue_key": "HELP-2"}),
            "missing": ("servicedesk_get_request", {"issue_key": "HELP-99"}),
            "sneaky": ("servicedesk_get_request", {"issue_key": "HELP-1/../../servicedesk"}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    out = run_with_server(_env(cloud), scenario)
    for name, result in out.items():
        assert result.is_error == (name in ("missing", "sneaky")), (name, text_of(result))
    listed = cloud.requests_to(r"^/rest/servicedeskapi/request$", "GET")
    assert listed[0]["query"]["serviceDeskId"] == ["2"] and listed[0]["query"]["requestStatus"] == ["OPEN_REQUESTS"]
    assert [r["key"] for r in out["open_help"].structured_content["requests"]] == ["HELP-1"]
    assert listed[1]["query"]["requestOwnership"] == ["APPROVER"]
    assert [r["key"] for r in out["approver"].structured_content["requests"]] == ["HELP-2", "HELP-3"]

    request = text_of(out["request"])
    assert request.startswith("# HELP-1: VPN drops every hour")
    assert "/servicedesk/customer/portal/2/HELP-1" in request and "Waiting for support" in request
    assert "**Urgency:** High" in request and "**Description:** The VPN disconnects every hour **on the dot**." in request
    assert "| Time to first response | breached | -1h 30m | 4h |" in request and "Dave Doe" in request

    comments = text_of(out["comments"])
    assert "**Carol Customer** (2026-11-20 10:05, public, id 500)" in comments and "internal, id 501" in comments
    assert out["status"].structured_content["status"] == "Waiting for support"
    assert [h["status"] for h in out["status"].structured_content["history"]] == ["Waiting for support", "Open"]
    assert {"id": "761", "name": "Resolve this issue"} in out["transitions"].structured_content["transitions"]
    sla = out["sla"].structured_content["slas"]
    assert text_of(out["sla"]).startswith("HELP-1: 1 of 2 SLA(s) breached (Time to first response).")
    assert sla[1] == {
        "id": "2",
        "name": "Time to resolution",
        "state": "running",
        "breached": False,
        "remaining": "5h 10m",
        "goal": "4h",
        "elapsed": "5h 30m",
        "breach_time": "2026-11-20 13:00",
    }
    assert out["participants"].structured_content["participants"][0]["account_id"] == "qm:dave-0002"
    approval = out["approvals"].structured_content["approvals"][0]
    assert approval["final_decision"] == "pending" and approval["can_answer"] is True and approval["approvers"][0]["name"] == "Ada Agent"

    # A missing request is a plain 404 (the site has JSM: one /info probe says so), never "no JSM".
    missing = text_of(out["missing"])
    assert "404" in missing and "Request HELP-99 does not exist" in missing and "not available" not in missing
    assert len(cloud.requests_to(r"^/rest/servicedeskapi/info$")) == 0  # JSM already answered in this process
    assert cloud.requests_to(r"^/rest/servicedeskapi/request/HELP-1%2F\.\.%2F\.\.%2Fservicedesk$")


def test_queues_knowledge_base_and_customers(cloud: Any, fresh_jsm: None) -> None:

    async def scenario(server: Any) -> dict[str, Any]:
        first = await server.call("servicedesk_search_knowledge_base", {"query": "vpn", "limit": 2})
        calls = {
            "queues": ("servicedesk_list_queues", {"service_desk_id": "HELP"}),
            "queue": ("servicedesk_get_queue_issues", {"service_desk_id": "HELP", "queue_id": "all open"}),
            "no_queue": ("servicedesk_get_queue_issues", {"service_desk_id": "HELP", "queue_id": "Nope"}),
            "kb_next": ("servicedesk_search_knowledge_base", {"query": "vpn", "limit": 2, "cursor": first.structured_content["cursor"] or ""}),
            "kb_desk": ("servicedesk_search_knowledge_base", {"query": "vpn", "service_desk_id": "HELP"}),
            "kb_none": ("servicedesk_search_knowledge_base", {"query": "printer"}),
            "orgs": ("servicedesk_list_organizations", {}),
            "desk_orgs": ("servicedesk_list_organizations", {"service_desk_id": "HELP"}),
            "customers": ("servicedesk_get_customers", {"service_desk_id": "HELP", "query": "carol"}),
        }
        out = {name: await server.call(tool, args) for name, (tool, args) in calls.items()}
        return {"kb": first, **out}

    out = run_with_server(_env(cloud), scenario)
    for name, result in out.items():
        assert result.is_error == (name == "no_queue"), (name, text_of(result))
    assert out["queues"].structured_content["queues"][0] == {"id": "1", "name": "All open", "count": 3, "jql": "project = HELP AND resolution = Unresolved"}
    queue = out["queue"].structured_content
    assert queue["queue_id"] == "1" and [i["key"] for i in queue["issues"]] == ["HELP-1", "HELP-2", "HELP-3"]
    assert "| HELP-1 | Waiting for support | High | Ada Agent |" in text_of(out["queue"])
    assert "No queue is named 'Nope'; choose one of: All open (id 1), Assigned to me (id 2)." in text_of(out["no_queue"])

    kb = text_of(out["kb"])
    assert "1. **Fix VPN disconnects** (Confluence page 8786177 in space IT)" in kb  # the title is bold already
    assert "renew the gateway certificate & reconnect" in kb and "If the **VPN** drops" in kb
    assert "Confluence page 8786177 in space IT" in kb and 'cursor="' in kb
    assert [a["page_id"] for a in out["kb_next"].structured_content["articles"]] == ["8786200"]
    assert out["kb_next"].structured_content["cursor"] is None
    assert len(out["kb_desk"].structured_content["articles"]) == 2 and out["kb_none"].structured_content["articles"] == []
    searches = cloud.requests_to(r"knowledgebase/article$")
    assert all(s["query"]["highlight"] == ["true"] and "start" not in s["query"] for s in searches)
    assert cloud.requests_to(r"^/rest/servicedeskapi/servicedesk/HELP/knowledgebase/article$")

    assert [o["name"] for o in out["orgs"].structured_content["organizations"]] == ["Acme Corp", "Globex"]
    assert [o["name"] for o in out["desk_orgs"].structured_content["organizations"]] == ["Acme Corp"]
    assert out["customers"].structured_content["customers"] == [{"account_id": "qm:carol-0001", "name": "Carol Customer", "email": "carol@example.com"}]
