"""Tool declarations, one module per product, and the registry that selects among them."""

from __future__ import annotations

from typing import Any


def limit_param(default: int, maximum: int, what: str = "results") -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default, "description": f"Max {what} (1-{maximum})."}


def text_param(description: str, max_length: int = 255, min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length, "description": description}
