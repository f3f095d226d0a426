"""Tools as data: one declaration per tool, and selection as a filter over the table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

MODULE_ALWAYS_ON = "atlassian"


@dataclass(frozen=True)
class Answer:
    """What a handler returns: compact Markdown for the model, plus the same facts as data."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)
    images: tuple[tuple[str, str], ...] = ()  # (mime type, base64 data), sent as MCP image content after the text


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its public face (name, description, schema, annotations) and where it belongs."""

    name: str
    title: str
    description: str
    handler: Callable[[Any, dict[str, Any]], Answer]
    module: str
    toolset: str
    read_only: bool
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    destructive: bool = False
    idempotent: bool | None = None
    open_world: bool = True
    modules_any: tuple[str, ...] = ()  # for cross-product tools: enabled while any of these modules is

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
    reader: Callable[[Any, str], str]
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


def _product_modules() -> list[Any]:
    from . import auth, common, confluence, jira, search, servicedesk

    return [auth, common, search, jira, confluence, servicedesk]


def all_toolsets() -> dict[str, str]:
    """Toolset id -> description: a finer grouping than modules, chosen with ATLASSIAN_TOOLSETS."""
    merged: dict[str, str] = {}
    for module in _product_modules():
        merged.update(module.TOOLSETS)
    return merged


def all_tools() -> list[ToolSpec]:
    """The whole catalogue, in a stable order: read this list to know what the server offers."""
    catalogue = [t for module in _product_modules() for t in module.TOOLS]
    names = [t.name for t in catalogue]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"tool names declared twice: {sorted(duplicates)}")
    return catalogue


def all_resources() -> list[ResourceSpec]:
    """Every resource template the product modules declare (in their RESOURCES lists)."""
    return [r for module in _product_modules() for r in getattr(module, "RESOURCES", [])]


def disabled_reason(spec: ToolSpec, settings: Any) -> str | None:
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


def select(catalogue: list[ToolSpec], settings: Any) -> list[ToolSpec]:
    """The tools the settings enable; unknown names in ATLASSIAN_TOOLS/TOOLSETS stop start-up."""
    problems = []
    known = {t.name for t in catalogue}
    if settings.tools is not None:
        unknown = [n for n in settings.tools if n not in known]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLS names unknown tool(s) {', '.join(unknown)}; run `atlassian-mcp-server tools` to list them")
    if settings.toolsets is not None:
        toolsets = all_toolsets()
        unknown = [n for n in settings.toolsets if n not in toolsets]
        if unknown:
            problems.append(f"ATLASSIAN_TOOLSETS names unknown toolset(s) {', '.join(unknown)}; choose from {', '.join(toolsets)}")
    if problems:
        raise ConfigError(problems)
    return [t for t in catalogue if disabled_reason(t, settings) is None]
