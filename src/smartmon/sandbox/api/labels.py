"""Labels: the repository's labels (list, get, create) and their JSON, shared with the issue routes.

Shapes follow GitHub's REST reference (issues/labels); an unknown label named on an issue is
created, as GitHub does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.issue_state import Label
from smartmon.sandbox.state import Repo

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


def label_json(api: str, repo: Repo, label: Label) -> dict[str, Any]:
    return {
        "id": label.id,
        "node_id": shapes.node_id("LA", label.id),
        "url": f"{api}/repos/{repo.full_name}/labels/{label.name}",
        "name": label.name,
        "color": label.color,
        "default": False,
        "description": label.description,
        # Present in githubkit's schema of the current API description (label archiving).
        "archived_at": None,
        "archived_by": None,
    }


def labels_json(app: Sandbox, repo: Repo, number: int) -> list[dict[str, Any]]:
    out = []
    for name in app.state.issues.labels_on(repo.id, number):
        label = app.state.issues.label(repo.id, name)
        if label is not None:
            out.append(label_json(app.api_url, repo, label))
    return out


def label_names(app: Sandbox, repo: Repo, raw: Any) -> list[str]:
    """Names from `labels` (strings or `{name}` objects); unknown ones are created, as GitHub
    does when a label is added to an issue."""
    if not isinstance(raw, list):
        raise validation([{"resource": "Issue", "field": "labels", "code": "invalid"}])
    names: list[str] = []
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            raise validation([{"resource": "Label", "field": "name", "code": "invalid"}])
        label = app.state.issues.label(repo.id, name)
        if label is None:
            label = Label(id=app.state.next_id(), repo_id=repo.id, name=name)
            app.state.issues.labels[label.id] = label
        names.append(label.name)
    return names


@route(ROUTES, "GET", _R + r"/labels")
def list_labels(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "issues", "read")
    with app.state.lock:
        found = [x for x in app.state.issues.labels.values() if x.repo_id == repo.id]
        page, links = paginate(req, sorted(found, key=lambda x: x.id))
        body = [label_json(app.api_url, repo, x) for x in page]
    return Response.json(200, body, links)


@route(ROUTES, "GET", _R + r"/labels/(?P<label>[^/]+)")
def get_label(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "issues", "read")
    with app.state.lock:
        label = app.state.issues.label(repo.id, unquote(m["label"]))
        if label is None:
            raise ApiError(404, "Not Found")
        return Response.json(200, label_json(app.api_url, repo, label))


@route(ROUTES, "POST", _R + r"/labels")
def create_label(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "issues", "write")
    body = req.json()
    name, color = body.get("name"), str(body.get("color", "ededed")).lstrip("#")
    if not isinstance(name, str) or not name.strip():
        raise validation([{"resource": "Label", "field": "name", "code": "missing_field"}])
    if not _COLOR.match(color):
        raise validation([{"resource": "Label", "field": "color", "code": "invalid"}])
    with app.state.lock:
        if app.state.issues.label(repo.id, name) is not None:
            raise validation([{"resource": "Label", "field": "name", "code": "already_exists"}])
        description = body.get("description")
        label = Label(
            id=app.state.next_id(),
            repo_id=repo.id,
            name=name,
            color=color,
            description=description if isinstance(description, str) else None,
        )
        app.state.issues.labels[label.id] = label
        payload = label_json(app.api_url, repo, label)
    app.state.save()
    return Response.json(201, payload)
