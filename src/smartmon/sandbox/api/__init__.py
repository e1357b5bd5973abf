"""GitHub's REST API as the sandbox serves it: the route table, JSON shapes, run-log zips, admin.

One module per REST area (`actions`, `checks`, `git`, `issues`, `labels`, `orgs`, `pulls`,
`repos`) keeps a `ROUTES` list filled by the `routing.route` decorator; `ROUTES` here is the table
the server dispatches on.
Request, response and error values are in `core`; the test harness's /_sandbox/ routes in `admin`.
"""

from smartmon.sandbox.api import (
    actions,
    admin,
    checks,
    git,
    issues,
    labels,
    oidc,
    orgs,
    pulls,
    repos,
    shapes,
    tags,
)
from smartmon.sandbox.api.admin import AdminError, create_repo
from smartmon.sandbox.api.core import DEFAULT_VERSION, VERSIONS, ApiError, Request, Response
from smartmon.sandbox.api.routing import Route

ROUTES: tuple[Route, ...] = (
    *actions.ROUTES,
    *checks.ROUTES,
    *git.ROUTES,
    *issues.ROUTES,
    *labels.ROUTES,
    *oidc.ROUTES,
    *orgs.ROUTES,
    *pulls.ROUTES,
    *repos.ROUTES,
    *tags.ROUTES,
)

__all__ = [
    "DEFAULT_VERSION",
    "ROUTES",
    "VERSIONS",
    "AdminError",
    "ApiError",
    "Request",
    "Response",
    "admin",
    "create_repo",
    "shapes",
]
