"""The MCP server: tool listing, argument validation, the thread-pool bridge and error results."""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import logging
import os
import re
import threading
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import NotificationOptions, Server

from . import __version__, calls
from .calls import CallContext
from .config import Settings
from .errors import AtlassianError
from .redact import ScrubbingFormatter, scrub
from .services import Services
from .tools.catalogue import INSTRUCTIONS
from .tools.registry import Answer, Catalogue, ResourceSpec, ToolSpec, disabled_reason, select

log = logging.getLogger("atlassian_mcp_server")


# MCP log levels (RFC 5424 names) to Python's.
LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "notice": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "alert": logging.CRITICAL,
    "emergency": logging.CRITICAL,
}
_MCP_LEVEL = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error", logging.CRITICAL: "critical"}


class ClientLogForwarder(logging.Handler):
    """Sends this package's log records to the client as notifications/message once it asked (logging/setLevel)."""

    def __init__(self) -> None:
        super().__init__(level=logging.CRITICAL + 1)  # silent until the client sets a level
        self.session: Any = None
        self.loop: Any = None
        self.queue: Any = None
        self.setFormatter(ScrubbingFormatter())  # the same secret scrubbing as stderr

    def emit(self, record: logging.LogRecord) -> None:
        if self.loop is None or self.queue is None or self.session is None:
            return
        level = _MCP_LEVEL.get(record.levelno, "info")
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, (level, record.name, self.format(record)))
        except RuntimeError:  # loop closed during shutdown
            pass

    async def pump(self) -> None:
        while True:
            level, name, text = await self.queue.get()
            try:
                await self.session.send_log_message(level, text, logger=name)
            except Exception:  # the client went away; stop forwarding
                self.session = None


@dataclass
class AppState:
    """What the lifespan yields to every handler: settings, services and the pool limiter."""

    settings: Settings
    services: Services
    limiter: anyio.CapacityLimiter
    forwarder: ClientLogForwarder | None = None


class ToolTable:
    """The enabled tools, their MCP listing (built once) and their compiled argument validators."""

    def __init__(self, settings: Settings, catalogue: Catalogue | None = None):
        if catalogue is None:
            from .tools.catalogue import CATALOGUE

            catalogue = CATALOGUE
        self.catalogue = catalogue
        self.enabled = select(self.catalogue, settings)
        self.by_name = {t.name: t for t in self.enabled}
        self.listing = [
            types.Tool(
                name=t.name,
                description=t.description,
                input_schema=t.input_schema(),
                annotations=types.ToolAnnotations.model_validate(t.annotations()),
            )
            for t in self.enabled
        ]
        self._validators: dict[str, Any] = {}
        self.resources: list[ResourceSpec] = [r for r in catalogue.resources if r.module in settings.modules]
        self.resource_listing = [
            types.ResourceTemplate(uri_template=r.uri_template, name=r.name, description=r.description, mime_type=r.mime_type) for r in self.resources
        ]

    def validator(self, spec: ToolSpec) -> Any:
        found = self._validators.get(spec.name)
        if found is None:
            from jsonschema import Draft202012Validator

            found = self._validators[spec.name] = Draft202012Validator(spec.input_schema(strict=True))
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
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array", dict: "an object", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Every tool answer stays under these sizes (SECURITY.md, "Bounded answers"), whatever Atlassian sends.
MAX_TEXT_CHARS = 100_000  # the text of one answer
MAX_STRUCTURED_CHARS = 2_000_000  # structuredContent, as JSON (a 512 KB text attachment fits)
MAX_NESTING = 100  # levels of arrays and objects in a call's arguments
_NARROW = "narrow the request (a filter, fewer fields, a lower limit) or page through it"


def error_result(message: str) -> types.CallToolResult:
    message = scrub(message)
    if len(message) > MAX_TEXT_CHARS:
        message = message[:MAX_TEXT_CHARS] + " … (error text cut)"
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def answer_result(answer: Answer) -> types.CallToolResult:
    import json

    text = answer.text
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS].rstrip() + f"\n\n… (answer cut at {MAX_TEXT_CHARS} characters; {_NARROW})"
    data = answer.data
    if data is not None:
        try:
            size = len(json.dumps(data, ensure_ascii=False, default=str))
        except (TypeError, ValueError, RecursionError):
            size = MAX_STRUCTURED_CHARS + 1
        if size > MAX_STRUCTURED_CHARS:
            note = f"The structured answer was {size} characters, over the {MAX_STRUCTURED_CHARS} limit, so it was left out; {_NARROW}."
            data = {"truncated": True, "note": note}
            text += f"\n\n({note})"
    content: list[Any] = [types.TextContent(type="text", text=text)]
    content += [types.ImageContent(type="image", data=data_, mime_type=mime) for mime, data_ in answer.images]
    return types.CallToolResult(content=content, structured_content=data)


