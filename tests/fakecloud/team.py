"""More than one user on the fake cloud, for the team server: API tokens and OAuth bearer tokens per person.

`add_user` registers a person's Basic credentials; `bearer_for` issues an OAuth access token that the
gateway answers as that person (the stock gateway answers every bearer token as Ada Agent).
"""

from __future__ import annotations

import base64
from typing import Any

from . import FakeCloud, Request, Response

_HOOKED = "team_bearer_users"


def add_user(cloud: FakeCloud, email: str, token: str, account_id: str, name: str) -> dict[str, Any]:
    """A person (one of the fake directory's users, so Jira knows them) with an API token of their own."""
    user = {"accountId": account_id, "displayName": name, "emailAddress": email, "timeZone": "Europe/Paris", "active": True, "accountType": "atlassian"}
    cloud.users[basic(email, token)] = user
    return user


def basic(email: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()


def bearer_for(cloud: FakeCloud, user: dict[str, Any]) -> str:
    """An access token the gateway accepts and answers as `user`."""
    mapping: dict[str, dict[str, Any]] | None = getattr(cloud, _HOOKED, None)
    if mapping is None:
        mapping = {}
        setattr(cloud, _HOOKED, mapping)

        def _team_bearer_hook(req: Request) -> Response | None:
            header = req.headers.get("authorization", "")
            if header.startswith("Bearer ") and req.user is not None and header[7:] in mapping:  # type: ignore[operator]
                req.user = dict(mapping[header[7:]])  # type: ignore[index]
            return None

        cloud.hooks.append(_team_bearer_hook)  # after oauth.py's gateway hook, which signed the request in
    access, _refresh = cloud.oauth.issue()  # type: ignore[attr-defined]
    mapping[access] = user
    return access
