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

    def __post_init__(self) -> None:
        names = [t.name for t in self.tools]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise RuntimeError(f"tool names declared twice: {sorted(duplicates)}")
        strays = sorted({t.toolset for t in self.tools} - set(self.toolsets))
        if strays:
            raise RuntimeError(f"toolsets used but not declared: {strays}")

    def tool(self, name: str) -> ToolSpec | None:
        """The declaration named `name`, enabled or not; None when no tool has that name."""
        return next((t for t in self.tools if t.name == name), None)


def disabled_reason(spec: ToolSpec, settings: Settings) -> str | None:
    """Why the settings switch this tool off, naming the setting; None when it is enabled."""
    if spec.module != MODULE_ALWAYS_ON and spec.module not in settings.modules:
        return f"its module {spec.module!r} is not in ATLASSIAN_MODULES"
    if spec.modules_any and not set(spec.modules_any) & set(settings.modules):
        return f"none of its modules ({', '.join(spec.modules_any)}) is in ATLASSIAN_MODULES"
    if settings.toolsets is not None and spec.toolset not in settings.toolsets and spec.toolset != MODULE_ALWAYS_ON:
        return f"its toolset {spec.toolset!r} is not in ATLASSIAN_TOOLSETS"
    if settings.tools is not None and spec.name not in settings.tools:
        return "it is not in ATLASSIAN_TOOLS"
    if settings.read_only and not spec.read_only:
        return "ATLASSIAN_READ_ONLY=true allows only read tools"
    if spec.destructive and not settings.enable_destructive:
        return "destructive tools need ATLASSIAN_ENABLE_DESTRUCTIVE=true"
    return None


def select(catalogue: Catalogue, settings: Settings) -> list[ToolSpec]:
    """The tools of `catalogue` the settings enable, in catalogue order; unknown names in
    ATLASSIAN_TOOLS/TOOLSETS (checked against this catalogue) stop start-up."""
    problems = []
    known = {t.name for t in catalogue.tools}
    if settings.tools is not None:
        unknown = [n for n in settings.tools if n not in known]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLS names unknown tool(s) {', '.join(unknown)}; run `atlassian-mcp-server tools` to list them")
    if settings.toolsets is not None:
        toolsets = catalogue.toolsets
        unknown = [n for n in settings.toolsets if n not in toolsets]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLSETS names unknown toolset(s) {', '.join(unknown)}; choose from {', '.join(toolsets)}")
    if problems:
        raise ConfigError(problems)
    return [t for t in catalogue.tools if disabled_reason(t, settings) is None]
