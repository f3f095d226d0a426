"""Property: every renderer answers for any JSON value in any field of a real-shaped response, and never raises.

Each renderer (Jira issue, search and changelog; Confluence page; JSM request and request list;
Assets object) is fed its real-shaped response from tests/corpus with one value at a time replaced
by a value of each JSON type. The handlers run in process against a stub of the clients, so the
thousands of variants take seconds; the end-to-end tests (test_real_shapes.py) cover the wire.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonvalue import StubServices as Services
from jsonvalue import paths, replaced

from atlassian_mcp_server.tools.confluence import pages
from atlassian_mcp_server.tools.confluence import search as confluence_search
from atlassian_mcp_server.tools.jira import comments, issues
from atlassian_mcp_server.tools.registry import Answer
from atlassian_mcp_server.tools.servicedesk import assets, requests

CORPUS = Path(__file__).parent / "corpus"
SAMPLES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2.5,
    1e20,
    "",
    "x",
    "0|i00073:",
    "2026-01-01T00:00:00.000+0000",
    [],
    [None],
    [1, "a"],
    {},
    {"a": None},
    {"type": "doc"},
]


def load(name: str) -> Any:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


# renderer name -> (corpus file, client method that returns it, handler, arguments)
RENDERERS = {
    "jira_get_issue": ("jira_issue_real.json", "get_issue", issues.get_issue, {"issue_key": "REAL-1", "expand": ["changelog"]}),
    "jira_get_issue_example": ("jira_issue_openapi_example.json", "get_issue", issues.get_issue, {"issue_key": "EX-1"}),
    "jira_search": ("jira_search_openapi_example.json", "search", issues.search, {"jql": "project = EX", "fields": ["customfield_10203", "labels"]}),
    "jira_get_changelog": ("jira_changelog_real.json", "changelog", issues.get_changelog, {"issue_key": "REAL-1"}),
    "confluence_get_page": ("confluence_page_real.json", "get_page", pages.get_page, {"page_id": "65601"}),
    "servicedesk_get_request": ("jsm_request_real.json", "get_request", requests.get_request, {"issue_key": "HELP-7"}),
    "servicedesk_get_requests": ("jsm_requests_openapi_example.json", "list_requests", requests.get_requests, {}),
    "assets_get_object": ("assets_object_real.json", "get_object", assets.get_object, {"object_id": "88"}),
    "assets_search_objects": ("assets_search_real.json", "search", assets.search_objects, {"object_type": "Laptop"}),
    "jira_get_comments": ("jira_comments_openapi_example.json", "comments", comments.get_comments, {"issue_key": "EX-1"}),
    "confluence_search": ("confluence_search_real.json", "search", confluence_search.search, {"query": "payments"}),
    "servicedesk_get_request_comments": ("jsm_comments_openapi_example.json", "list_comments", requests.get_comments, {"issue_key": "HELP-7"}),
    "servicedesk_get_sla": ("jsm_sla_openapi_example.json", "sla", requests.get_sla, {"issue_key": "HELP-7"}),
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_any_value_in_any_field_renders(renderer: str) -> None:
    corpus, method, handler, args = RENDERERS[renderer]
    doc = load(corpus)
    failures = []
    places = list(paths(doc))
    assert places
    for where in places:
        for value in SAMPLES:
            try:
                answer = handler(Services(**{method: replaced(doc, where, value)}), dict(args))
            except Exception as exc:  # noqa: BLE001 - the property under test is that nothing escapes
                failures.append(f"{'.'.join(map(str, where))} = {value!r}: {type(exc).__name__}: {exc}")
                continue
            assert isinstance(answer, Answer) and isinstance(answer.text, str) and answer.text
    assert not failures, f"{len(failures)} of {len(places) * len(SAMPLES)} variants raised, e.g.:\n" + "\n".join(failures[:15])


def test_the_untouched_corpus_renders_its_facts() -> None:
    """The documented odd shapes answer whole: fields.comment as a list, fields.updated as a number."""
    example = issues.get_issue(Services(get_issue=load("jira_issue_openapi_example.json")), {"issue_key": "EX-1"}).text
    assert "Lorem ipsum dolor sit amet" in example and "Main order flow broken" in example
    found = issues.search(Services(search=load("jira_search_openapi_example.json")), {"jql": "project = EX"}).text
    assert "| ED-1 |" in found and "1970-01-01" in found


def test_requests_without_their_type_show_its_name() -> None:
    """A request list that came without `requestType` shows the type's name, looked up once per desk, not its id."""
    listed = load("jsm_requests_openapi_example.json")
    types = []
    for r in listed["values"]:
        r.pop("requestType", None)
        types.append({"id": r["requestTypeId"], "name": f"Type named {r['requestTypeId']}"})
    services = Services(list_requests=listed, list_request_types={"values": types})
    answer = requests.get_requests(services, {})
    for t in types:
        assert f"| {t['name']} |" in answer.text and f"| {t['id']} |" not in answer.text
