"""What tools exist: the ordered catalogue, its toolsets and the resource templates.

Read this module to know what the server offers. The order of `TOOLS` is the order of
tools/list (the everyday tools of each product first); `TOOLSETS` is the vocabulary of
ATLASSIAN_TOOLSETS. What a tool *is*, and how settings select among these, is in registry.py.
"""

from __future__ import annotations

from . import auth, common, search
from .confluence import attachments as confluence_attachments
from .confluence import comments as confluence_comments
from .confluence import history as confluence_history
from .confluence import labels as confluence_labels
from .confluence import pages as confluence_pages
from .confluence import pages_write as confluence_pages_write
from .confluence import search as confluence_search
from .jira import agile, attachments, comments, edit, issues, links, projects, watchers, workflow, worklog
from .registry import Catalogue, ResourceSpec, ToolSpec
from .servicedesk import assets, create, desks, people, queues, requests

# What the server tells the client about its tools when it connects.
INSTRUCTIONS = (
    "Tools for the user's Atlassian Cloud site: jira_* for Jira issues, confluence_* for Confluence pages, "
    "servicedesk_* for Jira Service Management. Content is Markdown both ways. Lists are paged: pass the "
    "cursor or token an answer shows to get more. If a tool says you are not signed in, call authenticate_atlassian."
)

TOOLSETS: dict[str, str] = {
    "atlassian": "Who am I, and cross-product helpers",
    "atlassian_search": "One search over Jira and Confluence",
    "jira_issues": "Find, read, create, edit, bulk-create and delete Jira issues; issue history",
    "jira_comments": "Read, add, edit and delete Jira comments",
    "jira_workflow": "Jira transitions and assignment",
    "jira_worklog": "Log and list time spent on Jira issues",
    "jira_projects": "Discover Jira projects, create-screen fields, field ids and users",
    "jira_links": "Link Jira issues to each other and to web pages",
    "jira_attachments": "List, download and upload Jira attachments",
    "jira_agile": "Jira Software boards and sprints",
    "jira_watchers": "Who watches a Jira issue",
    "confluence_pages": "Read, create, edit, move and delete Confluence pages; spaces and page trees",
    "confluence_search": "Search Confluence by words, CQL, title or label",
    "confluence_comments": "Read and add footer and inline comments on pages",
    "confluence_labels": "Read, add and remove page labels",
    "confluence_attachments": "List, download and upload page attachments",
    "confluence_history": "Page versions, old versions and diffs",
    "servicedesk_requests": "Service desks, request types, customer requests: read, raise, comment, transition, SLAs, participants",
    "servicedesk_approvals": "Read and answer approvals on customer requests",
    "servicedesk_queues": "Agent queues of a service desk and the requests in them",
    "servicedesk_knowledge_base": "Search knowledge base articles",
    "servicedesk_customers": "Customers and organizations of service desks",
    "assets": "Assets (CMDB): find, read, create and update objects",
}

TOOLS: list[ToolSpec] = [
    *auth.TOOLS,
    *common.TOOLS,
    *search.TOOLS,
    # Jira
    *issues.TOOLS,
    *edit.TOOLS,
    *comments.TOOLS,
    *workflow.TOOLS,
    *worklog.TOOLS,
    *projects.TOOLS,
    *links.TOOLS,
    *attachments.TOOLS,
    *agile.TOOLS,
    *watchers.TOOLS,
    *issues.RARE_TOOLS,
    *edit.RARE_TOOLS,
    # Confluence
    *confluence_pages.TOOLS,
    *confluence_pages_write.TOOLS,
    *confluence_search.TOOLS,
    *confluence_comments.TOOLS,
    *confluence_labels.TOOLS,
    *confluence_attachments.TOOLS,
    *confluence_history.TOOLS,
    # Jira Service Management and Assets
    *desks.TOOLS,
    *requests.TOOLS,
    *create.TOOLS,
    *people.TOOLS,
    *queues.TOOLS,
    *assets.TOOLS,
]

RESOURCES: list[ResourceSpec] = [
    ResourceSpec(
        uri_template="jira://issue/{key}",
        name="Jira issue",
        description="A Jira issue as Markdown: fields, description and last comments, e.g. jira://issue/PROJ-123.",
        module="jira",
        reader=issues.read_issue_resource,
    ),
    ResourceSpec(
        uri_template="confluence://page/{id}",
        name="Confluence page",
        description="A Confluence page as Markdown under its title, e.g. confluence://page/123456.",
        module="confluence",
        reader=confluence_pages.read_page_resource,
    ),
]

CATALOGUE = Catalogue(tools=tuple(TOOLS), toolsets=TOOLSETS, resources=tuple(RESOURCES))
"""The catalogue the server and the CLI use."""
