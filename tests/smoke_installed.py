"""Smoke test for an installed wheel: start the installed command, list tools through the MCP client.

Run with the interpreter of the virtualenv the wheel was installed into:
    <venv>/bin/python tests/smoke_installed.py <venv>/bin/atlassian-mcp-server
Prints the tool count; exits non-zero when anything is wrong.
"""

from __future__ import annotations

import sys

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


async def main(command: str) -> int:
    env = {"ATLASSIAN_SITE_URL": "https://smoke.atlassian.net", "ATLASSIAN_EMAIL": "smoke@example.com", "ATLASSIAN_API_TOKEN": "smoke"}
    async with stdio_client(StdioServerParameters(command=command, env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            names = {t.name for t in listed.tools}
            for required in ("jira_search", "confluence_get_page", "servicedesk_list_service_desks", "atlassian_whoami"):
                if required not in names:
                    print(f"missing tool {required}", file=sys.stderr)
                    return 1
            prompts = await session.list_prompts()
    print(f"installed server listed {len(names)} tools and {len(prompts.prompts)} prompts")
    return 0


if __name__ == "__main__":
    sys.exit(anyio.run(main, sys.argv[1]))
