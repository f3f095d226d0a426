"""Benchmark: convert a ~200 KB ADF page to Markdown and back, next to json.loads on the same page."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "content"))

from corpus import CORPUS  # noqa: E402

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, validate_adf  # noqa: E402

TARGET_BYTES = 200_000
ROUNDS = 7


def build_page() -> dict:
    """A realistic page: the corpus documents, repeated until the JSON reaches the target size."""
    blocks: list[dict] = []
    size = 0
    while size < TARGET_BYTES:
        for name in sorted(CORPUS):
            blocks.extend(CORPUS[name]["content"])
        size = len(json.dumps({"type": "doc", "version": 1, "content": blocks}))
    return {"type": "doc", "version": 1, "content": blocks}


def median_ms(action) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    page = build_page()
    raw = json.dumps(page)
    markdown = adf_to_markdown(page)
    markdown_to_adf("warm *up*")
    validate_adf(page)
    figures = {
        "adf_bytes": len(raw.encode()),
        "markdown_bytes": len(markdown.encode()),
        "blocks": len(page["content"]),
        "json_loads_ms": median_ms(lambda: json.loads(raw)),
        "adf_to_markdown_ms": median_ms(lambda: adf_to_markdown(page)),
        "markdown_to_adf_ms": median_ms(lambda: markdown_to_adf(markdown)),
        "validate_adf_ms": median_ms(lambda: validate_adf(page)),
    }
    figures["adf_to_markdown_x_json_loads"] = round(figures["adf_to_markdown_ms"] / figures["json_loads_ms"], 1)
    figures["markdown_to_adf_x_json_loads"] = round(figures["markdown_to_adf_ms"] / figures["json_loads_ms"], 1)
    print(f"{'figure':32} value", file=sys.stderr)
    for key, value in figures.items():
        print(f"{key:32} {value}", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
