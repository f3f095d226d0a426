"""Sealed values for the team server: AES-GCM with keys from ATLASSIAN_HTTP_SECRET_KEY, rotation by a list.

A sealed value is self-contained: any replica holding one of the keys can open it, so no replica
needs shared state. The first key seals; every key opens (old keys stay listed while tokens sealed
with them are still in use). The purpose ("client", "code", "access", ...) is bound as associated
data, so a value sealed for one purpose never opens as another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from typing import Any

MIN_KEY_CHARS = 32


class Sealer:
    def __init__(self, keys: list[str]):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not keys:
            raise ValueError("at least one key is needed")
        self._aeads = [AESGCM(hashlib.sha256(key.encode()).digest()) for key in keys]

    def seal(self, purpose: str, data: dict[str, Any], ttl: float | None = None) -> str:
        """The data as an opaque URL-safe string; with `ttl`, it stops opening after that many seconds."""
        payload = dict(data)
        if ttl is not None:
            payload["_exp"] = time.time() + ttl
        nonce = os.urandom(12)
        sealed = self._aeads[0].encrypt(nonce, json.dumps(payload, separators=(",", ":")).encode(), purpose.encode())
        return base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")

    def open(self, purpose: str, token: str) -> dict[str, Any] | None:
        """The data, or None when the value is not one of ours, was sealed for another purpose or has expired."""
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        if len(raw) < 12 + 16:
            return None
        for aead in self._aeads:
            try:
                plain = aead.decrypt(raw[:12], raw[12:], purpose.encode())
            except InvalidTag:
                continue
            try:
                data = json.loads(plain)
            except ValueError:
                return None
            if not isinstance(data, dict):
                return None
            expires = data.pop("_exp", None)
            if expires is not None and float(expires) < time.time():
                return None
            return data
        return None


def digest(value: str) -> str:
    """A short stable name for a secret (cache keys, log lines); never reversible to the secret."""
    return hashlib.sha256(value.encode()).hexdigest()
