"""MCP prompts, one per use case: short, ordered instructions naming only the tools that are enabled."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services import Services

# Each step names the tools it needs (any one enabled is enough) and its text; `{tool}` in the
# text becomes the first enabled tool of the step.


@dataclass(frozen=True)
class Step:
    tools: tuple[str, ...]
    text: str
    required: bool = False


@dataclass(frozen=True)
class Argument:
    name: str
    description: str
    required: bool = False
    complete: str | None = None  # "project", "space" or "service_desk"


@dataclass(frozen=True)
class PromptSpec:
    name: str
    title: str
    description: str
    intro: str
    steps: tuple[Step, ...]
    outcome: str
    arguments: tuple[Argument, ...] = field(default_factory=tuple)

    def is_listed(self, enabled: set[str]) -> bool:
        return all(any(t in enabled for t in step.tools) for step in self.steps if step.required)

    def render(self, args: dict[str, str], enabled: set[str]) -> str:
        """The prompt text: context from the arguments, the enabled steps in order, what good looks like."""
        lines = [self.intro.format_map(_Defaults(args))]
        number = 0
        for step in self.steps:
            tool = next((t for t in step.tools if t in enabled), None)
            if tool is None:
                continue
            number += 1
            lines.append(f"{number}. " + step.text.format_map(_Defaults(args, tool=f"`{tool}`")))
        lines.append(self.outcome.format_map(_Defaults(args)))
        return "\n".join(lines)


class _Defaults(dict):  # type: ignore[type-arg]
    """format_map source: a missing or empty argument reads as a phrase the model can act on."""

    def __init__(self, args: dict[str, str], **extra: str):
        super().__init__({k: v for k, v in args.items() if v}, **extra)

    def __missing__(self, key: str) -> str:
        return {
            "space": "the space the user names (ask if unclear)",
            "parent": "the space's home page unless the user names a parent",
            "issues": "the issues discussed in this conversation",
            "project": "the project the user names (ask if unclear)",
            "notes": "the notes in this conversation",
            "since": "the last working day",
            "day": "today",
            "service_desk": "the service desk the user names (ask if unclear)",
            "queue": "the queue the user names, else the first open-work queue",
            "topic": "the topic of this conversation",
        }.get(key, f"<{key}>")


PROMPTS: tuple[PromptSpec, ...] = (
    PromptSpec(
        name="document_work",
        title="Document work in Confluence",
        description="Turn this conversation or a list of Jira issues into a Confluence page that links the issues.",
        arguments=(
            Argument("space", "Confluence space key for the page.", complete="space"),
            Argument("parent", "Title or id of the parent page (optional)."),
            Argument("issues", "Issue keys or a JQL query to document (optional)."),
        ),
        intro="Write up the work on {issues} as a Confluence page in {space}, under {parent}.",
        steps=(
            Step(
                ("jira_search",),
                "Find the issues with {tool} (JQL such as `key in (...)`), then read the important ones with `jira_get_issue` if it is enabled.",
            ),
            Step(
                ("confluence_search", "confluence_search_content"),
                "Check with {tool} that no page on this already exists; if one does, update it instead of making a duplicate.",
            ),
            Step(("confluence_get_space_pages", "confluence_get_page_tree"), "Find the parent page's id with {tool}."),
            Step(
                ("confluence_create_page",),
                "Show the user the outline, then create the page with {tool}: Markdown body with a summary, decisions, open questions, and a table of the issues (key, summary, status) with each key as a link.",
                required=True,
            ),
            Step(("jira_add_remote_link",), "Link the page from each issue with {tool}, if the user agrees."),
        ),
        outcome="Good result: one page, no duplicates, every issue linked, and its URL given to the user.",
    ),
    PromptSpec(
        name="plan_work",
        title="Plan work as Jira issues",
        description="Turn notes into Jira issues with types, parents, assignees and estimates, after the user confirms the plan.",
        arguments=(
            Argument("project", "Jira project key.", required=True, complete="project"),
            Argument("notes", "The notes to turn into issues (optional; else the conversation)."),
        ),
        intro="Turn {notes} into Jira issues in project {project}.",
        steps=(
            Step(("jira_get_project", "jira_get_create_fields"), "Learn the project's issue types and required fields with {tool}."),
            Step(("jira_search_users",), "Resolve each assignee's name to an account id with {tool}; ask when a name is ambiguous."),
            Step(
                ("jira_bulk_create_issues", "jira_create_issue"),
                "Show the plan as a table (type, summary, parent, assignee, estimate) and wait for the user's confirmation; then create the issues with {tool}, epics first so children can name their parent.",
                required=True,
            ),
        ),
        outcome="Good result: the issues the user approved, no more, each with the right type and parent, and a list of the created keys with links.",
    ),
    PromptSpec(
        name="project_brief",
        title="Brief me on a project",
        description="Summarise a project from its Confluence space and its open Jira work.",
        arguments=(
            Argument("project", "Jira project key.", complete="project"),
            Argument("space", "Confluence space key.", complete="space"),
        ),
        intro="Brief the user on project {project} and space {space}.",
        steps=(
            Step(("atlassian_search",), "Get an overview of recent activity across both products with {tool}."),
            Step(("confluence_get_page_tree", "confluence_get_space_pages"), "Map the space's main pages with {tool}."),
            Step(("confluence_get_page",), "Read the overview, architecture and decision pages with {tool}."),
            Step(
                ("jira_search",),
                "List open work with {tool}: `project = {project} AND statusCategory != Done ORDER BY priority DESC, updated DESC`.",
                required=True,
            ),
        ),
        outcome="Good result: goals, current state, key decisions, open risks and the top open issues, each with its page or issue link, in under a page.",
    ),
    PromptSpec(
        name="log_time",
        title="Log time from a description of the day",
        description="Record time against Jira issues from a description of the day, one worklog each.",
        arguments=(
            Argument("day", "The date worked, YYYY-MM-DD (optional; else today)."),
            Argument("notes", "What was done, with rough durations (optional; else the conversation)."),
        ),
        intro="Log the time described in {notes} for {day}.",
        steps=(
            Step(("jira_search",), "Match each activity to an issue with {tool} (e.g. `assignee = currentUser() AND updated >= -7d`); ask when unsure."),
            Step(
                ("jira_add_worklog",),
                "After the user confirms the list (issue, time spent like `1h 30m`, start time, comment), add one worklog per issue with {tool}.",
                required=True,
            ),
        ),
        outcome="Good result: one worklog per issue, the durations adding up to what the user said, and a summary table.",
    ),
    PromptSpec(
        name="triage_queue",
        title="Triage a service desk queue",
        description="Walk a service desk queue, summarise each request with its SLA, and suggest the next action.",
        arguments=(
            Argument("service_desk", "Service desk id or project key.", required=True, complete="service_desk"),
            Argument("queue", "Queue name or id (optional)."),
        ),
        intro="Triage {queue} of service desk {service_desk}.",
        steps=(
            Step(("servicedesk_list_queues",), "Find the queue's id with {tool}."),
            Step(("servicedesk_get_queue_issues", "servicedesk_get_requests"), "List the requests with {tool}.", required=True),
            Step(("servicedesk_get_sla",), "For each request, read its SLA with {tool}; put breached and nearly breached ones first."),
            Step(("servicedesk_search_knowledge_base",), "Look for a knowledge base article that answers each request with {tool}."),
            Step(("servicedesk_add_comment",), "Only when the user says so, answer or update a request with {tool}, saying whether the comment is public."),
        ),
        outcome="Good result: a table of requests (key, summary, SLA left, suggested action) ordered by urgency; nothing sent to a customer without the user's consent.",
    ),
    PromptSpec(
        name="standup",
        title="Stand-up summary",
        description="What I did since a date, what is in progress and what is blocked, from Jira activity.",
        arguments=(
            Argument("since", "Start date YYYY-MM-DD (optional; else the last working day)."),
            Argument("project", "Limit to a project key (optional).", complete="project"),
        ),
        intro="Prepare the user's stand-up covering work since {since}.",
        steps=(
            Step(
                ("jira_search",),
                'Find issues the user changed, with {tool}: `assignee = currentUser() AND updated >= "{since}" ORDER BY updated DESC` (add the project if given).',
                required=True,
            ),
            Step(("jira_get_changelog", "jira_get_issue"), "Check what changed on each with {tool}."),
            Step(("jira_get_worklogs",), "Add the time logged with {tool} where it helps."),
        ),
        outcome="Good result: three short lists (done, in progress, blocked with the blocker) with issue keys, ready to read out.",
    ),
)


def complete_values(services: Services, kind: str, prefix: str) -> list[str]:
    """Values for an argument's completion: project keys, space keys, service desk ids/keys."""
    prefix_l = prefix.lower()
    values: list[str] = []
    if kind == "project":
        data = services.jira.search_projects(query=prefix or None, limit=50)
        values = [p.get("key", "") for p in data.get("values") or []]
    elif kind == "space":
        data = services.confluence.list_spaces(limit=250)
        values = [s.get("key", "") for s in data.get("results") or []]
    elif kind == "service_desk":
        data = services.servicedesk.list_service_desks(limit=100)
        for d in data.get("values") or []:
            values += [d.get("projectKey", ""), str(d.get("id", ""))]
    return [v for v in dict.fromkeys(values) if v and v.lower().startswith(prefix_l)][:100]
