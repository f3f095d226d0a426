"""Realistic Atlassian payloads for the answer benchmark, shaped like what Jira and Confluence Cloud return.

Real responses carry `self` links, avatar URLs, status categories and user records on every
reference; the fake cloud's seed data is lean, so these fixtures add the weight a real site has.
Everything is deterministic (a seeded Random), so runs compare.
"""

from __future__ import annotations

import random
from typing import Any

SITE = "https://bench.atlassian.net"
WORDS = (
    "login token session cache checkout payment retry timeout deploy rollback customer invoice report "
    "dashboard export import billing search index queue worker latency error browser mobile android "
    "release sprint backlog review database migration schema alert incident postmortem runbook"
).split()
FIRST = "Ada Bob Chen Dana Eli Fay Gus Hana Ivan June Kai Lena Milo Nora Omar Pia".split()
LAST = "Agent Builder Li Novak Ortiz Park Quinn Rossi Sato Tran Ueda Vale Weber Xu Young Zhou".split()


class Maker:
    """Builds entities with a seeded Random so every run produces the same bytes."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.people = [self.user(n) for n in range(16)]

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, n: int = 12) -> str:
        text = self.words(n)
        return text[0].upper() + text[1:] + "."

    def user(self, n: int) -> dict[str, Any]:
        account = f"712020:{n:04d}aaaa-bbbb-cccc-dddd-{n:012d}"
        name = f"{FIRST[n % 16]} {LAST[(n * 5) % 16]}"
        avatar = f"https://secure.gravatar.com/avatar/{n:032x}?d=https%3A%2F%2Favatar-management--avatars.us-west-2.prod.public.atl-paas.net%2Finitials%2F"
        return {
            "self": f"{SITE}/rest/api/3/user?accountId={account}",
            "accountId": account,
            "emailAddress": name.lower().replace(" ", ".") + "@example.com",
            "avatarUrls": {size: f"{avatar}{name[:1]}{name.split()[1][:1]}-{size[:2]}.png" for size in ("48x48", "24x24", "16x16", "32x32")},
            "displayName": name,
            "active": True,
            "timeZone": "Europe/London",
            "accountType": "atlassian",
        }

    def person(self) -> dict[str, Any]:
        return self.rng.choice(self.people)

    def when(self, day: int, hour: int = 9) -> str:
        return f"2026-{10 + day // 28:02d}-{1 + day % 28:02d}T{hour:02d}:{self.rng.randrange(60):02d}:00.000+0000"


def adf_text(text: str, marks: list[str] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        node["marks"] = [{"type": m} for m in marks]
    return node


def adf_para(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(nodes)}


def adf_doc(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": blocks}


def long_description(m: Maker, paragraphs: int = 12) -> dict[str, Any]:
    """A bug report a person wrote: headings, paragraphs with marks, steps, a code block, a link."""
    blocks: list[dict[str, Any]] = [
        {"type": "heading", "attrs": {"level": 2}, "content": [adf_text("What happens")]},
    ]
    for n in range(paragraphs):
        blocks.append(adf_para(adf_text(m.sentence(18) + " "), adf_text(m.words(3), ["strong"]), adf_text(" " + m.sentence(14))))
        if n == 3:
            blocks.append({"type": "heading", "attrs": {"level": 2}, "content": [adf_text("Steps to reproduce")]})
            blocks.append(
                {
                    "type": "orderedList",
                    "attrs": {"order": 1},
                    "content": [{"type": "listItem", "content": [adf_para(adf_text(m.sentence(8)))]} for _ in range(6)],
                }
            )
        if n == 7:
            blocks.append(
                {
                    "type": "codeBlock",
                    "attrs": {"language": "python"},
                    "content": [adf_text("\n".join(f"line_{i} = handler({i}, retry=True)" for i in range(12)))],
                }
            )
            blocks.append(
                adf_para(
                    adf_text("See the "),
                    {"type": "text", "text": "incident runbook", "marks": [{"type": "link", "attrs": {"href": "https://example.com/runbooks/checkout"}}]},
                    adf_text("."),
                )
            )
    return adf_doc(blocks)


def custom_fields(m: Maker, count: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`count` custom fields of the common kinds: their /field definitions and their values."""
    kinds = ["number", "option", "user", "date", "string", "sprint", "array-option", "url", "cascading", "textarea"]
    definitions, values = [], {}
    for n in range(count):
        fid = f"customfield_{10100 + n}"
        kind = kinds[n % len(kinds)]
        definitions.append(
            {
                "id": fid,
                "key": fid,
                "name": f"{kind.split('-')[-1].title()} field {n + 1}",
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{10100 + n}]"],
                "schema": {
                    "type": "array" if kind in ("sprint", "array-option") else kind,
                    "custom": f"com.atlassian.jira.plugin.system.customfieldtypes:{kind}",
                    "customId": 10100 + n,
                },
            }
        )
        if kind == "number":
            value: Any = float(m.rng.randrange(1, 40))
        elif kind == "option":
            value = {"self": f"{SITE}/rest/api/3/customFieldOption/{20000 + n}", "value": m.words(2).title(), "id": str(20000 + n)}
        elif kind == "user":
            value = m.person()
        elif kind == "date":
            value = f"2026-12-{1 + n % 28:02d}"
        elif kind == "string":
            value = m.sentence(6)
        elif kind == "sprint":
            value = [
                {
                    "id": 300 + n,
                    "name": f"Sprint {40 + n}",
                    "state": "active",
                    "boardId": 12,
                    "goal": m.sentence(8),
                    "startDate": "2026-11-03T09:00:00.000Z",
                    "endDate": "2026-11-17T09:00:00.000Z",
                }
            ]
        elif kind == "array-option":
            value = [
                {"self": f"{SITE}/rest/api/3/customFieldOption/{21000 + n * 3 + k}", "value": m.words(1).title(), "id": str(21000 + n * 3 + k)}
                for k in range(3)
            ]
        elif kind == "url":
            value = f"https://example.com/{m.words(1)}/{n}"
        elif kind == "cascading":
            value = {
                "self": f"{SITE}/rest/api/3/customFieldOption/{22000 + n}",
                "value": "EMEA",
                "id": str(22000 + n),
                "child": {"self": f"{SITE}/rest/api/3/customFieldOption/{22500 + n}", "value": "Germany", "id": str(22500 + n)},
            }
        else:
            value = adf_doc([adf_para(adf_text(m.sentence(20)))])
        values[fid] = value
    return definitions, values


