"""The team server: MCP Streamable HTTP at /mcp, stateless, each request with its own user's credentials.

`atlassian-mcp-server serve --transport http` runs this with uvicorn. Nothing lives between two
requests but caches: any replica can answer any request, so N replicas run behind any load balancer.
Each request's `Authorization` header picks a `Services` (the product clients and their caches) of
its own, cached by a digest of the credential; a tool call finds it in the request's ASGI scope.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio

from .config import LOOPBACK_HOSTS, Settings, _merge_config_file
from .errors import ConfigError

log = logging.getLogger("atlassian_mcp_server.http")

SCOPE_SERVICES = "atlassian_mcp_server.services"  # the ASGI scope key a tool call reads its Services from
MAX_BODY_BYTES = 4 * 1024 * 1024
PER_CREDENTIAL_CALLS = 4  # in flight per credential; more wait their turn
CACHE_ENTRIES = 1000
CACHE_TTL_S = 900.0
AUTH_MODES = ("passthrough", "oauth")
FACTORY = "atlassian_mcp_server.http_transport:create_app"


@dataclass(frozen=True)
class HttpSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    auth: str = "passthrough"
    auth_set: bool = False
    secret_keys: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    public_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HttpSettings:
        merged, _, _ = _merge_config_file(os.environ if env is None else env)
        problems: list[str] = []

        def get(name: str) -> str | None:
            value = merged.get(name)
            return value.strip() if value is not None and value.strip() else None

        values: dict[str, Any] = {}
        if get("ATLASSIAN_HTTP_HOST"):
            values["host"] = get("ATLASSIAN_HTTP_HOST")
        for name, attr, low, high in (("ATLASSIAN_HTTP_PORT", "port", 1, 65535), ("ATLASSIAN_HTTP_WORKERS", "workers", 1, 64)):
            raw = get(name)
            if raw is None:
                continue
            if not raw.isdigit() or not low <= int(raw) <= high:
                problems.append(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
            else:
                values[attr] = int(raw)
        auth = get("ATLASSIAN_HTTP_AUTH")
        if auth is not None:
            if auth.lower() not in AUTH_MODES:
                problems.append(f"ATLASSIAN_HTTP_AUTH must be passthrough or oauth, not {auth!r}")
            else:
                values["auth"], values["auth_set"] = auth.lower(), True
        keys = tuple(k.strip() for k in (get("ATLASSIAN_HTTP_SECRET_KEY") or "").split(",") if k.strip())
        short = [i + 1 for i, k in enumerate(keys) if len(k) < 32]
        if short:
            problems.append(
                "ATLASSIAN_HTTP_SECRET_KEY: each key must have at least 32 characters (key "
                + ", ".join(map(str, short))
                + " is shorter); make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        values["secret_keys"] = keys
        origins = tuple(o.strip().rstrip("/") for o in (get("ATLASSIAN_HTTP_ALLOWED_ORIGINS") or "").split(",") if o.strip())
        values["allowed_origins"] = origins
        public = get("ATLASSIAN_HTTP_PUBLIC_URL")
        if public is not None:
            if not public.startswith(("https://", "http://")):
                problems.append(f"ATLASSIAN_HTTP_PUBLIC_URL must be the URL clients reach the server at, such as https://mcp.example.com, not {public!r}")
            values["public_url"] = public.rstrip("/")
        if problems:
            raise ConfigError(problems)
        return cls(**values)

    def with_overrides(self, host: str | None, port: int | None, workers: int | None) -> HttpSettings:
        from dataclasses import replace

        problems = []
        if port is not None and not 1 <= port <= 65535:
            problems.append(f"--port must be from 1 to 65535, not {port}")
        if workers is not None and not 1 <= workers <= 64:
            problems.append(f"--workers must be from 1 to 64, not {workers}")
        if problems:
            raise ConfigError(problems)
        return replace(self, host=host or self.host, port=port or self.port, workers=workers or self.workers)

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def check(self, settings: Settings) -> None:
        """Refuse to start where the server would be open to others, or could not seal tokens."""
        problems = []
        if self.host not in LOOPBACK_HOSTS and not self.auth_set:
            problems.append(
                f"--transport http on {self.host} (not loopback) needs ATLASSIAN_HTTP_AUTH set to passthrough or oauth, "
                "so that each request must bring its user's Atlassian credentials"
            )
        if self.auth == "oauth":
            if not self.secret_keys:
                problems.append(
                    "ATLASSIAN_HTTP_AUTH=oauth needs ATLASSIAN_HTTP_SECRET_KEY (the same on every replica) to seal the tokens it issues; "
                    "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
            from urllib.parse import urlsplit

            public = urlsplit(self.base_url)
            if public.scheme != "https" and (public.hostname or "") not in LOOPBACK_HOSTS:
                problems.append(
                    f"ATLASSIAN_HTTP_AUTH=oauth on {self.base_url} needs ATLASSIAN_HTTP_PUBLIC_URL set to the https URL clients reach "
                    "(TLS ends at your proxy), e.g. https://mcp.example.com"
                )
            if not (settings.client_id and settings.client_secret):
                problems.append("ATLASSIAN_HTTP_AUTH=oauth needs ATLASSIAN_CLIENT_ID and ATLASSIAN_CLIENT_SECRET of your Atlassian OAuth 2.0 (3LO) app")
        if problems:
            raise ConfigError(problems)


class ServicesCache:
    """One Services per credential digest, bounded and expiring; also each credential's concurrency limit."""

    def __init__(self, settings: Settings, entries: int = CACHE_ENTRIES, ttl: float = CACHE_TTL_S):
        self.settings = settings
        self.entries = entries
        self.ttl = ttl
        self._items: OrderedDict[str, tuple[float, Any, anyio.CapacityLimiter]] = OrderedDict()

    def get(self, key: str, make_credentials: Any) -> tuple[Any, anyio.CapacityLimiter]:
        from .services import Services

        now = time.monotonic()
        found = self._items.get(key)
        if found is not None and found[0] > now:
            self._items.move_to_end(key)
            return found[1], found[2]
        services = Services(self.settings, make_credentials())
        limiter = found[2] if found is not None else anyio.CapacityLimiter(PER_CREDENTIAL_CALLS)
        self._items[key] = (now + self.ttl, services, limiter)
        self._items.move_to_end(key)
        while len(self._items) > self.entries:
            self._items.popitem(last=False)
        return services, limiter

    def __len__(self) -> int:
        return len(self._items)


