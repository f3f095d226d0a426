"""The OAuth token file: private from creation, written atomically, locked across threads and processes."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import AtlassianError

FILE_NAME = "oauth-tokens.json"
FORMAT_VERSION = 1
_OPEN_FLAGS = getattr(os, "O_OPEN_FLAGS", 0) | getattr(os, "O_BINARY", 0)
_POSIX = os.name == "posix"


class TokenFileError(AtlassianError):
    """The token file or its directory cannot be trusted or read; the message says what to do."""


def entry_key(site_url: str, client_id: str | None) -> str:
    """Entries are keyed by site and OAuth client, so several sites and apps can share one file."""
    return f"{site_url.rstrip('/').lower()} {client_id}"


class TokenStore:
    """One JSON file of token entries; never holds the client secret.

    Every change runs under `locked()`: a thread lock plus an OS lock on a lock file beside the
    token file, so two server processes never refresh a rotating token at the same time.
    """

    def __init__(self, config_dir: Path | str, file_name: str = FILE_NAME):
        self.dir = Path(config_dir)
        self.path = self.dir / file_name
        self.lock_path = self.dir / (file_name + ".lock")
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._lock_fd: int | None = None

    def __repr__(self) -> str:
        return f"TokenStore({str(self.path)!r})"

    # -- locking -------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store exclusively (re-entrant within a thread); re-read the file after taking it."""
        with self._thread_lock:
            if self._depth == 0:
                self._ensure_dir()
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | _OPEN_FLAGS, 0o600)
                try:
                    _os_lock(fd)
                except BaseException:
                    os.close(fd)
                    raise
                self._lock_fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._lock_fd is not None:
                    fd, self._lock_fd = self._lock_fd, None
                    try:
                        _os_unlock(fd)
                    finally:
                        os.close(fd)

    # -- reading -------------------------------------------------------------------------
    def read_all(self) -> dict[str, Any]:
        """Every entry by key; {} when there is no file yet. Raises TokenFileError on a bad file."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _OPEN_FLAGS)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise TokenFileError(f"Cannot read the token file {self.path}: {exc.strerror or exc}; check it, or delete it and sign in again.") from exc
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if _POSIX and not stat.S_ISREG(info.st_mode):
                raise TokenFileError(f"The token file {self.path} is not a regular file; delete it and sign in again.")
            if _POSIX and info.st_mode & 0o077:
                raise TokenFileError(
                    f"The token file {self.path} is readable by other users (mode {stat.S_IMODE(info.st_mode):04o}); "
                    f"its tokens may have leaked: run `chmod 600 {self.path}`, or delete it and sign in again."
                )
            raw = handle.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise TokenFileError(
                f"The token file {self.path} is not valid JSON ({type(exc).__name__}); it was left untouched: delete it and sign in again."
            ) from exc
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise TokenFileError(f"The token file {self.path} has an unknown layout; it was left untouched: delete it and sign in again.")
        return {k: v for k, v in entries.items() if isinstance(v, dict)}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.read_all().get(key)

    # -- writing -------------------------------------------------------------------------
    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store one entry, keeping the others."""
        with self.locked():
            entries = self.read_all()
            entries[key] = {k: v for k, v in entry.items() if k != "client_secret"}
            self._write(entries)

    def delete(self, key: str) -> bool:
        """Forget one entry; True when there was one."""
        with self.locked():
            entries = self.read_all()
            if key not in entries:
                return False
            del entries[key]
            self._write(entries)
            return True

    def update(self, key: str, change: Callable[[dict[str, Any] | None], dict[str, Any] | None]) -> dict[str, Any] | None:
        """Read, change and write one entry under the lock; `change` returning None deletes it."""
        with self.locked():
            entries = self.read_all()
            new = change(entries.get(key))
            if new is None:
                if key in entries:
                    del entries[key]
                    self._write(entries)
                return None
            entries[key] = {k: v for k, v in new.items() if k != "client_secret"}
            self._write(entries)
            return entries[key]

    def remove_leftovers(self) -> int:
        """Delete the temporary files a killed writer left beside the token file (they hold live tokens).

        Runs under the lock, so no writer of this store is half-way through its temporary file.
        Returns how many were removed; nothing is created when the folder does not exist.
        """
        if not self.dir.is_dir():
            return 0
        removed = 0
        with self.locked():
            for leftover in self.dir.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
                    removed += 1
        return removed

    def _write(self, entries: dict[str, Any]) -> None:
        """Atomic replace: a private temporary file in the same directory, flushed, synced, renamed."""
        self._ensure_dir()
        payload = json.dumps({"version": FORMAT_VERSION, "entries": entries}, indent=2, sort_keys=True).encode("utf-8")
        tmp = self.dir / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(self.dir)

    def _ensure_dir(self) -> None:
        """Create the directory 0700; tighten an existing one we own that others can reach."""
        try:
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise TokenFileError(
                f"Cannot create the config directory {self.dir}: {exc.strerror or exc}; set ATLASSIAN_CONFIG_DIR to a writable place."
            ) from exc
        if not _POSIX:
            return
        info = os.stat(self.dir)
        if info.st_mode & 0o077:
            if info.st_uid != os.getuid():
                raise TokenFileError(f"The config directory {self.dir} is open to other users and not yours; set ATLASSIAN_CONFIG_DIR to a private directory.")
            os.chmod(self.dir, 0o700)


def is_expiring(entry: dict[str, Any], margin_s: float = 60.0, now: float | None = None) -> bool:
    """True when the access token is gone or expires within `margin_s` seconds."""
    expires_at = entry.get("expires_at")
    if not entry.get("access_token") or not isinstance(expires_at, (int, float)):
        return True
    return expires_at - (time.time() if now is None else now) < margin_s


def _fsync_dir(directory: Path) -> None:
    if not _POSIX:
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _os_lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ~10 s; keep waiting like flock does
                continue

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _os_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _os_unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
