"""Pages and issues full of what Markdown cannot say: macros, layouts, inline comments, cards, media
attributes, emoji, status, panels, expands, tables with widths and merged cells.

Seeded into the fake Confluence under Engineering Home (1100 "Release dashboard", 1101 "Team layout",
1102 "Storage macros", stored as storage XHTML). The Jira description and comment are put on PROJ-1
by `use_rich_issue(cloud)` in the tests that want them (the Jira fake is reset after each test).
The ADF documents follow the ADF schema (tests check it).
"""

from __future__ import annotations

import copy
from typing import Any

from . import ACCOUNT_ID as ACCOUNT


def t(text: str, *marks: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        node["marks"] = [{"type": m} if isinstance(m, str) else m for m in marks]
    return node


def p(*inline: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "paragraph", **extra, "content": list(inline)}


NOTE = {"type": "annotation", "attrs": {"id": "c0ffee00-1111-4222-8333-444455556666", "annotationType": "inlineComment"}}
NOTE2 = {"type": "annotation", "attrs": {"id": "c0ffee00-aaaa-4bbb-8ccc-ddddeeeeffff", "annotationType": "inlineComment"}}
TOC = {
    "type": "extension",
    "attrs": {
        "extensionType": "com.atlassian.confluence.macro.core",
        "extensionKey": "toc",
        "parameters": {"macroParams": {"maxLevel": {"value": "3"}}, "macroMetadata": {"macroId": {"value": "7d1c3e"}, "schemaVersion": {"value": "1"}}},
        "layout": "default",
        "localId": "e7a1b2c3-0000-4000-8000-000000000001",
    },
}
JIRA_MACRO = {
    "type": "inlineExtension",
    "attrs": {
        "extensionType": "com.atlassian.confluence.macro.core",
        "extensionKey": "jira",
        "parameters": {"macroParams": {"key": {"value": "PROJ-1"}, "server": {"value": "System Jira"}}},
        "localId": "e7a1b2c3-0000-4000-8000-000000000002",
    },
}
DETAILS = {
    "type": "bodiedExtension",
    "attrs": {
        "extensionType": "com.atlassian.confluence.macro.core",
        "extensionKey": "details",
        "parameters": {"macroParams": {"id": {"value": "release"}}},
        "layout": "default",
        "localId": "e7a1b2c3-0000-4000-8000-000000000003",
    },
    "content": [
        {
            "type": "table",
            "attrs": {"isNumberColumnEnabled": False, "layout": "default", "localId": "tbl-details"},
            "content": [
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableHeader", "attrs": {"colwidth": [180]}, "content": [p(t("Owner"))]},
                        {
                            "type": "tableCell",
                            "attrs": {"colwidth": [420]},
                            "content": [p({"type": "mention", "attrs": {"id": ACCOUNT, "text": "@Ada Agent", "accessLevel": "", "localId": "m-1"}})],
                        },
                    ],
                },
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableHeader", "attrs": {"colwidth": [180]}, "content": [p(t("Status"))]},
                        {
                            "type": "tableCell",
                            "attrs": {"colwidth": [420]},
                            "content": [p({"type": "status", "attrs": {"text": "IN PROGRESS", "color": "blue", "localId": "s-1", "style": ""}})],
                        },
                    ],
                },
            ],
        }
    ],
}

