"""OAuth end to end: the authenticate_atlassian tool (in memory, and as the real process where stderr or two processes matter), and refresh across threads and processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from fakecloud import EMAIL
from fakecloud.oauth import CLIENT_ID, CLOUD_ID, SCOPED_TOKEN, consent, free_port, oauth_env, play_browser, seed_tokens
from harness import ServerRun, mcp_server, run_with_process, run_with_server, text_of

from atlassian_mcp_server.auth.tokens import TokenStore, entry_key

MYSELF = f"/ex/jira/{CLOUD_ID}/rest/api/3/myself"


@pytest.fixture
def oauth(cloud: Any) -> Any:
    cloud.oauth.reset()
    yield cloud.oauth
    cloud.oauth.reset()


def seed(cloud: Any, config_dir: Path, *, expires_in: float) -> TokenStore:
    """A token file as a sign-in would leave it, with tokens the fake knows."""
    return seed_tokens(cloud, config_dir, issued=["read:me", "offline_access", "read:jira-work", "read:jira-user"], expires_in=expires_in)[0]


def test_before_sign_in_every_tool_is_listed_and_calls_say_how(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> Any:
        listed = await server.session.list_tools()
        return listed, await server.call("atlassian_whoami")

    cloud.clear_log()
    listed, who = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    names = {t.name for t in listed.tools}
    assert {"authenticate_atlassian", "atlassian_whoami"} <= names and len(names) > 3
    assert who.is_error and "authenticate_atlassian" in text_of(who) and "atlassian-mcp-server login" in text_of(who)
    assert cloud.log == []  # nothing was sent without a token


def test_sign_in_through_the_tool_then_tools_work_through_the_gateway(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    import mcp_types as types

    changed = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            changed.set()

    async def main() -> Any:
        async with mcp_server(oauth_env(cloud, tmp_path / "cfg", free_port()), message_handler=on_message) as run:
            with anyio.fail_after(60):
                capabilities = run.session.server_capabilities
                assert capabilities is not None and capabilities.tools is not None and capabilities.tools.list_changed is True
                first = await run.call("authenticate_atlassian")
                again = await run.call("authenticate_atlassian")
                page = await anyio.to_thread.run_sync(play_browser, first.structured_content["url"])
                await changed.wait()  # notifications/tools/list_changed once the sign-in completed
                done = await run.call("authenticate_atlassian")
                who = await run.call("atlassian_whoami")
                return first, again, page, done, who, run.stderr()

    cloud.clear_log()
    first, again, page, done, who, stderr = anyio.run(main)
    assert not first.is_error, text_of(first)
    url = first.structured_content["url"]
    assert url in text_of(first) and first.structured_content["status"] == "waiting"
    assert url in stderr  # shown to a person too, on stderr
    assert "still waiting" in text_of(again) and again.structured_content["url"] == url  # the same attempt, not a new one
    assert page.status_code == 200
    assert not done.is_error and "Signed in with OAuth" in text_of(done) and done.structured_content["cloud_id"] == CLOUD_ID
    assert not who.is_error, text_of(who)
    assert "Ada Agent" in text_of(who)
    assert cloud.requests_to(r"^/ex/jira/")[-1]["path"] == MYSELF
    assert [r["grant_type"] for r in oauth.token_requests] == ["authorization_code"]


def test_tool_reports_a_denied_sign_in_then_offers_a_new_one(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    oauth.deny = True

    async def scenario(server: Any) -> Any:
        first = await server.call("authenticate_atlassian")
        await anyio.to_thread.run_sync(play_browser, first.structured_content["url"])
        while True:  # the attempt ends right after the browser's request; ask until it says so
            later = await server.call("authenticate_atlassian")
            if later.structured_content.get("previous_error"):
                return first, later
            await anyio.sleep(0.05)

    first, later = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    assert "access was denied" in text_of(later) and later.structured_content["status"] == "waiting"
    assert later.structured_content["url"] != first.structured_content["url"]  # a fresh state
    assert oauth.token_requests == []


def test_redirect_url_pasted_into_the_tool_completes_the_sign_in(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    async def scenario(server: Any) -> Any:
        first = await server.call("authenticate_atlassian")
        landed = await anyio.to_thread.run_sync(consent, first.structured_content["url"])  # the browser could not reach us
        bad = await server.call("authenticate_atlassian", {"redirect_url": landed.replace("state=", "state=x")})
        second = await server.call("authenticate_atlassian")
        landed = await anyio.to_thread.run_sync(consent, second.structured_content["url"])
        done = await server.call("authenticate_atlassian", {"redirect_url": landed})
        return bad, second, done, await server.call("atlassian_whoami")

    bad, second, done, who = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    assert bad.is_error and "state does not match" in text_of(bad)
    assert not second.is_error and "previous_error" not in second.structured_content  # told once, not twice
    assert not done.is_error and done.structured_content["status"] == "signed_in", text_of(done)
    assert not who.is_error, text_of(who)
    assert [r["grant_type"] for r in oauth.token_requests] == ["authorization_code"]  # the forged one was never exchanged


def test_expired_token_is_refreshed_once_for_several_calls(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    store = seed(cloud, tmp_path / "cfg", expires_in=-30)
    old = store.get(entry_key(cloud.url, CLIENT_ID))

    async def scenario(server: Any) -> Any:
        return [await server.call("atlassian_whoami") for _ in range(3)]

    cloud.clear_log()
    results = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    assert all(not r.is_error for r in results), [text_of(r) for r in results]
    assert len(oauth.refreshes) == 1
    new = store.get(entry_key(cloud.url, CLIENT_ID))
    assert new["refresh_token"] != old["refresh_token"] and oauth.refresh[old["refresh_token"]] is False  # rotated
    assert [r["path"] for r in cloud.log] == ["/oauth/token", MYSELF, MYSELF, MYSELF]


def test_two_processes_eight_threads_one_refresh(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    seed(cloud, tmp_path / "cfg", expires_in=-30)
    oauth.token_delay = 0.3  # a slow token endpoint: without the locks every caller would refresh
    env = oauth_env(cloud, tmp_path / "cfg", free_port(), ATLASSIAN_MAX_WORKERS="8")
    results: list[Any] = []

    async def main() -> None:
        async with mcp_server(env) as one, mcp_server(env) as two:

            async def call(server: ServerRun) -> None:
                results.append(await server.call("atlassian_whoami"))

            with anyio.fail_after(60):
                async with anyio.create_task_group() as tg:
                    for server in (one, two):
                        for _ in range(8):
                            tg.start_soon(call, server)

    cloud.clear_log()
    anyio.run(main)
    assert len(results) == 16
    assert all(not r.is_error for r in results), [text_of(r) for r in results if r.is_error]
    assert len(oauth.refreshes) == 1 and oauth.refreshes[0]["ok"]
    assert len(cloud.requests_to(r"^/ex/jira/.*/myself$")) == 16


def test_revoked_refresh_token_says_sign_in_again_and_forgets_the_tokens(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    store = seed(cloud, tmp_path / "cfg", expires_in=-30)
    oauth.refresh = {k: False for k in oauth.refresh}

    async def scenario(server: Any) -> Any:
        first, second = await server.call("atlassian_whoami"), await server.call("atlassian_whoami")
        emptied = store.read_all()
        # The user signs in again, in the same server process: the next call works, no restart.
        started = await server.call("authenticate_atlassian")
        await anyio.to_thread.run_sync(play_browser, started.structured_content["url"])
        with anyio.fail_after(30):
            while (await server.call("authenticate_atlassian")).structured_content.get("status") != "signed_in":
                await anyio.sleep(0.1)
        return first, second, emptied, await server.call("atlassian_whoami")

    first, second, emptied, after = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    assert first.is_error and "invalid_grant" in text_of(first) and "authenticate_atlassian" in text_of(first)
    assert second.is_error and "Not signed in" in text_of(second)
    assert emptied == {}
    assert len(oauth.refreshes) == 1  # the dead token was not tried again
    assert not after.is_error and "Ada Agent" in text_of(after)


def test_scoped_api_token_goes_through_the_gateway(cloud: Any, oauth: Any) -> None:
    env = {
        "ATLASSIAN_SITE_URL": cloud.url,
        "ATLASSIAN_EMAIL": EMAIL,
        "ATLASSIAN_API_TOKEN": SCOPED_TOKEN,
        "ATLASSIAN_API_TOKEN_SCOPED": "true",
        "ATLASSIAN_API_URL": cloud.url,
    }

    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami"), await server.call("atlassian_whoami"), await server.call("authenticate_atlassian")

    cloud.clear_log()
    one, two, auth = run_with_server(env, scenario)
    assert not one.is_error and not two.is_error, text_of(one)
    assert [r["path"] for r in cloud.log] == ["/_edge/tenant_info", MYSELF, MYSELF]  # cloud id looked up once
    assert not auth.is_error and "scoped API token" in text_of(auth)


def test_after_a_failed_sign_in_the_next_call_says_so_at_once(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    """The browser's answer ended the attempt: the very next call reports that, never "still waiting" on a closed listener."""
    oauth.deny = True

    async def scenario(server: Any) -> Any:
        first = await server.call("authenticate_atlassian")
        await anyio.to_thread.run_sync(play_browser, first.structured_content["url"])
        return await server.call("authenticate_atlassian")

    later = run_with_server(oauth_env(cloud, tmp_path / "cfg", free_port()), scenario)
    assert "still waiting" not in text_of(later), text_of(later)
    assert later.structured_content.get("previous_error") and "access was denied" in text_of(later)


def test_leftover_temporary_token_files_are_removed_at_start_and_by_logout(cloud: Any, oauth: Any, tmp_path: Path) -> None:
    """A writer killed between its temporary file and the rename leaves live tokens behind: they are cleaned up."""
    import subprocess

    from harness import server_command

    config = tmp_path / "cfg"
    store = seed(cloud, config, expires_in=3600)
    leftover = config / ".oauth-tokens.json.4242.0badcafe.tmp"
    leftover.write_bytes(store.path.read_bytes())
    other = config / "unrelated.tmp"
    other.write_text("kept")

    async def scenario(server: Any) -> Any:
        return await server.call("authenticate_atlassian")

    answer = run_with_process(oauth_env(cloud, config, free_port()), scenario)  # cleaned at process start
    assert answer.structured_content["status"] == "signed_in"
    assert not leftover.exists() and other.exists()
    leftover.write_bytes(store.path.read_bytes())
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **oauth_env(cloud, config, free_port())}
    done = subprocess.run([*server_command(), "logout"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not leftover.exists() and not list(config.glob(".oauth-tokens.json.*.tmp"))
