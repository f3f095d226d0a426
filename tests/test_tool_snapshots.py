"""The public face of every tool (what tools/list shows a model) is stored in tests/snapshots/tools/,
one JSON file per tool, so any change to a name, description, schema or annotation shows up in review.

Regenerate after an intended change with:  python tests/test_tool_snapshots.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.server import ToolTable
from atlassian_mcp_server.tools.catalogue import CATALOGUE

SNAPSHOTS = Path(__file__).parent / "snapshots" / "tools"
EVERYTHING = {"ATLASSIAN_SITE_URL": "https://example.atlassian.net", "ATLASSIAN_ENABLE_DESTRUCTIVE": "true"}
REGENERATE = "python tests/test_tool_snapshots.py"


def faces() -> dict[str, str]:
    """Tool name -> its tools/list entry as stored: JSON, keys sorted, one trailing newline."""
    table = ToolTable(Settings.from_env(EVERYTHING))
    return {
        tool.name: json.dumps(tool.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for tool in table.listing
    }


def write() -> None:
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    current = faces()
    for stale in SNAPSHOTS.glob("*.json"):
        if stale.stem not in current:
            stale.unlink()
    for name, text in current.items():
        (SNAPSHOTS / f"{name}.json").write_text(text, encoding="utf-8")


def test_every_tool_is_listed_with_everything_enabled() -> None:
    assert list(faces()) == [t.name for t in CATALOGUE.tools]


def test_no_snapshot_without_a_tool() -> None:
    stored = {p.stem for p in SNAPSHOTS.glob("*.json")}
    assert stored - set(faces()) == set(), f"snapshots of tools that no longer exist; run `{REGENERATE}`"


@pytest.mark.parametrize("name, face", list(faces().items()), ids=list(faces()))
def test_tool_face_matches_its_snapshot(name: str, face: str) -> None:
    path = SNAPSHOTS / f"{name}.json"
    stored: Any = path.read_text(encoding="utf-8") if path.exists() else None
    assert stored == face, f"{name}'s public face changed; if intended, run `{REGENERATE}` and commit the snapshot"


if __name__ == "__main__":
    write()
    sys.stdout.write(f"wrote {len(faces())} tool snapshots to {SNAPSHOTS}\n")