RELEASE_PAGE = {
    "type": "doc",
    "version": 1,
    "content": [
        TOC,
        {
            "type": "heading",
            "attrs": {"level": 1, "localId": "h-1"},
            "marks": [{"type": "alignment", "attrs": {"align": "center"}}],
            "content": [t("Release 4.2")],
        },
        p(
            t("This release was "),
            t("reviewed", NOTE),
            t(" by the team and "),
            t("signed off", "strong", NOTE2),
            t(". Track it in "),
            JIRA_MACRO,
            t(" "),
            {"type": "emoji", "attrs": {"shortName": ":rocket:", "id": "1f680", "text": "🚀"}},
            t(" "),
            t("H"),
            t("2", {"type": "subsup", "attrs": {"type": "sub"}}),
            t("O and "),
            t("underlined", "underline"),
            t(" and "),
            t("red", {"type": "textColor", "attrs": {"color": "#ff5630"}}),
            t(" and "),
            t("highlighted", {"type": "backgroundColor", "attrs": {"color": "#fedec8"}}),
            t("."),
        ),
        DETAILS,
        {
            "type": "panel",
            "attrs": {"panelType": "custom", "panelIcon": ":warning:", "panelIconId": "26a0", "panelIconText": "⚠️", "panelColor": "#ffebe6", "localId": "pn-1"},
            "content": [p(t("Freeze starts Friday."))],
        },
        {"type": "expand", "attrs": {"title": "Rollout plan", "localId": "ex-1"}, "content": [p(t("Canary first, then "), t("everyone", "em"), t("."))]},
        {
            "type": "layoutSection",
            "attrs": {"localId": "ls-1"},
            "content": [
                {
                    "type": "layoutColumn",
                    "attrs": {"width": 33.33, "localId": "lc-1"},
                    "content": [{"type": "heading", "attrs": {"level": 3}, "content": [t("Left")]}, p(t("Left column text."))],
                },
                {
                    "type": "layoutColumn",
                    "attrs": {"width": 66.66, "localId": "lc-2"},
                    "content": [p(t("Right column text."), {"type": "hardBreak"}, t("Second line."))],
                },
            ],
        },
        {"type": "blockCard", "attrs": {"url": "https://example.atlassian.net/wiki/spaces/ENG/pages/1001"}},
        {
            "type": "embedCard",
            "attrs": {"url": "https://www.youtube.com/watch?v=abc123", "layout": "wide", "width": 80, "originalHeight": 720, "originalWidth": 1280},
        },
        {
            "type": "mediaSingle",
            "attrs": {"layout": "align-start", "width": 360, "widthType": "pixel"},
            "content": [
                {
                    "type": "media",
                    "attrs": {
                        "type": "file",
                        "id": "9a1b2c3d-4e5f-4061-8a2b-3c4d5e6f7a8b",
                        "collection": "contentId-1100",
                        "alt": "diagram.png",
                        "width": 1200,
                        "height": 800,
                    },
                    "marks": [{"type": "link", "attrs": {"href": "https://example.com/diagram"}}],
                },
                {"type": "caption", "content": [t("Deployment diagram")]},
            ],
        },
        {
            "type": "table",
            "attrs": {"isNumberColumnEnabled": True, "layout": "wide", "width": 960, "localId": "tbl-1", "displayMode": "fixed"},
            "content": [
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableHeader", "attrs": {"colwidth": [200]}, "content": [p(t("Service"))]},
                        {"type": "tableHeader", "attrs": {"colwidth": [300]}, "content": [p(t("Owner"))]},
                        {"type": "tableHeader", "attrs": {"colwidth": [460], "background": "#deebff"}, "content": [p(t("Notes"))]},
                    ],
                },
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableCell", "attrs": {"rowspan": 2, "colwidth": [200]}, "content": [p(t("api"))]},
                        {"type": "tableCell", "attrs": {"colspan": 2, "colwidth": [300, 460]}, "content": [p(t("shared by two teams"))]},
                    ],
                },
                {
                    "type": "tableRow",
                    "content": [
                        {"type": "tableCell", "attrs": {"colwidth": [300]}, "content": [p(t("Ops"))]},
                        {"type": "tableCell", "attrs": {"colwidth": [460]}, "content": [p(t("pager rota"))]},
                    ],
                },
            ],
        },
        {
            "type": "taskList",
            "attrs": {"localId": "tl-1"},
            "content": [
                {"type": "taskItem", "attrs": {"localId": "ti-1", "state": "DONE"}, "content": [t("Tag the build")]},
                {
                    "type": "taskItem",
                    "attrs": {"localId": "ti-2", "state": "TODO"},
                    "content": [t("Announce on "), {"type": "date", "attrs": {"timestamp": "1767225600000"}}],
                },
            ],
        },
        {
            "type": "decisionList",
            "attrs": {"localId": "dl-1"},
            "content": [{"type": "decisionItem", "attrs": {"localId": "di-1", "state": "DECIDED"}, "content": [t("Ship on Monday")]}],
        },
        {
            "type": "codeBlock",
            "attrs": {"language": "bash"},
            "marks": [{"type": "breakout", "attrs": {"mode": "wide"}}],
            "content": [t("make release\nmake deploy")],
        },
        p(t("Indented closing words."), marks=[{"type": "indentation", "attrs": {"level": 1}}]),
    ],
}

LAYOUT_PAGE = {
    "type": "doc",
    "version": 1,
    "content": [
        {
            "type": "layoutSection",
            "content": [
                {"type": "layoutColumn", "attrs": {"width": 50}, "content": [p(t("Mission: ship calmly."))]},
                {
                    "type": "layoutColumn",
                    "attrs": {"width": 50},
                    "content": [
                        {
                            "type": "extension",
                            "attrs": {
                                "extensionType": "com.atlassian.confluence.macro.core",
                                "extensionKey": "recently-updated",
                                "parameters": {"macroParams": {}},
                            },
                        }
                    ],
                },
            ],
        },
        p(t("Questions go to "), t("#team-help", {"type": "link", "attrs": {"href": "https://example.slack.com/archives/C1"}}), t(".")),
    ],
}

