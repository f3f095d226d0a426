"""The `login`, `logout` and `status` sign-in parts of the command line (prompts on stderr, results on stdout)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from .callback import LoginError
from .scopes import failing_tools, missing_scopes, required_scopes, scope_fix
from .tokens import TokenFileError, TokenStore, entry_key

if TYPE_CHECKING:
    from ..config import Settings
    from ..tools.registry import ToolSpec

REVOKE_HINT = "Atlassian keeps the app's consent: remove it at https://id.atlassian.com/manage-profile/apps if you want it gone."


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def login(settings: Settings, out: Callable[[str], None], *, no_browser: bool = False, stdin: TextIO | None = None) -> int:
    """Run one sign-in to the end; 0 on success, 1 when it failed, 2 when OAuth is not configured."""
    if settings.auth_mode == "api_token":
        _err("ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN are set, and an API token takes precedence over OAuth: unset them to sign in with OAuth.")
        return 2
    if settings.auth_mode == "none":
        _err("OAuth is not configured: set ATLASSIAN_CLIENT_ID and ATLASSIAN_CLIENT_SECRET (from your app in the Atlassian developer console).")
        return 2
    from .login import LoginFlow, open_in_browser

    store = TokenStore(settings.config_dir)
    try:
        flow = LoginFlow(settings, store)
    except LoginError as exc:
        if not no_browser:
            _err(str(exc))
            return 1
        _err(f"Note: {exc}\nContinuing without the callback listener: paste the address instead.")
        flow = LoginFlow(settings, store, listen=False)
    flow.start()
    _err(f"Open this URL in a browser to sign in to Atlassian ({settings.site_url}):\n\n  {flow.url}\n")
    if no_browser:
        _err(
            f"After you approve, the browser goes to {flow.redirect_uri}. If it cannot reach this machine it shows an error "
            "page: copy the whole address from its address bar, paste it here and press Enter."
        )
        reader = threading.Thread(target=_read_pasted, args=(flow, stdin or sys.stdin), daemon=True, name="paste-reader")
        reader.start()
    elif not open_in_browser(flow.url):
        _err("No browser can be opened here (no display): open the URL above yourself, or use `login --no-browser`.")
    else:
        _err(f"A browser was opened; waiting up to {flow.timeout:g} s for the sign-in to finish.")
    try:
        flow.wait()
    except KeyboardInterrupt:
        flow.cancel()
        flow.wait(5)
        _err("Sign-in cancelled.")
        return 130
    if flow.status != "succeeded" or flow.entry is None:
        _err(flow.error or "Sign-in failed.")
        return 1
    entry = flow.entry
    out(f"Signed in to {entry['site_url']} ({entry.get('site_name') or '-'}), cloud id {entry['cloud_id']}.")
    out(f"Tokens saved in {store.path} (readable only by you); they refresh automatically.")
    if not entry.get("refresh_token"):
        out("Warning: no refresh token was granted (offline_access is missing), so you will need to sign in again when the access token expires.")
    missing = missing_scopes(entry.get("scopes"), settings)
    if missing:
        out(f"Warning: the sign-in lacks scopes the enabled modules need: {', '.join(missing)}.")
    return 0


def _read_pasted(flow: Any, stream: TextIO) -> None:
    """Offer each pasted line to the flow until it ends; a bad paste says why and waits for another."""
    while flow.running:
        line = stream.readline()
        if not line:
            return
        if not line.strip():
            continue
        try:
            flow.offer(line)
        except LoginError as exc:
            _err(str(exc))
            continue
        return


def logout(settings: Settings, out: Callable[[str], None]) -> int:
    """Forget this site's tokens for this client; nothing is revoked remotely (Atlassian offers no revocation call)."""
    if not settings.client_id:
        _err("ATLASSIAN_CLIENT_ID is not set, so there is no OAuth sign-in to forget.")
        return 2
    store = TokenStore(settings.config_dir)
    try:
        store.remove_leftovers()  # temporaries a killed writer left hold tokens too
        removed = store.delete(entry_key(settings.site_url, settings.client_id))
    except TokenFileError as exc:
        _err(str(exc))
        return 1
    if removed:
        out(f"Signed out of {settings.site_url}: its tokens were removed from {store.path}. {REVOKE_HINT}")
    else:
        out(f"Not signed in to {settings.site_url} with this client; nothing to forget.")
    if settings.auth_mode == "api_token":
        out("Note: ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN are still set, and the server uses them.")
    return 0


def status_lines(settings: Settings, enabled: list[ToolSpec] | None = None) -> tuple[list[tuple[str, Any]], bool]:
    """The sign-in part of `status` as (label, value) pairs, and whether everything is usable; never a secret."""
    rows: list[tuple[str, Any]] = []
    if settings.auth_mode == "api_token":
        kind = "scoped API token through the API gateway" if settings.api_token_scoped else "classic API token, straight to the site"
        why = "; OAuth settings are also set, and the API token wins" if settings.client_id else ""
        rows.append(("sign_in", f"{kind}{why}"))
        return rows, True
    if settings.auth_mode == "none":
        rows.append(("sign_in", "none: set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN, or ATLASSIAN_CLIENT_ID and ATLASSIAN_CLIENT_SECRET"))
        return rows, False
    store = TokenStore(settings.config_dir)
    rows.append(("sign_in", "OAuth 2.0 (3LO)"))
    rows.append(("token_file", str(store.path)))
    rows.append(("required_scopes", " ".join(required_scopes(settings))))
    if not settings.site_url:
        rows.append(("signed_in", "unknown: ATLASSIAN_SITE_URL is not set"))
        return rows, False
    try:
        entry = store.get(entry_key(settings.site_url, settings.client_id))
    except TokenFileError as exc:
        rows.append(("token_file_problem", str(exc)))
        return rows, False
    if entry is None:
        rows.append(("signed_in", "no: run `atlassian-mcp-server login`, or call the authenticate_atlassian tool"))
        return rows, False
    expires = entry.get("expires_at")
    if isinstance(expires, (int, float)):
        left = int(expires - time.time())
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(expires))
        state = f"in {left // 60} min" if left > 0 else "expired; refreshed on the next call" if entry.get("refresh_token") else "expired; sign in again"
        expiry = f"{when} ({state})"
    else:
        expiry = "unknown"
    missing = missing_scopes(entry.get("scopes"), settings)
    rows += [
        ("signed_in", "yes"),
        ("site_name", entry.get("site_name") or "-"),
        ("cloud_id", entry.get("cloud_id")),
        ("access_token_expires", expiry),
        ("refresh_token", "stored" if entry.get("refresh_token") else "none (offline_access missing)"),
        ("granted_scopes", " ".join(entry.get("scopes") or []) or "-"),
        ("missing_scopes", " ".join(missing) if missing else "none"),
    ]
    if missing:
        rows += [("tools_that_will_fail", line) for line in failing_tools(missing, settings, enabled or [])]
        rows.append(("fix", scope_fix(missing)))
    return rows, not missing
