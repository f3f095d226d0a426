"""End to end: atlassian_search over both products, one disabled, one failing, paging, quoting."""

from __future__ import annotations

from typing import Any

from harness import run_with_server, text_of


def _call(cloud: Any, args: dict[str, Any], **env: str) -> Any:
    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_search", args)

    return run_with_server(cloud.env(**env), scenario)


def test_both_products_in_one_ranked_list(cloud: Any) -> None:
    cloud.clear_log()
    result = _call(cloud, {"query": "page"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    products = {item["product"] for item in data["results"]}
    assert products == {"jira", "confluence"}, data["results"]
    first = data["results"][0]
    assert "page" in first["title"].lower()  # title matches rank first
    assert any(i["product"] == "confluence" and i["excerpt"] for i in data["results"])
    for item in data["results"]:
        assert item["url"] and item["id"] and item["updated"]
    jira_calls = cloud.requests_to(r"^/rest/api/3/search/jql$")
    conf_calls = cloud.requests_to(r"^/wiki/rest/api/search$")
    assert jira_calls[0]["query"]["jql"] == ['text ~ "page" ORDER BY updated DESC']
    assert conf_calls[0]["query"]["cql"] == ['text ~ "page" AND type in (page, blogpost) ORDER BY lastmodified DESC']


def test_filters_and_quoting(cloud: Any) -> None:
    cloud.clear_log()
    result = _call(cloud, {"query": 'say "hi" \\ now', "projects": ["PROJ"], "spaces": ["ENG"], "updated_since": "2026-01-01"})
    assert not result.is_error, text_of(result)
    jql = cloud.requests_to(r"^/rest/api/3/search/jql$")[0]["query"]["jql"][0]
    cql = cloud.requests_to(r"^/wiki/rest/api/search$")[0]["query"]["cql"][0]
    assert jql == 'text ~ "say \\"hi\\" \\\\ now" AND project in ("PROJ") AND updated >= "2026-01-01" ORDER BY updated DESC'
    assert cql == 'text ~ "say \\"hi\\" \\\\ now" AND type in (page, blogpost) AND space in ("ENG") AND lastmodified >= "2026-01-01" ORDER BY lastmodified DESC'


def test_one_product_disabled(cloud: Any) -> None:
    cloud.clear_log()
    result = _call(cloud, {"query": "login"}, ATLASSIAN_MODULES="jira")
    assert not result.is_error
    assert {i["product"] for i in result.structured_content["results"]} == {"jira"}
    assert "Confluence is not enabled" in text_of(result)
    assert not cloud.requests_to(r"^/wiki/")


def test_one_product_failing(cloud: Any) -> None:
    cloud.inject(r"^/wiki/rest/api/search$", status=500, times=10)
    result = _call(cloud, {"query": "login"}, ATLASSIAN_MAX_RETRIES="0")  # a 500 that stays: no need to wait out the back-off
    assert not result.is_error
    assert {i["product"] for i in result.structured_content["results"]} == {"jira"}
    assert "Confluence search failed" in text_of(result) and "500" in text_of(result)


def test_both_failing_is_an_error(cloud: Any) -> None:
    cloud.inject(r"^/wiki/rest/api/search$", status=404, times=10)
    cloud.inject(r"^/rest/api/3/search/jql$", status=403, times=10)
    result = _call(cloud, {"query": "login"})
    assert result.is_error and "not available on this site" in text_of(result) and "403" in text_of(result)


def test_paging_per_product(cloud: Any) -> None:
    async def scenario(server: Any) -> Any:
        first = await server.call("atlassian_search", {"projects": ["PROJ"], "spaces": ["ENG"], "limit": 1})
        data = first.structured_content
        second = await server.call(
            "atlassian_search",
            {
                "projects": ["PROJ"],
                "spaces": ["ENG"],
                "limit": 1,
                "jira_next_page_token": data["jira_next_page_token"],
                "confluence_cursor": data["confluence_cursor"],
            },
        )
        return first, second

    first, second = run_with_server(cloud.env(), scenario)
    a, b = first.structured_content, second.structured_content
    assert a["jira_next_page_token"] and a["confluence_cursor"]
    assert "jira_next_page_token=" in text_of(first) and "confluence_cursor=" in text_of(first)
    ids_a = {(i["product"], i["id"]) for i in a["results"]}
    ids_b = {(i["product"], i["id"]) for i in b["results"]}
    assert len(ids_a) == 2 and len(ids_b) == 2 and not ids_a & ids_b


def test_needs_something_to_search(cloud: Any) -> None:
    result = _call(cloud, {})
    assert result.is_error and "query" in text_of(result)
    result = _call(cloud, {"query": "x", "updated_since": "last week"})
    assert result.is_error and "2026-11-01" in text_of(result)
