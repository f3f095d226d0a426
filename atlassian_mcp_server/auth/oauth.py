"""OAuth 2.0 (3LO) with PKCE: placeholder until the OAuth issue lands."""

from __future__ import annotations

from typing import Any

from ..errors import NotSignedIn


class _NotYetSignedIn:
    def base_url(self, product: str) -> str:
        raise NotSignedIn(
            "OAuth sign-in is not available in this version: set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN instead."
        )

    def __call__(self, request: Any) -> Any:
        return request

    def refresh_after_401(self) -> bool:
        return False


def oauth_credentials(settings: Any) -> Any:
    return _NotYetSignedIn()
