"""Jira Cloud clients: the platform REST v3 (`/rest/api/3`) and Jira Software agile (`/rest/agile/1.0`)."""

from __future__ import annotations

from .agile import AgileClient
from .client import DEFAULT_SEARCH_FIELDS, JiraClient

__all__ = ["AgileClient", "DEFAULT_SEARCH_FIELDS", "JiraClient"]