ISSUE_DESCRIPTION = {
    "type": "doc",
    "version": 1,
    "content": [
        {
            "type": "panel",
            "attrs": {"panelType": "note", "localId": "pn-j"},
            "content": [p(t("Customer impact: "), t("high", "strong", {"type": "textColor", "attrs": {"color": "#bf2600"}}))],
        },
        p(
            t("Seen on "),
            t("checkout", NOTE),
            t(" since "),
            {"type": "date", "attrs": {"timestamp": "1764547200000"}},
            t(" "),
            {"type": "emoji", "attrs": {"shortName": ":fire:", "id": "1f525", "text": "🔥"}},
        ),
        {
            "type": "expand",
            "attrs": {"title": "Logs"},
            "content": [{"type": "codeBlock", "attrs": {"language": "text"}, "content": [t("ERROR 500 /checkout")]}],
        },
        {
            "type": "mediaSingle",
            "attrs": {"layout": "center", "width": 50},
            "content": [
                {
                    "type": "media",
                    "attrs": {"type": "file", "id": "5b6c7d8e-1111-4222-8333-000000000001", "collection": "jira-10001", "width": 640, "height": 480},
                }
            ],
        },
        {"type": "blockCard", "attrs": {"url": "https://example.atlassian.net/browse/PROJ-2"}},
        {
            "type": "bulletList",
            "content": [{"type": "listItem", "content": [p(t("step one"))]}, {"type": "listItem", "content": [p(t("step "), t("two", "underline"))]}],
        },
    ],
}

ISSUE_COMMENT = {
    "type": "doc",
    "version": 1,
    "content": [
        p(
            {"type": "mention", "attrs": {"id": ACCOUNT, "text": "@Ada Agent", "accessLevel": "CONTAINER"}},
            t(" please look at "),
            {"type": "inlineCard", "attrs": {"url": "https://example.atlassian.net/browse/PROJ-2"}},
            t(" "),
            {"type": "status", "attrs": {"text": "BLOCKED", "color": "red", "localId": "s-j"}},
        )
    ],
}

STORAGE_PAGE = (
    '<ac:structured-macro ac:name="toc" ac:schema-version="1" ac:macro-id="5f1c"/>'
    "<h2>Summary</h2><p>Shipped <strong>on time</strong>.</p>"
    '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><p>left</p></ac:layout-cell>'
    "<ac:layout-cell><p>right</p></ac:layout-cell></ac:layout-section></ac:layout>"
    '<ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">PROJ-1</ac:parameter></ac:structured-macro>'
)
PAGES = {"1100": ("Release dashboard", RELEASE_PAGE), "1101": ("Team layout", LAYOUT_PAGE), "1102": ("Storage macros", STORAGE_PAGE)}
RICH_ISSUE = "PROJ-1"
RICH_COMMENT_ID = "10950"


def seed_confluence(state: dict[str, Any], snapshot: Any) -> None:
    """Add the rich pages under Engineering Home (space ENG)."""
    pages = state["conf_pages"]
    for n, (pid, (title, doc)) in enumerate(PAGES.items()):
        pages[pid] = {
            "id": pid,
            "spaceId": "65537",
            "parentId": "1001",
            "status": "current",
            "position": 100 + n,
            "authorId": ACCOUNT,
            "createdAt": "2026-10-01T08:00:00.000Z",
            "versions": [
                snapshot(1, title, None, doc, ACCOUNT, "2026-11-20T16:45:00.000Z")
                if isinstance(doc, str)
                else snapshot(1, title, copy.deepcopy(doc), None, ACCOUNT, "2026-11-20T16:45:00.000Z")
            ],
            "labels": [],
        }


def use_rich_issue(cloud: Any) -> None:
    """PROJ-1 gets the rich description and one rich comment by the signed-in user."""
    from .jira_meta import user_json

    with cloud.lock:
        issue = cloud.state["jira_issues"][RICH_ISSUE]
        issue["fields"]["description"] = copy.deepcopy(ISSUE_DESCRIPTION)
        thread = issue["fields"].setdefault("comment", {"total": 0, "comments": []})
        me = user_json(ACCOUNT)
        stamp = "2026-11-21T10:00:00.000+0000"
        thread["comments"].append(
            {"id": RICH_COMMENT_ID, "author": me, "updateAuthor": me, "body": copy.deepcopy(ISSUE_COMMENT), "created": stamp, "updated": stamp}
        )
        thread["total"] = len(thread["comments"])