def nesting_depth(value: Any, limit: int = MAX_NESTING) -> int:
    """How deeply arrays and objects nest in `value` (walked without recursion; stops past `limit`)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _progress_sink(ctx: ServerRequestContext[AppState] | None) -> Any:
    """A thread-safe progress callback when the client sent a progress token, else None."""
    if ctx is None:
        return None
    raw_meta = (ctx.params or {}).get("_meta") if isinstance(ctx.params, dict) else None
    token = raw_meta.get("progressToken") if isinstance(raw_meta, dict) else None
    if token is None and isinstance(ctx.meta, dict):
        token = ctx.meta.get("progress_token", ctx.meta.get("progressToken"))
    if token is None or isinstance(token, bool):
        return None
    session = ctx.session
    request_id = None if ctx.request_id is None else str(ctx.request_id)

    def send(done: float, total: float | None, message: str | None) -> None:
        try:
            anyio.from_thread.run(functools.partial(session.send_progress_notification, token, done, total, message, related_request_id=request_id))
        except Exception as exc:  # progress is best effort; the call goes on
            log.debug("progress notification not sent: %s", exc)

    return send


def _tools_changed_notice(ctx: ServerRequestContext[AppState] | None) -> Any:
    """A thread-safe way for a call to send notifications/tools/list_changed, also after it ended."""
    if ctx is None:
        return None
    session = ctx.session
    token = anyio.lowlevel.current_token()

    def notify() -> None:  # runs in a worker or background thread
        try:
            anyio.from_thread.run(session.send_tool_list_changed, token=token)
        except Exception as exc:  # the client may be gone; what changed still stands
            log.debug("could not send tools/list_changed: %s", exc)

    return notify


async def run_tool(state: AppState, table: ToolTable, name: str, arguments: Any, ctx: ServerRequestContext[AppState] | None = None) -> types.CallToolResult:
    """Validate, run on the pool, and turn every failure into an isError result."""
    spec = table.by_name.get(name)
    if spec is None:
        known = table.catalogue.tool(name)
        if known is not None:
            return error_result(f"Tool {name} is disabled: {disabled_reason(known, state.settings)}.")
        return error_result(f"Unknown tool {name!r}; call tools/list to see the available tools.")
    arguments = {} if arguments is None else arguments
    if nesting_depth(arguments) > MAX_NESTING:
        return error_result(f"The arguments for {name} nest deeper than {MAX_NESTING} levels of arrays and objects; send flatter arguments.")
    try:
        problem = table.check_arguments(spec, arguments)
    except RecursionError:
        problem = f"The arguments for {name} are too deeply nested to check; send flatter arguments."
    if problem:
        return error_result(problem)
    call = functools.partial(spec.handler, state.services, arguments)
    context = CallContext(_progress_sink(ctx), _tools_changed_notice(ctx))
    token = calls.activate(context)  # copied into the worker thread's context by anyio
    try:
        answer = await _in_worker(state.limiter, call, context)
    except anyio.get_cancelled_exc_class():
        log.info("%s cancelled by the client", name)
        raise
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
    finally:
        calls.deactivate(token)
    return answer_result(answer)


async def _in_worker(limiter: anyio.CapacityLimiter, call: Any, context: CallContext) -> Any:
    """Run `call` on a worker thread holding one of the limiter's slots until the thread ends.

    A cancelled call is abandoned (its answer is dropped and it sends no further request), but its
    slot is given back only when its thread finishes, so ATLASSIAN_MAX_WORKERS bounds the requests
    in flight even when clients cancel (anyio's own limiter would free the slot at the cancel).
    """
    borrower = object()
    await limiter.acquire_on_behalf_of(borrower)
    lock = threading.Lock()
    state = {"phase": "waiting"}  # waiting -> running (the thread releases) | dropped (we release)

    def release_from_thread() -> None:
        try:
            anyio.from_thread.run_sync(limiter.release_on_behalf_of, borrower)
        except Exception:  # the event loop is gone: the server is shutting down
            pass

    def work() -> Any:
        with lock:
            if state["phase"] == "dropped":
                return None
            state["phase"] = "running"
        try:
            return call()
        finally:
            release_from_thread()

    try:
        return await anyio.to_thread.run_sync(work, limiter=anyio.CapacityLimiter(1), abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        context.cancelled.set()  # the worker stops before its next request
        with lock:
            if state["phase"] == "waiting":
                state["phase"] = "dropped"
                limiter.release_on_behalf_of(borrower)
        raise


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


def build_server(settings: Settings, services: Services | None = None, *, team: bool = False) -> Server[AppState]:
    """The low-level Server with constructor handlers; raises ConfigError for unknown tool names.

    `team`: served over HTTP to many users (http_transport.py): each request brings its own
    Services, the local sign-in tool is left out and clients cannot change the server's logging.
    """
    catalogue = None
    if team:
        from .tools.catalogue import CATALOGUE

        catalogue = dataclasses.replace(CATALOGUE, tools=tuple(t for t in CATALOGUE.tools if not t.local_only))
    table = ToolTable(settings, catalogue)

    @asynccontextmanager
    async def lifespan(_: Server[AppState]) -> AsyncIterator[AppState]:
        import asyncio

        forwarder = ClientLogForwarder()
        forwarder.loop = asyncio.get_running_loop()
        forwarder.queue = asyncio.Queue(maxsize=1000)
        package_logger = logging.getLogger("atlassian_mcp_server")
        package_logger.addHandler(forwarder)
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(forwarder.pump)
                yield AppState(
                    settings=settings,
                    services=services or Services(settings),
                    limiter=anyio.CapacityLimiter(settings.max_workers),
                    forwarder=forwarder,
                )
                tg.cancel_scope.cancel()
        finally:
            package_logger.removeHandler(forwarder)

    async def on_list_tools(ctx: ServerRequestContext[AppState], params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=table.listing)

    async def on_call_tool(ctx: ServerRequestContext[AppState], params: types.CallToolRequestParams) -> types.CallToolResult:
        return await run_tool(request_state(ctx), table, params.name, params.arguments, ctx)

    async def on_list_resources(ctx: ServerRequestContext[AppState], params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[])  # everything is reached through the templates

    async def on_list_resource_templates(ctx: ServerRequestContext[AppState], params: Any) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=table.resource_listing)

    async def on_read_resource(ctx: ServerRequestContext[AppState], params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await read_resource(request_state(ctx), table, str(params.uri))

    async def on_set_logging_level(ctx: ServerRequestContext[AppState], params: types.SetLevelRequestParams) -> types.EmptyResult:
        if team:  # one user's client must not change what the server logs for everyone
            return types.EmptyResult()
        level = LEVELS.get(str(params.level), logging.INFO)
        logging.getLogger("atlassian_mcp_server").setLevel(level)
        forwarder = ctx.lifespan_context.forwarder
        if forwarder is not None:
            forwarder.session = ctx.session
            forwarder.setLevel(level)
        return types.EmptyResult()

    from .prompts import PROMPTS, complete_values

    enabled_names = set(table.by_name)
    prompts = {p.name: p for p in PROMPTS if p.is_listed(enabled_names)}
    prompt_listing = [
        types.Prompt(
            name=p.name,
            title=p.title,
            description=p.description,
            arguments=[types.PromptArgument(name=a.name, description=a.description, required=a.required) for a in p.arguments],
        )
        for p in prompts.values()
    ]

    async def on_list_prompts(ctx: ServerRequestContext[AppState], params: Any) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=prompt_listing)

    async def on_get_prompt(ctx: ServerRequestContext[AppState], params: types.GetPromptRequestParams) -> types.GetPromptResult:
        from mcp.shared.exceptions import MCPError

        spec = prompts.get(params.name)
        if spec is None:
            raise MCPError(-32602, f"Unknown prompt {params.name!r}; the prompts are: {', '.join(prompts) or 'none under these settings'}.")
        args = {k: str(v) for k, v in (params.arguments or {}).items()}
        missing = [a.name for a in spec.arguments if a.required and not args.get(a.name)]
        if missing:
            raise MCPError(-32602, f"Prompt {spec.name} needs the argument(s) {', '.join(missing)}.")
        unknown = sorted(set(args) - {a.name for a in spec.arguments})
        if unknown:
            raise MCPError(-32602, f"Prompt {spec.name} has no argument(s) {', '.join(unknown)}; it takes {', '.join(a.name for a in spec.arguments)}.")
        text = spec.render(args, enabled_names)
        return types.GetPromptResult(
            description=spec.description,
            messages=[types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))],
        )

    async def on_completion(ctx: ServerRequestContext[AppState], params: types.CompleteRequestParams) -> types.CompleteResult:
        empty = types.CompleteResult(completion=types.Completion(values=[], has_more=False))
        ref = params.ref
        spec = prompts.get(getattr(ref, "name", "")) if getattr(ref, "type", "") == "ref/prompt" else None
        argument = next((a for a in spec.arguments if a.name == params.argument.name), None) if spec else None
        if argument is None or argument.complete is None:
            return empty
        state = request_state(ctx)
        try:
            values = await anyio.to_thread.run_sync(
                functools.partial(complete_values, state.services, argument.complete, params.argument.value), limiter=state.limiter
            )
        except AtlassianError as exc:  # completion is a convenience: no values rather than an error
            log.info("completion for %s.%s failed: %s", spec.name if spec else "?", argument.name, exc)
            return empty
        return types.CompleteResult(completion=types.Completion(values=values, total=len(values), has_more=False))

    resource_handlers: dict[str, Any] = {}
    if table.resources:
        resource_handlers = {
            "on_list_resources": on_list_resources,
            "on_list_resource_templates": on_list_resource_templates,
            "on_read_resource": on_read_resource,
        }
    from mcp.shared.exceptions import MCPDeprecationWarning

    with warnings.catch_warnings():
        # logging/setLevel is deprecated from protocol 2026-07-28 on, but clients of the
        # earlier revisions still send it; it is served for them.
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        return Server(
            "atlassian-mcp-server",
            version=__version__,
            instructions=INSTRUCTIONS,
            lifespan=lifespan,
            on_list_tools=on_list_tools,
            on_call_tool=on_call_tool,
            on_set_logging_level=on_set_logging_level,
            on_list_prompts=on_list_prompts,
            on_get_prompt=on_get_prompt,
            on_completion=on_completion,
            **resource_handlers,
        )


TEAM_SERVICES = "atlassian_mcp_server.services"  # the ASGI scope key where the HTTP transport puts a request's Services


def request_state(ctx: ServerRequestContext[AppState]) -> AppState:
    """The lifespan state, with the Services of this HTTP request's own credential when it brought one."""
    state = ctx.lifespan_context
    scope = getattr(ctx.request, "scope", None)
    services = scope.get(TEAM_SERVICES) if isinstance(scope, dict) else None
    return state if services is None else dataclasses.replace(state, services=services)


def _scan(line: str) -> tuple[int, set[int]]:
    """One pass over a JSON text without parsing it: how deeply arrays and objects nest (strings
    skipped), and where the strings of the top-level object start."""
    depth = deepest = 0
    in_string = escaped = False
    top_level: set[int] = set()
    for i, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            if depth == 1:
                top_level.add(i)
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest, top_level


_REQUEST_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def too_deep_reply(line: str) -> types.JSONRPCError | None:
    """A JSON-RPC error for a message nested too deeply for the protocol library to parse, else None.

    The SDK's parser gives up near 200 levels and then drops the message without an answer;
    such a request gets this error instead (with its id when one can be found at the top level).
    """
    if line.count("{") + line.count("[") <= MAX_NESTING + 8:
        return None
    deepest, top_level = _scan(line)
    if deepest <= MAX_NESTING + 8:
        return None
    request_id: Any = None
    for match in _REQUEST_ID.finditer(line):
        if match.start() in top_level:
            request_id = json.loads(match.group(1))
            break
    if request_id is None:  # a notification (or no id found): nothing to answer
        return None
    message = f"The request nests deeper than {MAX_NESTING} levels of arrays and objects; send flatter arguments."
    return types.JSONRPCError(jsonrpc="2.0", id=request_id, error=types.ErrorData(code=-32600, message=message))


class _GuardedLines:
    """stdin lines for the SDK, minus the ones too deep to parse: those are answered here with an error."""

    def __init__(self, lines: Any, reply: Any):
        self.lines, self.reply = lines, reply

    async def __aiter__(self) -> AsyncIterator[str]:
        async for line in self.lines:
            answer = too_deep_reply(line)
            if answer is None:
                yield line
            else:
                log.info("answered a request nested too deeply to parse")
                await self.reply(answer)


def _exit_on_sigint() -> None:
    """SIGINT ends the server at once, as SIGTERM does (a worker blocked in a request cannot hold it up)."""
    import os
    import signal
    import sys

    def stop(signum: int, frame: Any) -> None:
        try:
            sys.stderr.write("atlassian-mcp-server: interrupted (SIGINT); exiting.\n")
            sys.stderr.flush()
        finally:
            os._exit(130)

    try:
        signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread (embedded use): leave the host's handler alone
        pass


async def serve_stdio(server: Server[AppState]) -> None:
    from mcp.server.stdio import stdio_server
    from mcp.shared.message import SessionMessage

    _exit_on_sigint()
    # Read stdin ourselves (fd 0 is handed to a private descriptor and then reads the null device,
    # as the SDK does), so a message too deep for the SDK's parser still gets an answer.
    private = os.dup(0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    stdin_text = io.TextIOWrapper(os.fdopen(private, "rb"), encoding="utf-8", errors="replace")
    writer: list[Any] = []
    ready = anyio.Event()

    async def reply(error: types.JSONRPCError) -> None:
        await ready.wait()
        await writer[0].send(SessionMessage(error))

    guarded = _GuardedLines(anyio.wrap_file(stdin_text), reply)
    try:
        async with stdio_server(stdin=guarded) as (read_stream, write_stream):  # type: ignore[arg-type]
            writer.append(write_stream)
            ready.set()
            options = server.create_initialization_options(NotificationOptions(tools_changed=True))
            await server.run(read_stream, write_stream, options)
    finally:
        stdin_text.close()
