"""Fake Jira: project versions and components, saved filters and attachment removal, shaped like jira-v3.json."""

from __future__ import annotations

import copy
from typing import Any

from . import Request, Response, error
from .jira import route
from .jira_meta import COMPONENTS, VERSIONS, find_project, page

FILTERS = [
    {"id": "10400", "name": "My open bugs", "jql": "assignee = currentUser() AND type = Bug AND statusCategory != Done", "mine": True, "favourite": True},
    {"id": "10401", "name": "Release 1.2 scope", "jql": "fixVersion = 1.2 ORDER BY rank", "mine": True, "favourite": False},
    {"id": "10402", "name": "Ops incidents", "jql": "project = OPS", "mine": False, "favourite": True, "description": "Shared by the ops team."},
    {"id": "10403", "name": "Team board filter", "jql": "project = PROJ ORDER BY rank", "mine": False, "favourite": False},
]
BOB = {"accountId": "712020:bob-0001", "displayName": "Bob Builder"}


def seed(state: dict[str, Any]) -> None:
    state["jira_versions"] = {v["id"]: dict(copy.deepcopy(v), projectId=10000, description=f"Release {v['name']}") for v in VERSIONS}
    state["jira_components"] = {c["id"]: dict(copy.deepcopy(c), project="PROJ", projectId=10000, assigneeType="PROJECT_DEFAULT") for c in COMPONENTS}
    state["jira_filters"] = {f["id"]: copy.deepcopy(f) for f in FILTERS}


