"""Answer footprint: bytes of a tool's text answer next to the bytes of the raw API JSON it was made from.

Fixtures (bench/fixtures.py) are added to the fake cloud's state at run time: an issue with 40
custom fields, 20 comments and a long description; a 50-result search; a 30 KB page. The raw
figure is the compact JSON of the tool's main API response, fetched again from the fake with the
very path and query the server used. "Kept" figures count what a person reads that survived.
Knobs: BENCH_CUSTOM_FIELDS (40), BENCH_COMMENTS (20), BENCH_SEARCH (50), BENCH_PAGE_KB (30).
Last line: JSON figures.
"""

from __future__ import annotations

import copy
import json
import re
import urllib.request
from typing import Any
from urllib.parse import urlencode

import anyio
from _harness import BenchError, base_env, checked, compact, fake_cloud, knob, mcp_session, run, text_of
from fixtures import Maker, custom_fields, issue, long_description, page_blocks, project

CUSTOM = knob("BENCH_CUSTOM_FIELDS", 40)
COMMENTS = knob("BENCH_COMMENTS", 20)
SEARCH = knob("BENCH_SEARCH", 50)
PAGE_KB = knob("BENCH_PAGE_KB", 30)
PAGE_ID = "7001"


def seed(cloud: Any) -> dict[str, Any]:
    """Add the fixtures to the fake's state; return what the 'kept' checks look for."""
    m = Maker()
    proj = project()
    cloud.state.setdefault("jira_projects", {})["BENCH"] = {"id": proj["id"], "key": "BENCH", "name": proj["name"], "projectTypeKey": "software"}
    definitions, values = custom_fields(m, CUSTOM)
    cloud.state["jira_fields"] = list(cloud.state.get("jira_fields", [])) + definitions
    description = long_description(m)
    big = issue(m, "BENCH-1", 1, proj, extra_fields=values, description=description, comments=COMMENTS)
    issues = cloud.state["jira_issues"]
    template = next(iter(issues.values()))
    issues["BENCH-1"] = like(template, id=big["id"], key=big["key"], fields=big["fields"])
    for n in range(2, SEARCH + 12):
        one = issue(m, f"BENCH-{n}", n, proj)
        issues[one["key"]] = like(template, id=one["id"], key=one["key"], fields=one["fields"])
    adf, storage = page_blocks(m, PAGE_KB * 1024)
    pages = cloud.state["conf_pages"]
    template = next(p for p in pages.values() if p.get("parentId") is None)
    pages[PAGE_ID] = like(template, id=PAGE_ID, title="Checkout service runbook", adf=adf, storage=storage)
    comments = big["fields"]["comment"]["comments"]
    return {
        "custom_names": [d["name"] for d in definitions],
        "comment_heads": [c["body"]["content"][0]["content"][0]["text"][:40] for c in comments],
        "description_heads": [_first_text(b)[:40] for b in description["content"] if b["type"] == "paragraph"],
        "page_heads": [_first_text(b)[:40] for b in adf["content"] if b["type"] in ("heading", "paragraph")],
        "page_storage_bytes": len(storage.encode()),
    }


def like(template: dict[str, Any], **values: Any) -> dict[str, Any]:
    """A copy of one of the fake's own records with these values set (and in its current version, if it keeps versions).

    Cloning keeps whatever bookkeeping the fake's record carries (positions, versions, ...), so
    the fixtures keep working while the fake grows; a version history is cut to its last entry.
    """
    out = copy.deepcopy(template)
    out.update(values)
    versions = out.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[-1], dict):
        current = versions[-1]
        current.update({k: v for k, v in values.items() if k in current})
        out["versions"] = [current]
    return out


def _first_text(node: dict[str, Any]) -> str:
    """The longest plain run of text in a block, stripped: what must survive conversion word for word."""
    runs = [c.get("text", "") for c in node.get("content", []) if c.get("type") == "text"]
    return max(runs, key=len, default="").strip()


def replay(cloud: Any, entry: dict[str, Any]) -> bytes:
    """The compact JSON the fake answers to the logged request (same path and query)."""
    from fakecloud import API_TOKEN, EMAIL

    query = urlencode(entry["query"], doseq=True)
    req = urllib.request.Request(cloud.url + entry["path"] + ("?" + query if query else ""), headers={"Authorization": cloud._basic(EMAIL, API_TOKEN)})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return compact(json.loads(resp.read()))


def kept(text: str, heads: list[str]) -> str:
    return f"{sum(1 for h in heads if h and h in text)}/{len(heads)}"


def names_kept(text: str, names: list[str]) -> str:
    found = sum(1 for n in names if re.search(re.escape(n) + r"(?!\d)", text))
    return f"{found}/{len(names)}"


def main() -> dict[str, Any]:
    with fake_cloud() as cloud:
        facts = seed(cloud)
        calls = {
            "issue": ("jira_get_issue", {"issue_key": "BENCH-1"}, r"^/rest/api/3/issue/"),
            "search": ("jira_search", {"jql": "project = BENCH ORDER BY key", "limit": SEARCH}, r"^/rest/api/3/search/jql$"),
            "page": ("confluence_get_page", {"page_id": PAGE_ID}, r"^/wiki/api/v2/pages/"),
        }

        async def scenario() -> dict[str, Any]:
            out = {}
            async with mcp_session(base_env(**cloud.env())) as session:
                for label, (tool, args, main_path) in calls.items():
                    cloud.clear_log()
                    result = checked(await session.call_tool(tool, args), tool)
                    main = [e for e in cloud.log if re.search(main_path, e["path"])]
                    if not main:
                        raise BenchError(f"{tool} did not call {main_path}; it called {[e['path'] for e in cloud.log]}")
                    out[label] = (result, main[0], len(cloud.log))
            return out

        results = anyio.run(scenario)
        figures: dict[str, Any] = {}
        for label, (result, entry, requests) in results.items():
            text = text_of(result)
            raw = len(replay(cloud, entry))
            figures[f"{label}_text_bytes"] = len(text.encode())
            figures[f"{label}_raw_bytes"] = raw
            figures[f"{label}_ratio"] = round(len(text.encode()) / raw, 3)
            figures[f"{label}_structured_bytes"] = len(compact(result.structured_content or {}))
            figures[f"{label}_requests"] = requests
            if label == "issue":
                figures["issue_custom_fields_kept"] = names_kept(text, facts["custom_names"])
                figures["issue_comments_kept"] = kept(text, facts["comment_heads"])
                figures["issue_description_kept"] = kept(text, facts["description_heads"])
            elif label == "search":
                rows = set(re.findall(r"BENCH-[0-9]+", text))
                figures["search_rows_kept"] = f"{len(rows)}/{SEARCH}"
            else:
                figures["page_storage_bytes"] = facts["page_storage_bytes"]
                figures["page_text_kept"] = kept(text, facts["page_heads"])
        figures["max_ratio"] = max(figures[f"{label}_ratio"] for label in calls)
        return figures


if __name__ == "__main__":
    run(main)
