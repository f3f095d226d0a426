"""Real-world shapes for the fake Jira: the field types, ADF nodes and changelog items real sites send.

Shapes follow Atlassian's documents (jira-v3.json, the ADF schema) and what Jira Cloud returns for
its built-in custom field types. REAL-1 carries one field of each kind; REAL-2 carries the odd
shapes of Atlassian's own examples (`fields.comment` as a list, as in the GET issue example, and
`fields.updated` as a number, as in the search/jql example). They live in project REAL, which no
other fixture searches, so the seeded PROJ and OPS issues answer as before.
"""

from __future__ import annotations

import json
from typing import Any

CAROL = {"accountId": "557058:carol-0003", "displayName": "Carol Chen", "active": True, "accountType": "atlassian", "timeZone": "Europe/Berlin"}
DAN = {"accountId": "557058:dan-0004", "displayName": "Dan Diaz", "active": True, "accountType": "atlassian"}
PROJECT = {"key": "REAL", "name": "Realistic", "id": "10090", "projectTypeKey": "software"}

_CUSTOM = [  # id, name, schema type, schema custom (the Jira Cloud custom field type keys)
    ("customfield_10200", "Reviewers", "array", "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker"),
    ("customfield_10201", "Tech lead", "user", "com.atlassian.jira.plugin.system.customfieldtypes:userpicker"),
    ("customfield_10202", "Owning groups", "array", "com.atlassian.jira.plugin.system.customfieldtypes:multigrouppicker"),
    ("customfield_10203", "Region", "option-with-child", "com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect"),
    ("customfield_10204", "Browsers", "array", "com.atlassian.jira.plugin.system.customfieldtypes:multiselect"),
    ("customfield_10205", "Release date", "date", "com.atlassian.jira.plugin.system.customfieldtypes:datepicker"),
    ("customfield_10206", "Incident start", "datetime", "com.atlassian.jira.plugin.system.customfieldtypes:datetime"),
    ("customfield_10207", "Runbook", "string", "com.atlassian.jira.plugin.system.customfieldtypes:url"),
    ("customfield_10208", "Error rate", "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
    ("customfield_10014", "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
    ("customfield_10011", "Epic Name", "string", "com.pyxis.greenhopper.jira:gh-epic-label"),
    ("customfield_10017", "Epic Colour", "string", "com.pyxis.greenhopper.jira:gh-epic-color"),
    ("customfield_10019", "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
    ("customfield_10000", "Development", "any", "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf"),
    ("customfield_10210", "[CHART] Time in Status", "any", "com.atlassian.jira.ext.charting:timeinstatus"),
    ("customfield_10211", "Squad labels", "array", "com.atlassian.jira.plugin.system.customfieldtypes:labels"),
    ("customfield_10212", "Empty object", "any", "com.example:unknown"),
]


def field_definitions() -> list[dict[str, Any]]:
    return [
        {
            "id": fid,
            "key": fid,
            "name": name,
            "custom": True,
            "schema": {"type": kind, "custom": custom, "customId": int(fid.split("_")[1])},
            "clauseNames": [f"cf[{fid.split('_')[1]}]"],
        }
        for fid, name, kind, custom in _CUSTOM
    ]


def text(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def para(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def rich_description() -> dict[str, Any]:
    """An ADF document with the nodes real Jira and Confluence bodies hold."""
    return {
        "type": "doc",
        "version": 1,
        "content": [
            para(
                text("Reported by "),
                {"type": "mention", "attrs": {"id": CAROL["accountId"], "text": "@Carol Chen", "accessLevel": ""}},
                text(" "),
                {"type": "emoji", "attrs": {"shortName": ":warning:", "id": "26a0", "text": "⚠️"}},
                text(" state "),
                {"type": "status", "attrs": {"text": "BLOCKED", "color": "red", "localId": "s1"}},
                text(" since "),
                {"type": "date", "attrs": {"timestamp": "1767225600000"}},
                text(", see "),
                {"type": "inlineCard", "attrs": {"url": "https://example.atlassian.net/browse/PROJ-2"}},
                text(" and "),
                text("the incident doc", {"type": "link", "attrs": {"href": "https://example.com/incident"}}),
                text(". Commented line", {"type": "annotation", "attrs": {"id": "ann-1", "annotationType": "inlineComment"}}),
            ),
            {
                "type": "mediaSingle",
                "attrs": {"layout": "center"},
                "content": [
                    {"type": "media", "attrs": {"id": "a1b2c3", "type": "file", "collection": "jira-10901", "alt": "checkout-error.png"}},
                    {"type": "caption", "content": [text("Checkout error on Safari 17")]},
                ],
            },
            {"type": "panel", "attrs": {"panelType": "warning"}, "content": [para(text("Payments are failing for EU cards."))]},
            {
                "type": "expand",
                "attrs": {"title": "Stack trace"},
                "content": [{"type": "codeBlock", "attrs": {"language": "java"}, "content": [text("NullPointerException at Cart.total(Cart.java:42)")]}],
            },
            {
                "type": "layoutSection",
                "content": [
                    {"type": "layoutColumn", "attrs": {"width": 50}, "content": [para(text("Left column: impact on web."))]},
                    {"type": "layoutColumn", "attrs": {"width": 50}, "content": [para(text("Right column: impact on mobile."))]},
                ],
            },
            {"type": "extension", "attrs": {"extensionType": "com.atlassian.confluence.macro.core", "extensionKey": "toc", "parameters": {}}},
            {
                "type": "decisionList",
                "attrs": {"localId": "d1"},
                "content": [{"type": "decisionItem", "attrs": {"localId": "d2", "state": "DECIDED"}, "content": [text("Roll back release 4.2")]}],
            },
            {
                "type": "taskList",
                "attrs": {"localId": "t1"},
                "content": [
                    {"type": "taskItem", "attrs": {"localId": "t2", "state": "DONE"}, "content": [text("Page the on-call engineer")]},
                    {"type": "taskItem", "attrs": {"localId": "t3", "state": "TODO"}, "content": [text("Write the postmortem")]},
                ],
            },
            {"type": "blockCard", "attrs": {"url": "https://example.com/dashboards/checkout"}},
            {"type": "futureWidget", "attrs": {"note": "a node type this server has never seen"}, "content": [para(text("Text inside an unknown node"))]},
        ],
    }


DEV_SUMMARY = (
    "{pullrequest={dataType=pullrequest, state=MERGED, stateCount=2}, json="
    + json.dumps(
        {
            "cachedValue": {
                "errors": [],
                "summary": {
                    "pullrequest": {
                        "overall": {
                            "count": 2,
                            "lastUpdated": "2026-11-20T10:00:00.000+0000",
                            "stateCount": 2,
                            "state": "MERGED",
                            "dataType": "pullrequest",
                            "open": False,
                        }
                    }
                },
            },
            "isStale": False,
        },
        separators=(",", ":"),
    )
    + "}"
)

# Jira Server/Data Center's form of the same field (a Java toString), here with nothing linked.
SERVER_DEV_SUMMARY = (
    "{summaryBean=com.atlassian.jira.plugin.devstatus.rest.SummaryBean@5b95c5ac[summary={pullrequest="
    "com.atlassian.jira.plugin.devstatus.rest.SummaryItemBean@7e9fe7dd[overall=com.atlassian.jira.plugin.devstatus.summary.beans"
    ".PullRequestOverallBean@606d9ba[stateCount=0,state=OPEN,count=0,lastUpdated=<null>,lastUpdatedTimestamp=<null>],byInstanceType={}], "
    "build=com.atlassian.jira.plugin.devstatus.rest.SummaryItemBean@4b3f43e3[overall=com.atlassian.jira.plugin.devstatus.summary.beans"
    ".BuildOverallBean@3e72578d[failedBuildCount=0,successfulBuildCount=0,unknownBuildCount=0,count=0,lastUpdated=<null>],byInstanceType={}]},"
    'errors=[],configErrors=[]], devSummaryJson={"cachedValue":{"errors":[],"summary":{}}}}'
)

LONG_DESCRIPTION_OLD = "Steps to reproduce:\n1. Open checkout on Safari 17\n2. Add any item\n3. Pay with an EU card\nExpected: payment goes through.\nActual: a blank page and error 500 in the console."
LONG_DESCRIPTION_NEW = LONG_DESCRIPTION_OLD + "\nAlso seen on Firefox 120 with 3-D Secure cards; the gateway answers 402 before the redirect."


def issues() -> dict[str, dict[str, Any]]:
    """REAL-1 with every field kind filled; REAL-2 with the odd shapes of Atlassian's examples."""
    project = {k: PROJECT[k] for k in ("key", "name", "id")}
    rich = {
        "id": "10901",
        "key": "REAL-1",
        "fields": {
            "summary": "Checkout fails for EU cards on Safari",
            "description": rich_description(),
            "environment": {"type": "doc", "version": 1, "content": [para(text("Safari 17.1 on macOS 14, production EU cluster"))]},
            "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
            "issuetype": {"id": "10001", "name": "Bug", "subtask": False},
            "priority": {"id": "1", "name": "Highest"},
            "assignee": dict(CAROL),
            "reporter": dict(DAN),
            "labels": ["payments", "safari"],
            "components": [{"id": "10100", "name": "Web"}],
            "versions": [{"id": "10200", "name": "4.2", "released": True}],
            "fixVersions": [{"id": "10201", "name": "4.2.1", "released": False}],
            "project": project,
            "created": "2026-11-18T08:15:00.000+0000",
            "updated": "2026-11-21T16:45:12.000+0000",
            "resolutiondate": None,
            "duedate": "2026-11-30",
            "timetracking": {"originalEstimate": "2d", "remainingEstimate": "1d", "timeSpent": "1d"},
            "issuelinks": [],
            "subtasks": [],
            "attachment": [{"id": "10950", "filename": "checkout-error.png", "mimeType": "image/png", "size": 48213}],
            "parent": {
                "id": "10900",
                "key": "REAL-9",
                "fields": {
                    "summary": "Payments reliability",
                    "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
                    "priority": {"id": "2", "name": "High"},
                    "issuetype": {"id": "10000", "name": "Epic", "subtask": False, "hierarchyLevel": 1},
                },
            },
            "customfield_10200": [dict(CAROL), dict(DAN)],
            "customfield_10201": dict(DAN),
            "customfield_10202": [{"groupId": "g-1", "name": "payments-team"}, {"groupId": "g-2", "name": "sre"}],
            "customfield_10203": {"value": "America", "id": "10300", "child": {"value": "Costa Rica", "id": "10301"}},
            "customfield_10204": [{"value": "Safari", "id": "10310"}, {"value": "Firefox", "id": "10311"}],
            "customfield_10205": "2026-12-05",
            "customfield_10206": "2026-11-18T07:58:00.000+0000",
            "customfield_10207": "https://runbooks.example.com/checkout",
            "customfield_10208": 2.75,
            "customfield_10014": "REAL-9",
            "customfield_10011": "Checkout hardening",
            "customfield_10017": "ghx-label-4",
            "customfield_10019": "0|i00073:",
            "customfield_10000": DEV_SUMMARY,
            "customfield_10210": "10000_*:*_1_*:*_86400000_*|*_3_*:*_1_*:*_3600000",
            "customfield_10211": ["checkout", "eu"],
            "customfield_10212": {},
            "comment": {
                "total": 7,
                "maxResults": 7,
                "startAt": 0,
                "comments": [
                    {
                        "id": str(960 + n),  # below the fake's first new comment id (1001)
                        "author": dict(CAROL if n % 2 else DAN),
                        "body": {"type": "doc", "version": 1, "content": [para(text(f"Update {n}: still failing."))]},
                        "created": f"2026-11-{18 + n // 3:02d}T1{n}:00:00.000+0000",
                    }
                    for n in range(1, 8)
                ],
            },
        },
    }
    odd = {
        "id": "10902",
        "key": "REAL-2",
        "fields": {
            "summary": "Main order flow broken",
            "description": {"type": "doc", "version": 1, "content": [para(text("Main order flow broken"))]},
            "status": {"name": "Open", "statusCategory": {"key": "new"}},
            "issuetype": {"id": "10001", "name": "Bug", "subtask": False},
            "priority": {"id": "3", "name": "Medium"},
            "assignee": None,
            "reporter": dict(DAN),
            "labels": [],
            "project": project,
            "created": "2026-11-19T09:00:00.000+0000",
            "updated": 1,
            "customfield_10000": SERVER_DEV_SUMMARY,  # nothing linked: no line at all
            "issuelinks": [],
            "subtasks": [],
            "comment": [
                {
                    "id": "900",
                    "author": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Mia Krystof", "active": False},
                    "body": {"type": "doc", "version": 1, "content": [para(text("Lorem ipsum dolor sit amet."))]},
                    "created": "2021-01-17T12:34:00.000+0000",
                }
            ],
        },
    }
    return {"REAL-1": rich, "REAL-2": odd}


def changelog() -> dict[str, list[dict[str, Any]]]:
    """REAL-1's history: a long multi-line description change and Worklog, Attachment, Link and Sprint items."""
    author = {k: CAROL[k] for k in ("accountId", "displayName", "active")}
    return {
        "REAL-1": [
            {
                "id": "31001",
                "author": author,
                "created": "2026-11-19T10:00:00.000+0000",
                "items": [
                    {
                        "field": "description",
                        "fieldtype": "jira",
                        "fieldId": "description",
                        "from": None,
                        "fromString": LONG_DESCRIPTION_OLD,
                        "to": None,
                        "toString": LONG_DESCRIPTION_NEW,
                    }
                ],
            },
            {
                "id": "31002",
                "author": author,
                "created": "2026-11-19T11:00:00.000+0000",
                "items": [
                    {"field": "timespent", "fieldtype": "jira", "fieldId": "timespent", "from": None, "fromString": None, "to": "28800", "toString": "28800"},
                    {"field": "WorklogId", "fieldtype": "jira", "from": None, "fromString": None, "to": "10400", "toString": "10400"},
                    {
                        "field": "Attachment",
                        "fieldtype": "jira",
                        "fieldId": "attachment",
                        "from": None,
                        "fromString": None,
                        "to": "10950",
                        "toString": "checkout-error.png",
                    },
                    {"field": "Link", "fieldtype": "jira", "from": None, "fromString": None, "to": "PROJ-2", "toString": "This issue relates to PROJ-2"},
                    {
                        "field": "Sprint",
                        "fieldtype": "custom",
                        "fieldId": "customfield_10020",
                        "from": "",
                        "fromString": "",
                        "to": "11",
                        "toString": "Sprint 10",
                    },
                ],
            },
        ]
    }


def seed(state: dict[str, Any]) -> None:
    """Add the REAL issues, their history and their field definitions to a seeded Jira state."""
    known = {f["id"] for f in state["jira_fields"]}
    state["jira_fields"] += [f for f in field_definitions() if f["id"] not in known]
    state["jira_issues"].update(issues())
    state["jira_changelog"].update(changelog())