def install(cloud: Any) -> None:
    state = cloud.state
    seed(state)

    def version_json(v: dict[str, Any]) -> dict[str, Any]:
        return dict(v, self=f"{cloud.url}/rest/api/3/version/{v['id']}")

    def paged(values: list[Any], req: Request) -> Response:
        shown, start, size = page(values, req)
        return Response(200, {"startAt": start, "maxResults": size, "total": len(values), "isLast": start + len(shown) >= len(values), "values": shown})

    @route(cloud, "GET", "/rest/api/3/project/{projectIdOrKey}/version")
    def versions(req: Request) -> Response:
        project = find_project(state, req.vars["projectIdOrKey"])
        if project is None:
            return error(404, f"No project could be found with key '{req.vars['projectIdOrKey']}'.")
        found = [v for v in state["jira_versions"].values() if str(v["projectId"]) == project["id"]]
        query = (req.arg("query") or "").lower()
        if query:
            found = [v for v in found if query in v["name"].lower() or query in (v.get("description") or "").lower()]
        wanted = [s for s in (req.arg("status") or "").split(",") if s]
        if wanted:
            found = [v for v in found if ("archived" if v["archived"] else "released" if v["released"] else "unreleased") in wanted]
        return paged([version_json(v) for v in found], req)

    def checked_version(body: dict[str, Any], old: dict[str, Any] | None = None) -> Response | None:
        for key in ("startDate", "releaseDate"):
            value = body.get(key)
            if value is not None and (not isinstance(value, str) or len(value) != 10):
                return error(400, **{key: "The date is invalid. Use the format yyyy-MM-dd."})
        name = body.get("name", old["name"] if old else None)
        if not (isinstance(name, str) and name.strip()):
            return error(400, name="You must specify a valid version name")
        project_id = str(body.get("projectId", old["projectId"] if old else ""))
        clash = [v for v in state["jira_versions"].values() if str(v["projectId"]) == project_id and v["name"] == name and v is not old]
        if clash:
            return error(400, name="A version with this name already exists in this project.")
        return None

    @route(cloud, "POST", "/rest/api/3/version")
    def create_version(req: Request) -> Response:
        body = req.json() or {}
        if find_project(state, str(body.get("projectId", ""))) is None:
            return error(400, projectId="The project id is invalid.")
        problem = checked_version(body)
        if problem:
            return problem
        new_id = str(max(int(i) for i in state["jira_versions"]) + 1)
        version = {
            "id": new_id,
            "name": body["name"],
            "projectId": int(body["projectId"]),
            "released": bool(body.get("released")),
            "archived": bool(body.get("archived")),
        }
        version.update({k: body[k] for k in ("description", "startDate", "releaseDate") if body.get(k)})
        state["jira_versions"][new_id] = version
        return Response(201, version_json(version))

    @route(cloud, "GET", "/rest/api/3/version/{id}")
    def get_version(req: Request) -> Response:
        v = state["jira_versions"].get(req.vars["id"])
        return Response(200, version_json(v)) if v else error(404, f"Could not find version for id '{req.vars['id']}'")

    @route(cloud, "PUT", "/rest/api/3/version/{id}")
    def update_version(req: Request) -> Response:
        v = state["jira_versions"].get(req.vars["id"])
        if v is None:
            return error(404, f"Could not find version for id '{req.vars['id']}'")
        body = req.json() or {}
        problem = checked_version(body, v)
        if problem:
            return problem
        v.update({k: body[k] for k in ("name", "description", "startDate", "releaseDate", "released", "archived") if k in body})
        return Response(200, version_json(v))

    @route(cloud, "GET", "/rest/api/3/project/{projectIdOrKey}/component")
    def components(req: Request) -> Response:
        project = find_project(state, req.vars["projectIdOrKey"])
        if project is None:
            return error(404, f"No project could be found with key '{req.vars['projectIdOrKey']}'.")
        found = [c for c in state["jira_components"].values() if c["project"] == project["key"]]
        query = (req.arg("query") or "").lower()
        found = sorted((c for c in found if query in c["name"].lower()), key=lambda c: c["name"].lower())
        return paged(found, req)

    @route(cloud, "POST", "/rest/api/3/component")
    def create_component(req: Request) -> Response:
        body = req.json() or {}
        project = find_project(state, str(body.get("project") or body.get("projectId") or ""))
        if project is None:
            return error(400, project="The project is invalid.")
        name = body.get("name")
        if not (isinstance(name, str) and name.strip()):
            return error(400, name="The component name must not be empty.")
        if any(c["project"] == project["key"] and c["name"].lower() == name.lower() for c in state["jira_components"].values()):
            return error(400, name=f"A component with the name {name} already exists in this project.")
        if body.get("assigneeType") not in (None, "PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED"):
            return error(400, assigneeType="The assignee type is invalid.")
        new_id = str(max(int(i) for i in state["jira_components"]) + 1)
        comp = {
            "id": new_id,
            "name": name,
            "project": project["key"],
            "projectId": int(project["id"]),
            "assigneeType": body.get("assigneeType") or "PROJECT_DEFAULT",
        }
        if body.get("description"):
            comp["description"] = body["description"]
        if body.get("leadAccountId"):
            comp["lead"] = {"accountId": body["leadAccountId"], "displayName": (state.get("jira_user_names") or {}).get(body["leadAccountId"], "Ada Agent")}
        state["jira_components"][new_id] = comp
        return Response(201, dict(comp, self=f"{cloud.url}/rest/api/3/component/{new_id}"))

    def filter_json(f: dict[str, Any], me: dict[str, Any]) -> dict[str, Any]:
        owner = {"accountId": me["accountId"], "displayName": me["displayName"]} if f["mine"] else BOB
        out = {k: v for k, v in f.items() if k in ("id", "name", "jql", "favourite", "description")}
        return dict(out, owner=owner, viewUrl=f"{cloud.url}/issues/?filter={f['id']}", self=f"{cloud.url}/rest/api/3/filter/{f['id']}")

    @route(cloud, "GET", "/rest/api/3/filter/my")
    def my_filters(req: Request) -> Response:
        favourites = req.arg("includeFavourites") == "true"
        return Response(200, [filter_json(f, req.user) for f in state["jira_filters"].values() if f["mine"] or (favourites and f["favourite"])])

    @route(cloud, "GET", "/rest/api/3/filter/search")
    def search_filters(req: Request) -> Response:
        name = (req.arg("filterName") or "").lower()
        found = [filter_json(f, req.user) for f in state["jira_filters"].values() if name in f["name"].lower()]
        return paged(sorted(found, key=lambda f: f["name"].lower()), req)

    @route(cloud, "GET", "/rest/api/3/filter/{id}")
    def get_filter(req: Request) -> Response:
        f = state["jira_filters"].get(req.vars["id"])
        return (
            Response(200, filter_json(f, req.user))
            if f
            else error(400, "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.")
        )

    @route(cloud, "DELETE", "/rest/api/3/attachment/{id}")
    def delete_attachment(req: Request) -> Response:
        a = state["jira_attachments"].pop(req.vars["id"], None)
        if a is None:
            return error(404, "The attachment was not found.")
        issue = state["jira_issues"].get(a["issue"])
        if issue is not None:
            issue["fields"]["attachment"] = [x for x in issue["fields"].get("attachment") or [] if x["id"] != a["id"]]
        return Response(204)
