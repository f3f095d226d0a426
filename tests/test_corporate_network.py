"""Locked-down corporate networks: the system trust store, a certificate error that names the fix, SOCKS proxies.

The fake cloud is served over HTTPS with a certificate signed by a throwaway root made here, as a
TLS-inspecting company proxy would present. The root reaches the server only through SSL_CERT_FILE,
the system store's path on Linux (OpenSSL's default verify paths). The trust store and proxies are
chosen per session from the environment the server sees, so most tests build the server in this
process (`run_with_server` gives it exactly the test's environment); the end-to-end ones drive the
installed server over stdio: the company root trusted, SOCKS through a proxy, what reaches stderr.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import socketserver
import ssl
import struct
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakecloud import API_TOKEN, EMAIL, FakeCloud
from harness import run_with_process, run_with_server, text_of

if sys.platform != "linux":  # SSL_CERT_FILE is the system store's path only on Linux (OpenSSL)
    pytest.skip("the trust-store tests use OpenSSL's SSL_CERT_FILE", allow_module_level=True)

CORP_HOST = "jira.corp.example"  # resolved only by the SOCKS proxy (socks5h): the site is reachable through it alone


def _name(text: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _root_and_leaf(folder: Path, label: str) -> tuple[Path, Path, Path]:
    """A throwaway root CA and a leaf for 127.0.0.1, localhost and CORP_HOST signed by it: (root.pem, leaf.pem, leaf.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    now = datetime.datetime.now(datetime.timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{label} Root CA"))
        .issuer_name(_name(f"{label} Root CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost"), x509.DNSName(CORP_HOST)]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(root.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    root_pem, leaf_pem, leaf_key_pem = folder / f"{label}-root.pem", folder / f"{label}-leaf.pem", folder / f"{label}-leaf.key"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    leaf_pem.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    leaf_key_pem.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return root_pem, leaf_pem, leaf_key_pem


@pytest.fixture(scope="module")
def tls_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The fake cloud behind TLS, its certificate signed by the "company" root; also a second root it is not signed by."""
    folder = tmp_path_factory.mktemp("corp-pki")
    root, leaf, key = _root_and_leaf(folder, "company")
    other_root, _, _ = _root_and_leaf(folder, "other")
    cloud = FakeCloud()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(leaf, key)
    cloud._server.socket = context.wrap_socket(cloud._server.socket, server_side=True)
    with cloud:
        port = cloud._server.server_address[1]
        yield {"cloud": cloud, "url": f"https://127.0.0.1:{port}", "port": port, "root": root, "other_root": other_root}
    assert not cloud.violations, f"requests outside the OpenAPI documents: {cloud.violations}"


def _env(site: str, **extra: str) -> dict[str, str]:
    return {"ATLASSIAN_SITE_URL": site, "ATLASSIAN_EMAIL": EMAIL, "ATLASSIAN_API_TOKEN": API_TOKEN, "ATLASSIAN_MAX_RETRIES": "0", **extra}


def _whoami(env: dict[str, str]) -> Any:
    """atlassian_whoami through the server built in this process, seeing only `env`."""

    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami")

    return run_with_server(env, scenario)


def _whoami_process(env: dict[str, str]) -> tuple[Any, str]:
    """atlassian_whoami through the installed server over stdio; also what it wrote to stderr."""

    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami"), server.stderr()

    return run_with_process(env, scenario)


def test_company_root_in_the_system_store_is_trusted(tls_cloud: dict[str, Any]) -> None:
    """SSL_CERT_FILE (the system store's path on Linux) holds the company root; no REQUESTS_CA_BUNDLE anywhere."""
    result, stderr = _whoami_process(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["root"])))
    assert not result.is_error, text_of(result) + stderr
    assert "Ada Agent" in text_of(result)


def test_untrusted_root_is_refused_with_the_fix_first(tls_cloud: dict[str, Any]) -> None:
    result = _whoami(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["other_root"])))
    assert result.is_error
    text = " ".join(text_of(result).split())
    assert (
        "the site's certificate is signed by an authority this machine does not trust (a company proxy?): "
        "install the company root in the system trust store, or set REQUESTS_CA_BUNDLE=/path/to/root.pem." in text
    ), text
    assert "ATLASSIAN_SSL_VERIFY" not in text  # never suggests turning verification off


def test_certifi_restores_the_old_behaviour(tls_cloud: dict[str, Any]) -> None:
    """ATLASSIAN_TRUST_STORE=certifi ignores the system store, so the company root is not trusted; the message says how to undo it."""
    result = _whoami(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["root"]), ATLASSIAN_TRUST_STORE="certifi"))
    assert result.is_error
    assert "remove ATLASSIAN_TRUST_STORE=certifi" in text_of(result)


def test_requests_ca_bundle_still_wins(tls_cloud: dict[str, Any]) -> None:
    """REQUESTS_CA_BUNDLE is used instead of the system store: with the company root it gets through, without it it does not."""
    result = _whoami(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["other_root"]), REQUESTS_CA_BUNDLE=str(tls_cloud["root"])))
    assert not result.is_error, text_of(result)
    result = _whoami(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["root"]), REQUESTS_CA_BUNDLE=str(tls_cloud["other_root"])))
    assert result.is_error
    assert f"REQUESTS_CA_BUNDLE ({tls_cloud['other_root']}) does not hold" in " ".join(text_of(result).split())


