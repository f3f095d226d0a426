"""Run the server with `python -m atlassian_mcp_server`."""

from .cli import main

raise SystemExit(main())
