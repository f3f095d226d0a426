"""Real shapes: for each real-shaped response in tests/corpus, the answer's bytes against the raw JSON's, and the facts lost.

A fact is a leaf value a person sees in the raw JSON: strings and numbers, except machine keys
(ids, account ids, self and relative links, avatars, expands, ADF layout attributes, raw
`from`/`to` ids beside their display strings, duplicate date and duration forms); HTML entities
and search highlight markers are read as a person sees them. Inside an ADF document the facts are its
text, urls and links; in Confluence storage, its text runs. A fact is kept when it appears in
the answer (whitespace and Markdown escapes aside; a date-time counts by its `YYYY-MM-DD HH:MM`
or its date). A renderer that raises answers nothing and loses every fact of its response.

The handlers run in process against a stub of the clients that returns the corpus file, so the
figures measure rendering only. To measure another tree (e.g. main before a change), put its
package first: `PYTHONPATH=/path/to/tree python bench/bench_real_shapes.py`.
BENCH_VERBOSE=1 lists the lost facts. Last line: JSON figures.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))
from jsonvalue import StubServices as Services  # noqa: E402 - clients answering canned responses, as the render tests use

CORPUS = TESTS / "corpus"
SKIP_KEYS = {
    "id", "self", "accountId", "accountType", "active", "timeZone", "iconUrl", "avatarUrls", "_links", "_expands", "expand",
    "insight", "renderedValue", "schema", "statusCategory", "localId", "fieldtype", "fieldId", "epochMillis", "friendly",
    "jira", "groupId", "issueId", "serviceDeskId", "requestTypeId", "objectTypeAttributeId", "searchValue",
    "isWatching", "hierarchyLevel", "maxResults", "startAt", "isLast", "isLastPage", "start", "limit", "size", "nextPage",
    "content", "thumbnail", "mimeType", "authorId", "spaceId", "parentId", "representation", "prefix", "emailAddress",
    "millis", "url", "displayUrl", "webui", "entityType", "iconCssClass", "friendlyLastModified", "searchDuration", "cqlQuery",
}  # fmt: skip
ADF_KEYS = {"text", "url", "href"}
SEARCH_FIELDS = ("issuetype", "status", "priority", "assignee", "updated", "summary")  # what jira_search asks for
# Values no person reads, hidden by design (issue 17): account ids, Lexorank, chart encodings, development summaries, Epic Colour classes.
MACHINE = re.compile(r"^(qm:|\d+:[0-9a-f-]{8,}$|[0-9a-f]{24}$|\d\|[0-9a-z]+:[0-9a-z]*$)|_\*:\*_|^\{pullrequest=|^\{summaryBean=|^\{\}$|^ghx-label-\d+$")
STORAGE_ATTRS = re.compile(r"<ac:(task-id|task-status)>.*?</ac:\1>|<ac:parameter ac:name=\"colour\">.*?</ac:parameter>", re.S)


def renderers() -> dict[str, tuple[str, Any, dict[str, Any]]]:
    """corpus file -> (client method returning it, handler, arguments)."""
    from atlassian_mcp_server.tools.confluence import pages
    from atlassian_mcp_server.tools.confluence import search as confluence_search
    from atlassian_mcp_server.tools.jira import comments, issues
    from atlassian_mcp_server.tools.servicedesk import assets, requests

    def storage(services: Any, args: dict[str, Any]) -> Any:
        from atlassian_mcp_server.content import storage_to_markdown

        class Text:
            text = storage_to_markdown(services.confluence.get_page()["body"]["storage"]["value"])  # the body, as search excerpts use it

        return Text()

    return {
        "jira_issue_openapi_example.json": ("get_issue", issues.get_issue, {"issue_key": "EX-1"}),
        "jira_search_openapi_example.json": ("search", issues.search, {"jql": "project = EX"}),
        "jira_changelog_openapi_example.json": ("changelog", issues.get_changelog, {"issue_key": "TT-1"}),
        "jira_issue_real.json": ("get_issue", issues.get_issue, {"issue_key": "REAL-1", "expand": ["changelog"]}),
        "jira_issue_odd_real.json": ("get_issue", issues.get_issue, {"issue_key": "REAL-2"}),
        "jira_changelog_real.json": ("changelog", issues.get_changelog, {"issue_key": "REAL-1"}),
        "jsm_requests_openapi_example.json": ("list_requests", requests.get_requests, {}),
        "jsm_request_openapi_example.json": ("get_request", requests.get_request, {"issue_key": "HELPDESK-1"}),
        "jsm_request_real.json": ("get_request", requests.get_request, {"issue_key": "HELP-7"}),
        "assets_object_real.json": ("get_object", assets.get_object, {"object_id": "88"}),
        "assets_search_real.json": ("search", assets.search_objects, {"object_type": "Laptop"}),
        "jira_comments_openapi_example.json": ("comments", comments.get_comments, {"issue_key": "EX-1"}),
        "confluence_search_real.json": ("search", confluence_search.search, {"query": "payments"}),
        "jsm_comments_openapi_example.json": ("list_comments", requests.get_comments, {"issue_key": "HELP-7"}),
        "jsm_sla_openapi_example.json": ("sla", requests.get_sla, {"issue_key": "HELP-7"}),
        "confluence_page_real.json": ("get_page", pages.get_page, {"page_id": "65601"}),
        "confluence_page_storage_real.json": ("get_page", storage, {}),
    }


def facts(value: Any, key: str = "", parent: dict[str, Any] | None = None, in_adf: bool = False) -> list[str]:
    """The leaf values a person sees (see the module docstring)."""
    if isinstance(value, dict):
        adf = in_adf or value.get("type") == "doc"
        if value.get("representation") == "atlas_doc_format" and isinstance(value.get("value"), str):
            return facts(json.loads(value["value"]), in_adf=True)
        if value.get("representation") == "storage" and isinstance(value.get("value"), str):
            body = STORAGE_ATTRS.sub("", value["value"]).replace("<![CDATA[", "").replace("]]>", "")
            return [t for t in (" ".join(s.split()) for s in re.split(r"<[^>]+>", body)) if t]
        out = []
        for k, v in value.items():
            if adf and not isinstance(v, (dict, list)) and k not in ADF_KEYS:
                continue
            if not adf and (k in SKIP_KEYS or k.endswith("Seconds")):
                continue
            if k in ("from", "to") and (value.get(k + "String") not in (None, "")):
                continue
            out += facts(v, k, value, adf)
        return out
    if isinstance(value, list):
        return [f for v in value for f in facts(v, key, parent, in_adf)]
    if isinstance(value, bool) or value in (None, ""):
        return []
    if key == "timestamp" or MACHINE.search(str(value)):
        return []
    return [html.unescape(str(value).replace("@@@hl@@@", "").replace("@@@endhl@@@", ""))]  # what a person sees of search markup


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


def is_kept(fact: str, answer: str) -> bool:
    text = _norm(fact)
    if text in answer:
        return True
    m = re.match(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)", text)
    if m:
        return f"{m.group(1)} {m.group(2)}" in answer or m.group(1) in answer
    if re.fullmatch(r"-?\d+\.0", text):
        return text[:-2] in answer
    if re.fullmatch(r"\d{12,13}", text):  # epoch milliseconds shown as a date
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.timezone.utc).strftime("%Y-%m-%d") in answer
    return False


def main() -> None:
    import atlassian_mcp_server

    verbose = os.environ.get("BENCH_VERBOSE") == "1"
    totals = {"responses": 0, "answered": 0, "raw_bytes": 0, "answer_bytes": 0, "facts": 0, "facts_lost": 0}
    for name, (method, handler, args) in renderers().items():
        doc = json.loads((CORPUS / name).read_text(encoding="utf-8"))
        if name.startswith("jira_search"):  # Jira answers only the fields the tool asks for
            for issue in doc["issues"]:
                issue["fields"] = {k: v for k, v in issue["fields"].items() if k in SEARCH_FIELDS}
        if name.startswith("confluence_page_storage"):  # storage is measured as a body: storage_to_markdown's input
            doc = {"body": doc["body"]}
        raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        seen = facts(doc)
        try:
            answer = handler(Services(**{method: doc}), dict(args)).text
            ok = True
        except Exception as exc:  # noqa: BLE001 - a renderer that raises is what this measures
            answer, ok = "", False
            print(f"{name}: raised {type(exc).__name__}: {exc}", file=sys.stderr)
        norm = _norm(answer)
        lost = [f for f in seen if not is_kept(f, norm)]
        totals["responses"] += 1
        totals["answered"] += ok
        totals["raw_bytes"] += len(raw)
        totals["answer_bytes"] += len(answer.encode())
        totals["facts"] += len(seen)
        totals["facts_lost"] += len(lost)
        print(f"{name}: raw {len(raw)} B, answer {len(answer.encode())} B, facts {len(seen)}, lost {len(lost)}", file=sys.stderr)
        if verbose:
            for fact in lost:
                print(f"    lost: {fact[:100]!r}", file=sys.stderr)
    totals["answer_to_raw"] = round(totals["answer_bytes"] / totals["raw_bytes"], 3)
    totals["facts_lost_pct"] = round(100 * totals["facts_lost"] / max(1, totals["facts"]), 1)
    totals["package"] = str(Path(atlassian_mcp_server.__file__).parent)
    print(json.dumps(totals))


if __name__ == "__main__":
    main()
