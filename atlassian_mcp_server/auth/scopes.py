"""The OAuth scopes each module needs, as data: what the sign-in asks for and `status` checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Settings

# Always requested: who the user is, and a refresh token.
BASE_SCOPES = ("read:me", "offline_access")

# module -> tier -> scopes. "read" is always asked for an enabled module, "write" unless
# ATLASSIAN_READ_ONLY, "delete" only with ATLASSIAN_ENABLE_DESTRUCTIVE.
# Each scope is the one the OpenAPI documents mark "Current" for the operations the tools call.
MODULE_SCOPES: dict[str, dict[str, tuple[str, ...]]] = {
    "jira": {
        "read": ("read:jira-work", "read:jira-user"),
        "write": ("write:jira-work",),
        "delete": (),
    },
    "confluence": {
        "read": (
            "read:page:confluence",
            "read:space:confluence",
            "read:comment:confluence",
            "read:attachment:confluence",
            "read:hierarchical-content:confluence",
            "read:content.metadata:confluence",
            "search:confluence",
        ),
        "write": ("write:page:confluence", "write:comment:confluence", "write:confluence-content"),
        "delete": ("delete:page:confluence", "delete:comment:confluence"),
    },
    "service_desk": {
        # read:jira-work: SLAs and queues; manage:servicedesk-customer: organizations and customers
        # (read too); the cmdb scopes are Assets'.
        "read": (
            "read:servicedesk-request",
            "read:jira-work",
            "manage:servicedesk-customer",
            "read:knowledgebase:jira-service-management",
            "read:cmdb-object:jira",
            "read:cmdb-schema:jira",
            "read:cmdb-type:jira",
            "read:cmdb-attribute:jira",
        ),
        "write": ("write:servicedesk-request", "write:cmdb-object:jira"),
        "delete": (),
    },
}


def required_scopes(settings: Settings) -> tuple[str, ...]:
    """Scopes for the enabled modules (ATLASSIAN_OAUTH_SCOPES replaces the list when set)."""
    explicit = getattr(settings, "oauth_scopes", None)
    if explicit:
        return tuple(dict.fromkeys((*explicit, "offline_access")))
    tiers = ["read"]
    if not settings.read_only:
        tiers.append("write")
        if settings.enable_destructive:
            tiers.append("delete")
    wanted: list[str] = list(BASE_SCOPES)
    for module in settings.modules:
        table = MODULE_SCOPES.get(module, {})
        for tier in tiers:
            wanted.extend(table.get(tier, ()))
    return tuple(dict.fromkeys(wanted))


def missing_scopes(granted: list[str] | tuple[str, ...] | None, settings: Settings) -> list[str]:
    """Required scopes the token was not granted, in request order."""
    have = set(granted or ())
    return [s for s in required_scopes(settings) if s not in have]
