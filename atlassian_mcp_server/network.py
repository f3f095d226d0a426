"""Corporate networks: which certificates are trusted, SOCKS proxies, and what to say when TLS fails.

Every HTTPS connection (the site, the gateway, the OAuth endpoints, attachment media hosts) goes
through a session set up here. By default it trusts the operating system's store through
`truststore` (OpenSSL's default paths on Linux, which honour SSL_CERT_FILE and SSL_CERT_DIR; the
Keychain on macOS; the Windows certificate store). The context is mounted on this session's
adapters only: the host program's `ssl` and other `requests` sessions are left as they are.

`REQUESTS_CA_BUNDLE` (or `CURL_CA_BUNDLE`) still wins when set, and `ATLASSIAN_TRUST_STORE=certifi`
restores requests' bundled certifi list.
"""

from __future__ import annotations

import functools
import logging
import os
import ssl
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)

TRUST_STORES = ("system", "certifi")
BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # requests' own order
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
SOCKS_EXTRA = "pipx install 'atlassian-mcp-server[socks]' (from a checkout: pipx install '.[socks]')"


def env_bundle(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(variable, path) of the CA bundle the environment names, as requests would pick it."""
    env = os.environ if env is None else env
    for name in BUNDLE_VARIABLES:
        if env.get(name):
            return name, env[name]
    return None


def trust_source(trust_store: str = "system", *, verify: bool = True, env: Mapping[str, str] | None = None) -> str:
    """Which certificates are trusted, in a few words, for `status`, `doctor` and errors."""
    if not verify:
        return "none: ATLASSIAN_SSL_VERIFY=false, certificates are not checked"
    bundle = env_bundle(env)
    if bundle:
        return f"{bundle[0]} {bundle[1]}"
    if trust_store == "certifi":
        return "certifi bundle (ATLASSIAN_TRUST_STORE=certifi)"
    if not _truststore_available():
        return "certifi bundle (truststore is not installed)"
    if sys.platform == "darwin":
        return "system trust store (macOS Keychain)"
    if sys.platform == "win32":
        return "system trust store (Windows certificate store)"
    env = os.environ if env is None else env
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if env.get(name):
            return f"system trust store ({name} {env[name]})"
    paths = ssl.get_default_verify_paths()
    return f"system trust store (OpenSSL: {paths.cafile or paths.capath or paths.openssl_capath})"


@functools.lru_cache(maxsize=1)
def _truststore_available() -> bool:
    try:
        import truststore  # noqa: F401
    except ImportError:  # a vendored install without it: said once
        log.warning("truststore is not installed: certificates are checked against the certifi bundle, not the system trust store")
        return False
    return True


@functools.lru_cache(maxsize=4)
def _system_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """One truststore context per SSL_CERT_FILE/SSL_CERT_DIR pair (the arguments are the cache key)."""
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class TrustAdapter(HTTPAdapter):
    """An HTTPAdapter that verifies with `ssl_context` (None: requests' own behaviour) and knows its trust source."""

    def __init__(self, ssl_context: ssl.SSLContext | None, source: str, **kw: Any):
        self.ssl_context = ssl_context
        self.source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **pool_kwargs: Any) -> None:
        if self.ssl_context is not None:
            pool_kwargs.setdefault("ssl_context", self.ssl_context)
        super().init_poolmanager(*args, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        if self.ssl_context is not None:  # the TLS to the site through an HTTP or SOCKS proxy
            proxy_kwargs.setdefault("ssl_context", self.ssl_context)
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if self.ssl_context is not None and verify is True:
            conn.ca_certs = conn.ca_cert_dir = None  # the system store only, not certifi loaded on top

    def send(self, request: Any, *args: Any, **kw: Any) -> Any:
        try:
            return super().send(request, *args, **kw)
        except requests.exceptions.SSLError as exc:
            exc.trust_source = self.source  # type: ignore[attr-defined]
            raise


def configure_session(session: requests.Session, *, trust_store: str = "system", verify: bool = True, pool_size: int = 10) -> str:
    """Mount adapters that trust `trust_store` (unless REQUESTS_CA_BUNDLE is set) on `session`; return the trust source."""
    source = trust_source(trust_store, verify=verify)
    context = None
    if verify and trust_store == "system" and env_bundle() is None:
        if _truststore_available():
            context = _system_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    # One pooled connection per worker thread, instead of requests' 10.
    adapter = TrustAdapter(context, source, pool_connections=10, pool_maxsize=max(pool_size, 10))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return source


def socks_installed() -> bool:
    """Whether requests can use a SOCKS proxy (the `socks` extra: PySocks)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import urllib3.contrib.socks  # noqa: F401
    except ImportError:
        return False
    return True


def proxy_in_use(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(variable, scheme) of the proxy HTTPS requests go through, never the URL (it may hold a password)."""
    env = os.environ if env is None else env
    for name in PROXY_VARIABLES:
        value = (env.get(name) or "").strip()
        if value:
            return name, value.split("://", 1)[0].lower() if "://" in value else "http"
    return None


def socks_missing(variable: str = "ALL_PROXY/HTTPS_PROXY") -> str:
    return f"{variable} names a SOCKS proxy, but SOCKS support is not installed: install the extra with {SOCKS_EXTRA}."


def proxy_problem(env: Mapping[str, str] | None = None) -> str | None:
    """A sentence when the proxy setting cannot work with this install, else None."""
    proxy = proxy_in_use(env)
    if proxy and proxy[1].startswith("socks") and not socks_installed():
        return socks_missing(proxy[0])
    return None


def describe_failure(exc: BaseException, host: str) -> str | None:
    """The one-sentence answer to a TLS or SOCKS failure, with the fix in order of preference; None for others."""
    if isinstance(exc, requests.exceptions.InvalidSchema) and "SOCKS" in str(exc):
        proxy = proxy_in_use()
        return socks_missing(proxy[0] if proxy else "ALL_PROXY/HTTPS_PROXY")
    if not isinstance(exc, requests.exceptions.SSLError):
        return None
    reason = _reasons(exc)
    source = getattr(exc, "trust_source", None) or trust_source()
    if "expired" in reason or "not yet valid" in reason:
        return f"TLS error talking to {host}: its certificate has expired or is not yet valid; check this machine's clock, then the proxy or site that presents it."
    if "hostname mismatch" in reason or "doesn't match" in reason or "not valid for" in reason:
        return f"TLS error talking to {host}: its certificate is for another host name (a company proxy, or a wrong ATLASSIAN_SITE_URL?)."
    if "certificate" not in reason and "verify" not in reason:
        return f"TLS error talking to {host}: the secure connection could not be set up ({_last(reason)}); a proxy may be blocking or intercepting it."
    if source.startswith(BUNDLE_VARIABLES):
        name, path = source.split(" ", 1)
        return (
            f"TLS error talking to {host}: its certificate is signed by an authority that {name} ({path}) does not hold (a company proxy?): "
            f"add the company root to that file, or unset {name} to use the system trust store."
        )
    untrusted = f"TLS error talking to {host}: the site's certificate is signed by an authority this machine does not trust (a company proxy?)"
    if source.startswith("certifi"):
        return f"{untrusted}: remove ATLASSIAN_TRUST_STORE=certifi and install the company root in the system trust store, or set REQUESTS_CA_BUNDLE=/path/to/root.pem."
    return f"{untrusted}: install the company root in the system trust store, or set REQUESTS_CA_BUNDLE=/path/to/root.pem."


def _reasons(exc: BaseException) -> str:
    """Every message down the exception chain, lower case, for matching."""
    texts = []
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        texts.append(str(seen))
        nxt = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
        if nxt is None and seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        seen = nxt if isinstance(nxt, BaseException) and nxt is not seen else None
    return " | ".join(texts).lower()


def _last(reason: str) -> str:
    text = reason.rsplit(" | ", 1)[-1]
    return text if len(text) <= 120 else text[:117] + "..."
