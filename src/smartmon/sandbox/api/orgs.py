"""REST routes for organisations: their repositories, and an App installation's repositories.

Every owner in the sandbox is an organisation. Shapes and parameters follow
docs.github.com/rest/repos/repos#list-organization-repositories (`type`, `sort`, `direction`)
and docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation
(`{total_count, repository_selection, repositories}`; installation tokens only).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.state import Repo

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_TYPES = ("all", "public", "private", "forks", "sources", "member")
_SORTS = ("created", "updated", "pushed", "full_name")


def _visible(app: Sandbox, req: Request, repos: list[Repo]) -> list[Repo]:
    """The repositories the caller may see: public ones, and private ones its token reaches."""
    token = req.token
    seen = []
    for repo in repos:
        if token is None:
            if not repo.private:
                seen.append(repo)
            continue
        if token.repo is not None and token.repo != repo.full_name:
            continue
        if token.owner is not None and token.owner != repo.owner:
            continue
        seen.append(repo)
    return seen


def _sorted(req: Request, repos: list[Repo]) -> list[Repo]:
    sort = req.arg("sort") or "created"
    if sort not in _SORTS:
        raise validation([{"resource": "Repository", "field": "sort", "code": "invalid"}])
    direction = req.arg("direction") or ("asc" if sort == "full_name" else "desc")
    if direction not in ("asc", "desc"):
        raise validation([{"resource": "Repository", "field": "direction", "code": "invalid"}])
    if sort == "full_name":
        return sorted(repos, key=lambda r: r.full_name.lower(), reverse=direction == "desc")
    # created/updated/pushed are one moment here; the id breaks ties in creation order.
    return sorted(repos, key=lambda r: (r.created_at, r.id), reverse=direction == "desc")


@route(ROUTES, "GET", r"/orgs/(?P<org>[^/]+)/repos")
def list_org_repos(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    kind = req.arg("type") or "all"
    if kind not in _TYPES:
        raise validation([{"resource": "Repository", "field": "type", "code": "invalid"}])
    with app.state.lock:
        owned = [r for r in app.state.repos.values() if r.owner == m["org"]]
    if not owned:
        raise ApiError(404, "Not Found")
    if req.token is not None:
        app.require(req.token, {"metadata": "read"})
    repos = _visible(app, req, owned)
    if kind in ("public", "private"):
        repos = [r for r in repos if r.private == (kind == "private")]
    elif kind == "forks":
        repos = [r for r in repos if r.fork]
    elif kind == "sources":
        repos = [r for r in repos if not r.fork]
    page, links = paginate(req, _sorted(req, repos))
    return Response.json(200, [shapes.repository(app.api_url, r) for r in page], links)


@route(ROUTES, "GET", r"/installation/repositories")
def list_installation_repos(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    token = req.token
    if token is None:
        raise ApiError(401, "Requires authentication")
    if token.kind != "github_token":
        raise ApiError(
            403,
            "You must authenticate with an installation access token in order to list "
            "repositories for an installation.",
        )
    with app.state.lock:
        repos = _visible(app, req, list(app.state.repos.values()))
    selection = "selected" if token.repo is not None else "all"
    page, links = paginate(req, sorted(repos, key=lambda r: r.id))
    body = {
        "total_count": len(repos),
        "repository_selection": selection,
        "repositories": [shapes.repository(app.api_url, r) for r in page],
    }
    return Response.json(200, body, links)
