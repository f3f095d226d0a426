"""Context footprint: the bytes of the tools/list result with every tool enabled, per tool and per toolset.

The listing is read off the wire (raw JSON-RPC over stdio), so the figure is what a client
receives and puts in front of the model. Toolsets come from `atlassian-mcp-server tools --json`.
Knob: BENCH_TOP (how many of the largest tools to name, default 10). Last line: JSON figures.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from typing import Any

from _harness import BenchError, base_env, compact, knob, run, server_command

TOP = knob("BENCH_TOP", 10)
SETTINGS = {
    "ATLASSIAN_SITE_URL": "https://bench.atlassian.net",
    "ATLASSIAN_EMAIL": "bench@example.com",
    "ATLASSIAN_API_TOKEN": "bench-token",
    "ATLASSIAN_ENABLE_DESTRUCTIVE": "true",
    "ATLASSIAN_TOOLSETS": "all",  # every tool; bench_listing.py measures the profiles
}


def wire_listing(env: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The initialize result and the tools/list result, exactly as the server sent them."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    ]
    proc = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
    proc.stdin.flush()
    answers: dict[int, Any] = {}
    try:
        while 1 not in answers:
            line = proc.stdout.readline()
            if not line:
                raise BenchError(f"server exited before answering tools/list: {proc.stderr.read()[-500:] if proc.stderr else ''}")
            message = json.loads(line)
            if "id" in message:
                if "error" in message:
                    raise BenchError(f"server answered an error: {message['error']}")
                answers[message["id"]] = message["result"]
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    return answers[0], answers[1]


def toolsets(env: dict[str, str]) -> dict[str, str]:
    """Tool name -> toolset, from the CLI's own table."""
    out = subprocess.run(server_command() + ["tools", "--json"], env=env, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise BenchError(f"`atlassian-mcp-server tools --json` failed: {out.stderr[-500:]}")
    return {row["name"]: row["toolset"] for row in json.loads(out.stdout)}


def lean_hints(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool with only the annotation hints that differ from the MCP defaults or mean something.

    Defaults (MCP spec): readOnlyHint false, destructiveHint true, idempotentHint false, openWorldHint
    true; destructive and idempotent hints are meaningful only when readOnlyHint is false.
    """
    notes = dict(tool.get("annotations") or {})
    if notes.get("openWorldHint") is True:
        del notes["openWorldHint"]
    if notes.get("readOnlyHint") is True:
        notes.pop("destructiveHint", None)
        notes.pop("idempotentHint", None)
    else:
        notes.pop("readOnlyHint", None)
        if notes.get("destructiveHint") is True:
            del notes["destructiveHint"]
        if notes.get("idempotentHint") is False:
            del notes["idempotentHint"]
    return {**tool, "annotations": notes}


def open_schema(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool without `additionalProperties: false` (the server's own validation still refuses unknown arguments)."""
    schema = {k: v for k, v in (tool.get("inputSchema") or {}).items() if k != "additionalProperties"}
    return {**tool, "inputSchema": schema}


def what_if(tools: list[dict[str, Any]]) -> dict[str, float]:
    """Bytes per tool under footprint savings the lead may choose from (measured here, changed nowhere)."""
    count = max(1, len(tools))

    def per_tool(changed: list[dict[str, Any]]) -> float:
        return round(len(compact({"tools": changed})) / count, 1)

    return {
        "lean_hints": per_tool([lean_hints(t) for t in tools]),
        "no_additional_properties": per_tool([open_schema(t) for t in tools]),
        "both": per_tool([open_schema(lean_hints(t)) for t in tools]),
    }


def main() -> dict[str, Any]:
    env = base_env(**SETTINGS)
    init, listing = wire_listing(env)
    tools = listing["tools"]
    sizes = {t["name"]: len(compact(t)) for t in tools}
    owner = toolsets(env)
    per_set: dict[str, list[int]] = defaultdict(list)
    for name, size in sizes.items():
        per_set[owner.get(name, name.split("_", 1)[0])].append(size)
    parts: dict[str, int] = defaultdict(int)
    for t in tools:
        parts["description"] += len(compact(t.get("description", "")))
        parts["input_schema"] += len(compact(t.get("inputSchema", {})))
        parts["annotations"] += len(compact(t.get("annotations", {})))
    total = len(compact(listing))
    # What clients put in front of the model: each tool's name, description and input schema.
    context = sum(len(compact({"name": t["name"], "description": t.get("description", ""), "inputSchema": t.get("inputSchema", {})})) for t in tools)
    largest = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return {
        "tool_count": len(tools),
        "tools_list_bytes": total,
        "bytes_per_tool": round(total / max(1, len(tools)), 1),
        "context_bytes_per_tool": round(context / max(1, len(tools)), 1),
        "approx_tokens": round(total / 4),
        "instructions_bytes": len((init.get("instructions") or "").encode()),
        "bytes_by_part": dict(parts),
        "what_if_bytes_per_tool": what_if(tools),
        "largest_tools": [{"name": n, "bytes": b} for n, b in largest],
        "toolsets": {name: {"tools": len(v), "bytes": sum(v), "bytes_per_tool": round(sum(v) / len(v), 1)} for name, v in sorted(per_set.items())},
    }


if __name__ == "__main__":
    run(main)
