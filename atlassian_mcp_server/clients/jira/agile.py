"""Jira Software agile REST (`/rest/agile/1.0`): boards and sprints."""

from __future__ import annotations

from typing import Any

from ...http import HttpClient, path

AGILE = "/rest/agile/1.0"


class AgileClient:
    """Board and sprint calls; each method is one operation of agile.json and returns its JSON."""

    product = "jira"

    def __init__(self, http: HttpClient):
        self.http = http

    def boards(
        self,
        *,
        project: str | None = None,
        name: str | None = None,
        board_type: str | None = None,
        start_at: int = 0,
        limit: int = 50,
    ) -> dict[str, Any]:
        """Boards, optionally of a project, by name or type, one page (GET /rest/agile/1.0/board)."""
        params = {"projectKeyOrId": project, "name": name, "type": board_type, "startAt": start_at, "maxResults": limit}
        return self.http.get(self.product, AGILE + "/board", params=params)

    def sprints(self, board_id: int, *, state: str | None = None, start_at: int = 0, limit: int = 50) -> dict[str, Any]:
        """The sprints of a board, optionally in some states, one page (GET /board/{id}/sprint)."""
        params = {"state": state, "startAt": start_at, "maxResults": limit}
        return self.http.get(self.product, path(AGILE + "/board/{id}/sprint", id=board_id), params=params)

    def sprint(self, sprint_id: int) -> dict[str, Any]:
        """One sprint (GET /rest/agile/1.0/sprint/{id})."""
        return self.http.get(self.product, path(AGILE + "/sprint/{id}", id=sprint_id))

    def create_sprint(self, board_id: int, name: str, **dates_and_goal: str | None) -> dict[str, Any]:
        """`POST /sprint`; keyword arguments startDate, endDate and goal are sent when not None."""
        body: dict[str, Any] = {"originBoardId": board_id, "name": name}
        body.update({k: v for k, v in dates_and_goal.items() if v is not None})
        return self.http.post(self.product, AGILE + "/sprint", json=body)

    def update_sprint(self, sprint_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Partial update (`POST /sprint/{id}`): fields left out stay as they are."""
        return self.http.post(self.product, path(AGILE + "/sprint/{id}", id=sprint_id), json=changes)

    def move_to_sprint(self, sprint_id: int, issues: list[str]) -> None:
        """Move up to 50 issues into an open or active sprint."""
        self.http.post(self.product, path(AGILE + "/sprint/{id}/issue", id=sprint_id), json={"issues": issues})

    def move_to_backlog(self, issues: list[str]) -> None:
        """Take up to 50 issues out of every future and active sprint."""
        self.http.post(self.product, AGILE + "/backlog/issue", json={"issues": issues})
