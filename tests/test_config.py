"""Settings: read once from the environment, every problem reported at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    [
        "http://acme.atlassian.net",
        "ftp://acme.atlassian.net",
        "acme.atlassian.net",
        "https://user:pw@acme.atlassian.net",
        "https://acme.atlassian.net/some/path",
        "https://acme.atlassian.net/?x=1",
    ],
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
    for name in (
        "ATLASSIAN_SITE_URL",
        "bitbucket",
        "ATLASSIAN_READ_ONLY",
        "ATLASSIAN_MAX_WORKERS",
        "ATLASSIAN_TIMEOUT",
        "ATLASSIAN_LOG_LEVEL",
        "ATLASSIAN_API_TOKEN",
    ):
        assert name in text
    assert len(info.value.problems) == 7


def test_auth_mode_and_secrets_hidden() -> None:
    s = Settings.from_env(
        {**SITE, "ATLASSIAN_EMAIL": "a@b.c", "ATLASSIAN_API_TOKEN": "tok-secret-1", "ATLASSIAN_CLIENT_ID": "cid", "ATLASSIAN_CLIENT_SECRET": "csecret-2"}
    )
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


def test_config_toml_beneath_the_environment(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'site_url = "https://from-file.atlassian.net"\nmodules = ["jira", "confluence"]\nATLASSIAN_READ_ONLY = true\nmax_workers = 4\n'
    )
    s = Settings.from_env({"ATLASSIAN_CONFIG_DIR": str(tmp_path), "ATLASSIAN_MAX_WORKERS": "2"})
    assert s.site_url == "https://from-file.atlassian.net"
    assert s.modules == ("jira", "confluence") and s.read_only is True
    assert s.max_workers == 2  # the environment wins
    assert s.sources["ATLASSIAN_SITE_URL"].endswith("config.toml")
    assert s.sources["ATLASSIAN_MAX_WORKERS"] == "environment"
    assert "ATLASSIAN_TIMEOUT" not in s.sources


def test_broken_config_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("site_url = \n")
    with pytest.raises(ConfigError, match="cannot be read as TOML"):
        Settings.from_env({"ATLASSIAN_CONFIG_DIR": str(tmp_path), **SITE})
    (tmp_path / "config.toml").write_text("timeout = {a = 1}\n")
    with pytest.raises(ConfigError, match="timeout must be a string"):
        Settings.from_env({"ATLASSIAN_CONFIG_DIR": str(tmp_path), **SITE})


def test_file_root_and_ssl_verify(tmp_path: Path) -> None:
    s = Settings.from_env({**SITE, "ATLASSIAN_FILE_ROOT": str(tmp_path), "ATLASSIAN_SSL_VERIFY": "false"})
    assert s.file_root == tmp_path.resolve() and s.ssl_verify is False
    assert Settings.from_env(SITE).ssl_verify is True
    with pytest.raises(ConfigError, match="ATLASSIAN_FILE_ROOT must be an existing folder"):
        Settings.from_env({**SITE, "ATLASSIAN_FILE_ROOT": str(tmp_path / "nope")})
    with pytest.raises(ConfigError, match="ATLASSIAN_SSL_VERIFY"):
        Settings.from_env({**SITE, "ATLASSIAN_SSL_VERIFY": "sometimes"})


def _cli(*args: str, env: dict[str, str]) -> Any:
    import subprocess

    from harness import server_command

    return subprocess.run([*server_command(), *args], env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "raw",
    ["ftp://user:TOKEN-s3cr3t-9f2@host", "https://user:TOKEN-s3cr3t-9f2@[bad", "https://user:TOKEN-s3cr3t-9f2@host:99999", "gopher://:TOKEN-s3cr3t-9f2@h"],
)
def test_a_config_error_never_prints_a_token_from_the_url(raw: str, tmp_path: Path) -> None:
    done = _cli("status", env={"ATLASSIAN_SITE_URL": raw, "ATLASSIAN_CONFIG_DIR": str(tmp_path)})
    assert done.returncode == 2 and "ATLASSIAN_SITE_URL" in done.stderr, done.stderr
    assert "TOKEN-s3cr3t-9f2" not in done.stderr + done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "raw", ["https://acme.atlassian.net\x01", "https://ac\x7fme.atlassian.net", "https://acme\x00.atlassian.net", "https://ac me.atlassian.net"]
)
def test_a_site_url_with_control_characters_gets_the_clean_start_up_error(raw: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ATLASSIAN_SITE_URL"):
        Settings.from_env({"ATLASSIAN_SITE_URL": raw, "ATLASSIAN_CONFIG_DIR": str(tmp_path)})
    if "\x00" in raw:  # an environment variable cannot hold NUL; config.toml can
        (tmp_path / "config.toml").write_text('site_url = "https://acme\\u0000.atlassian.net"\n')
        env = {"ATLASSIAN_CONFIG_DIR": str(tmp_path)}
    else:
        env = {"ATLASSIAN_SITE_URL": raw, "ATLASSIAN_CONFIG_DIR": str(tmp_path)}
    done = _cli("serve", env=env)
    assert done.returncode == 2 and ("control characters" in done.stderr or "host name" in done.stderr), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
@pytest.mark.parametrize("what, mode", [("file", 0o666), ("file", 0o620), ("folder", 0o777), ("folder", 0o770)])
def test_config_toml_that_others_can_write_is_refused(tmp_path: Path, what: str, mode: int) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    config = folder / "config.toml"
    config.write_text('site_url = "https://elsewhere.example.com"\n')
    config.chmod(0o600)
    os.chmod(config if what == "file" else folder, mode)
    with pytest.raises(ConfigError, match="can be changed by other users") as info:
        Settings.from_env({"ATLASSIAN_CONFIG_DIR": str(folder), **SITE})
    assert "chmod" in str(info.value)
    os.chmod(config if what == "file" else folder, 0o600 if what == "file" else 0o700)
    assert Settings.from_env({"ATLASSIAN_CONFIG_DIR": str(folder)}).site_url == "https://elsewhere.example.com"


def test_max_download_mb_setting() -> None:
    assert Settings.from_env(SITE).max_download_mb == 100
    assert Settings.from_env({**SITE, "ATLASSIAN_MAX_DOWNLOAD_MB": "5"}).max_download_mb == 5
    with pytest.raises(ConfigError, match="ATLASSIAN_MAX_DOWNLOAD_MB"):
        Settings.from_env({**SITE, "ATLASSIAN_MAX_DOWNLOAD_MB": "0"})
