"""What a tool is (ToolSpec, Answer, Handler) and how settings select among a catalogue.

This module names no product: `tools/catalogue.py` says which tools exist, in which order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..config import Settings
    from ..services import Services

MODULE_ALWAYS_ON = "atlassian"


@dataclass(frozen=True)
class Answer:
    """What a handler returns: compact Markdown for the model, plus the same facts as data."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)
    images: tuple[tuple[str, str], ...] = ()  # (mime type, base64 data), sent as MCP image content after the text


Handler: TypeAlias = "Callable[[Services, dict[str, Any]], Answer]"
"""A tool's code: the per-process services and the validated arguments in, an Answer out."""

Reader: TypeAlias = "Callable[[Services, str], str]"
"""A resource template's code: the services and the template's one variable in, Markdown out."""


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its public face (name, description, schema, annotations) and where it belongs."""

    name: str
    title: str
    description: str
    handler: Handler
    module: str
    toolset: str
    read_only: bool
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    destructive: bool = False
    idempotent: bool | None = None
    open_world: bool = True
    modules_any: tuple[str, ...] = ()  # for cross-product tools: enabled while any of these modules is
    local_only: bool = False  # works only for the one person at this machine (a local sign-in): never served to a team
    default: bool = False  # in the default profile (ATLASSIAN_TOOLSETS unset or `default`); set by the catalogue
    dynamic: bool = False  # one of the toolset tools, switched off by ATLASSIAN_DYNAMIC_TOOLSETS=false
    affects_people: bool = False  # acts on other people (assigns, approves, adds them): confirmed with ATLASSIAN_CONFIRM=people
    output: dict[str, Any] | None = None  # the outputSchema of its structuredContent; set by the catalogue
    aliases: tuple[str, ...] = ()  # 0.4.x names it answers to (callable and allowed in ATLASSIAN_TOOLS, never listed)

    def input_schema(self, strict: bool = False) -> dict[str, Any]:
        """The JSON Schema of the arguments. The server validates with `strict=True` (unknown
        arguments refused); the listing leaves `additionalProperties: false` out to save bytes."""
        schema: dict[str, Any] = {"type": "object", "properties": self.params}
        if strict:
            schema["additionalProperties"] = False
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def annotations(self) -> dict[str, Any]:
        """MCP tool annotations, leaving out hints that equal the protocol's defaults or do not apply.

        readOnlyHint is always given; destructiveHint and idempotentHint only matter for tools
        that write (default true and false); openWorldHint is given only when false (default true).
        """
        hints: dict[str, Any] = {"title": self.title, "readOnlyHint": self.read_only}
        if not self.read_only:
            hints["destructiveHint"] = self.destructive
            if self.idempotent:
                hints["idempotentHint"] = True
        if not self.open_world:
            hints["openWorldHint"] = False
        return hints


@dataclass(frozen=True)
class ResourceSpec:
    """A resource template such as `jira://issue/{key}`: read as Markdown by `reader(services, value)`."""

    uri_template: str
    name: str
    description: str
    module: str
    reader: Reader
    mime_type: str = "text/markdown"

    @property
    def prefix(self) -> str:
        return self.uri_template.split("{", 1)[0]

    def match(self, uri: str) -> str | None:
        """The single variable of the template when `uri` fits it, else None."""
        if not uri.startswith(self.prefix):
            return None
        value = uri[len(self.prefix) :]
        return value if value and "/" not in value and "?" not in value and "#" not in value else None


@dataclass(frozen=True)
class Catalogue:
    """Every tool the server can offer, in listing order, with the toolsets that group them and
    the resource templates; `tools/catalogue.py` builds the one the server uses."""

    tools: tuple[ToolSpec, ...]
    toolsets: dict[str, str]  # toolset id -> description, chosen with ATLASSIAN_TOOLSETS
    resources: tuple[ResourceSpec, ...] = ()
    argument_aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # tool or alias -> {0.4.x parameter: today's, or "" when dropped}

    def __post_init__(self) -> None:
        names = [t.name for t in self.tools]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise RuntimeError(f"tool names declared twice: {sorted(duplicates)}")
        strays = sorted({t.toolset for t in self.tools} - set(self.toolsets))
        if strays:
            raise RuntimeError(f"toolsets used but not declared: {strays}")

    @property
    def aliases(self) -> dict[str, str]:
        """0.4.x tool name -> today's name."""
        return {alias: t.name for t in self.tools for alias in t.aliases}

    def renamed_arguments(self, called: str, args: dict[str, Any]) -> dict[str, Any]:
        """The arguments of a call to `called` (a name or a 0.4.x alias) with 0.4.x parameter names
        replaced by today's; parameters that are no longer needed (mapped to "") are left out. A
        target `name:template` puts a numeric value into the template, e.g. `aql:objectTypeId = {}`."""
        renames = {**self.argument_aliases.get(self.aliases.get(called, called), {}), **self.argument_aliases.get(called, {})}
        if not renames:
            return args
        out: dict[str, Any] = {}
        for key, value in args.items():
            new = renames.get(key, key)
            if ":" in new:
                new, template = new.split(":", 1)
                if str(value).isdigit():
                    value = template.format(value)
            if new and new not in args:
                out[new] = value
            elif new == key:
                out[key] = value
        return out

    def tool(self, name: str) -> ToolSpec | None:
        """The declaration named `name` (or by its 0.4.x alias), enabled or not; None when no tool has that name."""
        name = self.aliases.get(name, name)
        return next((t for t in self.tools if t.name == name), None)


