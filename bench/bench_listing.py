"""Listing size per profile: what each client puts in front of the model before the first question.

For the default profile, every toolset (`all`, destructive tools on), read-only, and each module
alone (default and all): the tool count, the context bytes (the compact JSON of each listed tool's
name, description and inputSchema: what clients put in the model's context), bytes per tool,
and the whole tools/list result (titles, annotations and output schemas included), read off the
wire. Last line: JSON figures.
"""

from __future__ import annotations

import json
from typing import Any

from _harness import base_env, compact, run
from bench_footprint import wire_listing

SIGNED_IN = {"ATLASSIAN_SITE_URL": "https://bench.atlassian.net", "ATLASSIAN_EMAIL": "bench@example.com", "ATLASSIAN_API_TOKEN": "bench-token"}
PROFILES: dict[str, dict[str, str]] = {
    "default": {},
    "all": {"ATLASSIAN_TOOLSETS": "all", "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"},
    "read_only": {"ATLASSIAN_READ_ONLY": "true"},
    "read_only_all": {"ATLASSIAN_READ_ONLY": "true", "ATLASSIAN_TOOLSETS": "all"},
    **{f"{module}_default": {"ATLASSIAN_MODULES": module} for module in ("jira", "confluence", "service_desk")},
    **{
        f"{module}_all": {"ATLASSIAN_MODULES": module, "ATLASSIAN_TOOLSETS": "all", "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}
        for module in ("jira", "confluence", "service_desk")
    },
}


def context_bytes(tools: list[dict[str, Any]]) -> int:
    return sum(len(json.dumps({"name": t["name"], "description": t.get("description"), "inputSchema": t["inputSchema"]}, separators=(",", ":"))) for t in tools)


def measure(settings: dict[str, str]) -> dict[str, Any]:
    _, listing = wire_listing(base_env(**SIGNED_IN, **settings))
    tools = listing["tools"]
    count = max(1, len(tools))
    context = context_bytes(tools)
    whole = len(compact(listing))
    return {
        "tools": len(tools),
        "context_bytes": context,
        "context_bytes_per_tool": round(context / count, 1),
        "tools_list_bytes": whole,
        "tools_list_bytes_per_tool": round(whole / count, 1),
        "output_schema_bytes": sum(len(compact(t["outputSchema"])) for t in tools if "outputSchema" in t),
    }


def main() -> dict[str, Any]:
    figures = {name: measure(settings) for name, settings in PROFILES.items()}
    width = max(map(len, figures))
    print(f"{'profile':<{width}}  tools  context_bytes  per_tool  tools_list_bytes  per_tool")
    for name, f in figures.items():
        print(
            f"{name:<{width}}  {f['tools']:>5}  {f['context_bytes']:>13}  {f['context_bytes_per_tool']:>8}  {f['tools_list_bytes']:>16}  {f['tools_list_bytes_per_tool']:>8}"
        )
    return {"profiles": figures}


if __name__ == "__main__":
    run(main)