def test_ssl_verify_false_still_gets_through(tls_cloud: dict[str, Any]) -> None:
    """The certificate is not checked, and the server says so loudly on stderr at start."""
    result, stderr = _whoami_process(_env(tls_cloud["url"], ATLASSIAN_SSL_VERIFY="false"))
    assert not result.is_error, text_of(result) + stderr
    assert "ATLASSIAN_SSL_VERIFY=false" in stderr and "NOT checked" in stderr


# -- SOCKS5 ---------------------------------------------------------------------------------
class _Socks5(socketserver.ThreadingTCPServer):
    """A minimal SOCKS5 proxy (no authentication, CONNECT only) that sends every host name to 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []
        super().__init__(("127.0.0.1", 0), _Socks5Handler)


class _Socks5Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        client: socket.socket = self.request
        version, count = self._read(2)
        assert version == 5
        self._read(count)
        client.sendall(b"\x05\x00")  # no authentication
        _, command, _, kind = self._read(4)
        if kind == 1:
            host = socket.inet_ntoa(self._read(4))
        elif kind == 3:
            host = self._read(self._read(1)[0]).decode()
        else:
            host = socket.inet_ntop(socket.AF_INET6, self._read(16))
        (port,) = struct.unpack("!H", self._read(2))
        self.server.connects.append((host, port))  # type: ignore[attr-defined]
        if command != 1:
            client.sendall(b"\x05\x07\x00\x01" + bytes(6))
            return
        upstream = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"\x05\x00\x00\x01" + bytes(6))
        pump = threading.Thread(target=self._relay, args=(upstream, client), daemon=True)
        pump.start()
        self._relay(client, upstream)
        pump.join(10)

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    @staticmethod
    def _relay(source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            try:
                target.shutdown(socket.SHUT_WR)
            except OSError:
                pass


@pytest.fixture
def socks_proxy() -> Iterator[_Socks5]:
    proxy = _Socks5()
    threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


@pytest.mark.parametrize("variable", ["ALL_PROXY", "HTTPS_PROXY"])
def test_socks5h_proxy_carries_the_calls(tls_cloud: dict[str, Any], socks_proxy: _Socks5, variable: str) -> None:
    """The site's name resolves only at the proxy (socks5h), so a tool call that succeeds went through it, TLS and all."""
    proxy_url = f"socks5h://127.0.0.1:{socks_proxy.server_address[1]}"
    site = f"https://{CORP_HOST}:{tls_cloud['port']}"

    async def scenario(server: Any) -> Any:
        return await server.call("atlassian_whoami"), await server.call("jira_get_issue", {"issue_key": "PROJ-1"}), server.stderr()

    whoami, issue, stderr = run_with_process(_env(site, SSL_CERT_FILE=str(tls_cloud["root"]), **{variable: proxy_url}), scenario)
    assert not whoami.is_error and not issue.is_error, text_of(whoami) + text_of(issue) + stderr
    assert "PROJ-1" in text_of(issue)
    assert (CORP_HOST, tls_cloud["port"]) in socks_proxy.connects


def test_socks5_proxy_with_local_dns(tls_cloud: dict[str, Any], socks_proxy: _Socks5) -> None:
    result = _whoami(_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["root"]), ALL_PROXY=f"socks5://127.0.0.1:{socks_proxy.server_address[1]}"))
    assert not result.is_error, text_of(result)
    assert ("127.0.0.1", tls_cloud["port"]) in socks_proxy.connects


def test_socks_proxy_without_the_extra_names_it(tls_cloud: dict[str, Any], tmp_path: Path) -> None:
    """Without PySocks (hidden here by a `socks` module that fails to import), the setting gets a message naming the extra."""
    (tmp_path / "socks.py").write_text('raise ImportError("PySocks is hidden by this test")\n')
    env = _env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["root"]), ALL_PROXY="socks5h://user:hunter2@127.0.0.1:9", PYTHONPATH=str(tmp_path))
    result, stderr = _whoami_process(env)  # PYTHONPATH hides PySocks from the server process only
    assert result.is_error
    text = " ".join(text_of(result).split())
    assert "ALL_PROXY names a SOCKS proxy, but SOCKS support is not installed" in text and "pipx install 'atlassian-mcp-server[socks]'" in text, text
    assert "hunter2" not in text + stderr

    import subprocess

    from harness import server_command

    doctor = subprocess.run(
        [*server_command(), "doctor"], env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}, capture_output=True, text=True, timeout=60
    )
    assert "[FAIL] network: ALL_PROXY names a SOCKS proxy" in doctor.stdout and "atlassian-mcp-server[socks]" in doctor.stdout, doctor.stdout
    assert doctor.returncode == 1 and "hunter2" not in doctor.stdout + doctor.stderr


