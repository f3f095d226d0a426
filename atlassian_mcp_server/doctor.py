"""`atlassian-mcp-server doctor`: one line per check, with the fix for each failure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ApiError, AtlassianError, ConfigError

if TYPE_CHECKING:
    from .config import Settings
    from .services import Services
    from .tools.registry import ToolSpec


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"[{mark}] {self.name}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n       fix: {self.fix}"


def run_checks(environ: Mapping[str, str] | None = None, services: Services | None = None) -> list[Check]:
    """Every check in order; later checks are skipped when an earlier one makes them meaningless."""
    from .config import Settings

    checks: list[Check] = []
    try:
        settings = Settings.from_env(environ)
    except ConfigError as exc:
        checks.append(Check("settings", False, "; ".join(exc.problems), "set the variables named above (see the README's Settings table)"))
        return checks
    checks.append(Check("settings", True, f"site {settings.site_url}, modules {', '.join(settings.modules)}"))
    from .network import SOCKS_EXTRA, proxy_in_use, proxy_problem, trust_source

    proxy = proxy_in_use(environ)
    problem = proxy_problem(environ)
    via = f"{proxy[1]} proxy from {proxy[0]}" if proxy else "no proxy"
    trust = trust_source(settings.trust_store, verify=settings.ssl_verify, env=environ)
    checks.append(Check("network", problem is None, problem or f"trust: {trust}; {via}", f"install the SOCKS extra: {SOCKS_EXTRA}"))
    if settings.auth_mode == "none":
        checks.append(
            Check(
                "credentials",
                False,
                "no sign-in configured",
                "set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN, or ATLASSIAN_CLIENT_ID and ATLASSIAN_CLIENT_SECRET and run `atlassian-mcp-server login`",
            )
        )
        return checks
    checks.append(Check("credentials", True, f"sign-in mode {settings.auth_mode}"))

    if services is None:
        from .services import Services

        services = Services(settings)

    def attempt(name: str, call: Callable[[], str], fix: Callable[[AtlassianError], str]) -> bool:
        try:
            checks.append(Check(name, True, call()))
            return True
        except AtlassianError as exc:
            checks.append(Check(name, False, str(exc), fix(exc)))
            return False

    def reach() -> str:
        try:
            info = services.http.get("jira", "/rest/api/3/serverInfo")
        except ApiError as exc:
            if exc.status in (401, 403):  # it answered: the credentials are checked next
                return f"the site answers (HTTP {exc.status} to anonymous server info)"
            raise
        return f"{info.get('serverTitle') or 'site'} answers ({info.get('deploymentType', 'Cloud')})"

    def reach_fix(exc: AtlassianError) -> str:
        if str(exc).startswith("TLS error") or "SOCKS" in str(exc):
            return "as the message says (the trust source in use is on the network line above)"
        return "check ATLASSIAN_SITE_URL, the network, HTTPS_PROXY/NO_PROXY and REQUESTS_CA_BUNDLE"

    if not attempt("site reachable", reach, reach_fix):
        return checks

    def whoami() -> str:
        me = services.jira.myself()
        return f"signed in as {me.get('displayName')} ({me.get('accountId')})"

    def sign_in_fix(exc: AtlassianError) -> str:
        if isinstance(exc, ApiError) and exc.status == 401:
            return "create a new API token, or run `atlassian-mcp-server login` again"
        return "run `atlassian-mcp-server status` and check the sign-in settings"

    if not attempt("token accepted", whoami, sign_in_fix):
        return checks

    if settings.auth_mode == "oauth":  # the token file keeps the scopes the token endpoint granted
        from .auth.scopes import failing_tools, missing_scopes, scope_fix
        from .auth.tokens import TokenStore, entry_key

        entry = TokenStore(settings.config_dir).get(entry_key(settings.site_url, settings.client_id or "")) or {}
        missing = missing_scopes(entry.get("scopes"), settings)
        if missing:
            failing = "; ".join(failing_tools(missing, settings, enabled_tools(settings)))
            checks.append(Check("scopes", False, f"missing {', '.join(missing)}; the tools that will fail, by scope: {failing}", scope_fix(missing)))
        else:
            checks.append(Check("scopes", True, "every scope the enabled tools need was granted"))

    products: list[tuple[str, str, Callable[[], Any]]] = []
    if "jira" in settings.modules:

        def jira_probe() -> None:
            body = services.http.get("jira", "/rest/api/3/mypermissions", params={"permissions": "BROWSE_PROJECTS"})
            if not ((body or {}).get("permissions", {}).get("BROWSE_PROJECTS") or {}).get("havePermission"):
                raise ApiError(403, "GET", "/rest/api/3/mypermissions", ["you may not browse any Jira project"])

        products.append(("Jira", "jira", jira_probe))
    if "confluence" in settings.modules:
        products.append(("Confluence", "confluence", lambda: services.http.get("confluence", "/wiki/api/v2/spaces", params={"limit": 1})))
    if "service_desk" in settings.modules:
        products.append(("Jira Service Management", "service_desk", lambda: services.http.get("servicedesk", "/rest/servicedeskapi/info")))
    for label, module, probe in products:

        def call(probe: Callable[[], Any] = probe, label: str = label) -> str:
            probe()
            return f"{label} answers on this site"

        def fix(exc: AtlassianError, module: str = module, label: str = label) -> str:
            if isinstance(exc, ApiError) and exc.status == 404:
                return f"{label} is not licensed on this site: leave '{module}' out of ATLASSIAN_MODULES"
            if isinstance(exc, ApiError) and exc.status in (401, 403):
                return f"your account or token lacks access to {label}; ask a site admin, or add the scopes and sign in again"
            return "try again; if it persists, check the site's status page"

        attempt(f"{label}", call, fix)
    return checks


def enabled_tools(settings: Settings) -> list[ToolSpec]:
    """The tools these settings enable (none when the tool settings are themselves wrong)."""
    from .errors import ConfigError
    from .tools.catalogue import CATALOGUE
    from .tools.registry import select

    try:
        return select(CATALOGUE, settings)
    except ConfigError:
        return []
