"""Writes are never repeated after an ambiguous failure: no duplicate issue, comment or page under faults.

The fake applies each write for real and then answers 502 (or drops the connection), as a proxy
might after the backend committed. The server must not send the POST again, and must say the
change may have been applied and how to check.
"""

from __future__ import annotations

from typing import Any

import pytest
from harness import run_with_server, text_of


def _count(items: Any, predicate: Any) -> int:
    return sum(1 for item in items if predicate(item))


@pytest.mark.parametrize("kind", [{"status": 502}, {"status": 504}, {"reset": True}])
def test_no_duplicate_issue_comment_or_page(cloud: Any, kind: dict[str, Any]) -> None:
    tag = "dup-check-" + "-".join(f"{k}{v}" for k, v in kind.items())
    cloud.inject(r"^/rest/api/3/issue$", method="POST", after=True, **kind)
    cloud.inject(r"^/rest/api/3/issue/PROJ-5/comment$", method="POST", after=True, **kind)
    cloud.inject(r"^/wiki/api/v2/pages$", method="POST", after=True, **kind)

    async def scenario(server: Any) -> Any:
        return (
            await server.call("jira_create_issue", {"project_key": "PROJ", "summary": f"Issue {tag}", "issue_type": "Task"}),
            await server.call("jira_add_comment", {"issue_key": "PROJ-5", "comment": f"Comment {tag}"}),
            await server.call("confluence_create_page", {"space_key": "ENG", "title": f"Page {tag}", "content": "body"}),
        )

    cloud.clear_log()
    results = run_with_server(cloud.env(), scenario)
    for result in results:
        assert result.is_error, text_of(result)
        assert "may have been applied" in text_of(result), text_of(result)
    assert len(cloud.requests_to(r"^/rest/api/3/issue$", "POST")) == 1
    assert len(cloud.requests_to(r"^/rest/api/3/issue/PROJ-5/comment$", "POST")) == 1
    assert len(cloud.requests_to(r"^/wiki/api/v2/pages$", "POST")) == 1
    issues = cloud.state["jira_issues"].values()
    assert _count(issues, lambda i: i["fields"].get("summary") == f"Issue {tag}") == 1
    comments = cloud.state["jira_issues"]["PROJ-5"]["fields"]["comment"]["comments"]
    assert _count(comments, lambda c: f"Comment {tag}" in str(c.get("body"))) == 1
    pages = cloud.state["conf_pages"].values()
    assert _count(pages, lambda p: any(v.get("title") == f"Page {tag}" for v in p.get("versions", [])) or p.get("title") == f"Page {tag}") == 1
