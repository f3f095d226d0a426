"""Listing size per profile: what each client puts in front of the model before the first question.

For the default profile, every toolset (`all`, destructive tools on), read-only, and each module
alone (default and all): the tool count, the context bytes (the compact JSON of each listed tool's
name, description and inputSchema: what clients put in the model's context), bytes per tool,
and the whole tools/list result (titles, annotations and output schemas included).

Each profile's tools/list result is the raw JSON-RPC result of a server built with `build_server()`
in this process and asked through the MCP SDK's in-memory transport (tests/harness.py's
`memory_server`; one process start costs more than all ten listings). The WIRE_PROFILE is also
read off the wire from the installed server process (raw JSON-RPC over stdio), and the benchmark
fails unless the two are byte-identical as compact JSON, so every figure is what a client
receives. Last line: JSON figures.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from _harness import BenchError, base_env, compact, run
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
WIRE_PROFILE = "all"  # every tool: the listing checked against the installed process's


def context_bytes(tools: list[dict[str, Any]]) -> int:
    return sum(len(json.dumps({"name": t["name"], "description": t.get("description"), "inputSchema": t["inputSchema"]}, separators=(",", ":"))) for t in tools)


async def memory_listings() -> dict[str, dict[str, Any]]:
    """Each profile's tools/list result, untyped: the dict the server put in its JSON-RPC response."""
    from harness import memory_server
    from mcp_types import ListToolsRequest
    from pydantic import TypeAdapter

    raw = TypeAdapter(dict[str, Any])
    out = {}
    for name, settings in PROFILES.items():
        async with memory_server(base_env(**SIGNED_IN, **settings)) as server:
            out[name] = await server.session.send_request(ListToolsRequest(), raw)
    return out


def checked_against_wire(listings: dict[str, dict[str, Any]]) -> None:
    """Fail unless WIRE_PROFILE's in-memory listing is byte for byte the one its server process sends."""
    _, wire = wire_listing(base_env(**SIGNED_IN, **PROFILES[WIRE_PROFILE]))
    if compact(listings[WIRE_PROFILE]) != compact(wire):
        mine = {t["name"]: compact(t) for t in listings[WIRE_PROFILE].get("tools", [])}
        theirs = {t["name"]: compact(t) for t in wire.get("tools", [])}
        differ = sorted(n for n in mine.keys() | theirs.keys() if mine.get(n) != theirs.get(n))
        keys = sorted(set(listings[WIRE_PROFILE]) ^ set(wire))
        raise BenchError(f"the in-memory {WIRE_PROFILE!r} listing is not the wire's: tools differing {differ[:10]}, result keys on one side only {keys}")


def measure(listing: dict[str, Any]) -> dict[str, Any]:
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
    listings = anyio.run(memory_listings)
    checked_against_wire(listings)
    figures = {name: measure(listing) for name, listing in listings.items()}
    width = max(map(len, figures))
    print(f"{'profile':<{width}}  tools  context_bytes  per_tool  tools_list_bytes  per_tool")
    for name, f in figures.items():
        print(
            f"{name:<{width}}  {f['tools']:>5}  {f['context_bytes']:>13}  {f['context_bytes_per_tool']:>8}  {f['tools_list_bytes']:>16}  {f['tools_list_bytes_per_tool']:>8}"
        )
    return {"profiles": figures}


if __name__ == "__main__":
    run(main)