class TeamGate:
    """ASGI middleware in front of /mcp: Origin check, the request's credentials, its concurrency slot."""

    def __init__(self, app: Any, settings: Settings, http: HttpSettings, broker: Any = None):
        self.app = app
        self.settings = settings
        self.http = http
        self.broker = broker
        self.cache = ServicesCache(settings)
        self.metadata_url = http.base_url + "/.well-known/oauth-protected-resource"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/") not in self.http.allowed_origins:
            await _plain(send, 403, f"Origin {origin[:100]} is not allowed; add it to ATLASSIAN_HTTP_ALLOWED_ORIGINS if it is yours.")
            return
        header = headers.get("authorization", "")
        found = self._credentials(header)
        if found is None:
            await self._unauthorized(send, bool(header))
            return
        key, make = found
        services, limiter = self.cache.get(key, make)
        scope[SCOPE_SERVICES] = services
        scope["atlassian_mcp_server.who"] = key[:12]
        async with limiter:
            await self.app(scope, receive, send)

    def _credentials(self, header: str) -> tuple[str, Any] | None:
        from .auth.sealed import digest

        if not header:
            return None
        if self.broker is not None:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer":
                return None
            opened = self.broker.open_access(token.strip())
            if opened is None:
                return None
            from .auth.remote import BearerAuth

            return digest("oauth:" + opened["token"]), lambda: BearerAuth(self.settings, opened["token"], opened["cloud_id"])
        from .auth.remote import from_authorization

        credentials = from_authorization(self.settings, header)
        if credentials is None:
            return None
        return digest("passthrough:" + header.strip()), lambda: credentials

    async def _unauthorized(self, send: Any, given: bool) -> None:
        if self.broker is not None:
            error = ', error="invalid_token", error_description="The access token is expired or not valid"' if given else ""
            challenge = f'Bearer resource_metadata="{self.metadata_url}"{error}'
            message = "Sign in again: the access token is expired or not valid." if given else "Sign in: this server needs an OAuth access token."
        else:
            challenge = 'Basic realm="Atlassian", charset="UTF-8", Bearer realm="Atlassian"'
            message = (
                "The Authorization header is not Basic base64(email:api_token) nor Bearer <Atlassian OAuth access token>."
                if given
                else "Send your Atlassian credentials in the Authorization header: Basic base64(email:api_token) or Bearer <Atlassian OAuth access token>."
            )
        await _plain(send, 401, message, {"www-authenticate": challenge})


