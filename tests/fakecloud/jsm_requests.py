"""Fake JSM customer requests: list, read, create (with field checks), comments, transitions, SLAs, approvals, people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ACCOUNT_ID, Request, Response
from .jsm_data import ADA, USERS, date

BASE = "/rest/servicedeskapi"


def _error(status: int, message: str) -> Response:
    return Response(status, {"errorMessage": message, "i18nErrorMessage": {"i18nKey": "fake.error", "parameters": []}})


def _page(values: list[Any], req: Request) -> dict[str, Any]:
    start, limit = max(0, req.int_arg("start", 0)), max(1, min(req.int_arg("limit", 50), 100))
    page = values[start : start + limit]
    return {"size": len(page), "start": start, "limit": limit, "isLastPage": start + limit >= len(values), "values": page, "_links": {}}


def _expands(req: Request) -> set[str]:
    return {part for value in req.query.get("expand", []) for part in value.split(",") if part}


def as_issue(r: dict[str, Any]) -> dict[str, Any]:
    """A request as the Jira issue bean queue listings return."""
    status = r["status_history"][-1]["status"]
    return {
        "id": r["issueId"],
        "key": r["issueKey"],
        "fields": {
            "summary": r["summary"],
            "status": {"name": status},
            "priority": {"name": "High" if r["issueKey"] == "HELP-1" else "Medium"},
            "assignee": {"displayName": ADA["displayName"], "accountId": ACCOUNT_ID} if r["issueKey"] == "HELP-1" else None,
            "reporter": r["reporter"],
            "created": r["createdDate"]["jira"],
        },
    }


def install(cloud: Any, route: Callable[[str, str], Any]) -> None:
    state = cloud.state

    def found(req: Request) -> Any:
        ref = req.vars["issueIdOrKey"]
        r = state["jsm_requests"].get(ref) or next((x for x in state["jsm_requests"].values() if x["issueId"] == ref), None)
        return r if r else _error(404, f"Request {ref} does not exist or you do not have permission to see it")

    def view(r: dict[str, Any], expand: set[str]) -> dict[str, Any]:
        rt = state["jsm_request_types"][r["requestTypeId"]]
        names = {f["fieldId"]: f["name"] for f in rt["_fields"]["requestTypeFields"]}
        last = r["status_history"][-1]
        out: dict[str, Any] = {
            "issueId": r["issueId"],
            "issueKey": r["issueKey"],
            "summary": r["summary"],
            "requestTypeId": r["requestTypeId"],
            "serviceDeskId": r["serviceDeskId"],
            "createdDate": r["createdDate"],
            "reporter": r["reporter"],
            "currentStatus": last,
            "requestFieldValues": [{"fieldId": k, "label": names.get(k, k), "value": v} for k, v in r["fields"].items()],
            "_links": {
                "web": f"{cloud.url}/servicedesk/customer/portal/{r['serviceDeskId']}/{r['issueKey']}",
                "self": f"{cloud.url}{BASE}/request/{r['issueId']}",
            },
        }
        if "requestType" in expand:
            out["requestType"] = {k: v for k, v in rt.items() if not k.startswith("_")}
        if "serviceDesk" in expand:
            out["serviceDesk"] = next(d for d in state["jsm_desks"] if d["id"] == r["serviceDeskId"])
        if "sla" in expand:
            out["sla"] = {"size": len(r["slas"]), "start": 0, "limit": 50, "isLastPage": True, "values": r["slas"]}
        if "participant" in expand:
            out["participants"] = {"size": len(r["participants"]), "start": 0, "limit": 50, "isLastPage": True, "values": r["participants"]}
        return out

    @route("GET", BASE + "/request")
    def list_requests(req: Request) -> Response:
        desk = req.arg("serviceDeskId")
        if desk is not None and not desk.isdigit():
            return _error(400, "serviceDeskId must be a number")
        status = req.arg("requestStatus", "ALL_REQUESTS")
        ownership = set(req.query.get("requestOwnership", [])) or {"OWNED_REQUESTS", "PARTICIPATED_REQUESTS", "ALL_ORGANIZATIONS"}
        term = (req.arg("searchTerm") or "").lower()
        out = []
        for r in state["jsm_requests"].values():
            closed = r["status_history"][-1]["statusCategory"] == "DONE"
            mine = {
                "OWNED_REQUESTS": r["reporter"]["accountId"] == ACCOUNT_ID,
                "PARTICIPATED_REQUESTS": any(p["accountId"] == ACCOUNT_ID for p in r["participants"]),
                "APPROVER": any(a["approver"]["accountId"] == ACCOUNT_ID for ap in r["approvals"] for a in ap["approvers"]),
                "ALL_ORGANIZATIONS": r["serviceDeskId"] in ("1", "2"),
            }
            if desk and r["serviceDeskId"] != desk or term not in r["summary"].lower():
                continue
            if (status == "OPEN_REQUESTS" and closed) or (status == "CLOSED_REQUESTS" and not closed) or not any(mine[o] for o in ownership if o in mine):
                continue
            out.append(view(r, _expands(req)))
        return Response(200, _page(out, req))

    @route("GET", BASE + "/request/{issueIdOrKey}")
    def get_request(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, view(r, _expands(req)))

    @route("POST", BASE + "/request")
    def create(req: Request) -> Response:
        body = req.json() or {}
        state["jsm_last_create"] = body
        desk = next((d for d in state["jsm_desks"] if d["id"] == str(body.get("serviceDeskId"))), None)
        rt = state["jsm_request_types"].get(str(body.get("requestTypeId")))
        if desk is None or rt is None or rt["serviceDeskId"] != desk["id"]:
            return _error(400, "The service desk or request type does not exist")
        meta = rt["_fields"]
        fields = {f["fieldId"]: f for f in meta["requestTypeFields"]}
        values = body.get("requestFieldValues") or {}
        adf = bool(body.get("isAdfRequest"))
        for fid, value in values.items():
            field = fields.get(fid)
            if field is None:
                return _error(400, f"Field {fid} is not on request type {rt['name']}")
            if field["validValues"]:
                allowed = {v["value"] for v in field["validValues"]}
                chosen = value if isinstance(value, list) else [value]
                if not all(isinstance(v, dict) and v.get("id") in allowed for v in chosen):
                    return _error(400, f"Field {field['name']}: value {value!r} is not valid")
            if fid == "description" and adf != isinstance(value, dict):
                return _error(400, "description must be ADF when isAdfRequest is true, and text otherwise")
            if adf and fid == "description":
                from atlassian_mcp_server.content import validate_adf

                try:
                    validate_adf(value)
                except ValueError as exc:
                    return _error(400, f"Field {fid} is not valid ADF: {exc}")
        missing = [f["name"] for f in fields.values() if f["required"] and f["fieldId"] not in values]
        if missing:
            return _error(400, f"Required fields missing: {', '.join(missing)}")
        reporter = ADA
        if body.get("raiseOnBehalfOf"):
            if not meta["canRaiseOnBehalfOf"]:
                return _error(400, "You cannot raise requests on behalf of others for this request type")
            reporter = USERS.get(body["raiseOnBehalfOf"]) or {"accountId": body["raiseOnBehalfOf"], "displayName": "Unknown"}
        if body.get("requestParticipants") and not meta["canAddRequestParticipants"]:
            return _error(400, "Participants cannot be added to this request type")
        number = 1 + max([int(k.split("-")[1]) for k in state["jsm_requests"] if k.startswith(desk["projectKey"] + "-")] or [0])
        key = f"{desk['projectKey']}-{number}"
        stored = {
            "issueId": str(30000 + len(state["jsm_requests"])),
            "issueKey": key,
            "serviceDeskId": desk["id"],
            "requestTypeId": rt["id"],
            "summary": values.get("summary", ""),
            "reporter": reporter,
            "createdDate": date("2026-11-25T08:00:00"),
            "status_history": [{"status": "Open", "statusCategory": "NEW", "statusDate": date("2026-11-25T08:00:00")}],
            "fields": dict(values),
            "comments": [],
            "participants": [USERS[a] for a in body.get("requestParticipants") or [] if a in USERS],
            "slas": [],
            "approvals": [],
            "subscribed": True,
            "transitions": [{"id": "761", "name": "Resolve this issue", "to": "Resolved"}],
        }
        state["jsm_requests"][key] = stored
        return Response(201, view(stored, set()))

    @route("GET", BASE + "/request/{issueIdOrKey}/comment")
    def comments(req: Request) -> Response:
        r = found(req)
        if isinstance(r, Response):
            return r
        public, internal = req.arg("public", "true") == "true", req.arg("internal", "true") == "true"
        shown = [c for c in r["comments"] if (c["public"] and public) or (not c["public"] and internal)]
        return Response(200, _page(shown, req))

    @route("POST", BASE + "/request/{issueIdOrKey}/comment")
    def add_comment(req: Request) -> Response:
        r = found(req)
        if isinstance(r, Response):
            return r
        body = req.json() or {}
        if not isinstance(body.get("body"), str) or not body["body"].strip():
            return _error(400, "The comment body is required")
        comment = {
            "id": str(600 + sum(len(x["comments"]) for x in state["jsm_requests"].values())),
            "body": body["body"],
            "public": bool(body.get("public", True)),
            "author": ADA,
            "created": date("2026-11-25T08:30:00"),
        }
        r["comments"].append(comment)
        return Response(201, comment)

    @route("GET", BASE + "/request/{issueIdOrKey}/status")
    def status(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, _page(list(reversed(r["status_history"])), req))

    @route("GET", BASE + "/request/{issueIdOrKey}/transition")
    def transitions(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, _page([{"id": t["id"], "name": t["name"]} for t in r["transitions"]], req))

    @route("POST", BASE + "/request/{issueIdOrKey}/transition")
    def transition(req: Request) -> Response:
        r = found(req)
        if isinstance(r, Response):
            return r
        body = req.json() or {}
        move = next((t for t in r["transitions"] if t["id"] == body.get("id")), None)
        if move is None:
            return _error(400, f"Transition {body.get('id')} is not valid for {r['issueKey']}")
        done = move["to"] == "Resolved"
        r["status_history"].append({"status": move["to"], "statusCategory": "DONE" if done else "INDETERMINATE", "statusDate": date("2026-11-25T09:00:00")})
        comment = (body.get("additionalComment") or {}).get("body")
        if comment:
            r["comments"].append({"id": "700", "body": comment, "public": True, "author": ADA, "created": date("2026-11-25T09:00:00")})
        return Response(204)

    @route("GET", BASE + "/request/{issueIdOrKey}/sla")
    def sla(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, _page(r["slas"], req))

    @route("GET", BASE + "/request/{issueIdOrKey}/approval")
    def approvals(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, _page(r["approvals"], req))

    @route("POST", BASE + "/request/{issueIdOrKey}/approval/{approvalId}")
    def answer(req: Request) -> Response:
        r = found(req)
        if isinstance(r, Response):
            return r
        approval = next((a for a in r["approvals"] if a["id"] == req.vars["approvalId"]), None)
        if approval is None:
            return _error(404, f"Approval {req.vars['approvalId']} does not exist on {r['issueKey']}")
        decision = (req.json() or {}).get("decision")
        if decision not in ("approve", "decline"):
            return _error(400, "decision must be approve or decline")
        if approval["finalDecision"] != "pending":
            return _error(409, "This approval has already been answered")
        outcome = "approved" if decision == "approve" else "declined"
        approval.update(finalDecision=outcome, canAnswerApproval=False, completedDate=date("2026-11-25T10:00:00"))
        approval["approvers"] = [{**a, "approverDecision": outcome} for a in approval["approvers"]]
        r["status_history"].append(
            {
                "status": "Waiting for support" if outcome == "approved" else "Declined",
                "statusCategory": "INDETERMINATE" if outcome == "approved" else "DONE",
                "statusDate": date("2026-11-25T10:00:00"),
            }
        )
        return Response(200, approval)

    @route("GET", BASE + "/request/{issueIdOrKey}/participant")
    def participants(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, _page(r["participants"], req))

    @route("POST", BASE + "/request/{issueIdOrKey}/participant")
    def add_participants(req: Request) -> Response:
        r = found(req)
        if isinstance(r, Response):
            return r
        body = req.json() or {}
        if body.get("usernames"):
            return _error(400, "usernames is no longer supported; use accountIds")
        unknown = [a for a in body.get("accountIds") or [] if a not in USERS]
        if unknown or not body.get("accountIds"):
            return _error(400, f"Unknown account ids: {', '.join(unknown) or 'none given'}")
        for account in body["accountIds"]:
            if all(p["accountId"] != account for p in r["participants"]):
                r["participants"].append(USERS[account])
        return Response(200, _page(r["participants"], req))

    @route("GET", BASE + "/request/{issueIdOrKey}/notification")
    def notification(req: Request) -> Response:
        r = found(req)
        return r if isinstance(r, Response) else Response(200, {"subscribed": r["subscribed"]})

    def set_subscription(on: bool) -> Callable[[Request], Response]:
        def handler(req: Request) -> Response:
            r = found(req)
            if isinstance(r, Response):
                return r
            r["subscribed"] = on
            return Response(204)

        return handler

    route("PUT", BASE + "/request/{issueIdOrKey}/notification")(set_subscription(True))
    route("DELETE", BASE + "/request/{issueIdOrKey}/notification")(set_subscription(False))
