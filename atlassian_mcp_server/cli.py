"""Command line: serve (the default) | status | login | logout | doctor | config | tools."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__
from .errors import ConfigError
from .logs import setup_logging

if TYPE_CHECKING:
    from .config import Settings

log = logging.getLogger("atlassian_mcp_server")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atlassian-mcp-server",
        description="MCP server for Atlassian Cloud (Jira, Confluence, Jira Service Management). "
        "With no command it serves MCP over stdio; settings come from ATLASSIAN_* environment variables.",
    )
    parser.add_argument("--version", action="version", version=f"atlassian-mcp-server {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="command")
    serve = sub.add_parser("serve", help="serve MCP over stdio (the default), or over HTTP for a team with --transport http")
    serve.add_argument("--transport", choices=["stdio", "http"], help="stdio (default; also ATLASSIAN_TRANSPORT) or http: Streamable HTTP at /mcp")
    serve.add_argument("--host", help="with http: the address to bind (default 127.0.0.1; also ATLASSIAN_HTTP_HOST)")
    serve.add_argument("--port", type=int, help="with http: the port (default 8000; also ATLASSIAN_HTTP_PORT)")
    serve.add_argument("--workers", type=int, help="with http: worker processes (default 1; also ATLASSIAN_HTTP_WORKERS)")
    sub.add_parser("status", help="show the effective settings and sign-in mode (never secrets)")
    login = sub.add_parser("login", help="sign in with OAuth 2.0 (3LO) and store the tokens")
    login.add_argument("--no-browser", action="store_true", help="do not open a browser; also accept the final redirect URL pasted on stdin")
    sub.add_parser("logout", help="forget the stored OAuth tokens for this site and client")
    sub.add_parser("doctor", help="check settings, the site, the token and each product; exit 0 only when all pass")
    config = sub.add_parser("config", help="print the configuration snippet for an MCP client (never secret values)")
    config.add_argument("--client", required=True, choices=["claude-desktop", "claude-code", "vscode", "cursor", "amazon-q", "cline"])
    tools = sub.add_parser("tools", help="list every tool with its module, toolset, kind and whether it is enabled")
    tools.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _out(line: str) -> None:
    """Command output for status/tools (never used while serving: stdout is the protocol's then)."""
    sys.stdout.write(line + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "serve"
    try:
        if command == "serve":
            return _serve(args)
        if command == "status":
            return _status()
        if command in ("login", "logout"):
            return _login_logout(command, getattr(args, "no_browser", False))
        if command == "tools":
            return _tools(args.json)
        if command == "doctor":
            return _doctor()
        if command == "config":
            return _config(args.client)
    except ConfigError as exc:
        print("atlassian-mcp-server cannot start:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def _serve(args: argparse.Namespace | None = None) -> int:
    import os

    from .config import Settings
    from .tools.catalogue import CATALOGUE
    from .tools.registry import check_names

    settings = Settings.from_env()
    check_names(CATALOGUE, settings)  # unknown tool or toolset names: refused before the SDK's import, not after
    transport = getattr(args, "transport", None) or (os.environ.get("ATLASSIAN_TRANSPORT") or "stdio").strip().lower()
    if transport == "http":
        return _serve_http(settings, args)
    if transport != "stdio":
        raise ConfigError([f"ATLASSIAN_TRANSPORT must be stdio or http, not {transport!r}"])
    setup_logging(settings.log_level, settings.secrets())
    if not settings.ssl_verify:
        log.warning(
            "ATLASSIAN_SSL_VERIFY=false: TLS certificates of %s are NOT checked, so anyone on the network path can "
            "read and change this traffic, credentials included. Prefer the system trust store with your company's root installed, or REQUESTS_CA_BUNDLE. "
            "(Sign-in with auth.atlassian.com is always verified.)",
            settings.site_url,
        )
    _remove_token_leftovers(settings)
    if settings.auth_mode == "none":
        log.warning("no credentials configured: tools are listed, and each call explains how to sign in (set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN)")
    import anyio

    from .server import build_server, serve_stdio

    server = build_server(settings)
    anyio.run(serve_stdio, server)
    return 0


def _remove_token_leftovers(settings: Settings) -> None:
    """Temporary token files a killed process left behind hold live tokens: delete them at start."""
    from .auth.tokens import TokenStore
    from .errors import AtlassianError

    try:
        removed = TokenStore(settings.config_dir).remove_leftovers()
    except (AtlassianError, OSError) as exc:
        log.warning("could not clean leftover token files: %s", exc)
        return
    if removed:
        log.info("removed %d leftover temporary token file(s) from %s", removed, settings.config_dir)


def _serve_http(settings: Settings, args: argparse.Namespace | None) -> int:
    from .http_transport import HttpSettings, serve_http

    http = HttpSettings.from_env().with_overrides(getattr(args, "host", None), getattr(args, "port", None), getattr(args, "workers", None))
    setup_logging(settings.log_level, settings.secrets() + list(http.secret_keys))
    serve_http(settings, http)
    return 0


def _doctor() -> int:
    from .doctor import run_checks

    checks = run_checks()
    for check in checks:
        _out(check.line())
    return 0 if checks and all(c.ok for c in checks) else 1


def _config(client: str) -> int:
    from .clientconfig import CLIENTS, snippet

    print(f"# {client}: {CLIENTS[client]}", file=sys.stderr)
    _out(snippet(client))
    return 0


def _login_logout(command: str, no_browser: bool) -> int:
    from .auth import commands
    from .config import Settings

    settings = Settings.from_env()
    setup_logging(settings.log_level, settings.secrets())
    if command == "login":
        return commands.login(settings, _out, no_browser=no_browser)
    return commands.logout(settings, _out)


def _status() -> int:
    from .config import Settings

    settings = Settings.from_env(require_site=False)
    for key, value in settings.describe().items():
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        source = settings.sources.get("ATLASSIAN_" + key.upper(), "default") if key != "auth_mode" else "derived"
        _out(f"{key}: {value if value not in (None, '') else '-'}  ({source})")
    from .auth.commands import status_lines
    from .doctor import enabled_tools

    for key, value in status_lines(settings, enabled_tools(settings))[0]:
        _out(f"{key}: {value if value not in (None, '') else '-'}")
    from .network import proxy_in_use, trust_source

    proxy = proxy_in_use()
    _out(f"tls_trust: {trust_source(settings.trust_store, verify=settings.ssl_verify)}  (derived)")
    _out(f"proxy: {f'{proxy[1]} from {proxy[0]}' if proxy else '-'}  (environment)")
    return 0


def _tools(as_json: bool) -> int:
    from .config import Settings
    from .tools.catalogue import CATALOGUE
    from .tools.registry import blocked_reason, check_names, disabled_reason

    settings = Settings.from_env(require_site=False)
    check_names(CATALOGUE, settings)  # unknown tool or toolset names: refused as `serve` refuses them
    rows = []
    for spec in CATALOGUE.tools:
        entry = {
            "name": spec.name,
            "module": spec.module,
            "toolset": spec.toolset,
            "kind": "destructive" if spec.destructive else ("read" if spec.read_only else "write"),
            "enabled": disabled_reason(spec, settings) is None,  # listed from the start
            "on_demand": disabled_reason(spec, settings) is not None and blocked_reason(spec, settings) is None,  # atlassian_enable_toolset
            "bytes": len(
                json.dumps(
                    {"name": spec.name, "description": spec.description, "inputSchema": spec.input_schema(), "annotations": spec.annotations()},
                    separators=(",", ":"),
                )
            ),
        }
        rows.append(entry)
    if as_json:
        _out(json.dumps(rows, indent=2))
        return 0
    width = max(len(str(r["name"])) for r in rows)
    _out(f"{'tool':<{width}}  {'toolset':<22} {'kind':<11} {'enabled':<9} bytes")
    for r in rows:
        state = "yes" if r["enabled"] else ("on demand" if r["on_demand"] else "no")
        _out(f"{r['name']:<{width}}  {r['toolset']:<22} {r['kind']:<11} {state:<9} {r['bytes']}")
    return 0
