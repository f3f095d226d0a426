"""Jira watcher tools: who watches an issue, add and remove watchers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...render import records, table
from ..registry import Answer, ToolSpec
from .shared import ISSUE_KEY, MODULE, USER, issue_ref, resolve_user

if TYPE_CHECKING:
    from ...services import Services

TOOLSET = "jira_watchers"


def get_watchers(services: Services, args: dict[str, Any]) -> Answer:
    key, _ = issue_ref(services, args["issue_key"])
    data = services.jira.watchers(args["issue_key"])
    people = records(data.get("watchers"))
    rows = [[u.get("displayName"), u.get("accountId")] for u in people]
    you = "You are watching it." if data.get("isWatching") else "You are not watching it."
    text = (
        f"No one watches {key}. {you}"
        if not people
        else f"{data.get('watchCount', len(people))} watcher(s) on {key}. {you}\n\n" + table(["Name", "Account id"], rows)
    )
    return Answer(text, {"issue_key": key, "watchers": [{"name": r[0], "account_id": r[1]} for r in rows], "is_watching": bool(data.get("isWatching"))})


def add_watcher(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    account_id, name = resolve_user(services, args.get("user") or "me")
    services.jira.add_watcher(args["issue_key"], account_id)
    return Answer(f"{name} now watches {key}.\n{url}", {"key": key, "url": url, "account_id": account_id, "name": name})


def remove_watcher(services: Services, args: dict[str, Any]) -> Answer:
    key, url = issue_ref(services, args["issue_key"])
    account_id, name = resolve_user(services, args.get("user") or "me")
    services.jira.remove_watcher(args["issue_key"], account_id)
    return Answer(f"{name} no longer watches {key}.\n{url}", {"key": key, "url": url, "account_id": account_id, "name": name})


_WHO = {**USER, "description": "Account id, email, name or 'me' (default)."}

TOOLS = [
    ToolSpec(
        name="jira_get_watchers",
        title="Jira watchers",
        description="List who watches an issue and whether you do.",
        handler=get_watchers,
        module=MODULE,
        toolset=TOOLSET,
        read_only=True,
        params={"issue_key": ISSUE_KEY},
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_add_watcher",
        title="Add Jira watcher",
        description="Add a watcher to an issue (you by default) so they get its notifications.",
        handler=add_watcher,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        idempotent=True,
        affects_people=True,
        params={"issue_key": ISSUE_KEY, "user": _WHO},
        required=("issue_key",),
    ),
    ToolSpec(
        name="jira_remove_watcher",
        title="Remove Jira watcher",
        description="Remove a watcher from an issue (you by default).",
        handler=remove_watcher,
        module=MODULE,
        toolset=TOOLSET,
        read_only=False,
        destructive=True,
        idempotent=True,
        params={"issue_key": ISSUE_KEY, "user": _WHO},
        required=("issue_key",),
    ),
]
