"""atlassian-mcp-server: Jira, Confluence and Jira Service Management for AI agents over MCP.

The product clients work without MCP, for scripts and internal tools::

    from atlassian_mcp_server import Settings, Services
    services = Services(Settings.from_env())
    name = services.jira.myself()["displayName"]
"""

from __future__ import annotations

from typing import Any

__version__ = "0.5.0"

__all__ = [
    "__version__",
    "Settings",
    "Services",
    "JiraClient",
    "ConfluenceClient",
    "ServiceDeskClient",
    "HttpClient",
    "AtlassianError",
    "ApiError",
]

_LAZY = {
    "Settings": ("config", "Settings"),
    "Services": ("services", "Services"),
    "JiraClient": ("clients.jira", "JiraClient"),
    "ConfluenceClient": ("clients.confluence", "ConfluenceClient"),
    "ServiceDeskClient": ("clients.servicedesk", "ServiceDeskClient"),
    "HttpClient": ("http", "HttpClient"),
    "AtlassianError": ("errors", "AtlassianError"),
    "ApiError": ("errors", "ApiError"),
}


def __getattr__(name: str) -> Any:
    """Import the public classes on first use, so `import atlassian_mcp_server` stays cheap."""
    if name not in _LAZY:
        raise AttributeError(f"module 'atlassian_mcp_server' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value
