"""Seed data of the fake Jira Service Management: desks, request types, requests, queues, articles."""

from __future__ import annotations

from typing import Any

from . import ACCOUNT_ID

ADA = {"accountId": ACCOUNT_ID, "displayName": "Ada Agent", "emailAddress": "agent@example.com", "active": True}
CAROL = {"accountId": "qm:carol-0001", "displayName": "Carol Customer", "emailAddress": "carol@example.com", "active": True}
DAVE = {"accountId": "qm:dave-0002", "displayName": "Dave Doe", "emailAddress": "dave@example.com", "active": True}
USERS = {u["accountId"]: u for u in (ADA, CAROL, DAVE)}


def date(iso: str) -> dict[str, Any]:
    return {"iso8601": iso + "+0000", "jira": iso + ".000+0000", "friendly": iso.replace("T", " ")[:16], "epochMillis": 0}


def duration(friendly: str, millis: int) -> dict[str, Any]:
    return {"friendly": friendly, "millis": millis}


def _field(fid: str, name: str, required: bool, schema: dict[str, Any], options: list[tuple[str, str]] = ()) -> dict[str, Any]:
    return {
        "fieldId": fid,
        "name": name,
        "required": required,
        "visible": True,
        "jiraSchema": schema,
        "validValues": [{"value": v, "label": label, "children": []} for v, label in options],
        "defaultValues": [],
    }


