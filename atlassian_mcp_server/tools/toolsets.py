"""The two toolset tools: see every toolset, and enable more of them for this session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import calls
from ..errors import AtlassianError
from .registry import Answer, SessionToolsets, ToolSpec

if TYPE_CHECKING:
    from ..services import Services


def _session() -> SessionToolsets:
    context = calls.current()
    toolsets = getattr(context, "toolsets", None)
    if toolsets is None:
        raise AtlassianError("Toolsets can only be changed from an MCP session.")
    return toolsets  # type: ignore[no-any-return]


def list_toolsets(services: Services, args: dict[str, Any]) -> Answer:
    rows = _session().overview()
    lines = ["# Toolsets", ""]
    for row in rows:
        mark = "enabled" if row["enabled"] else "not enabled"
        lines.append(f"- **{row['name']}** ({mark}): {row['description']}. Tools: {', '.join(row['tools'])}")
    lines.append("\nEnable more with atlassian_enable_toolset.")
    return Answer("\n".join(lines), {"toolsets": rows})


def enable_toolset(services: Services, args: dict[str, Any]) -> Answer:
    wanted = args["toolset"]
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    session = _session()
    added = session.enable([n.strip() for n in names])
    if added:
        notify = calls.tools_changed_notice()
        if notify is not None:
            notify()
        listed = [t.name for t in session.active()]
        text = f"Enabled {', '.join(added)}; {len(listed)} tools are listed now. Their tools can be called right away."
    else:
        listed = [t.name for t in session.active()]
        text = f"Nothing new to enable: {', '.join(names)} already listed."
    return Answer(text, {"enabled": added, "tool_count": len(listed)})


TOOLS = [
    ToolSpec(
        name="atlassian_toolsets",
        title="List toolsets",
        description="List every toolset (a group of tools, e.g. jira_agile): what it does, its tools, whether it is enabled.",
        handler=list_toolsets,
        module="atlassian",
        toolset="atlassian",
        read_only=True,
        open_world=False,
        dynamic=True,
    ),
    ToolSpec(
        name="atlassian_enable_toolset",
        title="Enable toolsets",
        description="Enable toolsets for this session; their tools are listed and callable next (names: atlassian_toolsets).",
        handler=enable_toolset,
        module="atlassian",
        toolset="atlassian",
        read_only=True,
        open_world=False,
        dynamic=True,
        params={
            "toolset": {
                "type": "array",
                "items": {"type": "string", "maxLength": 64},
                "minItems": 1,
                "maxItems": 30,
                "description": "Toolset names, or all.",
            }
        },
        required=("toolset",),
    ),
]
