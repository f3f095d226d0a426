"""One frozen Settings object built from the environment and validated at start."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from .errors import ConfigError

MODULES = ("jira", "confluence", "service_desk")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def default_config_dir(env: Mapping[str, str]) -> Path:
    """Where the token file lives unless ATLASSIAN_CONFIG_DIR says otherwise."""
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "atlassian-mcp-server"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "atlassian-mcp-server"


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know, read once at start; never holds mutable state."""

    site_url: str = ""
    email: str | None = None
    api_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    oauth_callback_port: int = 8080
    oauth_timeout: float = 300.0
    oauth_scopes: tuple[str, ...] | None = None
    api_token_scoped: bool = False
    auth_url: str = "https://auth.atlassian.com"
    api_url: str = "https://api.atlassian.com"
    config_dir: Path = field(default_factory=lambda: default_config_dir(os.environ))
    modules: tuple[str, ...] = MODULES
    toolsets: tuple[str, ...] | None = None
    tools: tuple[str, ...] | None = None
    read_only: bool = False
    enable_destructive: bool = False
    max_workers: int = 8
    timeout: float = 30.0
    max_retries: int = 3
    max_download_mb: int = 100
    log_level: str = "WARNING"
    file_root: Path = field(default_factory=Path.cwd)
    ssl_verify: bool = True
    trust_store: str = "system"  # system: the OS trust store (truststore); certifi: requests' bundle
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def auth_mode(self) -> str:
        """`api_token` when email and token are set (it wins), else `oauth` with a client id, else `none`."""
        if self.email and self.api_token:
            return "api_token"
        if self.client_id:
            return "oauth"
        return "none"

    def secrets(self) -> list[str]:
        """Values that must never appear in a log line or an answer (the Basic header's form included)."""
        found = [s for s in (self.api_token, self.client_secret) if s]
        if self.email and self.api_token:
            import base64

            found.append(base64.b64encode(f"{self.email}:{self.api_token}".encode()).decode("ascii"))
        return found

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require_site: bool = True) -> Settings:
        """Read ATLASSIAN_* variables (and config.toml beneath them); report every problem at once."""
        env = os.environ if env is None else env
        problems: list[str] = []
        values: dict[str, object] = {}
        env, sources, file_problems = _merge_config_file(env)
        problems += file_problems

        def get(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value is not None and value.strip() != "" else None

        site = get("ATLASSIAN_SITE_URL")
        if site is None:
            if require_site:
                problems.append("ATLASSIAN_SITE_URL is not set: set it to your site, e.g. https://your-domain.atlassian.net")
        else:
            checked = _check_site_url(site)
            if checked.startswith("!"):
                problems.append(checked[1:])
            else:
                values["site_url"] = checked

        for name, attr in (
            ("ATLASSIAN_EMAIL", "email"),
            ("ATLASSIAN_API_TOKEN", "api_token"),
            ("ATLASSIAN_CLIENT_ID", "client_id"),
            ("ATLASSIAN_CLIENT_SECRET", "client_secret"),
        ):
            if get(name) is not None:
                values[attr] = get(name)
        if bool(values.get("email")) != bool(values.get("api_token")):
            missing = "ATLASSIAN_API_TOKEN" if values.get("email") else "ATLASSIAN_EMAIL"
            problems.append(f"{missing} is not set: API-token sign-in needs both ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN")

        for name, attr in (("ATLASSIAN_AUTH_URL", "auth_url"), ("ATLASSIAN_API_URL", "api_url")):
            raw = get(name)
            if raw is not None:
                checked = _check_base_url(name, raw)
                if checked.startswith("!"):
                    problems.append(checked[1:])
                else:
                    values[attr] = checked

        raw_dir = get("ATLASSIAN_CONFIG_DIR")
        values["config_dir"] = Path(raw_dir).expanduser() if raw_dir else default_config_dir(env)

        modules = _split(get("ATLASSIAN_MODULES"))
        if modules is not None:
            unknown = [m for m in modules if m not in MODULES]
            if unknown:
                problems.append(f"ATLASSIAN_MODULES names unknown module(s) {', '.join(unknown)}: use a comma list of {', '.join(MODULES)}")
            elif not modules:
                problems.append(f"ATLASSIAN_MODULES is empty: use a comma list of {', '.join(MODULES)}")
            else:
                values["modules"] = tuple(dict.fromkeys(modules))
        values["toolsets"] = _split(get("ATLASSIAN_TOOLSETS"))
        values["tools"] = _split(get("ATLASSIAN_TOOLS"))
        scopes = get("ATLASSIAN_OAUTH_SCOPES")
        if scopes is not None:
            values["oauth_scopes"] = tuple(dict.fromkeys(scopes.replace(",", " ").split()))

        for name, attr in (
            ("ATLASSIAN_READ_ONLY", "read_only"),
            ("ATLASSIAN_ENABLE_DESTRUCTIVE", "enable_destructive"),
            ("ATLASSIAN_API_TOKEN_SCOPED", "api_token_scoped"),
        ):
            raw = (env.get(name) or "").strip().lower()
            if raw in _TRUE:
                values[attr] = True
            elif raw not in _FALSE:
                problems.append(f"{name} must be true or false, not {env.get(name)!r}")
        if values.get("api_token_scoped") and not values.get("api_token"):
            problems.append("ATLASSIAN_API_TOKEN_SCOPED=true needs ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN (the scoped token)")

        for name, attr, kind, low, high in (
            ("ATLASSIAN_MAX_WORKERS", "max_workers", int, 1, 64),
            ("ATLASSIAN_TIMEOUT", "timeout", float, 1, 600),
            ("ATLASSIAN_MAX_RETRIES", "max_retries", int, 0, 10),
            ("ATLASSIAN_MAX_DOWNLOAD_MB", "max_download_mb", int, 1, 10240),
            ("ATLASSIAN_OAUTH_CALLBACK_PORT", "oauth_callback_port", int, 1, 65535),
            ("ATLASSIAN_OAUTH_TIMEOUT", "oauth_timeout", float, 1, 3600),
        ):
            raw = get(name)
            if raw is None:
                continue
            try:
                number = kind(raw)
            except ValueError:
                problems.append(f"{name} must be a number from {low} to {high}, not {raw!r}")
                continue
            if not low <= number <= high:
                problems.append(f"{name} must be from {low} to {high}, not {raw}")
            else:
                values[attr] = number

        raw_root = get("ATLASSIAN_FILE_ROOT")
        if raw_root is not None:
            root = Path(raw_root).expanduser()
            if not root.is_dir():
                problems.append(f"ATLASSIAN_FILE_ROOT must be an existing folder, not {raw_root!r}")
            else:
                values["file_root"] = root.resolve()
        else:
            values["file_root"] = Path.cwd().resolve()
        verify = (get("ATLASSIAN_SSL_VERIFY") or "true").lower()
        if verify in _FALSE:
            values["ssl_verify"] = False
        elif verify not in _TRUE:
            problems.append(f"ATLASSIAN_SSL_VERIFY must be true or false, not {get('ATLASSIAN_SSL_VERIFY')!r}")

        trust = (get("ATLASSIAN_TRUST_STORE") or "system").lower()
        if trust not in ("system", "certifi"):
            problems.append(f"ATLASSIAN_TRUST_STORE must be system or certifi, not {get('ATLASSIAN_TRUST_STORE')!r}")
        else:
            values["trust_store"] = trust

        level = (get("ATLASSIAN_LOG_LEVEL") or "WARNING").upper()
        if level not in LOG_LEVELS:
            problems.append(f"ATLASSIAN_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
        else:
            values["log_level"] = level

        if problems:
            raise ConfigError(problems)
        values["sources"] = sources
        return cls(**values)  # type: ignore[arg-type]

    def describe(self) -> dict[str, object]:
        """Every setting by name, secrets shown only as set / not set."""
        out: dict[str, object] = {}
        for f in fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            if f.name in ("api_token", "client_secret"):
                value = "set" if value else "not set"
            elif isinstance(value, Path):
                value = str(value)
            out[f.name] = value
        out["auth_mode"] = self.auth_mode
        return out


CONFIG_FILE = "config.toml"


def _merge_config_file(env: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Environment over config.toml: the merged variables, where each came from, and file problems.

    The file sits in the config directory and holds the same settings, named like the variables
    (`ATLASSIAN_SITE_URL = "..."`) or without the prefix in lower case (`site_url = "..."`).
    """
    merged = dict(env)
    sources = {k: "environment" for k, v in env.items() if k.startswith("ATLASSIAN_") and str(v).strip()}
    base = Path(env["ATLASSIAN_CONFIG_DIR"]).expanduser() if env.get("ATLASSIAN_CONFIG_DIR") else default_config_dir(env)
    path = base / CONFIG_FILE
    if not path.is_file():
        return merged, sources, []
    untrusted = _untrusted(path)
    if untrusted:
        return merged, sources, [untrusted]
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return merged, sources, [f"{path} cannot be read as TOML: {exc}"]
    problems = []
    for key, value in data.items():
        name = key.upper() if key.upper().startswith("ATLASSIAN_") else "ATLASSIAN_" + key.upper()
        if name == "ATLASSIAN_CONFIG_DIR":
            problems.append(f"{path}: config_dir cannot be set inside the config file itself")
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float, str)):
            text = str(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            text = ",".join(value)
        else:
            problems.append(f"{path}: {key} must be a string, number, boolean or list of strings")
            continue
        if name not in sources:  # the environment wins
            merged[name] = text
            sources[name] = str(path)
    return merged, sources, problems


def _untrusted(path: Path) -> str | None:
    """Why config.toml cannot be trusted, or None: like the token file, it must be ours and closed to others.

    It can point the credentials at another host, so a file or folder that another user can
    write (or that another user owns) is refused. POSIX only; Windows relies on the profile's ACLs.
    """
    if os.name != "posix":
        return None
    for target in (path, path.parent):
        try:
            info = os.stat(target)
        except OSError as exc:
            return f"{target} cannot be checked: {exc.strerror or exc}"
        if info.st_uid not in (os.getuid(), 0):
            return f"{target} belongs to another user, so {CONFIG_FILE} was not read: it could send your credentials elsewhere; use a config folder of your own"
        if info.st_mode & 0o022:
            mode = stat.S_IMODE(info.st_mode)
            fix = "chmod 600" if target == path else "chmod 700"
            return (
                f"{target} can be changed by other users (mode {mode:04o}), so {CONFIG_FILE} was not read: "
                f"it could send your credentials elsewhere; run `{fix} {target}`"
            )
    return None


def _split(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    return tuple(part.strip() for part in raw.split(",") if part.strip())


_USERINFO = re.compile(r"^([^:/?#]*://)[^/?#]*@")
_HOST = re.compile(r"^[a-z0-9.\-]+$|^[0-9a-f:.]+$")


def _shown(raw: str) -> str:
    """A URL as an error message may show it: any user:password@ part masked, control characters escaped."""
    return repr(_USERINFO.sub(r"\1***@", raw))


def _split_url(name: str, raw: str) -> tuple[object, str, int | None] | str:
    """(parts, lower-case host, port) of a URL, or '!problem' for control characters or a malformed host or port."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        return f"!{name} must not contain control characters, not {_shown(raw)}"
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return f"!{name} has a malformed host or port: {_shown(raw)}"
    if host and not _HOST.match(host):
        return f"!{name} has a host name with characters a host cannot have: {_shown(raw)}"
    return parts, host, port


def _check_site_url(raw: str) -> str:
    """Normalised site URL, or '!problem' when it cannot be used; never echoes a password or token it holds."""
    split = _split_url("ATLASSIAN_SITE_URL", raw)
    if isinstance(split, str):
        return split
    parts, host, port = split
    assert isinstance(parts, SplitResult)
    if parts.scheme not in ("https", "http") or not host:
        return f"!ATLASSIAN_SITE_URL must be a URL such as https://your-domain.atlassian.net, not {_shown(raw)}"
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        return f"!ATLASSIAN_SITE_URL must use https (plain http is only allowed for 127.0.0.1/localhost), not {_shown(raw)}"
    if parts.username or parts.password or parts.query or parts.fragment:
        return "!ATLASSIAN_SITE_URL must not contain credentials, a query or a fragment"
    path = parts.path.rstrip("/")
    if path.lower() in ("/wiki", "/jira"):
        path = ""
    if path:
        return f"!ATLASSIAN_SITE_URL must be the site root such as https://your-domain.atlassian.net, without the path {parts.path!r}"
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    return f"{parts.scheme}://{netloc}"


def _check_base_url(name: str, raw: str) -> str:
    split = _split_url(name, raw)
    if isinstance(split, str):
        return split
    parts, host, _ = split
    assert isinstance(parts, SplitResult)
    if parts.scheme not in ("https", "http") or not host:
        return f"!{name} must be a URL, not {_shown(raw)}"
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        return f"!{name} must use https (plain http is only allowed for 127.0.0.1/localhost), not {_shown(raw)}"
    if parts.username or parts.password:
        return f"!{name} must not contain credentials"
    return raw.rstrip("/")
