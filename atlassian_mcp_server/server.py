"""The MCP server: tool listing, argument validation, the thread-pool bridge and error results."""

from __future__ import annotations

import functools
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator

import anyio
import anyio.to_thread
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.context import ServerRequestContext

from . import __version__
from .config import Settings
from .errors import AtlassianError
from .services import Services
from .tools.registry import Answer, ResourceSpec, ToolSpec, all_resources, all_tools, disabled_reason, select

log = logging.getLogger("atlassian_mcp_server")

INSTRUCTIONS = (
    "Tools for the user's Atlassian Cloud site: jira_* for Jira issues, confluence_* for Confluence pages, "
    "servicedesk_* for Jira Service Management. Content is Markdown both ways. Lists are paged: pass the "
    "cursor or token an answer shows to get more."
)


@dataclass
class AppState:
    """What the lifespan yields to every handler: settings, services and the pool limiter."""

    settings: Settings
    services: Services
    limiter: anyio.CapacityLimiter


class ToolTable:
    """The enabled tools, their MCP listing (built once) and their compiled argument validators."""

    def __init__(self, settings: Settings, catalogue: list[ToolSpec] | None = None):
        self.catalogue = catalogue if catalogue is not None else all_tools()
        self.enabled = select(self.catalogue, settings)
        self.by_name = {t.name: t for t in self.enabled}
        self.listing = [
            types.Tool(
                name=t.name,
                description=t.description,
                input_schema=t.input_schema(),
                annotations=types.ToolAnnotations(
                    title=t.title,
                    read_only_hint=t.read_only,
                    destructive_hint=t.destructive,
                    idempotent_hint=t.read_only if t.idempotent is None else t.idempotent,
                    open_world_hint=t.open_world,
                ),
            )
            for t in self.enabled
        ]
        self._validators: dict[str, Any] = {}
        self.resources: list[ResourceSpec] = [r for r in all_resources() if r.module in settings.modules]
        self.resource_listing = [
            types.ResourceTemplate(uri_template=r.uri_template, name=r.name, description=r.description, mime_type=r.mime_type)
            for r in self.resources
        ]

    def validator(self, spec: ToolSpec) -> Any:
        found = self._validators.get(spec.name)
        if found is None:
            from jsonschema import Draft202012Validator

            found = self._validators[spec.name] = Draft202012Validator(spec.input_schema())
        return found

    def check_arguments(self, spec: ToolSpec, args: Any) -> str | None:
        """One actionable sentence for the first problem in the arguments, or None when valid."""
        if not isinstance(args, dict):
            return f"Arguments for {spec.name} must be a JSON object."
        errors = list(self.validator(spec).iter_errors(args))
        if not errors:
            return None
        from jsonschema.exceptions import relevance

        return describe_schema_error(spec, min(errors, key=relevance))


def describe_schema_error(spec: ToolSpec, error: Any) -> str:
    """Turn a jsonschema error into: which argument, what was expected, what to do."""
    where = ".".join(str(p) for p in error.absolute_path)
    name = where or "arguments"
    kind = error.validator
    expected = error.validator_value
    got = error.instance
    props = spec.params
    if kind == "required":
        missing = next((r for r in expected if isinstance(got, dict) and r not in got), expected[0])
        desc = props.get(missing, {}).get("description", "")
        return f"Missing required argument '{missing}' for {spec.name}: {desc} Provide it and call again.".replace("  ", " ")
    if kind == "additionalProperties":
        extra = sorted(set(got) - set(props)) if isinstance(got, dict) else []
        allowed = ", ".join(props) or "none"
        return f"Unknown argument '{', '.join(extra)}' for {spec.name}; it takes: {allowed}."
    if kind == "type":
        wanted = expected if isinstance(expected, str) else " or ".join(expected)
        return f"Argument '{name}' must be {_article(wanted)} {wanted}, not {_kind_of(got)} ({_show(got)})."
    if kind == "enum":
        return f"Argument '{name}' must be one of {', '.join(map(str, expected))}, not {_show(got)}."
    if kind in ("minimum", "exclusiveMinimum"):
        return f"Argument '{name}' must be at least {expected}, not {_show(got)}."
    if kind in ("maximum", "exclusiveMaximum"):
        return f"Argument '{name}' must be at most {expected}, not {_show(got)}; use paging for more."
    if kind == "minLength":
        return f"Argument '{name}' must not be empty." if expected <= 1 else f"Argument '{name}' must have at least {expected} characters."
    if kind == "maxLength":
        return f"Argument '{name}' is too long ({len(got)} characters; at most {expected})."
    if kind == "maxItems":
        return f"Argument '{name}' has too many items ({len(got)}; at most {expected})."
    if kind == "minItems":
        return f"Argument '{name}' needs at least {expected} item(s)."
    if kind == "pattern":
        desc = props.get(name.split(".")[0], {}).get("description", f"a value matching {expected}")
        return f"Argument '{name}' is not valid ({_show(got)}): expected {desc[0].lower() + desc[1:] if desc else expected}"
    return f"Argument '{name}' is not valid: {error.message[:200]}."


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _kind_of(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array", dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def answer_result(answer: Answer) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=answer.text)],
        structured_content=answer.data,
    )


