"""Write tests/corpus: real-shaped API responses for the render property test and bench_real_shapes.

Sources: the examples in Atlassian's OpenAPI documents (../shared/atlassian-openapi, passed as
the first argument; they hold the odd documented shapes such as `fields.comment` as a list and
`fields.updated` as a number) and the fake cloud's real-shaped data (tests/fakecloud/jira_realistic.py, confluence_realistic.py),
whose field shapes follow Jira Cloud's built-in field types. Run once; the files are committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakecloud import confluence_realistic  # noqa: E402
from fakecloud import jira_realistic as real  # noqa: E402


def example(doc: dict[str, Any], path: str, method: str = "get") -> Any:
    found = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["example"]
    return json.loads(found) if isinstance(found, str) else found


def main() -> None:
    spec = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent.parent / "shared" / "atlassian-openapi")
    jira = json.loads((spec / "jira-v3.json").read_text(encoding="utf-8"))
    jsm = json.loads((spec / "jsm.json").read_text(encoding="utf-8"))
    site = "https://your-domain.atlassian.net"
    issue = real.issues()["REAL-1"]
    issue = {"id": issue["id"], "key": issue["key"], "self": f"{site}/rest/api/3/issue/{issue['id']}", "fields": issue["fields"]}
    histories = real.changelog()["REAL-1"]
    issue["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories}
    adf = real.rich_description()
    out = {
        "jira_issue_openapi_example.json": example(jira, "/rest/api/3/issue/{issueIdOrKey}"),
        "jira_search_openapi_example.json": example(jira, "/rest/api/3/search/jql"),
        "jira_changelog_openapi_example.json": example(jira, "/rest/api/3/issue/{issueIdOrKey}/changelog"),
        "jira_issue_real.json": issue,
        "jira_issue_odd_real.json": {"id": "10902", "key": "REAL-2", "fields": real.issues()["REAL-2"]["fields"]},
        "jira_changelog_real.json": {"startAt": 0, "maxResults": 100, "total": len(histories), "isLast": True, "values": histories},
        "jira_comments_openapi_example.json": example(jira, "/rest/api/3/issue/{issueIdOrKey}/comment"),
        "jsm_comments_openapi_example.json": example(jsm, "/rest/servicedeskapi/request/{issueIdOrKey}/comment"),
        "jsm_sla_openapi_example.json": example(jsm, "/rest/servicedeskapi/request/{issueIdOrKey}/sla"),
        "confluence_search_real.json": {
            "results": [
                {
                    "content": {
                        "id": "4001",
                        "type": "page",
                        "status": "current",
                        "title": "Payments incident notes",
                        "_links": {"webui": "/spaces/HR/pages/4001"},
                    },
                    "title": "@@@hl@@@Payments@@@endhl@@@ incident notes",
                    "excerpt": "Roll back release 4.2 &amp; page the on-call engineer",
                    "url": "/spaces/HR/pages/4001",
                    "resultGlobalContainer": {"title": "People", "displayUrl": "/spaces/HR"},
                    "entityType": "content",
                    "iconCssClass": "aui-icon content-type-page",
                    "lastModified": "2026-11-20T10:00:00.000Z",
                    "friendlyLastModified": "Nov 20, 2026",
                }
            ],
            "start": 0,
            "limit": 10,
            "size": 1,
            "totalSize": 1,
            "cqlQuery": 'text ~ "payments"',
            "searchDuration": 31,
            "_links": {"base": "https://your-domain.atlassian.net/wiki", "context": "/wiki"},
        },
        "jsm_requests_openapi_example.json": example(jsm, "/rest/servicedeskapi/request"),
        "jsm_request_openapi_example.json": example(jsm, "/rest/servicedeskapi/request/{issueIdOrKey}"),
        "jsm_request_real.json": {
            "issueId": "20107",
            "issueKey": "HELP-7",
            "requestTypeId": "11",
            "serviceDeskId": "2",
            "createdDate": {
                "epochMillis": 1763629200000,
                "friendly": "Yesterday 09:00",
                "iso8601": "2025-11-20T09:00:00+0000",
                "jira": "2025-11-20T09:00:00.000+0000",
            },
            "reporter": {"accountId": "qm:1", "displayName": "Fred F. User", "emailAddress": "fred@example.com", "active": True},
            "requestFieldValues": [
                {"fieldId": "summary", "label": "What do you need?", "value": "VPN drops every hour"},
                {
                    "fieldId": "customfield_10203",
                    "label": "Office",
                    "value": {"value": "America", "id": "10300", "child": {"value": "Costa Rica", "id": "10301"}},
                },
                {"fieldId": "customfield_10204", "label": "Devices", "value": [{"value": "Laptop", "id": "1"}, {"value": "Phone", "id": "2"}]},
                {
                    "fieldId": "description",
                    "label": "Details",
                    "value": {"type": "doc", "version": 1, "content": [real.para(real.text("Since the Monday update."))]},
                },
            ],
            "currentStatus": {
                "status": "Waiting for support",
                "statusCategory": "NEW",
                "statusDate": {"epochMillis": 1763632800000, "iso8601": "2025-11-20T10:00:00+0000"},
            },
            "requestType": {"id": "11", "name": "Get IT help", "serviceDeskId": "2"},
            "serviceDesk": {"id": "2", "projectKey": "HELP", "projectName": "Help Desk"},
        },
        "assets_object_real.json": {
            "id": "88",
            "objectKey": "ITAM-88",
            "label": "MacBook Pro 16 (C02XK1)",
            "objectType": {"id": "23", "name": "Laptop"},
            "updated": "2025-11-20T10:15:00.000Z",
            "_links": {"self": "https://example.atlassian.net/jira/servicedesk/assets/object/88"},
            "attributes": [
                {
                    "objectTypeAttributeId": "135",
                    "objectTypeAttribute": {"id": "135", "name": "Owner"},
                    "objectAttributeValues": [{"user": {"displayName": "Carol Chen"}, "searchValue": "557058:carol-0003"}],
                },
                {
                    "objectTypeAttributeId": "136",
                    "objectTypeAttribute": {"id": "136", "name": "Serial"},
                    "objectAttributeValues": [{"value": "C02XK1", "displayValue": "C02XK1"}],
                },
                {
                    "objectTypeAttributeId": "137",
                    "objectTypeAttribute": {"id": "137", "name": "Location"},
                    "objectAttributeValues": [{"referencedObject": {"id": "5", "label": "Berlin office"}}],
                },
            ],
        },
        "assets_search_real.json": {
            "startAt": 0,
            "maxResults": 25,
            "total": 1,
            "isLast": True,
            "values": ["ASSET"],
            "objectTypeAttributes": [{"id": "135", "name": "Owner"}],
        },
        "confluence_page_real.json": {
            "id": "65601",
            "status": "current",
            "title": "Release 4.2.1 runbook",
            "spaceId": "98306",
            "parentId": "65537",
            "version": {"number": 7, "createdAt": "2026-11-20T10:00:00.000Z", "authorId": "557058:carol-0003"},
            "labels": {"results": [{"id": "1", "name": "runbook", "prefix": "global"}]},
            "body": {"atlas_doc_format": {"representation": "atlas_doc_format", "value": json.dumps(adf, ensure_ascii=False)}},
            "_links": {"webui": "/spaces/ENG/pages/65601/Release+4.2.1+runbook"},
        },
        "confluence_page_storage_real.json": {
            "id": "65602",
            "status": "current",
            "title": "Release checklist (storage)",
            "spaceId": "98306",
            "version": {"number": 3, "createdAt": "2026-11-21T10:00:00.000Z", "authorId": "557058:dan-0004"},
            "body": {"storage": {"representation": "storage", "value": confluence_realistic.storage()}},
            "_links": {"webui": "/spaces/ENG/pages/65602"},
        },
    }
    out["assets_search_real.json"]["values"] = [out["assets_object_real.json"]]
    target = ROOT / "tests" / "corpus"
    target.mkdir(exist_ok=True)
    for name, doc in out.items():
        (target / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