async def _plain(send: Any, status: int, message: str, extra: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """One line per request on stderr: method, path without the query, status, time, who (a digest prefix)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def watch(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            log.info(
                "%s %s %s %.0fms who=%s",
                scope.get("method"),
                scope.get("path"),
                status or "-",
                (time.perf_counter() - started) * 1000,
                scope.get("atlassian_mcp_server.who", "-"),
            )


def build_app(settings: Settings, http: HttpSettings) -> Any:
    """The ASGI application: /mcp, /healthz and, with oauth, the authorization server's endpoints."""
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import RequestBodyLimitMiddleware
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    from .auth import NoAuth
    from .server import build_server
    from .services import Services

    server = build_server(settings, Services(settings, NoAuth(settings.site_url)), team=True)
    manager = StreamableHTTPSessionManager(server, stateless=True, json_response=True, max_request_body_size=MAX_BODY_BYTES)
    broker = None
    routes: list[Any] = []
    if http.auth == "oauth":
        from mcp.server.auth.routes import create_auth_routes, create_protected_resource_routes
        from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
        from pydantic import AnyHttpUrl

        from .auth.broker import CALLBACK_PATH, Broker
        from .auth.sealed import Sealer

        broker = Broker(settings, Sealer(list(http.secret_keys)), http.base_url)
        routes += create_auth_routes(
            broker,  # type: ignore[arg-type]
            AnyHttpUrl(http.base_url),
            client_registration_options=ClientRegistrationOptions(enabled=True),
            revocation_options=RevocationOptions(enabled=False),
        )
        metadata = create_protected_resource_routes(AnyHttpUrl(http.base_url + "/mcp"), [AnyHttpUrl(http.base_url)], resource_name="Atlassian")
        routes += metadata
        routes += [Route("/.well-known/oauth-protected-resource", endpoint=metadata[0].endpoint, methods=["GET", "OPTIONS"])]

        async def callback(request: Any) -> Response:
            status, where = await broker.callback(dict(request.query_params))
            if status == 302:
                return RedirectResponse(where, status_code=302)
            return PlainTextResponse(where, status_code=status)

        routes.append(Route(CALLBACK_PATH, endpoint=callback, methods=["GET"]))
    gate = TeamGate(manager.handle_request, settings, http, broker)

    async def healthz(request: Any) -> Response:
        return JSONResponse({"status": "ok", "credentials_cached": len(gate.cache)})

    routes += [Route("/healthz", endpoint=healthz, methods=["GET"]), Route("/mcp", endpoint=gate, methods=["GET", "POST", "DELETE"])]

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with manager.run():
            yield

    app = Starlette(routes=routes, lifespan=lifespan)
    return AccessLog(RequestBodyLimitMiddleware(app, MAX_BODY_BYTES))


def create_app() -> Any:
    """The uvicorn factory: settings from the environment (each worker process reads them itself)."""
    from .logs import setup_logging

    settings = Settings.from_env()
    http = HttpSettings.from_env()
    setup_logging(settings.log_level, settings.secrets() + list(http.secret_keys))
    log.setLevel(logging.INFO)  # the access log is always on
    return build_app(settings, http)


def serve_http(settings: Settings, http: HttpSettings) -> None:
    """Run uvicorn until SIGTERM or SIGINT; in-flight calls finish first."""
    import uvicorn

    http.check(settings)
    os.environ.update(ATLASSIAN_HTTP_HOST=http.host, ATLASSIAN_HTTP_PORT=str(http.port), ATLASSIAN_HTTP_WORKERS=str(http.workers))
    log.warning("serving MCP over HTTP at %s/mcp (auth %s, %d worker(s)); TLS belongs to the proxy in front", http.base_url, http.auth, http.workers)
    uvicorn.run(
        FACTORY,
        factory=True,
        host=http.host,
        port=http.port,
        workers=http.workers if http.workers > 1 else None,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.timeout) + 30,
        server_header=False,
        proxy_headers=False,
    )
