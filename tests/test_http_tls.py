"""TLS: an unverifiable certificate is a clear error; ATLASSIAN_SSL_VERIFY=false is the explicit way past it."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from atlassian_mcp_server.auth import ApiTokenAuth
from atlassian_mcp_server.errors import TransportError
from atlassian_mcp_server.http import HttpClient, RetryPolicy


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def https_site(tmp_path: Path) -> Any:
    cert, key = _self_signed(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"accountId": "tls-ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


def test_unverifiable_certificate_is_a_clear_error(https_site: Any) -> None:
    url, _ = https_site
    http = HttpClient(ApiTokenAuth(url, "a@b.c", "t0ken"), timeout=5, retry=RetryPolicy(max_retries=2, sleep=lambda s: None))
    with pytest.raises(TransportError, match="TLS error talking to 127.0.0.1.*REQUESTS_CA_BUNDLE"):
        http.get("jira", "/rest/api/3/myself")


def test_ca_bundle_or_explicit_opt_out_get_through(https_site: Any, monkeypatch: Any) -> None:
    url, cert = https_site
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    assert HttpClient(ApiTokenAuth(url, "a@b.c", "t0ken"), timeout=5).get("jira", "/rest/api/3/myself") == {"accountId": "tls-ok"}
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    assert HttpClient(ApiTokenAuth(url, "a@b.c", "t0ken"), timeout=5, verify=False).get("jira", "/rest/api/3/myself") == {"accountId": "tls-ok"}


def test_certificate_for_another_name_says_so(https_site: Any, monkeypatch: Any) -> None:
    """A trusted certificate for another host name is not called an untrusted authority."""
    url, cert = https_site
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    http = HttpClient(ApiTokenAuth(url.replace("127.0.0.1", "localhost"), "a@b.c", "t0ken"), timeout=5, retry=RetryPolicy(max_retries=0))
    with pytest.raises(TransportError, match="its certificate is for another host name") as caught:
        http.get("jira", "/rest/api/3/myself")
    assert "authority" not in str(caught.value)
