"""Settings: read once from the environment, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlassian_mcp_server.config import Settings
from atlassian_mcp_server.errors import ConfigError

SITE = {"ATLASSIAN_SITE_URL": "https://acme.atlassian.net"}


def test_defaults() -> None:
    s = Settings.from_env({**SITE, "HOME": "/home/x"})
    assert s.site_url == "https://acme.atlassian.net"
    assert s.modules == ("jira", "confluence", "service_desk")
    assert (s.read_only, s.enable_destructive, s.max_workers, s.timeout, s.log_level) == (False, False, 8, 30.0, "WARNING")
    assert s.auth_mode == "none"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://Acme.atlassian.net/", "https://acme.atlassian.net"),
        ("https://acme.atlassian.net/wiki", "https://acme.atlassian.net"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:9", "http://localhost:9"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_site_url_normalised(raw: str, expected: str) -> None:
    assert Settings.from_env({"ATLASSIAN_SITE_URL": raw}).site_url == expected


@pytest.mark.parametrize(
    "raw",
    ["http://acme.atlassian.net", "ftp://acme.atlassian.net", "acme.atlassian.net", "https://user:pw@acme.atlassian.net", "https://acme.atlassian.net/some/path", "https://acme.atlassian.net/?x=1"],
)
def test_bad_site_urls_refused(raw: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"ATLASSIAN_SITE_URL": raw})
    assert "ATLASSIAN_SITE_URL" in str(info.value)


def test_every_problem_reported_at_once() -> None:
    env = {
        "ATLASSIAN_MODULES": "jira,bitbucket",
        "ATLASSIAN_READ_ONLY": "maybe",
        "ATLASSIAN_MAX_WORKERS": "0",
        "ATLASSIAN_TIMEOUT": "soon",
        "ATLASSIAN_LOG_LEVEL": "LOUD",
        "ATLASSIAN_EMAIL": "a@b.c",
    }
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    text = str(info.value)
    for name in ("ATLASSIAN_SITE_URL", "bitbucket", "ATLASSIAN_READ_ONLY", "ATLASSIAN_MAX_WORKERS", "ATLASSIAN_TIMEOUT", "ATLASSIAN_LOG_LEVEL", "ATLASSIAN_API_TOKEN"):
        assert name in text
    assert len(info.value.problems) == 7


def test_auth_mode_and_secrets_hidden() -> None:
    s = Settings.from_env({**SITE, "ATLASSIAN_EMAIL": "a@b.c", "ATLASSIAN_API_TOKEN": "tok-secret-1", "ATLASSIAN_CLIENT_ID": "cid", "ATLASSIAN_CLIENT_SECRET": "csecret-2"})
    assert s.auth_mode == "api_token"
    described = s.describe()
    assert described["api_token"] == "set" and described["client_secret"] == "set"
    assert "tok-secret-1" not in repr(s) and "csecret-2" not in repr(s)
    assert Settings.from_env({**SITE, "ATLASSIAN_CLIENT_ID": "cid"}).auth_mode == "oauth"


def test_modules_selection_and_flags() -> None:
    s = Settings.from_env({**SITE, "ATLASSIAN_MODULES": " jira , confluence,jira", "ATLASSIAN_READ_ONLY": "TRUE", "ATLASSIAN_ENABLE_DESTRUCTIVE": "1"})
    assert s.modules == ("jira", "confluence") and s.read_only and s.enable_destructive


def test_config_dir_follows_xdg(tmp_path: Path) -> None:
    s = Settings.from_env({**SITE, "XDG_CONFIG_HOME": str(tmp_path)})
    assert s.config_dir == tmp_path / "atlassian-mcp-server"
    s = Settings.from_env({**SITE, "ATLASSIAN_CONFIG_DIR": str(tmp_path / "x")})
    assert s.config_dir == tmp_path / "x"
