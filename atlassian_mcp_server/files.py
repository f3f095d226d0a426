"""Local files for attachment uploads and downloads: only inside the folder the user allowed.

The rules, the same for every product (SECURITY.md, "Local files"):
- a path is resolved (symlinks followed) and must lie inside ATLASSIAN_FILE_ROOT;
- whatever the root is (even `/` or the home folder), the server's own config folder (the token
  file, its temporaries, config.toml) and the kernel's pseudo-files (/proc, /sys, /dev) are
  never read for an upload nor written by a download;
- an upload reads a regular file with one link, opened without following a symlink and without
  blocking on a FIFO, as bytes (so a retried request sends the same body again);
- a download is written to a new temporary file in the target folder (O_EXCL, no symlink
  followed), the folder is checked again after the download, then the file is renamed into
  place; an existing file is replaced only when asked, and never when it is a link, has another
  hard link, or is not a regular file.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidInput

if TYPE_CHECKING:
    from .config import Settings

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PSEUDO_FILESYSTEMS = (Path("/proc"), Path("/sys"), Path("/dev"))
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def inside_root(root: Path, given: str) -> Path:
    """`given` (relative to the root, or absolute) resolved with symlinks followed; refused outside the root.

    The root is ATLASSIAN_FILE_ROOT (default: the server's working directory), from Settings.
    """
    root = root.resolve()
    candidate = Path(given).expanduser()
    resolved = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if resolved != root and root not in resolved.parents:
        raise InvalidInput(f"{given!r} is outside the folder this server may use ({root}); give a path inside it, or set ATLASSIAN_FILE_ROOT.")
    return resolved


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


@dataclass(frozen=True)
class FilePolicy:
    """Where file tools may read and write: inside `root`, never in `private` folders."""

    root: Path
    private: tuple[Path, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> FilePolicy:
        config_dir = getattr(settings, "config_dir", None)
        return cls(Path(settings.file_root), (Path(config_dir),) if config_dir else ())

    def resolve(self, given: str) -> Path:
        """The resolved path inside the root, refused when it lies in a private or pseudo-file folder."""
        path = inside_root(self.root, given)
        self.refuse_private(path, given)
        return path

    def refuse_private(self, path: Path, given: str) -> None:
        resolved = path.resolve()
        chain = [resolved, *resolved.parents]
        for place in PSEUDO_FILESYSTEMS:
            if place in chain:
                raise InvalidInput(f"{given!r} is under {place}, which file tools never read or write.")
        wanted = {i for i in (_identity(p.expanduser()) for p in self.private) if i is not None}
        wanted |= {i for i in (_identity(p.expanduser().resolve()) for p in self.private) if i is not None}
        names = {str(p.expanduser().resolve()) for p in self.private}
        for step in chain:
            if str(step) in names or (wanted and _identity(step) in wanted):
                raise InvalidInput(f"{given!r} is in this server's own configuration folder (its sign-in tokens), which file tools never read or write.")

    # -- uploads ----------------------------------------------------------------------------
    def read_source(self, given: str, max_bytes: int) -> tuple[Path, bytes]:
        """The file's path and bytes: a regular file with one link, at most `max_bytes` long."""
        path = self.resolve(given)
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        except FileNotFoundError:
            raise InvalidInput(f"{path} is not a file; give the path of a file inside {self.root}.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}.") from None
        with os.fdopen(fd, "rb") as stream:
            st = os.fstat(stream.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise InvalidInput(f"{path} is not a file; give the path of a file inside {self.root}.")
            if st.st_nlink > 1:
                raise InvalidInput(f"{path} has more than one hard link, so it may be a file from elsewhere; copy it and upload the copy.")
            self._refuse_opened(stream.fileno(), st, path, given)  # checked again on the file actually opened
            if st.st_size > max_bytes:
                raise InvalidInput(f"{path.name} is {size_text(st.st_size)}; uploads are limited to {size_text(max_bytes)}.")
            data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InvalidInput(f"{path.name} grew past {size_text(max_bytes)} while being read; uploads are limited to {size_text(max_bytes)}.")
        return path, data

    def _refuse_opened(self, fd: int, st: os.stat_result, path: Path, given: str) -> None:
        """The open file itself: where the kernel says it is, and not a file of a private folder."""
        self.refuse_private(path, given)
        real = _fd_path(fd)
        if real is not None:
            inside_root(self.root, str(real))
            self.refuse_private(real, given)
        mine = (st.st_dev, st.st_ino)
        for folder in self.private:
            try:
                entries = list(os.scandir(folder.expanduser()))
            except OSError:
                continue
            if any(_entry_identity(e) == mine for e in entries):
                raise InvalidInput(f"{given!r} is in this server's own configuration folder (its sign-in tokens), which file tools never read or write.")

    # -- downloads --------------------------------------------------------------------------
    def target(self, given: str, name: str, *, overwrite: bool | None) -> Path:
        """Where a download will go (a folder gets the attachment's own name); checked before fetching."""
        target = self.resolve(given)
        if target.is_dir():
            target = self.resolve(str(target / (Path(name).name or "attachment")))
        if not target.parent.is_dir():
            raise InvalidInput(f"The folder {target.parent} does not exist; create it or choose another save_to.")
        self._check_existing(target, overwrite)
        return target

    def _check_existing(self, target: Path, overwrite: bool | None, dir_fd: int | None = None) -> None:
        """`overwrite` None: replacing is not offered (the error says only to choose another path)."""
        name = target.name if dir_fd is not None else str(target)
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if not overwrite:
            offer = "pass overwrite=true or " if overwrite is False else ""
            raise InvalidInput(f"{target} already exists; {offer}choose another save_to.")
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInput(f"{target} exists and is not a regular file; choose another save_to.")
        if st.st_nlink > 1:
            raise InvalidInput(f"{target} has more than one hard link, so replacing it could change a file elsewhere; choose another save_to.")

    def write(self, target: Path, data: bytes, *, overwrite: bool | None) -> Path:
        """Write `data` to `target` through a temporary file in its folder, checked again now."""
        folder = self.resolve(str(target.parent))
        if os.open not in os.supports_dir_fd:  # Windows: the same steps by path
            return self._write_by_path(folder, target, data, overwrite=overwrite)
        try:
            dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC)
        except OSError as exc:
            raise InvalidInput(f"Cannot write into {folder}: {exc.strerror or exc}.") from None
        temp = f".{target.name[:100]}.{secrets.token_hex(6)}.part"
        try:
            self._same_folder(folder, dir_fd, target)
            self._check_existing(target, overwrite, dir_fd)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666, dir_fd=dir_fd)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                self._same_folder(folder, dir_fd, target)  # the folder is still where it was, inside the root
                if overwrite:
                    self._check_existing(target, overwrite, dir_fd)
                    os.rename(temp, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                else:  # a hard link fails when the name exists: never replaces a file that appeared meanwhile
                    try:
                        os.link(temp, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
                    except FileExistsError:
                        raise
                    except OSError:  # a file system without hard links: check, then rename
                        self._check_existing(target, overwrite, dir_fd)
                        os.rename(temp, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                    os.unlink(temp, dir_fd=dir_fd)
            except FileExistsError:
                raise InvalidInput(f"{target} already exists; choose another save_to.") from None
            except OSError as exc:
                raise InvalidInput(f"Cannot write {target}: {exc.strerror or exc}.") from None
            finally:
                try:
                    os.unlink(temp, dir_fd=dir_fd)
                except OSError:
                    pass
        finally:
            os.close(dir_fd)
        return target

    def _write_by_path(self, folder: Path, target: Path, data: bytes, *, overwrite: bool | None) -> Path:
        self._check_existing(target, overwrite)
        temp = folder / f".{target.name[:100]}.{secrets.token_hex(6)}.part"
        try:
            with open(temp, "xb") as out:
                out.write(data)
            if self.resolve(str(target.parent)) != folder:
                raise InvalidInput(f"The folder {target.parent} changed during the download; nothing was saved. Try again.")
            self._check_existing(target, overwrite)
            os.replace(temp, target)
        except OSError as exc:
            raise InvalidInput(f"Cannot write {target}: {exc.strerror or exc}.") from None
        finally:
            if temp.exists():
                temp.unlink()
        return target

    def _same_folder(self, folder: Path, dir_fd: int, target: Path) -> None:
        again = self.resolve(str(target.parent))
        if again != folder or _identity(again) != _fd_identity(dir_fd):
            raise InvalidInput(f"The folder {target.parent} changed during the download; nothing was saved. Try again.")


def _fd_path(fd: int) -> Path | None:
    """Where an open file really is, when the system can say (Linux /proc, macOS F_GETPATH)."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        pass
    try:
        import fcntl

        if hasattr(fcntl, "F_GETPATH"):
            raw = fcntl.fcntl(fd, fcntl.F_GETPATH, bytes(1024))
            return Path(os.fsdecode(raw.split(b"\0", 1)[0]))
    except (OSError, ImportError):
        pass
    return None


def _entry_identity(entry: os.DirEntry[str]) -> tuple[int, int] | None:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _fd_identity(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino)


def size_text(n: Any) -> str:
    """A byte count for people: 512 B, 64.0 KB, 3.2 MB; a size of another shape as it is, "-" when absent."""
    if not isinstance(n, (int, float)) or isinstance(n, bool):
        return str(n) if n not in (None, "") else "-"
    n = int(n)
    return f"{n} B" if n < 1024 else (f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB")
