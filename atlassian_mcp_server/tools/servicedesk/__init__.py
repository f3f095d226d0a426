"""Jira Service Management and Assets tools (module `service_desk`), split into toolsets by task."""

from __future__ import annotations

from . import assets, create, desks, people, queues, requests

TOOLSETS = {
    "servicedesk_requests": "Service desks, request types, customer requests: read, raise, comment, transition, SLAs, participants",
    "servicedesk_approvals": "Read and answer approvals on customer requests",
    "servicedesk_queues": "Agent queues of a service desk and the requests in them",
    "servicedesk_knowledge_base": "Search knowledge base articles",
    "servicedesk_customers": "Customers and organizations of service desks",
    "assets": "Assets (CMDB): find, read, create and update objects",
}

TOOLS = desks.TOOLS + requests.TOOLS + create.TOOLS + people.TOOLS + queues.TOOLS + assets.TOOLS

__all__ = ["TOOLS", "TOOLSETS"]
