"""Cross-product tools: who am I."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..render import fields_block
from .registry import Answer, ToolSpec

if TYPE_CHECKING:
    from ..services import Services


def whoami(services: Services, args: dict[str, Any]) -> Answer:
    settings = services.settings
    if "jira" in settings.modules or "service_desk" in settings.modules or "confluence" not in settings.modules:
        me = services.jira.myself()
    else:
        me = services.confluence.http.get("confluence", "/wiki/rest/api/user/current")
    data = {
        "account_id": me.get("accountId"),
        "display_name": me.get("displayName") or me.get("publicName"),
        "email": me.get("emailAddress") or me.get("email"),
        "time_zone": me.get("timeZone"),
        "site_url": settings.site_url,
        "auth_mode": settings.auth_mode,
        "modules": list(settings.modules),
    }
    text = "# Signed in\n" + fields_block(
        [
            ("Name", data["display_name"]),
            ("Account id", data["account_id"]),
            ("Email", data["email"]),
            ("Time zone", data["time_zone"]),
            ("Site", data["site_url"]),
            ("Auth", data["auth_mode"]),
            ("Modules", ", ".join(settings.modules)),
        ]
    )
    return Answer(text, data)


TOOLS = [
    ToolSpec(
        name="atlassian_whoami",
        title="Who am I",
        description="Show the signed-in Atlassian user (name, account id, email, time zone) and the site. Use it to check sign-in or to get your own account id.",
        handler=whoami,
        module="atlassian",
        toolset="atlassian",
        read_only=True,
    ),
]
