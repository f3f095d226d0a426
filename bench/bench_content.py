"""Benchmark: convert a ~200 KB ADF page to Markdown and back, next to json.loads on the same page;
the ratio of the two directions; cyclic garbage left by a conversion; a 1,000,000-character Markdown
body (the documented input limit); the write-back of a rich page (unchanged, and edited); and two
shapes that once cost time out of proportion to their size: one paragraph of 4,000 runs with
alternating marks (next to the same text unmarked) and 30 nested panels and expands."""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "content"))

from corpus import CORPUS  # noqa: E402

from atlassian_mcp_server.content import adf_to_markdown, markdown_to_adf, validate_adf, write_back  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from fakecloud.rich_content import RELEASE_PAGE  # noqa: E402

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


def cyclic_garbage(action) -> int:
    """Objects only the cycle collector could free after one run of `action`."""
    gc.collect()
    gc.disable()
    try:
        action()
        return gc.collect()
    finally:
        gc.enable()


def big_markdown(chars: int = 1_000_000) -> str:
    unit = "## Heading\n\nSome *text* with **bold**, a [link](https://x.y) and `code`.\n\n- one\n- two\n  - nested\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n> quote\n\n"
    return unit * (chars // len(unit))


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return round(time.perf_counter() - start, 2)


def marked_line(runs: int, marked: bool) -> dict:
    """One paragraph of `runs` two-letter texts, alternately bold and italic when `marked`."""
    content = [{"type": "text", "text": "ab", **({"marks": [{"type": "strong" if n % 2 else "em"}]} if marked else {})} for n in range(runs)]
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": content}]}


def nested_panels(levels: int) -> dict:
    node: dict = {"type": "paragraph", "content": [{"type": "text", "text": "deep"}]}
    for level in range(levels):
        node = {"type": "panel" if level % 2 else "expand", "attrs": {"panelType": "note", "title": f"L{level}"}, "content": [node]}
    return {"type": "doc", "version": 1, "content": [node]}


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
    figures["markdown_to_adf_x_adf_to_markdown"] = round(figures["markdown_to_adf_ms"] / figures["adf_to_markdown_ms"], 2)
    figures["cyclic_garbage_objects_per_markdown_to_adf"] = cyclic_garbage(lambda: markdown_to_adf(markdown))
    big = big_markdown()
    big_doc = markdown_to_adf(big)
    figures["big_markdown_chars"] = len(big)
    figures["big_markdown_to_adf_s"] = seconds(lambda: markdown_to_adf(big))
    figures["big_adf_to_markdown_s"] = seconds(lambda: adf_to_markdown(big_doc))
    figures["big_markdown_to_adf_x_adf_to_markdown"] = round(figures["big_markdown_to_adf_s"] / max(figures["big_adf_to_markdown_s"], 0.01), 2)
    rich = adf_to_markdown(RELEASE_PAGE)
    edited = rich.replace("Freeze starts Friday.", "Freeze starts Thursday.")
    figures["write_back_unchanged_ms"] = median_ms(lambda: write_back(rich, RELEASE_PAGE))
    figures["write_back_edited_ms"] = median_ms(lambda: write_back(edited, RELEASE_PAGE))
    marked, plain, nested = marked_line(4000, True), marked_line(4000, False), nested_panels(30)
    figures["marked_line_4000_runs_ms"] = median_ms(lambda: adf_to_markdown(marked))
    figures["marked_line_x_plain_line"] = round(figures["marked_line_4000_runs_ms"] / median_ms(lambda: adf_to_markdown(plain)), 1)
    figures["nested_panels_30_levels_ms"] = median_ms(lambda: adf_to_markdown(nested))
    figures["adf_to_markdown_x_json_loads"] = round(figures["adf_to_markdown_ms"] / figures["json_loads_ms"], 1)
    figures["markdown_to_adf_x_json_loads"] = round(figures["markdown_to_adf_ms"] / figures["json_loads_ms"], 1)
    print(f"{'figure':32} value", file=sys.stderr)
    for key, value in figures.items():
        print(f"{key:32} {value}", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
