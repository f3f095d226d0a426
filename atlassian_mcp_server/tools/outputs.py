"""What each tool's structuredContent holds: its outputSchema, declared here and attached by the catalogue.

The schemas are lean on purpose (they are listed with every tool): each names the lists an answer
always carries and the identifiers it always has, with their JSON types. Other keys may be present
(and may be null); a client can rely on the declared ones. tests/test_e2e_output_schemas.py drives
every tool and validates its answer against its schema.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .registry import ToolSpec

SHAPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "array": {"type": "array"},
    "objects": {"type": "array", "items": {"type": "object"}},
    "strings": {"type": "array", "items": {"type": "string"}},
}


def out(**props: str) -> dict[str, Any]:
    """An object schema whose properties have the named shapes (see SHAPES)."""
    schema: dict[str, Any] = {"type": "object"}
    if props:
        schema["properties"] = {name: SHAPES[shape] for name, shape in props.items()}
    return schema


ANY_OBJECT = out()

OUTPUTS: dict[str, dict[str, Any]] = {
    "authenticate_atlassian": out(status="string"),
    "atlassian_whoami": out(modules="strings"),
    "atlassian_toolsets": out(toolsets="objects"),
    "atlassian_enable_toolset": out(enabled="strings", tool_count="integer"),
    "atlassian_search": out(results="objects", notes="array"),
    "jira_search": out(issues="objects"),
    "jira_get_issue": out(key="string", id="string", url="string", status="string"),
    "jira_get_comments": out(issue_key="string", comments="objects"),
    "jira_get_transitions": out(issue_key="string", transitions="objects"),
    "jira_get_worklogs": out(issue_key="string", worklogs="objects"),
    "jira_list_projects": out(projects="objects"),
    "jira_get_project": out(key="string", id="string", issue_types="objects", components="objects", versions="objects"),
    "jira_get_create_fields": out(fields="objects"),
    "jira_search_fields": out(fields="objects"),
    "jira_search_users": out(users="objects"),
    "jira_get_link_types": out(link_types="objects"),
    "jira_get_attachments": out(issue_key="string", attachments="objects"),
    "jira_download_attachment": out(id="string"),
    "jira_list_boards": out(boards="objects"),
    "jira_list_sprints": out(sprints="objects"),
    "jira_get_sprint_issues": out(issues="objects"),
    "jira_get_watchers": out(issue_key="string", watchers="objects"),
    "jira_get_changelog": out(issue_key="string", changes="objects"),
    "jira_create_issue": out(key="string", id="string", url="string"),
    "jira_update_issue": out(key="string", url="string", changed="strings"),
    "jira_add_comment": out(issue_key="string", url="string"),
    "jira_edit_comment": out(issue_key="string", url="string"),
    "jira_delete_comment": out(issue_key="string"),
    "jira_transition_issue": out(key="string", url="string", status="string", fields_set="strings"),
    "jira_assign_issue": out(key="string", url="string"),
    "jira_add_worklog": out(key="string", url="string"),
    "jira_link_issues": out(key="string", url="string"),
    "jira_add_remote_link": out(key="string", url="string"),
    "jira_delete_issue_link": out(),
    "jira_upload_attachment": out(key="string", url="string"),
    "jira_move_issues_to_sprint": out(issue_keys="strings"),
    "jira_create_sprint": out(id="integer"),
    "jira_update_sprint": out(id="integer"),
    "jira_add_watcher": out(key="string", url="string"),
    "jira_remove_watcher": out(key="string", url="string"),
    "jira_bulk_create_issues": out(created="objects", errors="array"),
    "jira_delete_issue": out(),
    "confluence_get_page": out(id="string", status="string", labels="strings", url="string"),
    "confluence_get_page_children": out(children="objects"),
    "confluence_get_page_tree": out(descendants="objects"),
    "confluence_list_spaces": out(spaces="objects"),
    "confluence_get_space": out(id="string", key="string", status="string", url="string", labels="array"),
    "confluence_get_space_pages": out(pages="objects"),
    "confluence_search": out(cql="string", results="objects"),
    "confluence_search_content": out(cql="string", results="objects"),
    "confluence_search_by_label": out(cql="string", results="objects"),
    "confluence_get_page_comments": out(comments="objects"),
    "confluence_get_comment": out(id="string", url="string", page_id="string", replies="objects"),
    "confluence_get_inline_comments": out(comments="objects"),
    "confluence_get_page_labels": out(labels="objects"),
    "confluence_list_labels": out(labels="objects"),
    "confluence_get_page_attachments": out(attachments="objects"),
    "confluence_get_attachment": out(id="string", page_id="string", url="string"),
    "confluence_download_attachment": out(id="string", page_id="string", url="string"),
    "confluence_get_page_versions": out(versions="objects"),
    "confluence_get_page_version": out(id="string", status="string", labels="array", url="string"),
    "confluence_get_page_diff": out(page_id="string"),
    "confluence_create_page": out(id="string", url="string"),
    "confluence_update_page": out(id="string", url="string"),
    "confluence_update_page_section": out(id="string", url="string"),
    "confluence_add_comment": out(id="string", page_id="string", url="string"),
    "confluence_add_inline_comment": out(id="string", page_id="string", url="string"),
    "confluence_add_labels": out(page_id="string", added="strings", labels="strings"),
    "confluence_remove_label": out(page_id="string"),
    "confluence_upload_attachment": out(id="string", page_id="string", url="string"),
    "confluence_move_page": out(id="string"),
    "confluence_delete_page": out(id="string"),
    "servicedesk_check_availability": out(),
    "servicedesk_list_service_desks": out(service_desks="objects"),
    "servicedesk_get_service_desk": out(id="string", url="string"),
    "servicedesk_list_request_types": out(request_types="objects"),
    "servicedesk_get_request_type": out(id="string"),
    "servicedesk_get_request_type_fields": out(fields="objects"),
    "servicedesk_get_requests": out(requests="objects"),
    "servicedesk_get_request": out(key="string", status="string", id="string", url="string", participants="strings", slas="objects"),
    "servicedesk_get_request_comments": out(key="string", comments="objects"),
    "servicedesk_get_request_status": out(key="string", status="string", history="objects"),
    "servicedesk_get_request_transitions": out(key="string", transitions="objects"),
    "servicedesk_get_sla": out(key="string", slas="objects"),
    "servicedesk_get_approvals": out(key="string", approvals="objects"),
    "servicedesk_get_participants": out(key="string", participants="objects"),
    "servicedesk_list_organizations": out(organizations="objects"),
    "servicedesk_get_customers": out(customers="objects"),
    "servicedesk_list_queues": out(queues="objects"),
    "servicedesk_get_queue_issues": out(issues="objects"),
    "servicedesk_search_knowledge_base": out(articles="objects"),
    "servicedesk_create_request": out(key="string", id="string", url="string", status="string"),
    "servicedesk_add_comment": out(key="string", url="string"),
    "servicedesk_transition_request": out(key="string", url="string"),
    "servicedesk_approve_request": out(key="string", url="string"),
    "servicedesk_add_participants": out(key="string", added="strings", participants="objects", url="string"),
    "servicedesk_manage_notifications": out(key="string"),
    "assets_list_workspaces": out(workspaces="strings"),
    "assets_search_objects": out(aql="string", objects="objects"),
    "assets_get_object": out(id="string", key="string", url="string"),
    "assets_get_object_types": out(object_types="objects"),
    "assets_create_object": out(id="string", key="string", url="string"),
    "assets_update_object": out(id="string", key="string", changed="strings", url="string"),
    "jira_list_versions": out(project="string", versions="objects"),
    "jira_create_version": out(project="string"),
    "jira_update_version": out(project="string"),
    "jira_list_components": out(project="string", components="objects"),
    "jira_create_component": out(),
    "jira_list_filters": out(filters="objects"),
    "jira_get_filter": out(),
    "jira_delete_attachment": out(id="string", deleted="boolean"),
    "confluence_list_blog_posts": out(blog_posts="objects"),
    "confluence_get_blog_post": out(id="string", status="string", labels="strings", url="string"),
    "confluence_create_blog_post": out(id="string", url="string"),
    "confluence_update_blog_post": out(id="string", url="string"),
    "confluence_get_folder": out(id="string"),
    "confluence_create_folder": out(id="string"),
    "confluence_copy_page": out(),
    "confluence_list_templates": out(templates="objects"),
    "confluence_delete_attachment": out(id="string", deleted="boolean"),
}


def with_outputs(tools: tuple[ToolSpec, ...]) -> tuple[ToolSpec, ...]:
    """The tools with their outputSchema (a plain object schema for a tool not declared above)."""
    return tuple(t if t.output is not None else replace(t, output=OUTPUTS.get(t.name, ANY_OBJECT)) for t in tools)
