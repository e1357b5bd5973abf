"""REST route for a repository's tags, so action repositories can be looked up like on GitHub.

`GET /repos/{owner}/{repo}/tags` answers a list of `{name, commit: {sha, url}, zipball_url,
tarball_url, node_id}`, newest name first as GitHub sorts them, paged with a `Link` header
(https://docs.github.com/en/rest/repos/repos#list-repository-tags).
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

from smartmon.sandbox.api.core import Request, Response, paginate
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.git import gitrepo

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


def _sort_key(name: str) -> list[tuple[int, int | str]]:
    # Version-aware, descending below: v10 after v9.
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p]


@route(ROUTES, "GET", _R + r"/tags")
def list_tags(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    tags = []
    for ref, _ in gitrepo.list_refs(repo.git_dir).items():
        if not ref.startswith("refs/tags/"):
            continue
        name = ref.removeprefix("refs/tags/")
        sha = gitrepo.rev_parse(repo.git_dir, ref) or ""  # annotated tags peel to the commit
        base = f"{app.api_url}/repos/{repo.full_name}"
        tags.append(
            {
                "name": name,
                "commit": {"sha": sha, "url": f"{base}/commits/{sha}"},
                "zipball_url": f"{base}/zipball/refs/tags/{name}",
                "tarball_url": f"{base}/tarball/refs/tags/{name}",
                "node_id": base64.b64encode(f"Ref:{ref}".encode()).decode(),
            }
        )
    tags.sort(key=lambda t: _sort_key(str(t["name"])), reverse=True)
    page, links = paginate(req, tags)
    return Response.json(200, page, links)
