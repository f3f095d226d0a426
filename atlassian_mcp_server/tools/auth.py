"""The sign-in tool: starts OAuth in the background and reports on it."""

from __future__ import annotations

import sys
import time
import weakref
from typing import TYPE_CHECKING, Any

from .. import calls
from ..errors import NotSignedIn
from ..render import fields_block
from .registry import Answer, ToolSpec

if TYPE_CHECKING:
    from ..auth.login import LoginFlow
    from ..config import Settings
    from ..services import Services

NAME = "authenticate_atlassian"


def authenticate(services: Services, args: dict[str, Any]) -> Answer:
    try:
        return _authenticate(services, args)
    finally:
        login = services.built("oauth_login")
        if login is not None and login.current is not None:
            _announce_when_signed_in(login.current)


_announced: weakref.WeakSet[LoginFlow] = weakref.WeakSet()  # sign-in attempts whose success is already announced


def _announce_when_signed_in(flow: LoginFlow) -> None:
    """Tell the client its tool list changed once this sign-in attempt succeeds (once per attempt):
    tools that failed with "not signed in" work from then on."""
    notify = calls.tools_changed_notice()
    if notify is None or flow in _announced:
        return
    _announced.add(flow)
    if not flow.when_succeeded(notify) and flow.status == "succeeded":
        notify()


def _authenticate(services: Services, args: dict[str, Any]) -> Answer:
    settings = services.settings
    if settings.auth_mode == "api_token":
        kind = "a scoped API token" if settings.api_token_scoped else "an API token"
        return Answer(
            f"Already signed in with {kind} (ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN), which takes precedence over OAuth; nothing to do.",
            {"status": "signed_in", "auth_mode": "api_token"},
        )
    if settings.auth_mode == "none":
        raise NotSignedIn(
            "OAuth is not configured: set ATLASSIAN_CLIENT_ID and ATLASSIAN_CLIENT_SECRET (from your app in the Atlassian "
            "developer console), or ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN, in the MCP client's settings and restart the server."
        )
    from ..auth.callback import LoginError
    from ..auth.tokens import entry_key

    login = services.oauth_login
    flow = login.current
    redirect_url = args.get("redirect_url")
    if redirect_url:
        if flow is None or not flow.running:
            raise LoginError("No sign-in is waiting for a redirect URL: call authenticate_atlassian without it first.")
        flow.offer(redirect_url)
        flow.wait(settings.timeout + 5)
        if flow.status == "failed":
            flow.reported = True
            raise LoginError(f"{flow.error or 'Sign-in failed.'} Call authenticate_atlassian to start again.")
    elif flow is not None and flow.running:
        return _waiting(flow, new=False)

    previous = None
    if flow is not None and flow.status == "failed" and not flow.reported:
        flow.reported = True
        previous = flow.error
    entry = services.token_store.get(entry_key(settings.site_url, settings.client_id))
    if entry is not None and not args.get("force") and previous is None:
        return _signed_in(settings, entry)
    flow, _ = login.start(open_browser=True)
    sys.stderr.write(f"atlassian-mcp-server: to sign in to Atlassian, open this URL in a browser:\n{flow.url}\n")
    sys.stderr.flush()
    answer = _waiting(flow, new=True)
    if previous:
        return Answer(f"The last sign-in failed: {previous}\n\n{answer.text}", {**answer.data, "previous_error": previous})
    return answer


def _waiting(flow: Any, new: bool) -> Answer:
    started = "Sign-in started" if new else "Sign-in still waiting"
    text = (
        f"{started}: open this URL in a browser and approve access:\n{flow.url}\n\n"
        f"It completes by itself when the browser reaches {flow.redirect_uri} (waiting {flow.seconds_left()} s more); "
        "call authenticate_atlassian again to check. If the browser is on another machine, pass the address it "
        "ends on as redirect_url."
    )
    return Answer(text, {"status": "waiting", "url": flow.url, "redirect_uri": flow.redirect_uri, "seconds_left": flow.seconds_left()})


def _signed_in(settings: Settings, entry: dict[str, Any]) -> Answer:
    from ..auth.scopes import missing_scopes

    missing = missing_scopes(entry.get("scopes"), settings)
    expires = entry.get("expires_at")
    until = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(expires)) if isinstance(expires, (int, float)) else "-"
    data = {
        "status": "signed_in",
        "auth_mode": "oauth",
        "site_url": entry.get("site_url"),
        "cloud_id": entry.get("cloud_id"),
        "access_token_expires": until,
        "missing_scopes": missing,
    }
    text = "# Signed in with OAuth\n" + fields_block(
        [("Site", entry.get("site_url")), ("Cloud id", entry.get("cloud_id")), ("Access token until", f"{until} (refreshed automatically)")]
    )
    if missing:
        text += f"\n\nThe sign-in lacks scopes the enabled modules need: {', '.join(missing)}. Add them to the app and call again with force=true."
    return Answer(text, data)


TOOLS = [
    ToolSpec(
        name=NAME,
        title="Sign in to Atlassian",
        description="Sign in with OAuth when a tool says you are not: returns a URL for the user to open; call again to check.",
        handler=authenticate,
        module="atlassian",
        toolset="atlassian",
        read_only=True,  # changes nothing in Atlassian; it must stay usable with ATLASSIAN_READ_ONLY=true
        local_only=True,  # a browser sign-in on this machine: the team server gets each user's credential per request
        params={
            "force": {"type": "boolean", "default": False, "description": "Sign in again even if signed in."},
            "redirect_url": {
                "type": "string",
                "maxLength": 4000,
                "description": "Address the browser ended on, if it could not reach this machine.",
            },
        },
    ),
]