SUMMARY = _field("summary", "Summary", True, {"type": "string", "system": "summary"})
DESCRIPTION = _field("description", "Description", False, {"type": "string", "system": "description"})
URGENCY = _field(
    "customfield_10050",
    "Urgency",
    True,
    {"type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:radiobuttons", "customId": 10050},
    [("20001", "Low"), ("20002", "Medium"), ("20003", "High")],
)
SYSTEMS = _field(
    "customfield_10051",
    "Affected systems",
    False,
    {"type": "array", "items": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:multiselect", "customId": 10051},
    [("20011", "Email"), ("20012", "VPN"), ("20013", "Laptop")],
)
MODEL = _field(
    "customfield_10060",
    "Laptop model",
    True,
    {"type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select", "customId": 10060},
    [("20021", "MacBook Pro 14"), ("20022", "ThinkPad X1")],
)

OFFICE = _field(  # a cascading select: the value arrives with its child
    "customfield_10052",
    "Office",
    False,
    {"type": "option-with-child", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect", "customId": 10052},
    [("20031", "America"), ("20032", "Europe")],
)


def request_types() -> dict[str, dict[str, Any]]:
    def rt(rid: str, desk: str, name: str, description: str, fields: list[dict[str, Any]], on_behalf: bool, participants: bool) -> dict[str, Any]:
        return {
            "id": rid,
            "serviceDeskId": desk,
            "portalId": desk,
            "name": name,
            "description": description,
            "helpText": f"Use this to {name.lower()}.",
            "issueTypeId": "1000" + rid[-1],
            "groupIds": ["1"],
            "canCreateRequest": True,
            "_fields": {"requestTypeFields": fields, "canRaiseOnBehalfOf": on_behalf, "canAddRequestParticipants": participants},
        }

    return {
        "10": rt("10", "2", "Get IT help", "Ask the IT team for help with a problem", [SUMMARY, DESCRIPTION, URGENCY, SYSTEMS, OFFICE], True, True),
        "11": rt("11", "2", "Request new hardware", "Order a laptop or monitor", [SUMMARY, MODEL], False, False),
        "20": rt("20", "1", "Report an incident", "Something is broken in production", [SUMMARY, DESCRIPTION], True, True),
        "30": rt("30", "3", "Onboard a new hire", "Prepare accounts and equipment", [SUMMARY], True, False),
    }


def _sla(sid: str, name: str, breached: bool, remaining: str, millis: int, paused: bool = False) -> dict[str, Any]:
    return {
        "id": sid,
        "name": name,
        "completedCycles": [],
        "ongoingCycle": {
            "breached": breached,
            "paused": paused,
            "withinCalendarHours": True,
            "startTime": date("2026-11-20T09:00:00"),
            "breachTime": date("2026-11-20T13:00:00"),
            "goalDuration": duration("4h", 14400000),
            "elapsedTime": duration("5h 30m", 19800000),
            "remainingTime": duration(remaining, millis),
        },
    }


def _approval(aid: str, name: str) -> dict[str, Any]:
    return {
        "id": aid,
        "name": name,
        "finalDecision": "pending",
        "canAnswerApproval": True,
        "approvers": [{"approver": ADA, "approverDecision": "pending"}],
        "createdDate": date("2026-11-21T10:00:00"),
    }


def _request(key: str, desk: str, rtype: str, summary: str, reporter: dict[str, Any], status: str, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    base = {
        "issueId": str(20000 + int(key.split("-")[1]) + (100 if key.startswith("OPS") else 0)),
        "issueKey": key,
        "serviceDeskId": desk,
        "requestTypeId": rtype,
        "summary": summary,
        "reporter": reporter,
        "createdDate": date("2026-11-20T09:00:00"),
        "status_history": [{"status": "Open", "statusCategory": "NEW", "statusDate": date("2026-11-20T09:00:00")}]
        + ([{"status": status, "statusCategory": "INDETERMINATE", "statusDate": date("2026-11-20T09:30:00")}] if status != "Open" else []),
        "fields": {"summary": summary, **fields},
        "comments": [],
        "participants": [],
        "slas": [],
        "approvals": [],
        "subscribed": True,
        "transitions": [
            {"id": "761", "name": "Resolve this issue", "to": "Resolved"},
            {"id": "801", "name": "Respond to customer", "to": "Waiting for customer"},
        ],
    }
    base.update(extra)
    return base


def seed(state: dict[str, Any]) -> None:
    """(Re)set every JSM key of the fake's state; tests call it to start from known data."""
    state["jsm_desks"] = [
        {"id": str(n), "projectId": str(10000 + n), "projectKey": key, "projectName": name}
        for n, (key, name) in enumerate([("OPS", "Operations"), ("HELP", "IT Help"), ("HR", "People Desk")], start=1)
    ]
    state["jsm_request_types"] = request_types()
    doc = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "The VPN disconnects every hour "},
                    {"type": "text", "text": "on the dot", "marks": [{"type": "strong"}]},
                    {"type": "text", "text": "."},
                ],
            }
        ],
    }
    state["jsm_requests"] = {
        r["issueKey"]: r
        for r in [
            _request(
                "HELP-1",
                "2",
                "10",
                "VPN drops every hour",
                CAROL,
                "Waiting for support",
                {
                    "description": doc,
                    "customfield_10050": {"id": "20003", "value": "High"},
                    "customfield_10052": {"id": "20031", "value": "America", "child": {"id": "20033", "value": "Costa Rica"}},
                },
                participants=[DAVE],
                slas=[_sla("1", "Time to first response", True, "-1h 30m", -5400000), _sla("2", "Time to resolution", False, "5h 10m", 18600000)],
                comments=[
                    {"id": "500", "body": "It happened again at 10:00.", "public": True, "author": CAROL, "created": date("2026-11-20T10:05:00")},
                    {"id": "501", "body": "Looks like the gateway certificate.", "public": False, "author": ADA, "created": date("2026-11-20T10:20:00")},
                ],
            ),
            _request(
                "HELP-2",
                "2",
                "11",
                "New laptop for Dave",
                DAVE,
                "Waiting for approval",
                {"customfield_10060": {"id": "20021", "value": "MacBook Pro 14"}},
                approvals=[_approval("7", "Manager approval")],
            ),
            _request(
                "HELP-3",
                "2",
                "11",
                "Second monitor",
                CAROL,
                "Waiting for approval",
                {"customfield_10060": {"id": "20022", "value": "ThinkPad X1"}},
                approvals=[_approval("9", "Budget approval")],
            ),
            _request("OPS-1", "1", "20", "Database latency alarm", ADA, "Open", {}),
        ]
    }
    state["jsm_queues"] = {
        "2": [
            {"id": "1", "name": "All open", "jql": "project = HELP AND resolution = Unresolved", "keys": ["HELP-1", "HELP-2", "HELP-3"]},
            {"id": "2", "name": "Assigned to me", "jql": "project = HELP AND assignee = currentUser()", "keys": ["HELP-1"]},
        ],
        "1": [{"id": "3", "name": "Incidents", "jql": "project = OPS", "keys": ["OPS-1"]}],
    }
    state["jsm_articles"] = [
        {
            "desk": "2",
            "pageId": "8786177",
            "spaceKey": "IT",
            "title": "Fix VPN disconnects",
            "excerpt": "If the VPN drops every hour, renew the gateway certificate &amp; reconnect.",
        },
        {"desk": "2", "pageId": "8786178", "spaceKey": "IT", "title": "VPN setup on a new laptop", "excerpt": "Install the VPN client from the portal."},
        {"desk": "2", "pageId": "8786179", "spaceKey": "IT", "title": "Reset your password", "excerpt": "Use the self-service page."},
        {"desk": "3", "pageId": "8786200", "spaceKey": "HR", "title": "VPN for new hires", "excerpt": "HR explains how new hires get VPN access."},
    ]
    state["jsm_organizations"] = [{"id": "1", "name": "Acme Corp", "desks": ["2"]}, {"id": "2", "name": "Globex", "desks": ["1"]}]
    state["jsm_customers"] = {"2": [CAROL, DAVE], "1": [CAROL]}
