"""Per-process services: settings, credentials, the HTTP core and product clients, built on first use."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .config import Settings

if TYPE_CHECKING:
    from .auth import Credentials
    from .auth.login import LoginManager
    from .auth.tokens import TokenStore
    from .clients.assets import AssetsClient
    from .clients.confluence import ConfluenceClient
    from .clients.jira import JiraClient
    from .clients.servicedesk import ServiceDeskClient
    from .http import HttpClient


class Services:
    """Holds what one signed-in user's calls share; nothing here is a module global.

    Construction does no I/O and imports nothing heavy: `requests` and the clients load on
    the first call that needs them, which keeps server start-up at the SDK's floor.
    """

    def __init__(self, settings: Settings, credentials: Any = None):
        self.settings = settings
        self._credentials = credentials
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}

    def _once(self, key: str, build: Any) -> Any:
        value = self._built.get(key)
        if value is None:
            with self._lock:
                value = self._built.get(key)
                if value is None:
                    value = build()
                    self._built[key] = value
        return value

    @property
    def credentials(self) -> Credentials:
        def build() -> Any:
            if self._credentials is not None:
                return self._credentials
            from .auth import credentials_from_settings

            store = self.token_store if self.settings.auth_mode == "oauth" else None
            return credentials_from_settings(self.settings, store)

        return self._once("credentials", build)

    @property
    def token_store(self) -> TokenStore:
        """The OAuth token file, shared by the credentials and the sign-in flow."""

        def build() -> Any:
            from .auth.tokens import TokenStore

            return TokenStore(self.settings.config_dir)

        return self._once("token_store", build)

    @property
    def oauth_login(self) -> LoginManager:
        """The OAuth sign-in manager (one attempt at a time); a success makes the credentials re-read the file."""

        def build() -> Any:
            from .auth.login import LoginManager

            def signed_in(entry: Any) -> None:
                reload = getattr(self.credentials, "reload", None)
                if reload is not None:
                    reload()

            return LoginManager(self.settings, self.token_store, on_success=signed_in)

        return self._once("oauth_login", build)

    def built(self, key: str) -> Any:
        """A service already built (e.g. "oauth_login"), or None; never builds one."""
        return self._built.get(key)

    @property
    def http(self) -> HttpClient:
        def build() -> Any:
            from .http import HttpClient, RetryPolicy

            return HttpClient(
                self.credentials,
                timeout=self.settings.timeout,
                retry=RetryPolicy(max_retries=self.settings.max_retries),
                verify=self.settings.ssl_verify,
                pool_size=self.settings.max_workers,
                trust_store=self.settings.trust_store,
                max_download_bytes=self.settings.max_download_mb * 1024 * 1024,
            )

        return self._once("http", build)

    @property
    def jira(self) -> JiraClient:
        def build() -> Any:
            from .clients.jira import JiraClient

            return JiraClient(self.http, self.settings.site_url)

        return self._once("jira", build)

    @property
    def confluence(self) -> ConfluenceClient:
        def build() -> Any:
            from .clients.confluence import ConfluenceClient

            return ConfluenceClient(self.http, self.settings.site_url)

        return self._once("confluence", build)

    @property
    def servicedesk(self) -> ServiceDeskClient:
        def build() -> Any:
            from .clients.servicedesk import ServiceDeskClient

            return ServiceDeskClient(self.http, self.settings.site_url)

        return self._once("servicedesk", build)

    @property
    def assets(self) -> AssetsClient:
        def build() -> Any:
            from .clients.assets import AssetsClient

            return AssetsClient(self.http, self.servicedesk)

        return self._once("assets", build)
