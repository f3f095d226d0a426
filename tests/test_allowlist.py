"""ATLASSIAN_PROJECTS / ATLASSIAN_SPACES: every tool that takes a key, id or query, aimed outside, answers
"outside ..." with no data and sends no write; searches and lists inside show only what is allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from harness import run_with_server, text_of

pytestmark = pytest.mark.usefixtures("fresh_jira", "fresh_jsm")

J = {"ATLASSIAN_PROJECTS": "PROJ"}  # OPS-1, project OPS, board 3, every JSM desk and request are outside
O = {"ATLASSIAN_PROJECTS": "OPS"}  # PROJ-*, boards 1 and 2 and their sprints are outside
C = {"ATLASSIAN_SPACES": "OPS"}  # ENG (65537), its pages 1001-1005, their comments and attachments are outside

OUTSIDE: list[tuple[dict[str, str], str, dict[str, Any]]] = [
    # Jira issues and what hangs off them
    (J, "jira_get_issue", {"issue_key": "OPS-1"}),
    (J, "jira_update_issue", {"issue_key": "OPS-1", "summary": "x"}),
    (J, "jira_delete_issue", {"issue_key": "OPS-1"}),
    (J, "jira_get_changelog", {"issue_key": "OPS-1"}),
    (J, "jira_get_comments", {"issue_key": "OPS-1"}),
    (J, "jira_add_comment", {"issue_key": "OPS-1", "comment": "hi"}),
    (J, "jira_edit_comment", {"issue_key": "OPS-1", "comment_id": "1", "comment": "hi"}),
    (J, "jira_delete_comment", {"issue_key": "OPS-1", "comment_id": "1"}),
    (J, "jira_get_transitions", {"issue_key": "OPS-1"}),
    (J, "jira_transition_issue", {"issue_key": "OPS-1", "transition": "Done"}),
    (J, "jira_assign_issue", {"issue_key": "OPS-1", "assignee": "me"}),
    (J, "jira_add_worklog", {"issue_key": "OPS-1", "time_spent": "1h"}),
    (J, "jira_get_worklogs", {"issue_key": "OPS-1"}),
    (J, "jira_get_watchers", {"issue_key": "OPS-1"}),
    (J, "jira_add_watcher", {"issue_key": "OPS-1"}),
    (J, "jira_remove_watcher", {"issue_key": "OPS-1"}),
    (J, "jira_get_attachments", {"issue_key": "OPS-1"}),
    (J, "jira_download_attachment", {"attachment_id": "10000"}),
    (J, "jira_upload_attachment", {"issue_key": "OPS-1", "file_path": "note.txt"}),
    (J, "jira_add_remote_link", {"issue_key": "OPS-1", "url": "https://example.com", "title": "x"}),
    (J, "jira_link_issues", {"issue_key": "PROJ-1", "relation": "blocks", "other_issue_key": "OPS-1"}),
    (J, "jira_link_issues", {"issue_key": "OPS-1", "relation": "blocks", "other_issue_key": "PROJ-1"}),
    (O, "jira_delete_issue_link", {"link_id": "20001"}),
    (J, "jira_update_issue", {"issue_key": "PROJ-2", "parent": "OPS-1"}),
    (J, "jira_create_issue", {"project_key": "PROJ", "summary": "x", "parent": "OPS-1"}),
    # Jira projects: creating in, reading
    (J, "jira_get_project", {"project_key": "OPS"}),
    (J, "jira_get_project", {"project_key": "10001"}),
    (J, "jira_get_create_fields", {"project_key": "OPS"}),
    (J, "jira_create_issue", {"project_key": "OPS", "summary": "x"}),
    (J, "jira_bulk_create_issues", {"project_key": "OPS", "issues": [{"summary": "x"}]}),
    # Jira versions, components, attachments by id
    (J, "jira_list_versions", {"project_key": "OPS"}),
    (J, "jira_create_version", {"project_key": "OPS", "name": "x"}),
    (O, "jira_update_version", {"version": "10201", "released": True}),
    (O, "jira_update_version", {"version": "1.2", "project_key": "PROJ", "released": True}),
    (J, "jira_list_components", {"project_key": "OPS"}),
    (J, "jira_create_component", {"project_key": "OPS", "name": "x"}),
    (J, "jira_delete_attachment", {"attachment_id": "10500"}),
    # Jira Software
    (O, "jira_list_sprints", {"board_id": 1}),
    (O, "jira_create_sprint", {"board_id": 1, "name": "x"}),
    (O, "jira_update_sprint", {"sprint_id": 11, "name": "x"}),
    (O, "jira_move_issues_to_sprint", {"sprint_id": 11, "issue_keys": ["OPS-1"]}),
    (J, "jira_move_issues_to_sprint", {"sprint_id": 11, "issue_keys": ["OPS-1"]}),
    (J, "jira_move_issues_to_sprint", {"sprint_id": "backlog", "issue_keys": ["OPS-1"]}),
    # JSM
    (J, "servicedesk_get_service_desk", {"service_desk_id": "2"}),
    (J, "servicedesk_list_request_types", {"service_desk_id": "2"}),
    (J, "servicedesk_get_request_type", {"service_desk_id": "2", "request_type_id": "10"}),
    (J, "servicedesk_get_request_type_fields", {"service_desk_id": "2", "request_type_id": "10"}),
    (J, "servicedesk_get_requests", {"service_desk_id": "2"}),
    (J, "servicedesk_create_request", {"service_desk_id": "2", "request_type_id": "10", "summary": "x"}),
    (J, "servicedesk_get_request", {"issue_key": "HELP-1"}),
    (J, "servicedesk_get_request_comments", {"issue_key": "HELP-1"}),
    (J, "servicedesk_get_request_status", {"issue_key": "HELP-1"}),
    (J, "servicedesk_get_request_transitions", {"issue_key": "HELP-1"}),
    (J, "servicedesk_get_sla", {"issue_key": "HELP-1"}),
    (J, "servicedesk_add_comment", {"issue_key": "HELP-1", "comment": "x"}),
    (J, "servicedesk_transition_request", {"issue_key": "HELP-1", "transition_id": "761"}),
    (J, "servicedesk_get_approvals", {"issue_key": "HELP-1"}),
    (J, "servicedesk_approve_request", {"issue_key": "HELP-1", "approval_id": "1", "decision": "approve"}),
    (J, "servicedesk_get_participants", {"issue_key": "HELP-1"}),
    (J, "servicedesk_add_participants", {"issue_key": "HELP-1", "account_ids": ["abc"]}),
    (J, "servicedesk_manage_notifications", {"issue_key": "HELP-1", "subscribe": False}),
    (J, "servicedesk_list_organizations", {"service_desk_id": "2"}),
    (J, "servicedesk_get_customers", {"service_desk_id": "2"}),
    (J, "servicedesk_list_queues", {"service_desk_id": "2"}),
    (J, "servicedesk_get_queue_issues", {"service_desk_id": "2", "queue_id": "1"}),
    (J, "servicedesk_search_knowledge_base", {"query": "vpn", "service_desk_id": "2"}),
    (J, "servicedesk_search_knowledge_base", {"query": "vpn"}),
    # Confluence
    (C, "confluence_get_page", {"page_id": "1002"}),
    (C, "confluence_get_page", {"title": "Architecture", "space_key": "ENG"}),
    (C, "confluence_get_page_children", {"page_id": "1001"}),
    (C, "confluence_get_page_tree", {"page_id": "1001"}),
    (C, "confluence_get_space", {"space_id": "65537"}),
    (C, "confluence_get_space", {"space_id": "ENG"}),
    (C, "confluence_get_space_pages", {"space_id": "65537"}),
    (C, "confluence_create_page", {"space_key": "ENG", "title": "x", "content": "x"}),
    (C, "confluence_create_page", {"space_key": "OPS", "parent_id": "1002", "title": "x", "content": "x"}),
    (C, "confluence_update_page", {"page_id": "1002", "content": "x"}),
    (C, "confluence_update_page_section", {"page_id": "1002", "heading": "Steps", "content": "x"}),
    (C, "confluence_move_page", {"page_id": "2001", "target_id": "1002"}),
    (C, "confluence_move_page", {"page_id": "1002", "target_id": "2001"}),
    (C, "confluence_delete_page", {"page_id": "1002"}),
    (C, "confluence_search_content", {"query": "deploy", "space_id": "65537"}),
    (C, "confluence_get_page_comments", {"page_id": "1002"}),
    (C, "confluence_get_comment", {"comment_id": "7001"}),
    (C, "confluence_add_comment", {"page_id": "1002", "comment": "x"}),
    (C, "confluence_add_comment", {"page_id": "2001", "parent_comment_id": "7001", "comment": "x"}),
    (C, "confluence_get_inline_comments", {"page_id": "1002"}),
    (C, "confluence_add_inline_comment", {"page_id": "1002", "text_selection": "first point", "comment": "x"}),
    (C, "confluence_get_page_labels", {"page_id": "1002"}),
    (C, "confluence_add_labels", {"page_id": "1002", "labels": ["x"]}),
    (C, "confluence_remove_label", {"page_id": "1002", "label": "runbook"}),
    (C, "confluence_get_page_attachments", {"page_id": "1002"}),
    (C, "confluence_get_attachment", {"attachment_id": "att8001"}),
    (C, "confluence_download_attachment", {"attachment_id": "att8001"}),
    (C, "confluence_upload_attachment", {"page_id": "1002", "file_path": "note.txt"}),
    (C, "confluence_get_page_versions", {"page_id": "1002"}),
    (C, "confluence_get_page_version", {"page_id": "1002", "version_number": 1}),
    (C, "confluence_get_page_diff", {"page_id": "1002", "from_version": 1}),
    (C, "confluence_list_blog_posts", {"space_key": "ENG"}),
    (C, "confluence_get_blog_post", {"blog_post_id": "4001"}),
    (C, "confluence_create_blog_post", {"space_key": "ENG", "title": "x", "content": "x"}),
    (C, "confluence_update_blog_post", {"blog_post_id": "4001", "content": "x"}),
    (C, "confluence_get_folder", {"folder_id": "5001"}),
    (C, "confluence_create_folder", {"parent_id": "1001", "title": "x"}),
    (C, "confluence_create_folder", {"space_key": "ENG", "title": "x"}),
    (C, "confluence_copy_page", {"page_id": "1003", "to_space": "OPS", "title": "x"}),
    (C, "confluence_copy_page", {"page_id": "2001", "to_parent_id": "1001", "title": "x"}),
    (C, "confluence_copy_page", {"page_id": "2001", "to_space": "ENG", "title": "x"}),
    (C, "confluence_copy_page", {"page_id": "2001", "to_parent_id": "1001", "include_children": True}),
    (C, "confluence_list_templates", {"space_key": "ENG"}),
    (C, "confluence_create_page", {"space_key": "OPS", "title": "x", "template_id": "98306"}),
    (C, "confluence_delete_attachment", {"attachment_id": "att8001"}),
]

SECRETS = ("Operations", "OPS-1", "VPN", "HELP-1", "Runbook", "Engineering", "deploy", "Architecture", "Rollback", "Release 1.2", "Design notes", "Attendees")


def _env(cloud: Any, tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    (tmp_path / "note.txt").write_text("a note\n")
    return cloud.env(ATLASSIAN_ENABLE_DESTRUCTIVE="true", ATLASSIAN_FILE_ROOT=str(tmp_path), **extra)


@pytest.mark.parametrize(("extra", "tool", "args"), OUTSIDE, ids=[f"{t}-{i}" for i, (_, t, _a) in enumerate(OUTSIDE)])
def test_outside_target_is_refused_without_data_or_writes(cloud: Any, tmp_path: Path, extra: dict[str, str], tool: str, args: dict[str, Any]) -> None:
    cloud.clear_log()
    result = run_with_server(_env(cloud, tmp_path, extra), lambda s: s.call(tool, args))
    text = text_of(result)
    assert result.is_error, text
    assert ("outside the" in text or "cannot be checked" in text) and ("ATLASSIAN_PROJECTS" in text or "ATLASSIAN_SPACES" in text), text
    assert not result.structured_content
    shown = text.replace(str(args.get("issue_key", "")), "")
    assert not [s for s in SECRETS if s.lower() in shown.lower() and s.lower() not in str(args).lower()], text
    writes = [r for r in cloud.log if r["method"] != "GET"]
    assert not writes, writes


def test_searches_and_lists_show_only_what_is_allowed(cloud: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> dict[str, Any]:
        calls = {
            "jql": ("jira_search", {"jql": "project = OPS ORDER BY key"}),
            "all": ("jira_search", {"jql": "order by key"}),
            "escape": ("jira_search", {"jql": "project = OPS) OR (project = OPS"}),
            "cross": ("atlassian_search", {"query": "deploy"}),
            "cql": ("confluence_search", {"query": "deploy"}),
            "label": ("confluence_search_by_label", {"label_id": "9001"}),
            "projects": ("jira_list_projects", {}),
            "boards": ("jira_list_boards", {}),
            "spaces": ("confluence_list_spaces", {}),
            "desks": ("servicedesk_list_service_desks", {}),
            "requests": ("servicedesk_get_requests", {}),
            "types": ("servicedesk_list_request_types", {}),
            "inside_issue": ("jira_get_issue", {"issue_key": "PROJ-1"}),
            "inside_page": ("confluence_get_page", {"page_id": "2001"}),
            "blogs": ("confluence_list_blog_posts", {}),
        }
        return {name: await server.call(tool, args) for name, (tool, args) in calls.items()}

    r = run_with_server(_env(cloud, tmp_path, {**J, **C}), scenario)
    t = {k: text_of(v) for k, v in r.items()}
    assert "OPS-1" not in t["jql"] and "OPS-1" not in t["all"] and "PROJ-1" in t["all"]
    sent = [q["query"]["jql"][0] for q in cloud.requests_to("/rest/api/3/search/jql")]
    assert all(jql.startswith('project in ("PROJ") AND ') or jql.lower().startswith('project in ("proj") order') for jql in sent), sent
    assert r["escape"].is_error and "parenthes" in t["escape"]
    for key in ("cross", "cql", "label"):
        assert "Engineering" not in t[key] and not [pid for pid in ("1001", "1002", "1003", "1004", "1005") if pid in t[key]], t[key]
    cql = [q["query"]["cql"][0] for q in cloud.requests_to("/wiki/rest/api/search")]
    assert cql and all(c.startswith('space in ("OPS")') for c in cql), cql
    assert "Project One" in t["projects"] and "Operations" not in t["projects"]
    assert "PROJ board" in t["boards"] and "OPS board" not in t["boards"]
    assert "Operations" in t["spaces"] and "Engineering" not in t["spaces"]
    assert "IT Help" not in t["desks"] and "Operations" not in t["desks"]
    assert "HELP-1" not in t["requests"] and "VPN" not in t["requests"]
    assert not r["types"].structured_content or not any(r["types"].structured_content.values()) or "HELP" not in t["types"]
    assert not r["inside_issue"].is_error and "PROJ-1" in t["inside_issue"]
    assert not r["inside_page"].is_error and "Ops Home" in t["inside_page"]
    assert "On-call changes" in t["blogs"] and "Release 1.2 is out" not in t["blogs"]


def test_service_desks_whose_project_is_outside_are_hidden(cloud: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> Any:
        return await server.call("servicedesk_list_service_desks", {}), await server.call("servicedesk_get_request", {"issue_key": "HELP-1"})

    desks, request = run_with_server(_env(cloud, tmp_path, {"ATLASSIAN_PROJECTS": "HELP"}), scenario)
    assert "IT Help" in text_of(desks) and "Operations" not in text_of(desks) and "People Desk" not in text_of(desks)
    assert not request.is_error and "VPN" in text_of(request)


def test_an_issue_moved_out_of_the_projects_is_refused_after_fetching(cloud: Any, tmp_path: Path) -> None:
    issue = cloud.state["jira_issues"]["PROJ-3"]
    issue["fields"]["project"] = {"key": "OPS", "name": "Operations", "id": "10001"}  # moved; the old key still answers
    result = run_with_server(_env(cloud, tmp_path, J), lambda s: s.call("jira_get_issue", {"issue_key": "PROJ-3"}))
    assert result.is_error and text_of(result) == "Issue PROJ-3 is outside the projects this server may use (ATLASSIAN_PROJECTS)."
    assert issue["fields"]["summary"] not in text_of(result)


def test_prompts_refuse_outside_projects_and_spaces(cloud: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> list[str]:
        out = []
        for name, args in (
            ("plan_work", {"project": "OPS", "notes": "x"}),
            ("project_brief", {"project": "PROJ", "space": "ENG"}),
            ("document_work", {"space": "OPS", "issues": "PROJ-1, OPS-1"}),
            ("plan_work", {"project": "PROJ", "notes": "x"}),
        ):
            try:
                got = await server.session.get_prompt(name, args)
                out.append("ok: " + got.messages[0].content.text[:20])
            except Exception as exc:
                out.append(str(exc))
        return out

    answers = run_with_server(_env(cloud, tmp_path, {**J, **C}), scenario)
    assert "Project OPS is outside the projects this server may use" in answers[0]
    assert "Space ENG is outside the spaces this server may use" in answers[1]
    assert "Issue OPS-1 is outside" in answers[2]
    assert answers[3].startswith("ok: ")


def test_settings_read_keys_from_env_and_config_toml(tmp_path: Path) -> None:
    from atlassian_mcp_server.config import Settings
    from atlassian_mcp_server.errors import ConfigError

    site = {"ATLASSIAN_SITE_URL": "https://acme.atlassian.net", "ATLASSIAN_CONFIG_DIR": str(tmp_path)}
    s = Settings.from_env({**site, "ATLASSIAN_PROJECTS": " proj, ops,PROJ ", "ATLASSIAN_SPACES": "ENG,~ada"})
    assert s.projects == ("PROJ", "OPS") and s.spaces == ("ENG", "~ada")
    assert Settings.from_env(site).projects is None and Settings.from_env({**site, "ATLASSIAN_SPACES": " "}).spaces is None
    with pytest.raises(ConfigError, match="ATLASSIAN_PROJECTS must be a comma list of keys"):
        Settings.from_env({**site, "ATLASSIAN_PROJECTS": "PROJ,a b"})
    (tmp_path / "config.toml").write_text('projects = ["PROJ"]\nspaces = "OPS"\n')
    tmp_path.chmod(0o700)
    (tmp_path / "config.toml").chmod(0o600)
    s = Settings.from_env(site)
    assert s.projects == ("PROJ",) and s.spaces == ("OPS",)


def test_status_shows_the_allowlist(tmp_path: Path) -> None:
    import subprocess

    from harness import server_command

    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "ATLASSIAN_CONFIG_DIR": str(tmp_path), "ATLASSIAN_PROJECTS": "PROJ,OPS"}
    done = subprocess.run([*server_command(), "status"], env=env, capture_output=True, text=True, timeout=60)
    assert "projects: PROJ,OPS  (environment)" in done.stdout
    assert "spaces: -  (default)" in done.stdout


def test_an_unknown_target_is_answered_as_unknown_not_as_outside(cloud: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_add_comment", {"issue_key": "PROJ-999", "comment": "x"}),
            await server.call("confluence_add_labels", {"page_id": "999999", "labels": ["x"]}),
        )

    issue, page = run_with_server(_env(cloud, tmp_path, {**J, **C}), scenario)
    assert issue.is_error and "404" in text_of(issue) and "outside" not in text_of(issue)
    assert page.is_error and "404" in text_of(page) and "outside" not in text_of(page)
    assert not [r for r in cloud.log if r["method"] != "GET"]


def test_doctor_stays_green_with_an_allowlist(cloud: Any) -> None:
    import subprocess

    from harness import server_command

    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **cloud.env(ATLASSIAN_PROJECTS="PROJ", ATLASSIAN_SPACES="ENG")}
    proc = subprocess.run([*server_command(), "doctor"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Tools that take a key, id or query but whose outside target cannot leak: searches the guard narrows
# (test_searches_and_lists_show_only_what_is_allowed), lists it filters, and things that belong to no
# project or space (filters, users, fields, labels, Assets, the sign-in).
NARROWED = {
    "atlassian_search",
    "jira_search",
    "jira_get_sprint_issues",
    "jira_list_boards",
    "jira_list_projects",
    "confluence_search",
    "confluence_search_by_label",
    "confluence_list_spaces",
    "confluence_list_blog_posts",
    "servicedesk_list_service_desks",
    "servicedesk_list_request_types",
    "servicedesk_get_requests",
}
NEUTRAL = {"jira_search_fields", "jira_search_users", "jira_list_filters", "jira_get_filter", "confluence_list_labels", "servicedesk_list_organizations"}
TARGETS = {"issue_key", "issue_keys", "project_key", "page_id", "space_key", "space_id", "service_desk_id", "board_id", "sprint_id", "attachment_id"}
TARGETS |= {"comment_id", "blog_post_id", "folder_id", "label_id", "link_id", "jql", "cql", "query", "template_id", "version", "to_parent_id", "target_id"}


def test_every_tool_that_takes_a_target_is_driven_here() -> None:
    """A tool added later that takes a key, id or query must be driven with an outside target above."""
    from atlassian_mcp_server.tools.catalogue import CATALOGUE

    driven = {tool for _, tool, _ in OUTSIDE} | NARROWED | NEUTRAL
    takes = {t.name for t in CATALOGUE.tools if set(t.params) & TARGETS and not t.name.startswith("assets_")}  # Assets is not limited
    assert len(takes) > 90 and not sorted(takes - driven)


def test_sprint_issues_and_boards_of_an_outside_project_show_nothing(cloud: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_get_sprint_issues", {"sprint_id": 11}),
            await server.call("jira_list_boards", {"project_key": "PROJ"}),
            await server.call("servicedesk_list_request_types", {}),
        )

    issues, boards, types = run_with_server(_env(cloud, tmp_path, O), scenario)
    assert "PROJ-" not in text_of(issues) and not issues.structured_content["issues"]
    assert "PROJ board" not in text_of(boards) and "PROJ flow" not in text_of(boards)
    assert {str(t["service_desk_id"]) for t in types.structured_content["request_types"]} <= {"1"}  # desk 1 is OPS


def test_whoami_says_which_projects_and_spaces_the_server_may_use(cloud: Any, tmp_path: Path) -> None:
    result = run_with_server(_env(cloud, tmp_path, {"ATLASSIAN_PROJECTS": "PROJ,OPS", "ATLASSIAN_SPACES": "ENG"}), lambda s: s.call("atlassian_whoami", {}))
    assert "- **Projects:** only PROJ, OPS" in text_of(result) and "- **Spaces:** only ENG" in text_of(result)
    assert result.structured_content["projects"] == ["PROJ", "OPS"] and result.structured_content["spaces"] == ["ENG"]
    plain = run_with_server(cloud.env(), lambda s: s.call("atlassian_whoami", {}))
    assert "projects" not in plain.structured_content and "Projects" not in text_of(plain)
