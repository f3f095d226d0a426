"""Real-world shapes for the fake Confluence: one page whose ADF and storage hold what real pages hold.

Page 4001 ("Payments incident notes", space HR, which no other fixture fills) carries ADF with
mentions, emoji, status, dates, cards, media with a caption, panels, expands, layouts, extensions,
decisions, tasks, annotations and a node type no schema knows; its storage holds layouts, tasks,
a status macro, code macro parameters, `ri:page` / `ri:attachment` links, emoticons, `<time>` and
a table with colspan. The two bodies tell the same facts, as a real page's two formats do.
"""

from __future__ import annotations

from typing import Any

from . import ACCOUNT_ID
from .jira_realistic import rich_description

PAGE_ID = "4001"
SPACE_ID = "65539"  # HR
TITLE = "Payments incident notes"


def storage() -> str:
    return (
        '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><p>Left: rollout plan for <time datetime="2026-12-01" /></p></ac:layout-cell>'
        '<ac:layout-cell><p>Right: owners <ac:emoticon ac:name="smile" /></p></ac:layout-cell></ac:layout-section></ac:layout>'
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Freeze the branch</ac:task-body></ac:task>"
        "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Tag release 4.2.1</ac:task-body></ac:task></ac:task-list>"
        '<p>State: <ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green</ac:parameter>'
        '<ac:parameter ac:name="title">ON TRACK</ac:parameter></ac:structured-macro></p>'
        '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter><ac:parameter ac:name="title">Ship</ac:parameter>'
        "<ac:plain-text-body><![CDATA[./ship.sh --env prod]]></ac:plain-text-body></ac:structured-macro>"
        '<p>See <ac:link><ri:page ri:content-title="Release checklist" /></ac:link> and <ac:link><ri:attachment ri:filename="plan.pdf" /></ac:link>.</p>'
        '<table><tbody><tr><th colspan="2">Rollout</th></tr><tr><td>EU</td><td>Monday</td></tr></tbody></table>'
    )


def seed(state: dict[str, Any]) -> None:
    """Add page 4001 to a seeded Confluence state (as HR's home page)."""
    from .confluence import snapshot

    versions = [snapshot(7, TITLE, rich_description(), storage(), ACCOUNT_ID, "2026-11-20T10:00:00.000Z")]
    state["conf_pages"][PAGE_ID] = {
        "id": PAGE_ID,
        "spaceId": SPACE_ID,
        "parentId": None,
        "status": "current",
        "position": len(state["conf_pages"]),
        "authorId": ACCOUNT_ID,
        "createdAt": "2026-11-18T08:00:00.000Z",
        "versions": versions,
        "labels": [],
    }
