"""The team server (`serve --transport http`, passthrough): real server processes on loopback ports,
driven through the MCP SDK's Streamable HTTP client, two replicas taking turns like behind a load balancer.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

import anyio
import pytest
import requests
import team_harness as th
from fakecloud import ACCOUNT_ID, API_TOKEN, EMAIL, team
from harness import server_command, text_of

ALLOWED = "https://agents.example.com"
BOB = {"email": "bob@example.com", "token": "bob-api-token-91c2", "account": "712020:bob-0001", "name": "Bob Builder"}


@pytest.fixture(scope="module")
def pair(cloud: Any) -> Any:
    team.add_user(cloud, BOB["email"], BOB["token"], BOB["account"], BOB["name"])
    env = {"ATLASSIAN_SITE_URL": cloud.url, "ATLASSIAN_API_URL": cloud.url, "ATLASSIAN_HTTP_ALLOWED_ORIGINS": ALLOWED, "ATLASSIAN_TOOLSETS": "all"}
    with th.replicas(env, 2) as started:
        yield started


def ada() -> dict[str, str]:
    return {"Authorization": team.basic(EMAIL, API_TOKEN)}


def served_posts(replica: th.Replica) -> int:
    return sum(1 for line in replica.stderr().splitlines() if "POST /mcp 200" in line)


def run(scenario: Any) -> Any:
    async def main() -> Any:
        with anyio.fail_after(90):
            return await scenario()

    return anyio.run(main)


def test_two_replicas_take_turns_listing_and_calling_tools(pair: Any, cloud: Any) -> None:
    before = [served_posts(r) for r in pair]

    async def scenario() -> list[str]:
        async with th.session([r.url for r in pair], ada()) as mcp:
            names = [t.name for t in (await mcp.list_tools()).tools]
            assert "jira_get_issue" in names and "atlassian_whoami" in names
            assert "authenticate_atlassian" not in names  # the local sign-in has no place on a shared server
            # a stateless server keeps nothing between requests: no per-session toolset switch to offer
            assert "atlassian_enable_toolset" not in names and "atlassian_toolsets" not in names
            texts = []
            for _ in range(4):
                result = await mcp.call_tool("atlassian_whoami", {})
                assert not result.is_error, text_of(result)
                texts.append(text_of(result))
            issue = await mcp.call_tool("jira_get_issue", {"issue_key": "PROJ-1"})
            assert not issue.is_error and "PROJ-1" in text_of(issue)
            return texts

    texts = run(scenario)
    assert all(ACCOUNT_ID in t for t in texts)
    after = [served_posts(r) for r in pair]
    assert all(a - b >= 3 for a, b in zip(after, before)), (before, after)  # both replicas answered calls


def test_two_users_never_see_each_others_data(pair: Any, cloud: Any) -> None:
    """Ada (Basic), Bob (Basic) and Carol (Atlassian OAuth bearer) at once on both replicas: each sees only themselves."""
    carol = {"accountId": "712020:carol-0003", "displayName": "Carol Danvers", "active": True, "accountType": "atlassian"}
    users = {
        ACCOUNT_ID: ada(),
        BOB["account"]: {"Authorization": team.basic(BOB["email"], BOB["token"])},
        carol["accountId"]: {"Authorization": "Bearer " + team.bearer_for(cloud, carol)},
    }
    seen: dict[str, list[str]] = {k: [] for k in users}

    async def one_user(account: str, headers: dict[str, str]) -> None:
        async with th.session([r.url for r in pair], headers) as mcp:
            for _ in range(3):
                who = await mcp.call_tool("atlassian_whoami", {})
                seen[account].append(str((who.structured_content or {}).get("account_id")))
                watch = await mcp.call_tool("jira_add_watcher", {"issue_key": "PROJ-2"})  # "me", through the per-user cache
                assert not watch.is_error, text_of(watch)
                seen[account].append(str((watch.structured_content or {}).get("account_id")))

    async def scenario() -> None:
        async with anyio.create_task_group() as tg:
            for account, headers in users.items():
                tg.start_soon(one_user, account, headers)

    run(scenario)
    for account, accounts in seen.items():
        assert accounts and set(accounts) == {account}, (account, accounts)
    assert set(cloud.state["jira_watchers"]["PROJ-2"]) >= set(users)


def test_one_credential_has_at_most_four_calls_in_flight_per_replica(pair: Any, cloud: Any) -> None:
    cloud.inject(r"/rest/api/3/myself$", passthrough=True, delay=0.5, times=8)

    async def scenario() -> list[Any]:
        async with th.session(pair[0].url, ada()) as mcp:
            await mcp.list_tools()
            results: list[Any] = []

            async def call() -> None:
                results.append(await mcp.call_tool("atlassian_whoami", {}))

            cloud.max_in_flight = 0
            async with anyio.create_task_group() as tg:
                for _ in range(8):
                    tg.start_soon(call)
            return results

    results = run(scenario)
    assert len(results) == 8 and not any(r.is_error for r in results)
    assert 1 < cloud.max_in_flight <= 4  # the other four waited their turn


def test_bearer_passthrough_unknown_token_is_a_tool_error(pair: Any) -> None:
    async def scenario() -> Any:
        async with th.session(pair[0].url, {"Authorization": "Bearer not-an-atlassian-token"}) as mcp:
            return await mcp.call_tool("atlassian_whoami", {})

    result = run(scenario)
    assert result.is_error
    assert "refused the OAuth access token" in text_of(result)


@pytest.mark.parametrize("header", [None, "Basic !!!not-base64", "Basic " + "bm9jb2xvbg==", "Token abc"])
def test_missing_or_unusable_credentials_get_401_with_a_challenge(pair: Any, header: str | None) -> None:
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if header:
        headers["Authorization"] = header
    answer = requests.post(pair[0].url, data=b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}', headers=headers, timeout=10)
    assert answer.status_code == 401
    challenge = answer.headers["WWW-Authenticate"]
    assert "Basic" in challenge and "Bearer" in challenge
    assert "Authorization header" in answer.json()["error"]


def test_origin_not_allowed_gets_403(pair: Any) -> None:
    headers = {**ada(), "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    body = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
    refused = requests.post(pair[1].url, data=body, headers={**headers, "Origin": "http://evil.example"}, timeout=10)
    assert refused.status_code == 403 and "ATLASSIAN_HTTP_ALLOWED_ORIGINS" in refused.json()["error"]
    allowed = requests.post(pair[1].url, data=body, headers={**headers, "Origin": ALLOWED}, timeout=10)
    assert allowed.status_code == 200, allowed.text


def test_request_body_over_the_limit_gets_413(pair: Any) -> None:
    headers = {**ada(), "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "x" * (5 * 1024 * 1024)}}).encode()
    answer = requests.post(pair[0].url, data=big, headers=headers, timeout=30)
    assert answer.status_code == 413


def test_healthz_and_no_secret_in_the_access_log(pair: Any) -> None:
    assert requests.get(pair[0].base + "/healthz", timeout=5).json()["status"] == "ok"
    logs = pair[0].stderr() + pair[1].stderr()
    assert "POST /mcp 200" in logs
    for secret in (API_TOKEN, BOB["token"], team.basic(EMAIL, API_TOKEN)[6:]):
        assert secret not in logs


def _refused(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os

    full = {k: v for k, v in os.environ.items() if not k.startswith("ATLASSIAN_")}
    full.update(env)
    return subprocess.run([*server_command(), "serve", "--transport", "http", *args], env=full, capture_output=True, text=True, timeout=60)


def test_refuses_a_non_loopback_host_without_auth_configured(cloud: Any) -> None:
    done = _refused({"ATLASSIAN_SITE_URL": cloud.url}, "--host", "0.0.0.0", "--port", str(th.free_port()))
    assert done.returncode == 2
    assert "needs ATLASSIAN_HTTP_AUTH" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_refuses_oauth_without_a_secret_key(cloud: Any) -> None:
    env = {"ATLASSIAN_SITE_URL": cloud.url, "ATLASSIAN_HTTP_AUTH": "oauth", "ATLASSIAN_CLIENT_ID": "x", "ATLASSIAN_CLIENT_SECRET": "y"}
    done = _refused(env, "--port", str(th.free_port()))
    assert done.returncode == 2
    assert "ATLASSIAN_HTTP_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


def test_refuses_oauth_on_a_public_host_without_an_https_public_url(cloud: Any) -> None:
    env = {
        "ATLASSIAN_SITE_URL": cloud.url,
        "ATLASSIAN_HTTP_AUTH": "oauth",
        "ATLASSIAN_CLIENT_ID": "x",
        "ATLASSIAN_CLIENT_SECRET": "y",
        "ATLASSIAN_HTTP_SECRET_KEY": "z" * 40,
    }
    done = _refused(env, "--host", "0.0.0.0", "--port", str(th.free_port()))
    assert done.returncode == 2
    assert "ATLASSIAN_HTTP_PUBLIC_URL" in done.stderr and "Traceback" not in done.stderr


def test_sigterm_drains_the_call_in_flight(cloud: Any) -> None:
    replica = th.start({"ATLASSIAN_SITE_URL": cloud.url})
    try:
        cloud.inject(r"/rest/api/3/myself$", passthrough=True, delay=2.0)

        async def scenario() -> Any:
            async with th.session(replica.url, ada()) as mcp:
                await mcp.list_tools()  # the SDK client lists tools after a call unless it has them: not after shutdown
                async with anyio.create_task_group() as tg:
                    results: list[Any] = []

                    async def call() -> None:
                        results.append(await mcp.call_tool("atlassian_whoami", {}))

                    tg.start_soon(call)
                    deadline = time.monotonic() + 20
                    while not cloud.requests_to(r"/rest/api/3/myself$") and time.monotonic() < deadline:
                        await anyio.sleep(0.05)
                    import signal

                    replica.proc.send_signal(signal.SIGTERM)
                return results[0]

        cloud.clear_log()
        result = run(scenario)
        assert not result.is_error and ACCOUNT_ID in text_of(result)
        assert replica.proc.wait(30) in (0, -15)  # uvicorn ends by re-raising SIGTERM once drained
        assert "POST /mcp 200" in replica.stderr().split("Shutting down")[1]
    finally:
        th.stop(replica)


def test_workers_share_the_port(cloud: Any) -> None:
    with th.replicas({"ATLASSIAN_SITE_URL": cloud.url}, 1, "--workers", "2") as (replica,):

        async def scenario() -> list[Any]:
            async with th.session(replica.url, ada()) as mcp:
                return [await mcp.call_tool("atlassian_whoami", {}) for _ in range(3)]

        assert not any(r.is_error for r in run(scenario))
        deadline = time.monotonic() + 20
        while replica.stderr().count("Started server process") < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert replica.stderr().count("Started server process") == 2