def with_aliases(tools: tuple[ToolSpec, ...], aliases: dict[str, str]) -> tuple[ToolSpec, ...]:
    """The tools, each with the 0.4.x names (alias -> today's name) it answers to."""
    from dataclasses import replace

    missing = sorted(set(aliases.values()) - {t.name for t in tools})
    if missing:
        raise RuntimeError(f"aliases name unknown tools: {missing}")
    return tuple(replace(t, aliases=tuple(a for a, n in aliases.items() if n == t.name)) if t.name in aliases.values() else t for t in tools)


def with_defaults(tools: list[ToolSpec], names: tuple[str, ...]) -> tuple[ToolSpec, ...]:
    """The tools, those named marked as the default profile (every name must exist)."""
    from dataclasses import replace

    missing = sorted(set(names) - {t.name for t in tools})
    if missing:
        raise RuntimeError(f"default profile names unknown tools: {missing}")
    return tuple(replace(t, default=True) if t.name in names else t for t in tools)


KEYWORD_DEFAULT = "default"
KEYWORD_ALL = "all"
TOOLSET_KEYWORDS = (KEYWORD_DEFAULT, KEYWORD_ALL)


def base_toolsets(settings: Settings) -> tuple[str, ...]:
    """The toolsets (and keywords) listed from the start: ATLASSIAN_TOOLSETS, else `default`;
    an ATLASSIAN_TOOLS allowlist without ATLASSIAN_TOOLSETS lists every tool it names."""
    if settings.toolsets is not None:
        return settings.toolsets
    return (KEYWORD_ALL,) if settings.tools is not None else (KEYWORD_DEFAULT,)


def toolset_listed(spec: ToolSpec, toolsets: tuple[str, ...] | frozenset[str] | set[str]) -> bool:
    """Whether `toolsets` (names and keywords) take this tool in; the `atlassian` toolset always is."""
    return spec.toolset == MODULE_ALWAYS_ON or KEYWORD_ALL in toolsets or spec.toolset in toolsets or (spec.default and KEYWORD_DEFAULT in toolsets)


def blocked_reason(spec: ToolSpec, settings: Settings) -> str | None:
    """Why the settings forbid this tool whatever toolsets are enabled (what enabling never widens); None when allowed."""
    if spec.module != MODULE_ALWAYS_ON and spec.module not in settings.modules:
        return f"its module {spec.module!r} is not in ATLASSIAN_MODULES"
    if spec.modules_any and not set(spec.modules_any) & set(settings.modules):
        return f"none of its modules ({', '.join(spec.modules_any)}) is in ATLASSIAN_MODULES"
    if settings.tools is not None and spec.name not in settings.tools and not set(spec.aliases) & set(settings.tools):
        return "it is not in ATLASSIAN_TOOLS"
    if settings.read_only and not spec.read_only:
        return "ATLASSIAN_READ_ONLY=true allows only read tools"
    if spec.destructive and not settings.enable_destructive:
        return "destructive tools need ATLASSIAN_ENABLE_DESTRUCTIVE=true"
    if spec.dynamic and not settings.dynamic_toolsets:
        return "ATLASSIAN_DYNAMIC_TOOLSETS=false turns the toolset tools off"
    return None


