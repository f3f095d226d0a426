"""Confluence tools: pages and spaces, search, comments, labels, attachments and history."""

from __future__ import annotations

from ..registry import ResourceSpec
from . import attachments, comments, history, labels, pages, pages_write, search
from .pages import read_page_resource

TOOLSETS = {
    "confluence_pages": "Read, create, edit, move and delete Confluence pages; spaces and page trees",
    "confluence_search": "Search Confluence by words, CQL, title or label",
    "confluence_comments": "Read and add footer and inline comments on pages",
    "confluence_labels": "Read, add and remove page labels",
    "confluence_attachments": "List, download and upload page attachments",
    "confluence_history": "Page versions, old versions and diffs",
}

TOOLS = [*pages.TOOLS, *pages_write.TOOLS, *search.TOOLS, *comments.TOOLS, *labels.TOOLS, *attachments.TOOLS, *history.TOOLS]

RESOURCES = [
    ResourceSpec(
        uri_template="confluence://page/{id}",
        name="Confluence page",
        description="A Confluence page as Markdown under its title, e.g. confluence://page/123456.",
        module="confluence",
        reader=read_page_resource,
    ),
]

__all__ = ["RESOURCES", "TOOLS", "TOOLSETS", "read_page_resource"]