async def run_tool(state: AppState, table: ToolTable, name: str, arguments: Any) -> types.CallToolResult:
    """Validate, run on the pool, and turn every failure into an isError result."""
    spec = table.by_name.get(name)
    if spec is None:
        known = next((t for t in table.catalogue if t.name == name), None)
        if known is not None:
            return error_result(f"Tool {name} is disabled: {disabled_reason(known, state.settings)}.")
        return error_result(f"Unknown tool {name!r}; call tools/list to see the available tools.")
    arguments = {} if arguments is None else arguments
    problem = table.check_arguments(spec, arguments)
    if problem:
        return error_result(problem)
    call = functools.partial(spec.handler, state.services, arguments)
    try:
        answer = await anyio.to_thread.run_sync(call, limiter=state.limiter)
    except AtlassianError as exc:
        log.info("%s: %s", name, exc)
        return error_result(str(exc))
    except Exception as exc:  # the server must outlive any handler bug
        log.warning("tool %s failed unexpectedly: %s: %s", name, type(exc).__name__, _one_line(exc))
        log.debug("traceback for %s", name, exc_info=True)
        return error_result(
            f"{name} failed unexpectedly ({type(exc).__name__}); the server is still running and the details are in its log. "
            "Try again, or report it if it keeps happening."
        )
    return answer_result(answer)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


async def read_resource(state: AppState, table: ToolTable, uri: str) -> types.ReadResourceResult:
    """Read a templated resource on the pool; failures become JSON-RPC errors with one clear sentence."""
    from mcp.shared.exceptions import MCPError

    for spec in table.resources:
        value = spec.match(uri)
        if value is None:
            continue
        try:
            text = await anyio.to_thread.run_sync(functools.partial(spec.reader, state.services, value), limiter=state.limiter)
        except AtlassianError as exc:
            raise MCPError(-32002, str(exc)) from None
        except Exception as exc:
            log.warning("resource %s failed unexpectedly: %s: %s", uri, type(exc).__name__, _one_line(exc))
            raise MCPError(-32603, f"Reading {uri} failed unexpectedly ({type(exc).__name__}); the details are in the server's log.") from None
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type=spec.mime_type, text=text)])
    templates = ", ".join(r.uri_template for r in table.resources) or "none are enabled"
    raise MCPError(-32002, f"Unknown resource {uri!r}; the resource templates are: {templates}.")


def build_server(settings: Settings, services: Services | None = None) -> Server[AppState]:
    """The low-level Server with constructor handlers; raises ConfigError for unknown tool names."""
    table = ToolTable(settings)

    @asynccontextmanager
    async def lifespan(_: Server[AppState]) -> AsyncIterator[AppState]:
        yield AppState(
            settings=settings,
            services=services or Services(settings),
            limiter=anyio.CapacityLimiter(settings.max_workers),
        )

    async def on_list_tools(ctx: ServerRequestContext[AppState], params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=table.listing)

    async def on_call_tool(ctx: ServerRequestContext[AppState], params: types.CallToolRequestParams) -> types.CallToolResult:
        return await run_tool(ctx.lifespan_context, table, params.name, params.arguments)

    async def on_list_resources(ctx: ServerRequestContext[AppState], params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[])  # everything is reached through the templates

    async def on_list_resource_templates(ctx: ServerRequestContext[AppState], params: Any) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=table.resource_listing)

    async def on_read_resource(ctx: ServerRequestContext[AppState], params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await read_resource(ctx.lifespan_context, table, str(params.uri))

    resource_handlers: dict[str, Any] = {}
    if table.resources:
        resource_handlers = {
            "on_list_resources": on_list_resources,
            "on_list_resource_templates": on_list_resource_templates,
            "on_read_resource": on_read_resource,
        }
    return Server(
        "atlassian-mcp-server",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
        **resource_handlers,
    )


async def serve_stdio(server: Server[AppState]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
