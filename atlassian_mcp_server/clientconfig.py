"""Configuration snippets for each MCP client, built from the settings in the environment (no secrets)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

CLIENTS = {
    "claude-desktop": "claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\)",
    "claude-code": "run the command in a shell",
    "vscode": ".vscode/mcp.json in your workspace (or the user-level mcp.json)",
    "cursor": "~/.cursor/mcp.json, or .cursor/mcp.json in a project",
    "amazon-q": "~/.aws/amazonq/mcp.json (or .amazonq/mcp.json in a workspace)",
    "cline": "cline_mcp_settings.json, opened from Cline's MCP Servers view",
}
SECRETS = ("ATLASSIAN_API_TOKEN", "ATLASSIAN_CLIENT_SECRET")
REQUIRED = ("ATLASSIAN_SITE_URL",)
FIRST = ("ATLASSIAN_SITE_URL", "ATLASSIAN_EMAIL", "ATLASSIAN_API_TOKEN", "ATLASSIAN_CLIENT_ID", "ATLASSIAN_CLIENT_SECRET")


def command_path() -> str:
    """The absolute path of the installed command: GUI clients often lack pipx's bin dir on PATH."""
    found = shutil.which("atlassian-mcp-server")
    if found:
        return str(Path(found).resolve())
    exe = Path(sys.executable).parent / "atlassian-mcp-server"
    return str(exe) if exe.exists() else "atlassian-mcp-server"


def env_for_snippet(environ: Mapping[str, str]) -> dict[str, str]:
    """Every ATLASSIAN_* setting that is set, secrets replaced by a placeholder naming them."""
    present = {k for k, v in environ.items() if k.startswith("ATLASSIAN_") and v.strip()}
    if not present & {"ATLASSIAN_API_TOKEN", "ATLASSIAN_CLIENT_ID"}:
        present |= {"ATLASSIAN_EMAIL", "ATLASSIAN_API_TOKEN"}
    first = [n for n in FIRST if n in present or n in REQUIRED]
    names = first + sorted(present - set(first))
    out = {}
    for name in dict.fromkeys(names):
        if name in SECRETS:
            out[name] = f"<your {name}>"
        else:
            out[name] = environ.get(name) or f"<your {name}>"
    return out


def snippet(client: str, environ: Mapping[str, str] | None = None, command: str | None = None) -> str:
    env = env_for_snippet(os.environ if environ is None else environ)
    command = command or command_path()
    if client == "claude-code":
        parts = ["claude mcp add atlassian"]
        parts += [f"-e {name}={_shell(value)}" for name, value in env.items()]
        parts.append(f"-- {_shell(command)}")
        return " \\\n  ".join(parts)
    if client == "vscode":
        inputs = []
        vs_env = {}
        for name, value in env.items():
            if name in SECRETS:
                key = name.lower().replace("_", "-")
                inputs.append({"type": "promptString", "id": key, "description": name, "password": True})
                vs_env[name] = "${input:" + key + "}"
            else:
                vs_env[name] = value
        return json.dumps({"inputs": inputs, "servers": {"atlassian": {"type": "stdio", "command": command, "env": vs_env}}}, indent=2)
    if client in CLIENTS:
        return json.dumps({"mcpServers": {"atlassian": {"command": command, "args": [], "env": env}}}, indent=2)
    raise ValueError(f"unknown client {client!r}; choose from {', '.join(CLIENTS)}")


def _shell(value: str) -> str:
    safe = all(ch.isalnum() or ch in "@%+=:,./-_" for ch in value)
    return value if safe and value else "'" + value.replace("'", "'\\''") + "'"