def status(name: str, category: str) -> dict[str, Any]:
    cat_id, colour, cat_name = {"new": (2, "blue-gray", "To Do"), "indeterminate": (4, "yellow", "In Progress"), "done": (3, "green", "Done")}[category]
    return {
        "self": f"{SITE}/rest/api/3/status/10{cat_id}",
        "description": "",
        "iconUrl": f"{SITE}/images/icons/statuses/generic.png",
        "name": name,
        "id": f"10{cat_id}",
        "statusCategory": {"self": f"{SITE}/rest/api/3/statuscategory/{cat_id}", "id": cat_id, "key": category, "colorName": colour, "name": cat_name},
    }


def issue(
    m: Maker,
    key: str,
    number: int,
    project: dict[str, Any],
    *,
    extra_fields: dict[str, Any] | None = None,
    description: dict[str, Any] | None = None,
    comments: int = 0,
) -> dict[str, Any]:
    """One issue as GET /rest/api/3/issue/{key} returns it (the navigable fields)."""
    state = [("To Do", "new"), ("In Progress", "indeterminate"), ("Done", "done")][number % 3]
    kind = ["Bug", "Task", "Story"][number % 3]
    comment_list = [
        {
            "self": f"{SITE}/rest/api/3/issue/{20000 + number}/comment/{50000 + n}",
            "id": str(50000 + n),
            "author": (author := m.person()),
            "body": adf_doc([adf_para(adf_text(m.sentence(25)))] + ([adf_para(adf_text(m.sentence(15)))] if n % 3 == 0 else [])),
            "updateAuthor": author,
            "created": m.when(n, 10),
            "updated": m.when(n, 11),
            "jsdPublic": True,
        }
        for n in range(comments)
    ]
    fields: dict[str, Any] = {
        "summary": m.sentence(9)[:-1],
        "description": description if description is not None else adf_doc([adf_para(adf_text(m.sentence(30)))]),
        "status": status(*state),
        "issuetype": {
            "self": f"{SITE}/rest/api/3/issuetype/1000{number % 3}",
            "id": f"1000{number % 3}",
            "description": f"A {kind.lower()}.",
            "iconUrl": f"{SITE}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10303?size=medium",
            "name": kind,
            "subtask": False,
            "avatarId": 10303,
            "hierarchyLevel": 0,
        },
        "priority": {"self": f"{SITE}/rest/api/3/priority/3", "iconUrl": f"{SITE}/images/icons/priorities/medium.svg", "name": "Medium", "id": "3"},
        "assignee": m.person() if number % 4 else None,
        "reporter": m.person(),
        "creator": m.person(),
        "project": project,
        "labels": [m.rng.choice(WORDS) for _ in range(number % 3)],
        "components": [{"self": f"{SITE}/rest/api/3/component/10{number % 5}", "id": f"10{number % 5}", "name": m.words(1).title()}],
        "fixVersions": [],
        "versions": [],
        "created": m.when(number % 28, 8),
        "updated": m.when(number % 28 + 1, 15),
        "lastViewed": None,
        "duedate": None,
        "resolution": None,
        "resolutiondate": None,
        "statuscategorychangedate": m.when(number % 28, 9),
        "watches": {"self": f"{SITE}/rest/api/3/issue/{key}/watchers", "watchCount": 2, "isWatching": False},
        "votes": {"self": f"{SITE}/rest/api/3/issue/{key}/votes", "votes": 0, "hasVoted": False},
        "timetracking": {},
        "aggregatetimespent": None,
        "timespent": None,
        "timeestimate": None,
        "timeoriginalestimate": None,
        "workratio": -1,
        "issuelinks": [],
        "subtasks": [],
        "attachment": [],
        "environment": None,
        "security": None,
        "progress": {"progress": 0, "total": 0},
        "aggregateprogress": {"progress": 0, "total": 0},
        "comment": {
            "comments": comment_list,
            "self": f"{SITE}/rest/api/3/issue/{20000 + number}/comment",
            "maxResults": comments,
            "total": comments,
            "startAt": 0,
        },
        "worklog": {"startAt": 0, "maxResults": 20, "total": 0, "worklogs": []},
    }
    fields.update(extra_fields or {})
    return {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": str(20000 + number),
        "self": f"{SITE}/rest/api/3/issue/{20000 + number}",
        "key": key,
        "fields": fields,
    }


