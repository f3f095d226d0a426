"""End to end: every tool, driven once through the MCP client against the fake cloud, answers
with structuredContent that validates against the outputSchema it lists."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from harness import run_with_server, text_of
from jsonschema import Draft202012Validator

from atlassian_mcp_server.tools.catalogue import CATALOGUE

CAROL = "qm:carol-0001"
PAGE = "1002"

# (tool, arguments): in order, each one answering without an error; writes come after the reads they would change.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("authenticate_atlassian", {}),
    ("atlassian_whoami", {}),
    ("atlassian_toolsets", {}),
    ("atlassian_enable_toolset", {"toolset": "all"}),
    ("atlassian_search", {"query": "page"}),
    ("jira_search", {"jql": "project = PROJ"}),
    ("jira_get_issue", {"issue_key": "PROJ-1"}),
    ("jira_get_comments", {"issue_key": "PROJ-1", "limit": 2}),
    ("jira_get_transitions", {"issue_key": "PROJ-1"}),
    ("jira_get_worklogs", {"issue_key": "PROJ-1", "limit": 2}),
    ("jira_list_projects", {}),
    ("jira_get_project", {"project_key": "PROJ"}),
    ("jira_get_create_fields", {"project_key": "PROJ", "issue_type": "Bug"}),
    ("jira_search_fields", {"query": "team"}),
    ("jira_search_users", {"query": "bo"}),
    ("jira_get_link_types", {}),
    ("jira_get_attachments", {"issue_key": "PROJ-1"}),
    ("jira_download_attachment", {"attachment_id": "10500"}),
    ("jira_list_boards", {}),
    ("jira_list_sprints", {"board_id": "1"}),
    ("jira_get_sprint_issues", {"sprint_id": "11"}),
    ("jira_get_watchers", {"issue_key": "PROJ-1"}),
    ("jira_get_changelog", {"issue_key": "PROJ-1", "limit": 1}),
    ("jira_list_versions", {"project_key": "PROJ"}),
    ("jira_create_version", {"project_key": "PROJ", "name": "9.0"}),
    ("jira_update_version", {"version": "9.0", "project_key": "PROJ", "released": True}),
    ("jira_list_components", {"project_key": "PROJ"}),
    ("jira_create_component", {"project_key": "PROJ", "name": "Mobile"}),
    ("jira_list_filters", {}),
    ("jira_get_filter", {"filter_id": "10401"}),
    ("jira_delete_attachment", {"attachment_id": "10500"}),
    ("jira_create_issue", {"project_key": "PROJ", "summary": "x", "issue_type": "Bug", "fields": {"Severity": "S2"}}),
    ("jira_update_issue", {"issue_key": "PROJ-1", "labels": ["one", "two"], "assignee": "Carol Danvers"}),
    ("jira_add_comment", {"issue_key": "PROJ-2", "comment": "scan me"}),
    ("jira_edit_comment", {"issue_key": "PROJ-1", "comment_id": "101", "comment": "Fix is *merged*."}),
    ("jira_delete_comment", {"issue_key": "PROJ-1", "comment_id": "101"}),
    ("jira_transition_issue", {"issue_key": "PROJ-3", "transition": "Done", "resolution": "Done"}),
    ("jira_assign_issue", {"issue_key": "PROJ-4", "assignee": "Carol Danvers"}),
    ("jira_add_worklog", {"issue_key": "PROJ-1", "time_spent": "2d"}),
    ("jira_link_issues", {"issue_key": "PROJ-3", "relation": "is blocked by", "other_issue_key": "PROJ-4"}),
    ("jira_add_remote_link", {"issue_key": "PROJ-1", "url": "https://example.com/design", "title": "Design doc v2"}),
    ("jira_delete_issue_link", {"link_id": "20001"}),
    ("jira_upload_attachment", {"issue_key": "PROJ-2", "file_path": "report.csv"}),
    ("jira_move_issues_to_sprint", {"sprint_id": 11, "issue_keys": ["PROJ-1"]}),
    ("jira_create_sprint", {"board_id": 1, "name": "Sprint 12", "goal": "Polish login"}),
    ("jira_update_sprint", {"sprint_id": 11, "goal": "Fixed login"}),
    ("jira_add_watcher", {"issue_key": "PROJ-3"}),
    ("jira_remove_watcher", {"issue_key": "PROJ-1", "user": "bob@example.com"}),
    ("jira_bulk_create_issues", {"project_key": "PROJ", "issues": [{"summary": "a"}, {"summary": "b"}]}),
    ("jira_delete_issue", {"issue_key": "PROJ-7"}),
    ("confluence_get_page", {"page_id": PAGE}),
    ("confluence_get_page_children", {"page_id": "1001"}),
    ("confluence_get_page_tree", {"page_id": "1001", "depth": 3}),
    ("confluence_list_spaces", {}),
    ("confluence_get_space", {"space_id": "ENG"}),
    ("confluence_get_space_pages", {"space_id": "ENG", "limit": 3}),
    ("confluence_search", {"query": "deploy"}),
    ("confluence_search_content", {"query": "checklist"}),
    ("confluence_search_by_label", {"label_id": "runbook"}),
    ("confluence_get_page_comments", {"page_id": PAGE}),
    ("confluence_get_comment", {"comment_id": "7001"}),
    ("confluence_get_inline_comments", {"page_id": PAGE}),
    ("confluence_get_page_labels", {"page_id": PAGE}),
    ("confluence_list_labels", {"limit": 2}),
    ("confluence_get_page_attachments", {"page_id": PAGE}),
    ("confluence_get_attachment", {"attachment_id": "att8003"}),
    ("confluence_download_attachment", {"attachment_id": "att8001"}),
    ("confluence_get_page_versions", {"page_id": PAGE}),
    ("confluence_get_page_version", {"page_id": PAGE, "version_number": 1}),
    ("confluence_get_page_diff", {"page_id": PAGE, "from_version": 1}),
    ("confluence_create_page", {"space_key": "ENG", "title": "Schema notes", "content": "In ENG.\n\n## Summary\n\nFirst."}),
    ("confluence_update_page", {"page_id": "$page", "content": "## Summary\n\nNone after the fix."}),
    ("confluence_update_page_section", {"page_id": "$page", "heading": "Summary", "content": "Shipped."}),
    ("confluence_add_comment", {"page_id": "$page", "comment": "Looks **good**."}),
    ("confluence_add_inline_comment", {"page_id": "$page", "text_selection": "Shipped", "comment": "When?"}),
    ("confluence_add_labels", {"page_id": "$page", "labels": ["q4"]}),
    ("confluence_remove_label", {"page_id": "$page", "label": "q4"}),
    ("confluence_upload_attachment", {"page_id": "$page", "file_path": "report.csv"}),
    ("confluence_move_page", {"page_id": "$page", "target_id": "1003"}),
    ("confluence_list_blog_posts", {}),
    ("confluence_get_blog_post", {"blog_post_id": "4001"}),
    ("confluence_create_blog_post", {"space_key": "OPS", "title": "Quarterly review", "content": "# Wins"}),
    ("confluence_update_blog_post", {"blog_post_id": "4001", "content": "Updated **body**"}),
    ("confluence_get_folder", {"folder_id": "5001"}),
    ("confluence_create_folder", {"parent_id": "1003", "title": "Decisions"}),
    ("confluence_copy_page", {"page_id": "1003", "to_parent_id": "1001", "title": "Architecture v2"}),
    ("confluence_list_templates", {}),
    ("confluence_delete_attachment", {"attachment_id": "$att"}),  # the one uploaded above: seeded files stay for other tests
    ("confluence_delete_page", {"page_id": "$page"}),
    ("servicedesk_check_availability", {}),
    ("servicedesk_list_service_desks", {}),
    ("servicedesk_get_service_desk", {"service_desk_id": "HELP"}),
    ("servicedesk_list_request_types", {"service_desk_id": "HELP"}),
    ("servicedesk_get_request_type", {"service_desk_id": "2", "request_type_id": "get it help"}),
    ("servicedesk_get_request_type_fields", {"service_desk_id": "HELP", "request_type_id": "10"}),
    ("servicedesk_get_requests", {"service_desk_id": "HELP"}),
    ("servicedesk_get_request", {"issue_key": "HELP-1"}),
    ("servicedesk_get_request_comments", {"issue_key": "HELP-1"}),
    ("servicedesk_get_request_status", {"issue_key": "HELP-1"}),
    ("servicedesk_get_request_transitions", {"issue_key": "HELP-1"}),
    ("servicedesk_get_sla", {"issue_key": "HELP-1"}),
    ("servicedesk_get_approvals", {"issue_key": "HELP-2"}),
    ("servicedesk_get_participants", {"issue_key": "HELP-1"}),
    ("servicedesk_list_organizations", {}),
    ("servicedesk_get_customers", {"service_desk_id": "HELP", "query": "carol"}),
    ("servicedesk_list_queues", {"service_desk_id": "HELP"}),
    ("servicedesk_get_queue_issues", {"service_desk_id": "HELP", "queue_id": "all open"}),
    ("servicedesk_search_knowledge_base", {"query": "vpn", "limit": 2}),
    ("servicedesk_create_request", {"service_desk_id": "HELP", "request_type_id": "Get IT help", "summary": "Mail", "fields": {"Urgency": "Low"}}),
    ("servicedesk_add_comment", {"issue_key": "HELP-1", "comment": "Checked the gateway logs.", "public": False}),
    ("servicedesk_transition_request", {"issue_key": "HELP-1", "transition_id": "respond to customer"}),
    ("servicedesk_approve_request", {"issue_key": "HELP-2", "approval_id": "7", "decision": "approve"}),
    ("servicedesk_add_participants", {"issue_key": "HELP-2", "account_ids": [CAROL]}),
    ("servicedesk_manage_notifications", {"issue_key": "HELP-1"}),
    ("assets_list_workspaces", {}),
    ("assets_search_objects", {"object_type": "Laptop"}),
    ("assets_get_object", {"object_id": "ITAM-1"}),
    ("assets_get_object_types", {}),
    ("assets_create_object", {"object_type": "monitor", "attributes": {"Name": "LG 32", "size": 32}}),
    ("assets_update_object", {"object_id": "ITAM-1", "attributes": {"Status": "Retired"}}),
]


def test_every_tool_is_driven_here() -> None:
    assert sorted(name for name, _ in CALLS) == sorted(t.name for t in CATALOGUE.tools)


def test_every_answer_validates_against_its_output_schema(cloud: Any, tmp_path: Path) -> None:
    from fakecloud import jsm

    (tmp_path / "report.csv").write_text("a,b\n1,2\n", encoding="utf-8")

    async def scenario(server: Any) -> Any:
        listed = {t.name: t for t in (await server.session.list_tools()).tools}
        answers = {}
        made = {"$page": "", "$att": ""}
        for name, args in CALLS:
            args = {k: made.get(v, v) if isinstance(v, str) else v for k, v in args.items()}
            result = await server.session.call_tool(name, args)
            answers[name] = result
            if name == "confluence_create_page" and not result.is_error:
                made["$page"] = result.structured_content["id"]
            if name == "confluence_upload_attachment" and not result.is_error:
                made["$att"] = result.structured_content["id"]
        return listed, answers

    jsm.seed(cloud.state)
    env = cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true", ATLASSIAN_API_URL=cloud.url, ATLASSIAN_FILE_ROOT=str(tmp_path))
    try:
        listed, answers = run_with_server(env, scenario)
    finally:
        jsm.seed(cloud.state)
    record = os.environ.get("RECORD_STRUCTURED")  # a path: write every answer's data, to review schemas against
    if record:
        Path(record).write_text(json.dumps({n: a.structured_content for n, a in answers.items()}, indent=1, default=str), encoding="utf-8")
    failed = {name: text_of(a)[:200] for name, a in answers.items() if a.is_error}
    assert not failed, "\n".join(f"{k}: {v}" for k, v in failed.items())
    for name, answer in answers.items():
        schema = listed[name].output_schema
        assert schema and schema.get("type") == "object", name
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e in Draft202012Validator(schema).iter_errors(answer.structured_content)]
        assert not errors, (name, errors)


@pytest.mark.parametrize("spec", CATALOGUE.tools, ids=[t.name for t in CATALOGUE.tools])
def test_output_schema_is_lean_and_typed(spec: Any) -> None:
    schema = spec.output
    assert schema and schema["type"] == "object"
    Draft202012Validator.check_schema(schema)

    def walk(node: dict[str, Any]) -> None:
        assert isinstance(node.get("type"), str)
        for sub in node.get("properties", {}).values():
            walk(sub)
        if "items" in node:
            walk(node["items"])

    walk(schema)
