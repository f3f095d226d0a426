"""Fake site-wide endpoints: server info and the JSM info probe."""

from __future__ import annotations

from typing import Any

from . import Request, Response


def install(cloud: Any) -> None:
    @cloud.route("GET", "/rest/api/3/serverInfo")
    def server_info(req: Request) -> Response:
        return Response(200, {"baseUrl": cloud.url, "deploymentType": "Cloud", "serverTitle": "Fake Jira", "version": "1001.0.0"})

    @cloud.route("GET", "/rest/api/3/mypermissions")
    def my_permissions(req: Request) -> Response:
        wanted = [p for p in (req.arg("permissions") or "").split(",") if p]
        if not wanted:
            return Response(400, {"errorMessages": ["The permissions query parameter is required."], "errors": {}})
        perms = {p: {"key": p, "name": p.replace("_", " ").title(), "type": "PROJECT", "havePermission": cloud.licensed["jira"]} for p in wanted}
        return Response(200, {"permissions": perms})

    @cloud.route("GET", "/rest/servicedeskapi/info")
    def jsm_info(req: Request) -> Response:
        if not cloud.licensed["servicedesk"]:
            return Response(404, {"errorMessage": "Jira Service Management is not installed on this site", "i18nErrorMessage": {}})
        return Response(200, {"version": "10.0.0", "platformVersion": "10.0.0", "_links": {}})