def project(key: str = "BENCH", pid: str = "10900") -> dict[str, Any]:
    return {
        "self": f"{SITE}/rest/api/3/project/{pid}",
        "id": pid,
        "key": key,
        "name": "Bench Checkout",
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": {s: f"{SITE}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size={s}" for s in ("48x48", "24x24", "16x16", "32x32")},
    }


def page_blocks(m: Maker, target_bytes: int) -> tuple[dict[str, Any], str]:
    """A Confluence page body as ADF and as storage XHTML, grown until the storage form reaches `target_bytes`."""
    adf: list[dict[str, Any]] = []
    storage: list[str] = []
    section = 0
    while sum(len(s.encode()) for s in storage) < target_bytes:
        section += 1
        title = f"{section}. {m.words(3).title()}"
        adf.append({"type": "heading", "attrs": {"level": 2}, "content": [adf_text(title)]})
        storage.append(f"<h2>{title}</h2>")
        for _ in range(3):
            lead, rest = m.words(2), m.sentence(30)
            adf.append(adf_para(adf_text(lead, ["strong"]), adf_text(" " + rest)))
            storage.append(f"<p><strong>{lead}</strong> {rest}</p>")
        items = [m.sentence(10) for _ in range(4)]
        adf.append({"type": "bulletList", "content": [{"type": "listItem", "content": [adf_para(adf_text(i))]} for i in items]})
        storage.append("<ul>" + "".join(f"<li><p>{i}</p></li>" for i in items) + "</ul>")
        if section % 3 == 0:
            rows = [["Owner", "System", "State"]] + [[m.person()["displayName"], m.words(1), m.words(1)] for _ in range(4)]
            adf.append(
                {
                    "type": "table",
                    "attrs": {"isNumberColumnEnabled": False, "layout": "default"},
                    "content": [
                        {
                            "type": "tableRow",
                            "content": [{"type": "tableHeader" if r == 0 else "tableCell", "attrs": {}, "content": [adf_para(adf_text(c))]} for c in row],
                        }
                        for r, row in enumerate(rows)
                    ],
                }
            )
            storage.append(
                "<table><tbody>"
                + "".join(
                    "<tr>" + "".join(f"<{'th' if r == 0 else 'td'}><p>{c}</p></{'th' if r == 0 else 'td'}>" for c in row) + "</tr>"
                    for r, row in enumerate(rows)
                )
                + "</tbody></table>"
            )
        if section % 4 == 0:
            code = "\n".join(f"kubectl rollout status deploy/{m.words(1)} --timeout={30 + i}s" for i in range(6))
            adf.append({"type": "codeBlock", "attrs": {"language": "bash"}, "content": [adf_text(code)]})
            storage.append(
                f'<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[{code}]]></ac:plain-text-body></ac:structured-macro>'
            )
    return adf_doc(adf), "".join(storage)
