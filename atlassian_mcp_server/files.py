"""Local files for attachment uploads and downloads: only inside the folder the user allowed."""

from __future__ import annotations

from pathlib import Path

from .errors import InvalidInput

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


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
