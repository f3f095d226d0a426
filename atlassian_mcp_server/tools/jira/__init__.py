"""Jira tools: declarations per area, gathered into one catalogue; handlers import clients lazily."""

from __future__ import annotations

from ..registry import ResourceSpec
from . import agile, attachments, comments, edit, issues, links, projects, watchers, workflow, worklog
from .issues import read_issue_resource

TOOLSETS = {
    "jira_issues": "Find, read, create, edit, bulk-create and delete Jira issues; issue history",
    "jira_comments": "Read, add, edit and delete Jira comments",
    "jira_workflow": "Jira transitions and assignment",
    "jira_worklog": "Log and list time spent on Jira issues",
    "jira_projects": "Discover Jira projects, create-screen fields, field ids and users",
    "jira_links": "Link Jira issues to each other and to web pages",
    "jira_attachments": "List, download and upload Jira attachments",
    "jira_agile": "Jira Software boards and sprints",
    "jira_watchers": "Who watches a Jira issue",
}

TOOLS = [
    *issues.TOOLS[:2],
    *edit.TOOLS[:2],
    *comments.TOOLS,
    *workflow.TOOLS,
    *worklog.TOOLS,
    *projects.TOOLS,
    *links.TOOLS,
    *attachments.TOOLS,
    *agile.TOOLS,
    *watchers.TOOLS,
    *issues.TOOLS[2:],
    *edit.TOOLS[2:],
]

RESOURCES = [
    ResourceSpec(
        uri_template="jira://issue/{key}",
        name="Jira issue",
        description="A Jira issue as Markdown: fields, description and last comments, e.g. jira://issue/PROJ-123.",
        module="jira",
        reader=read_issue_resource,
    ),
]

__all__ = ["RESOURCES", "TOOLS", "TOOLSETS", "read_issue_resource"]
