"""REST routes over git data: refs (compare-and-swap), commits and compare."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartmon.sandbox import events
from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Repo

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_SHA = re.compile(r"^[0-9a-f]{40}$")


def _ref_body(app: Sandbox, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
    u = f"{app.api_url}/repos/{repo.full_name}"
    return {
        "ref": ref,
        "node_id": shapes.node_id("REF", f"{repo.id}:{ref}"),
        "url": f"{u}/git/{ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{u}/git/commits/{sha}"},
    }


def _actor(req: Request) -> str:
    return req.token.login if req.token else "sandbox-user"


@route(ROUTES, "GET", _R + r"/git/ref/(?P<ref>.+)")
def get_ref(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    ref = "refs/" + m["ref"]
    sha = gitrepo.list_refs(repo.git_dir).get(ref)
    if sha is None:
        raise ApiError(404, "Not Found")
    return Response.json(200, _ref_body(app, repo, ref, sha))


def _commit_sha(repo: Repo, sha: object) -> str:
    if not isinstance(sha, str) or not _SHA.match(sha):
        raise validation([{"resource": "Reference", "field": "sha", "code": "invalid"}])
    if gitrepo.rev_parse(repo.git_dir, sha) != sha:
        raise ApiError(422, "Object does not exist")
    return sha


@route(ROUTES, "POST", _R + r"/git/refs")
def create_ref(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "write")
    body = req.json()
    ref = body.get("ref")
    if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name is not well formed")
    sha = _commit_sha(repo, body.get("sha"))
    with app.push_lock(repo):
        if not gitrepo.update_ref(repo.git_dir, ref, sha, None):
            raise ApiError(422, "Reference already exists")
    kind = req.token.kind if req.token else "pat"
    events.on_push(app, repo, ref, gitrepo.ZERO_SHA, sha, kind, _actor(req))
    location = f"{app.api_url}/repos/{repo.full_name}/git/{ref}"
    return Response.json(201, _ref_body(app, repo, ref, sha), {"Location": location})


@route(ROUTES, "PATCH", _R + r"/git/refs/(?P<ref>.+)")
def update_ref(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "write")
    ref = "refs/" + m["ref"]
    body = req.json()
    sha = _commit_sha(repo, body.get("sha"))
    force = bool(body.get("force", False))
    if ref.removeprefix("refs/heads/") in repo.protected_branches:
        raise ApiError(422, f"Protected branch update failed for {ref}.")
    with app.push_lock(repo):
        old = gitrepo.list_refs(repo.git_dir).get(ref)
        if old is None:
            raise ApiError(422, "Reference does not exist")
        if not force and not gitrepo.is_ancestor(repo.git_dir, old, sha):
            raise ApiError(422, "Update is not a fast forward")
        if not gitrepo.update_ref(repo.git_dir, ref, sha, old):
            raise ApiError(422, "Reference cannot be updated")
    if old != sha:
        kind = req.token.kind if req.token else "pat"
        events.on_push(app, repo, ref, old, sha, kind, _actor(req))
    return Response.json(200, _ref_body(app, repo, ref, sha))


def _resolve(repo: Repo, rev: str) -> str:
    for candidate in (f"refs/heads/{rev}", f"refs/tags/{rev}", rev):
        sha = gitrepo.rev_parse(repo.git_dir, candidate)
        if sha:
            return sha
    raise ApiError(404, f"No commit found for SHA: {rev}")


def _files(app: Sandbox, repo: Repo, base: str | None, head: str) -> list[dict[str, Any]]:
    out = []
    for entry in gitrepo.changed_files(repo.git_dir, base, head):
        name = str(entry["filename"])
        blob = gitrepo.read_blob(repo.git_dir, head, name)
        added, removed = int(str(entry["additions"])), int(str(entry["deletions"]))
        base_url = f"{app.api_url}/{repo.full_name}"
        out.append(
            entry
            | {
                "sha": blob[0] if blob else gitrepo.ZERO_SHA,
                "changes": added + removed,
                "blob_url": f"{base_url}/blob/{head}/{name}",
                "raw_url": f"{base_url}/raw/{head}/{name}",
                "contents_url": f"{app.api_url}/repos/{repo.full_name}/contents/{name}?ref={head}",
            }
        )
    return out


@route(ROUTES, "GET", _R + r"/commits")
def list_commits(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    head = _resolve(repo, req.arg("sha") or repo.default_branch)
    shas = gitrepo.rev_list(repo.git_dir, head, path=req.arg("path"))
    page, links = paginate(req, shas)
    body = [shapes.commit(app.api_url, repo, gitrepo.commit_info(repo.git_dir, s)) for s in page]
    return Response.json(200, body, links)


@route(ROUTES, "GET", _R + r"/commits/(?P<ref>.+)")
def get_commit(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    sha = _resolve(repo, m["ref"])
    info = gitrepo.commit_info(repo.git_dir, sha)
    files = _files(app, repo, info.parents[0] if info.parents else None, sha)
    added = sum(int(f["additions"]) for f in files)
    removed = sum(int(f["deletions"]) for f in files)
    body = shapes.commit(app.api_url, repo, info) | {
        "files": files,
        "stats": {"additions": added, "deletions": removed, "total": added + removed},
    }
    return Response.json(200, body)


@route(ROUTES, "GET", _R + r"/compare/(?P<basehead>.+)")
def compare(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    base_name, sep, head_name = m["basehead"].partition("...")
    if not sep:
        raise ApiError(404, "Not Found")
    base, head = _resolve(repo, base_name), _resolve(repo, head_name)
    mb = gitrepo.merge_base(repo.git_dir, base, head)
    ahead = (
        gitrepo.rev_list(repo.git_dir, head, f"^{mb}")
        if mb
        else gitrepo.rev_list(repo.git_dir, head)
    )
    behind = (
        gitrepo.rev_list(repo.git_dir, base, f"^{mb}")
        if mb
        else gitrepo.rev_list(repo.git_dir, base)
    )
    if ahead and behind:
        status = "diverged"
    elif ahead:
        status = "ahead"
    elif behind:
        status = "behind"
    else:
        status = "identical"
    html = f"{app.api_url}/{repo.full_name}/compare/{base_name}...{head_name}"
    commits = [
        shapes.commit(app.api_url, repo, gitrepo.commit_info(repo.git_dir, s))
        for s in reversed(ahead[:250])
    ]
    body = {
        "url": f"{app.api_url}/repos/{repo.full_name}/compare/{base_name}...{head_name}",
        "html_url": html,
        "permalink_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "base_commit": shapes.commit(app.api_url, repo, gitrepo.commit_info(repo.git_dir, base)),
        "merge_base_commit": shapes.commit(
            app.api_url, repo, gitrepo.commit_info(repo.git_dir, mb or base)
        ),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": commits,
        "files": _files(app, repo, mb, head),
    }
    return Response.json(200, body)


@route(ROUTES, "GET", _R + r"/branches/(?P<branch>.+)")
def get_branch(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    branch = m["branch"]
    sha = gitrepo.rev_parse(repo.git_dir, f"refs/heads/{branch}")
    if sha is None:
        raise ApiError(404, "Branch not found")
    u = f"{app.api_url}/repos/{repo.full_name}/branches/{branch}"
    protected = branch in repo.protected_branches
    body = {
        "name": branch,
        "commit": shapes.commit(app.api_url, repo, gitrepo.commit_info(repo.git_dir, sha)),
        "_links": {"self": u, "html": f"{app.api_url}/{repo.full_name}/tree/{branch}"},
        "protected": protected,
        "protection": {"enabled": protected, "required_status_checks": None},
        "protection_url": f"{u}/protection",
    }
    return Response.json(200, body)
