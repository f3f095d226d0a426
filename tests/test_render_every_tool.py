"""Property: every read tool answers, never raises, whatever JSON type a value of its API response has.

Each read tool runs once in process against the fake cloud through the real clients, which are
recorded; then it is replayed with one recorded value at a time replaced by a value of another
JSON type. Where a response has many values, an even sample of them is replaced. The real-shaped
corpus gets the exhaustive treatment in test_render_any_value.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonvalue import clone, paths, replaced

from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.errors import AtlassianError
from atlassian_mcp_server.services import Services
from atlassian_mcp_server.tools.catalogue import CATALOGUE
from atlassian_mcp_server.tools.registry import Answer

SAMPLES: list[Any] = [None, True, 7, 2.5, "x", "2026-01-01T00:00:00.000+0000", [], [1, "a"], {}, {"a": None}]
MAX_PLACES = 120  # per tool: an even sample of the places in its recorded responses

ARGS: dict[str, dict[str, Any]] = {
    "atlassian_whoami": {},
    "atlassian_search": {"query": "deploy"},
    "jira_search": {"jql": "project = PROJ ORDER BY key", "fields": ["Story point estimate", "Sprint"]},
    "jira_get_issue": {"issue_key": "PROJ-1", "expand": ["changelog"]},
    "jira_get_comments": {"issue_key": "PROJ-1"},
    "jira_get_transitions": {"issue_key": "PROJ-1"},
    "jira_get_worklogs": {"issue_key": "PROJ-1"},
    "jira_list_projects": {},
    "jira_get_project": {"project_key": "PROJ"},
    "jira_get_create_fields": {"project_key": "PROJ", "issue_type": "Bug"},
    "jira_search_fields": {"query": "Team"},
    "jira_search_users": {"query": "bob"},
    "jira_get_link_types": {},
    "jira_get_attachments": {"issue_key": "PROJ-1"},
    "jira_list_versions": {"project_key": "PROJ"},
    "jira_list_components": {"project_key": "PROJ"},
    "jira_list_filters": {},
    "jira_get_filter": {"filter_id": "10401"},
    "confluence_list_blog_posts": {},
    "confluence_get_blog_post": {"blog_post_id": "4001"},
    "confluence_get_folder": {"folder_id": "5001"},
    "confluence_list_templates": {},
    "jira_list_boards": {},
    "jira_list_sprints": {"board_id": "1"},
    "jira_get_sprint_issues": {"sprint_id": "11"},
    "jira_get_watchers": {"issue_key": "PROJ-1"},
    "jira_get_changelog": {"issue_key": "PROJ-1"},
    "confluence_get_page": {"page_id": "1002"},
    "confluence_get_page_children": {"page_id": "1001"},
    "confluence_get_page_tree": {"page_id": "1001"},
    "confluence_list_spaces": {},
    "confluence_get_space": {"space_id": "65537"},
    "confluence_get_space_pages": {"space_id": "65537"},
    "confluence_search": {"query": "deploy"},
    "confluence_search_content": {"query": "deploy"},
    "confluence_search_by_label": {"label_id": "9001"},
    "confluence_get_page_comments": {"page_id": "1002"},
    "confluence_get_comment": {"comment_id": "7001"},
    "confluence_get_inline_comments": {"page_id": "1002"},
    "confluence_get_page_labels": {"page_id": "1003"},
    "confluence_list_labels": {},
    "confluence_get_page_attachments": {"page_id": "1002"},
    "confluence_get_attachment": {"attachment_id": "att8001"},
    "confluence_get_page_versions": {"page_id": "1002"},
    "confluence_get_page_version": {"page_id": "1002", "version_number": 1},
    "confluence_get_page_diff": {"page_id": "1002", "from_version": 1},
    "servicedesk_list_service_desks": {},
    "servicedesk_get_service_desk": {"service_desk_id": "2"},
    "servicedesk_list_request_types": {"service_desk_id": "2"},
    "servicedesk_get_request_type": {"service_desk_id": "2", "request_type_id": "10"},
    "servicedesk_get_request_type_fields": {"service_desk_id": "2", "request_type_id": "10"},
    "servicedesk_get_requests": {"service_desk_id": "2"},
    "servicedesk_get_request": {"issue_key": "HELP-1"},
    "servicedesk_get_request_comments": {"issue_key": "HELP-1"},
    "servicedesk_get_request_status": {"issue_key": "HELP-1"},
    "servicedesk_get_request_transitions": {"issue_key": "HELP-1"},
    "servicedesk_get_sla": {"issue_key": "HELP-1"},
    "servicedesk_get_approvals": {"issue_key": "HELP-2"},
    "servicedesk_get_participants": {"issue_key": "HELP-1"},
    "servicedesk_list_organizations": {"service_desk_id": "2"},
    "servicedesk_get_customers": {"service_desk_id": "2"},
    "servicedesk_list_queues": {"service_desk_id": "2"},
    "servicedesk_get_queue_issues": {"service_desk_id": "2", "queue_id": "1"},
    "servicedesk_search_knowledge_base": {"query": "VPN", "service_desk_id": "2"},
    "assets_list_workspaces": {},
    "assets_search_objects": {"object_type": "Laptop"},
    "assets_get_object": {"object_id": "ITAM-1"},
    "assets_get_object_types": {},
}
CLIENTS = ("jira", "confluence", "servicedesk", "assets")


class Recorder:
    """A client whose calls go through and whose JSON answers are kept, in order."""

    def __init__(self, client: Any, log: list[tuple[str, str, Any]], name: str):
        self._client, self._log, self._name = client, log, name

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._client, attr)
        if not callable(value) or attr.endswith("_url"):
            return value

        def call(*args: Any, **kw: Any) -> Any:
            out = value(*args, **kw)
            if type(out) is type(self._client):  # a view of the client (e.g. blog_posts()): its calls are recorded too
                return Recorder(out, self._log, self._name)
            self._log.append((self._name, attr, clone(out)))
            return out

        return call


class Replayer:
    """A client that answers each call with the next recorded answer to that method."""

    def __init__(self, real: Any, answers: dict[str, list[Any]], used: dict[str, int] | None = None):
        self._real, self._answers, self._used = real, answers, {} if used is None else used

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._real, attr)
        if attr not in self._answers:
            if not callable(value) or attr.endswith("_url"):
                return value

            def view(*args: Any, **kw: Any) -> Any:
                out = value(*args, **kw)
                return Replayer(out, self._answers, self._used) if type(out) is type(self._real) else out

            return view

        def call(*args: Any, **kw: Any) -> Any:
            n = self._used.get(attr, 0)
            self._used[attr] = n + 1
            found = self._answers[attr]
            return clone(found[min(n, len(found) - 1)])

        return call


class Shim:
    """Services with each product client wrapped (the rest, such as settings, passes through)."""

    def __init__(self, services: Any, wrap: Any):
        self._services = services
        for name in CLIENTS:
            setattr(self, name, wrap(name, getattr(services, name)))

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._services, attr)


def read_tools() -> list[Any]:
    return [t for t in CATALOGUE.tools if t.name in ARGS]


def test_every_read_tool_has_arguments_here() -> None:
    """A new read tool joins this test: its sample arguments go into ARGS."""
    skipped = {"authenticate_atlassian", "servicedesk_check_availability", "jira_download_attachment", "confluence_download_attachment"}
    skipped |= {"atlassian_toolsets", "atlassian_enable_toolset"}  # about this server's own tools: no Atlassian response to render
    missing = [t.name for t in CATALOGUE.tools if t.read_only and t.name not in ARGS and t.name not in skipped]
    assert not missing


@pytest.mark.parametrize("tool", read_tools(), ids=lambda t: t.name)
def test_any_value_in_any_response_renders(cloud: Any, tool: Any) -> None:
    services = Services(Settings.from_env(cloud.env(ATLASSIAN_CONFIG_DIR="/nonexistent-amcp", ATLASSIAN_API_URL=cloud.url)))
    log: list[tuple[str, str, Any]] = []
    answer = tool.handler(Shim(services, lambda name, client: Recorder(client, log, name)), dict(ARGS[tool.name]))
    assert isinstance(answer, Answer)
    responses = [(i, where) for i, (_, _, out) in enumerate(log) for where in paths(out)]
    step = max(1, len(responses) // MAX_PLACES)
    failures = []
    for i, where in responses[::step]:
        for value in SAMPLES:
            answers: dict[str, dict[str, list[Any]]] = {name: {} for name in CLIENTS}
            for j, (name, method, out) in enumerate(log):
                answers[name].setdefault(method, []).append(replaced(out, where, value) if j == i else out)
            shim = Shim(services, lambda name, client: Replayer(client, answers[name]))  # noqa: B023 - used at once
            try:
                got = tool.handler(shim, dict(ARGS[tool.name]))
            except AtlassianError:
                continue  # a clear tool error (e.g. "no such option") is an answer too
            except Exception as exc:  # noqa: BLE001 - the property under test is that nothing else escapes
                failures.append(f"{log[i][1]} {'.'.join(map(str, where))} = {value!r}: {type(exc).__name__}: {exc}")
                continue
            assert isinstance(got, Answer) and got.text
    assert not failures, f"{len(failures)} variants raised, e.g.:\n" + "\n".join(failures[:12])
