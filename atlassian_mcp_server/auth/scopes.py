"""The OAuth scopes each module needs, derived from the operations table (scope_table.py): what the
sign-in asks for, and what `status` and `doctor` check the granted scopes against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .scope_table import OPERATIONS

if TYPE_CHECKING:
    from ..config import Settings
    from ..tools.registry import ToolSpec

# Always requested: who the user is, and a refresh token.
BASE_SCOPES = ("read:me", "offline_access")

TIERS = ("read", "write", "delete")


def _module_scopes(operations: dict[str, dict[str, dict[str, dict[str, tuple[str, ...]]]]] = OPERATIONS) -> dict[str, dict[str, tuple[str, ...]]]:
    """module -> tier -> scopes, from the operations table: "read" is always asked for an enabled
    module, "write" unless ATLASSIAN_READ_ONLY, "delete" only with ATLASSIAN_ENABLE_DESTRUCTIVE.
    A toolset's write and delete tools may also make its read calls, so each scope sits in the
    lowest tier whose operations need it."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for module, toolsets in operations.items():
        lower: set[str] = set()
        table[module] = {}
        for tier in TIERS:
            scopes = {s for tiers in toolsets.values() for needed in tiers.get(tier, {}).values() for s in needed} - lower
            table[module][tier] = tuple(sorted(scopes))
            lower |= scopes
    return table


# Each scope is one the OpenAPI documents name for an operation the tools call (scope_table.py).
MODULE_SCOPES: dict[str, dict[str, tuple[str, ...]]] = _module_scopes()


def tiers_for(settings: Settings) -> list[str]:
    """The tiers the settings enable: read; write unless read-only; delete only when destructive."""
    if settings.read_only:
        return ["read"]
    return ["read", "write", "delete"] if settings.enable_destructive else ["read", "write"]


def required_scopes(settings: Settings) -> tuple[str, ...]:
    """Scopes for the enabled modules (ATLASSIAN_OAUTH_SCOPES replaces the list when set)."""
    explicit = getattr(settings, "oauth_scopes", None)
    if explicit:
        return tuple(dict.fromkeys((*explicit, "offline_access")))
    tiers = tiers_for(settings)
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


def tool_tier(spec: ToolSpec) -> str:
    """A tool's tier: read for read-only tools, delete for destructive ones, else write."""
    return "read" if spec.read_only else "delete" if spec.destructive else "write"


def tools_needing(scopes: list[str] | tuple[str, ...], settings: Settings, tools: list[ToolSpec]) -> dict[str, list[str]]:
    """scope -> the tools (of `tools`, the enabled ones) that will fail without it: the tools of a
    toolset whose operations need the scope, from that operation's tier up."""
    wanted = set(scopes)
    found: dict[str, list[str]] = {}
    for module, toolsets in OPERATIONS.items():
        if module not in settings.modules:
            continue
        for toolset, tiers in toolsets.items():
            for tier, operations in tiers.items():
                for needed in operations.values():
                    for scope in wanted.intersection(needed):
                        names = found.setdefault(scope, [])
                        for spec in tools:
                            if spec.toolset == toolset and TIERS.index(tool_tier(spec)) >= TIERS.index(tier) and spec.name not in names:
                                names.append(spec.name)
    return {scope: found.get(scope, []) for scope in scopes}


def scope_fix(missing: list[str] | tuple[str, ...]) -> str:
    """What to do about scopes the sign-in was not granted."""
    return (
        f"add {' '.join(missing)} to the app's permissions in the Atlassian developer console "
        "(https://developer.atlassian.com/console/myapps/), then run `atlassian-mcp-server login` again"
    )


def failing_tools(missing: list[str] | tuple[str, ...], settings: Settings, enabled: list[ToolSpec]) -> list[str]:
    """One line per missing scope naming the enabled tools (given by the caller: this layer knows no catalogue) that will fail without it."""
    lines = []
    for scope, names in tools_needing(missing, settings, enabled).items():
        lines.append(f"{scope}: {', '.join(names)}" if names else f"{scope}: no enabled tool, but the sign-in asks for it")
    return lines