def disabled_reason(spec: ToolSpec, settings: Settings, enabled_toolsets: tuple[str, ...] | frozenset[str] | set[str] = ()) -> str | None:
    """Why this tool is off, naming the setting or the toolset to enable; None when it is on.
    `enabled_toolsets` are those enabled on demand in this session, over ATLASSIAN_TOOLSETS."""
    reason = blocked_reason(spec, settings)
    if reason is not None:
        return reason
    if not toolset_listed(spec, (*base_toolsets(settings), *enabled_toolsets)):
        if settings.dynamic_toolsets and (settings.tools is None or "atlassian_enable_toolset" in settings.tools):
            return f"its toolset {spec.toolset!r} is not enabled; call atlassian_enable_toolset with toolset={spec.toolset!r} first"
        return f"its toolset {spec.toolset!r} is not in ATLASSIAN_TOOLSETS"
    return None


def check_names(catalogue: Catalogue, settings: Settings) -> None:
    """Unknown names in ATLASSIAN_TOOLS/TOOLSETS (checked against this catalogue) stop start-up."""
    problems = []
    known = {t.name for t in catalogue.tools}
    if settings.tools is not None:
        unknown = [n for n in settings.tools if n not in known and n not in catalogue.aliases]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLS names unknown tool(s) {', '.join(unknown)}; run `atlassian-mcp-server tools` to list them")
    if settings.toolsets is not None:
        toolsets = catalogue.toolsets
        unknown = [n for n in settings.toolsets if n not in toolsets and n not in TOOLSET_KEYWORDS]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLSETS names unknown toolset(s) {', '.join(unknown)}; choose from {', '.join((*TOOLSET_KEYWORDS, *toolsets))}")
    if problems:
        raise ConfigError(problems)


def allowed(catalogue: Catalogue, settings: Settings) -> list[ToolSpec]:
    """Every tool the settings allow, whichever toolsets are enabled: the most a session can list."""
    check_names(catalogue, settings)
    return [t for t in catalogue.tools if blocked_reason(t, settings) is None]


def select(catalogue: Catalogue, settings: Settings, enabled_toolsets: tuple[str, ...] | frozenset[str] | set[str] = ()) -> list[ToolSpec]:
    """The tools of `catalogue` the settings enable (plus the toolsets enabled on demand), in
    catalogue order; unknown names in ATLASSIAN_TOOLS/TOOLSETS stop start-up."""
    check_names(catalogue, settings)
    return [t for t in catalogue.tools if disabled_reason(t, settings, enabled_toolsets) is None]


class SessionToolsets:
    """The toolsets one client session enabled on demand, over what the settings list from the start.

    Thread-safe: the toolset tools run on the worker pool while the event loop lists tools.
    """

    def __init__(self, catalogue: Catalogue, settings: Settings):
        import threading

        self.catalogue = catalogue
        self.settings = settings
        self.enabled: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def active(self) -> list[ToolSpec]:
        """The tools this session lists now, in catalogue order."""
        enabled = self.enabled
        return [t for t in self.catalogue.tools if disabled_reason(t, self.settings, enabled) is None]

    def overview(self) -> list[dict[str, Any]]:
        """Every toolset the settings allow at least one tool of: description, those tools, whether all are listed."""
        listed = {t.name for t in self.active()}
        out = []
        for name, description in self.catalogue.toolsets.items():
            tools = [t.name for t in self.catalogue.tools if t.toolset == name and blocked_reason(t, self.settings) is None]
            if tools:
                out.append({"name": name, "description": description, "enabled": all(t in listed for t in tools), "tools": tools})
        return out

    def enable(self, names: list[str]) -> list[str]:
        """Enable these toolsets (or `all`) for this session; the names that listed new tools.
        An unknown toolset, or one the settings allow no tool of, is an InvalidInput naming why."""
        from ..errors import InvalidInput

        choices = ", ".join((KEYWORD_ALL, *self.catalogue.toolsets))
        for name in names:
            if name != KEYWORD_ALL and name not in self.catalogue.toolsets:
                raise InvalidInput(f"Unknown toolset {name!r}; choose from {choices}.")
            if name != KEYWORD_ALL:
                members = [t for t in self.catalogue.tools if t.toolset == name]
                reasons = [blocked_reason(t, self.settings) for t in members]
                if all(reasons):
                    raise InvalidInput(f"Toolset {name!r} cannot be enabled here: {reasons[0]}.")
        with self._lock:
            before = {t.name for t in self.active()}
            added = []
            for name in names:
                self.enabled = self.enabled | {name}
                now = {t.name for t in self.active()}
                if now - before:
                    added.append(name)
                before = now
            return added
