"""JSM end to end, writing: raise requests (field checks), comment, transition, approve and decline, people, notifications."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of

CAROL = "qm:carol-0001"


def _env(cloud: Any) -> dict[str, str]:
    return cloud.env(ATLASSIAN_API_URL=cloud.url)


def test_create_request_checks_fields_before_sending(cloud: Any, fresh_jsm: None) -> None:
    base = {"service_desk_id": "HELP", "request_type_id": "Get IT help", "summary": "Mail will not sync"}

    async def scenario(server: Any) -> dict[str, Any]:
        bad = {
            "invalid_value": {**base, "fields": {"Urgency": "Critical"}},
            "invalid_multi": {**base, "fields": {"customfield_10050": "Low", "Affected systems": ["VPN", "Fax"]}},
            "missing": base,
            "unknown_field": {**base, "fields": {"Urgency": "Low", "Colour": "red"}},
            "no_on_behalf": {
                "service_desk_id": "HELP",
                "request_type_id": "11",
                "summary": "Laptop",
                "fields": {"Laptop model": "ThinkPad X1"},
                "on_behalf_of": CAROL,
            },
            "unknown_type": {**base, "request_type_id": "Order pizza"},
        }
        out = {name: await server.call("servicedesk_create_request", args) for name, args in bad.items()}
        out["created"] = await server.call(
            "servicedesk_create_request",
            {
                **base,
                "description": "# Steps\n\n- open **Mail**\n- wait",
                "fields": {"urgency": "high", "Affected systems": ["VPN", "20011"]},
                "on_behalf_of": CAROL,
                "participants": ["qm:dave-0002"],
            },
        )
        return out

    out = run_with_server(_env(cloud), scenario)
    assert "Field 'Urgency' (customfield_10050) has no option 'Critical'; choose one of: Low, Medium, High." == text_of(out["invalid_value"])
    assert "Field 'Affected systems' (customfield_10051) has no option 'Fax'; choose one of: Email, VPN, Laptop." == text_of(out["invalid_multi"])
    assert "Missing required field(s) Urgency (customfield_10050)" in text_of(out["missing"])
    assert "This request type has no field 'Colour'; its fields are: Summary (summary), Description (description)" in text_of(out["unknown_field"])
    assert "cannot raise requests of this type on behalf of a customer" in text_of(out["no_on_behalf"])
    assert "No request type is named 'Order pizza'" in text_of(out["unknown_type"]) and "Get IT help (id 10)" in text_of(out["unknown_type"])
    for name, result in out.items():
        assert result.is_error == (name != "created"), (name, text_of(result))
    # Nothing invalid reached Atlassian: exactly one POST /request, the valid one.
    assert len(cloud.requests_to(r"^/rest/servicedeskapi/request$", "POST")) == 1
    body = cloud.state["jsm_last_create"]
    assert body["serviceDeskId"] == "2" and body["requestTypeId"] == "10" and body["isAdfRequest"] is True
    assert body["raiseOnBehalfOf"] == CAROL and body["requestParticipants"] == ["qm:dave-0002"]
    values = body["requestFieldValues"]
    assert values["customfield_10050"] == {"id": "20003"}
    assert values["customfield_10051"] == [{"id": "20012"}, {"id": "20011"}]
    assert values["description"]["content"][0] == {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Steps"}]}
    created = out["created"].structured_content
    assert created["key"] == "HELP-4" and created["url"].endswith("/servicedesk/customer/portal/2/HELP-4")
    assert text_of(out["created"]).startswith("Created HELP-4 (request type 10) in service desk 2, status Open.")
    assert cloud.state["jsm_requests"]["HELP-4"]["reporter"]["displayName"] == "Carol Customer"


def test_comment_transition_people_and_notifications(cloud: Any, fresh_jsm: None) -> None:

    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "note": ("servicedesk_add_comment", {"issue_key": "HELP-1", "comment": "Checked the gateway logs.", "public": False}),
            "reply": ("servicedesk_add_comment", {"issue_key": "HELP-1", "comment": "We are on it."}),
            "blank": ("servicedesk_add_comment", {"issue_key": "HELP-1", "comment": "   "}),
            "bad_move": ("servicedesk_transition_request", {"issue_key": "HELP-1", "transition_id": "Fly away"}),
            "move": ("servicedesk_transition_request", {"issue_key": "HELP-1", "transition_id": "respond to customer", "comment": "Can you try now?"}),
            "add": ("servicedesk_add_participants", {"issue_key": "HELP-2", "account_ids": [CAROL, CAROL]}),
            "old_name": ("servicedesk_add_participants", {"issue_key": "HELP-2", "usernames": ["carol"]}),
            "who": ("servicedesk_get_participants", {"issue_key": "HELP-2"}),
            "watching": ("servicedesk_manage_notifications", {"issue_key": "HELP-1"}),
            "stop": ("servicedesk_manage_notifications", {"issue_key": "HELP-1", "subscribe": False}),
            "after": ("servicedesk_manage_notifications", {"issue_key": "HELP-1"}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    out = run_with_server(_env(cloud), scenario)
    for name, result in out.items():
        assert result.is_error == (name in ("blank", "bad_move", "old_name")), (name, text_of(result))
    help1 = cloud.state["jsm_requests"]["HELP-1"]
    assert text_of(out["note"]).startswith("Added an internal note (agents only) to HELP-1 as comment ")
    assert text_of(out["reply"]).startswith("Added a public reply (the customer sees it) to HELP-1")
    assert [(c["body"], c["public"]) for c in help1["comments"][2:]] == [
        ("Checked the gateway logs.", False),
        ("We are on it.", True),
        ("Can you try now?", True),
    ]
    assert text_of(out["blank"]) == "comment must not be blank."
    assert "No transition is named 'Fly away'; choose one of: Resolve this issue (id 761), Respond to customer (id 801)." == text_of(out["bad_move"])
    assert text_of(out["move"]).startswith("Moved HELP-1 by transition 'Respond to customer' (id 801) with a public comment.")
    assert help1["status_history"][-1]["status"] == "Waiting for customer"
    assert len(cloud.requests_to(r"^/rest/servicedeskapi/request/HELP-1/transition$", "POST")) == 1

    assert "Added 1 participant(s) to HELP-2: Carol Customer" in text_of(out["add"])
    assert "Unknown argument 'usernames'" in text_of(out["old_name"]) and "account_ids" in text_of(out["old_name"])
    assert [p["name"] for p in out["who"].structured_content["participants"]] == ["Carol Customer"]
    assert text_of(out["watching"]) == "You are subscribed to notifications of HELP-1."
    assert text_of(out["stop"]) == "Unsubscribed you from notifications of HELP-1."
    assert out["after"].structured_content["subscribed"] is False and help1["subscribed"] is False
    assert cloud.requests_to(r"/notification$", "DELETE") and not cloud.requests_to(r"/notification$", "PUT")


def test_approve_and_decline(cloud: Any, fresh_jsm: None) -> None:

    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "approve": ("servicedesk_approve_request", {"issue_key": "HELP-2", "approval_id": "7", "decision": "approve"}),
            "decline": ("servicedesk_approve_request", {"issue_key": "HELP-3", "approval_id": "9", "decision": "decline"}),
            "again": ("servicedesk_approve_request", {"issue_key": "HELP-3", "approval_id": "9", "decision": "approve"}),
            "bad_decision": ("servicedesk_approve_request", {"issue_key": "HELP-3", "approval_id": "9", "decision": "maybe"}),
            "after": ("servicedesk_get_approvals", {"issue_key": "HELP-3"}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    out = run_with_server(_env(cloud), scenario)
    for name, result in out.items():
        assert result.is_error == (name in ("again", "bad_decision")), (name, text_of(result))
    assert text_of(out["approve"]).startswith("Approved approval 7 ('Manager approval') on HELP-2; the approval's final decision is now approved.")
    assert text_of(out["decline"]).startswith("Declined approval 9 ('Budget approval') on HELP-3; the approval's final decision is now declined.")
    assert out["decline"].structured_content["url"].endswith("/browse/HELP-3")
    assert "409" in text_of(out["again"]) and "already been answered" in text_of(out["again"])
    assert "must be one of approve, decline" in text_of(out["bad_decision"])
    assert out["after"].structured_content["approvals"][0]["final_decision"] == "declined"
    assert cloud.state["jsm_requests"]["HELP-3"]["status_history"][-1]["status"] == "Declined"
    assert len(cloud.requests_to(r"/approval/9$", "POST")) == 2  # decline, then the refused second answer