def test_status_and_doctor_say_which_trust_source(tls_cloud: dict[str, Any], tmp_path: Path) -> None:
    import subprocess

    from harness import server_command

    def cli(*args: str, **env: str) -> str:
        base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ATLASSIAN_CONFIG_DIR": str(tmp_path)}
        proc = subprocess.run([*server_command(), *args], env={**base, **env}, capture_output=True, text=True, timeout=60)
        return proc.stdout

    root = str(tls_cloud["root"])
    assert f"tls_trust: system trust store (SSL_CERT_FILE {root})" in cli("status", SSL_CERT_FILE=root)
    assert "tls_trust: certifi bundle (ATLASSIAN_TRUST_STORE=certifi)" in cli("status", ATLASSIAN_TRUST_STORE="certifi")
    assert f"tls_trust: REQUESTS_CA_BUNDLE {root}" in cli("status", REQUESTS_CA_BUNDLE=root)
    doctor = cli("doctor", **_env(tls_cloud["url"], SSL_CERT_FILE=root))
    assert f"[ok  ] network: trust: system trust store (SSL_CERT_FILE {root}); no proxy" in doctor, doctor
    assert "[ok  ] site reachable" in doctor, doctor
    refused = cli("doctor", **_env(tls_cloud["url"], SSL_CERT_FILE=str(tls_cloud["other_root"])))
    assert "[FAIL] site reachable" in refused and "install the company root in the system trust store" in refused, refused


def test_oauth_refresh_and_gateway_use_the_system_store(tls_cloud: dict[str, Any], tmp_path: Path) -> None:
    """The OAuth token endpoint and the API gateway are HTTPS hosts too: trusted through SSL_CERT_FILE, refused with the fix without it."""
    import time

    from fakecloud.oauth import CLIENT_ID, CLOUD_ID, SITE_NAME, free_port, oauth_env

    from atlassian_mcp_server.auth.tokens import TokenStore, entry_key

    cloud, url = tls_cloud["cloud"], tls_cloud["url"]

    def expired_sign_in(folder: Path) -> None:
        access, refresh = cloud.oauth.issue(["read:me", "offline_access", "read:jira-work", "read:jira-user"])
        entry = {"site_url": url, "client_id": CLIENT_ID, "cloud_id": CLOUD_ID, "site_name": SITE_NAME, "access_token": access}
        entry.update({"refresh_token": refresh, "expires_at": time.time() - 30, "scopes": ["read:me", "offline_access"]})
        TokenStore(folder).put(entry_key(url, CLIENT_ID), entry)

    cloud.oauth.reset()
    try:
        expired_sign_in(tmp_path / "ok")
        env = oauth_env(cloud, tmp_path / "ok", free_port(), ATLASSIAN_SITE_URL=url, ATLASSIAN_AUTH_URL=url, ATLASSIAN_API_URL=url)
        result = _whoami({**env, "SSL_CERT_FILE": str(tls_cloud["root"])})
        assert not result.is_error, text_of(result)
        assert len(cloud.oauth.refreshes) == 1  # the token endpoint was reached over TLS

        expired_sign_in(tmp_path / "refused")
        env = oauth_env(cloud, tmp_path / "refused", free_port(), ATLASSIAN_SITE_URL=url, ATLASSIAN_AUTH_URL=url, ATLASSIAN_API_URL=url)
        result = _whoami({**env, "SSL_CERT_FILE": str(tls_cloud["other_root"])})
        assert result.is_error
        assert "install the company root in the system trust store" in " ".join(text_of(result).split()), text_of(result)
    finally:
        cloud.oauth.reset()


def test_trust_store_setting_is_checked() -> None:
    from atlassian_mcp_server.config import Settings
    from atlassian_mcp_server.errors import ConfigError

    site = {"ATLASSIAN_SITE_URL": "https://acme.atlassian.net"}
    assert Settings.from_env(site).trust_store == "system"
    assert Settings.from_env({**site, "ATLASSIAN_TRUST_STORE": "Certifi"}).trust_store == "certifi"
    with pytest.raises(ConfigError, match="ATLASSIAN_TRUST_STORE must be system or certifi, not 'windows'"):
        Settings.from_env({**site, "ATLASSIAN_TRUST_STORE": "windows"})


def test_the_host_programs_ssl_is_left_alone(tls_cloud: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The trust store is mounted on this client's session only: no global inject_into_ssl(), other sessions unchanged."""
    import requests

    from atlassian_mcp_server.auth import ApiTokenAuth
    from atlassian_mcp_server.http import HttpClient, RetryPolicy

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_cloud["root"]))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    original = ssl.SSLContext
    http = HttpClient(ApiTokenAuth(tls_cloud["url"], EMAIL, API_TOKEN), timeout=10, retry=RetryPolicy(max_retries=0))
    assert http.get("jira", "/rest/api/3/myself")["displayName"] == "Ada Agent"
    assert http.trust_source.startswith("system trust store")
    assert ssl.SSLContext is original
    with pytest.raises(requests.exceptions.SSLError):  # another session of the host program still trusts certifi only
        requests.Session().get(tls_cloud["url"] + "/rest/api/3/myself", timeout=10)
