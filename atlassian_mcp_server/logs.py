"""Logging for every entry point: everything to stderr (stdout belongs to the MCP protocol), scrubbed of secrets."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence


def setup_logging(level: str, secrets: Sequence[str] = ()) -> None:
    """Everything goes to stderr: stdout belongs to the MCP protocol. Every line is scrubbed of known secrets."""
    from .redact import ScrubbingFormatter, remember

    remember(*secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
