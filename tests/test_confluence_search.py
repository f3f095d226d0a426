"""Confluence search end to end: words and CQL through v1 search, titles, labels, paging and errors."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of


def test_search_words_cql_and_paging(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        out = {
            "words": await server.call("confluence_search", {"query": "deploy"}),
            "cql": await server.call("confluence_search", {"query": "label = runbook ORDER BY title", "space_key": "ENG"}),
            "quoted": await server.call("confluence_search", {"query": 'say "hi" \\ now', "type": "page"}),
            "first": await server.call("confluence_search", {"query": "describes", "limit": 2}),
            "bad": await server.call("confluence_search", {"query": "label = runbook AND"}),
            "hidden": await server.call("confluence_search", {"query": "Board minutes"}),
            "blog": await server.call("confluence_search", {"query": "deploy", "type": "blogpost"}),
        }
        out["second"] = await server.call("confluence_search", {"query": "describes", "limit": 2, "cursor": out["first"].structured_content["next_cursor"]})
        return out

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)
    cqls = [q["query"]["cql"][0] for q in cloud.requests_to(r"^/wiki/rest/api/search$")]
    assert cqls[:3] == ['text ~ "deploy"', 'space = "ENG" AND (label = runbook) ORDER BY title', 'text ~ "say \\"hi\\" \\\\ now" AND type = page']

    words = r["words"].structured_content
    ids = [x["id"] for x in words["results"]]
    assert "1002" in ids and "1004" in ids and "1003" not in ids
    runbook = next(x for x in words["results"] if x["id"] == "1002")
    assert runbook["title"] == "Runbook: deploys" and "**deploy**" in runbook["excerpt"] and "@@@" not in text_of(r["words"])
    assert runbook["space"] == "Engineering" and runbook["url"].endswith("/wiki/spaces/ENG/pages/1002")
    assert "This page describes Runbook: **deploy**s." in text_of(r["words"])

    assert [x["title"] for x in r["cql"].structured_content["results"]] == ["Deploy checklist", "Runbook: deploys"]
    assert not r["quoted"].is_error and r["quoted"].structured_content["results"] == []

    first, second = r["first"].structured_content, r["second"].structured_content
    assert len(first["results"]) == 2 and first["next_cursor"] and f'cursor="{first["next_cursor"]}"' in text_of(r["first"])
    assert first["total"] >= 5
    assert {x["id"] for x in first["results"]}.isdisjoint({x["id"] for x in second["results"]})
    paged = cloud.requests_to(r"^/wiki/rest/api/search$")[-1]
    assert paged["query"]["cursor"] == [first["next_cursor"]] and paged["query"]["next"] == ["true"]
    assert all(q["query"]["excerpt"] == ["highlight"] for q in cloud.requests_to(r"^/wiki/rest/api/search$"))

    assert r["bad"].is_error and "400" in text_of(r["bad"]) and "Could not parse cql" in text_of(r["bad"])
    assert not r["hidden"].is_error and "Nothing matches" in text_of(r["hidden"])
    assert r["blog"].structured_content["results"] == []


def test_search_titles_and_labels(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        return {
            "titles": await server.call("confluence_search_content", {"query": "checklist"}),
            "titles_by_id": await server.call("confluence_search_content", {"query": "Architecture", "space_id": "65537"}),
            "titles_ops": await server.call("confluence_search_content", {"query": "Architecture", "space_id": "OPS"}),
            "label_name": await server.call("confluence_search_by_label", {"label_id": "runbook"}),
            "label_id": await server.call("confluence_search_by_label", {"label_id": "9002"}),
            "label_missing": await server.call("confluence_search_by_label", {"label_id": "424242"}),
        }

    cloud.clear_log()
    r = run_with_server(cloud.env(), scenario)
    cqls = [q["query"]["cql"][0] for q in cloud.requests_to(r"^/wiki/rest/api/search$")]
    assert cqls == [
        'title ~ "checklist" AND type = page',
        'title ~ "Architecture" AND space = "ENG" AND type = page',
        'title ~ "Architecture" AND space = "OPS" AND type = page',
        'label = "runbook" AND type = page',
    ]
    assert [x["id"] for x in r["titles"].structured_content["results"]] == ["1004"]
    assert [x["id"] for x in r["titles_by_id"].structured_content["results"]] == ["1003"]
    assert r["titles_ops"].structured_content["results"] == []
    assert cloud.requests_to(r"^/wiki/api/v2/spaces/65537$")  # the id was turned into its key
    assert {x["id"] for x in r["label_name"].structured_content["results"]} == {"1002", "1004"}
    assert [p["title"] for p in r["label_id"].structured_content["pages"]] == ["Architecture"]
    assert cloud.requests_to(r"^/wiki/api/v2/labels/9002/pages$")
    assert r["label_missing"].is_error and "404" in text_of(r["label_missing"])
