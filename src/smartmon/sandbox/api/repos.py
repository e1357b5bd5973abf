"""REST routes for repositories: contents, pulls, git refs, commits, secrets and /rate_limit."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from smartmon.sandbox import events
from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Repo, iso

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


def _now(app: Sandbox) -> str:
    return iso(datetime.fromtimestamp(app.clock(), UTC))


def _actor(req: Request) -> str:
    return req.token.login if req.token else "sandbox-user"


@route(ROUTES, "GET", r"/rate_limit")
def rate_limit(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    budget = app.budget(req)
    core = {
        "limit": budget.limit,
        "used": budget.used,
        "remaining": max(0, budget.limit - budget.used),
        "reset": budget.reset,
        "resource": "core",
    }
    search = {"limit": 30, "used": 0, "remaining": 30, "reset": budget.reset, "resource": "search"}
    body: dict[str, Any] = {"resources": {"core": core, "search": search}}
    if req.version == "2022-11-28":
        body["rate"] = dict(core)  # dropped in 2026-03-10
    return Response.json(200, body)


@route(ROUTES, "GET", _R)
def get_repo(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "metadata", "read")
    return Response.json(200, shapes.repository(app.api_url, repo))


def _resolve(repo: Repo, ref: str | None) -> str:
    rev = ref or repo.default_branch
    for candidate in (f"refs/heads/{rev}", f"refs/tags/{rev}", rev):
        sha = gitrepo.rev_parse(repo.git_dir, candidate)
        if sha:
            return sha
    raise ApiError(404, f"No commit found for the ref {rev}")


def _b64_lines(data: bytes) -> str:
    # GitHub wraps the Base64 content with a newline every 60 characters.
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


@route(ROUTES, "GET", _R + r"/contents(?:/(?P<path>.*))?")
def get_contents(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "contents", "read")
    path = (m["path"] or "").strip("/")
    ref = req.arg("ref") or repo.default_branch
    sha = _resolve(repo, ref)
    blob = gitrepo.read_blob(repo.git_dir, sha, path) if path else None
    if blob is not None:
        body = shapes.content_entry(app.api_url, repo, ref, path, blob[0], len(blob[1]), "file")
        body.update({"content": _b64_lines(blob[1]), "encoding": "base64"})
        return Response.json(200, body)
    entries = gitrepo.list_tree(repo.git_dir, sha, path)
    if entries is None:
        raise ApiError(404, "Not Found")
    listing = []
    for mode, kind, obj, name in entries:
        full = f"{path}/{name}" if path else name
        size = len((gitrepo.read_blob(repo.git_dir, sha, full) or ("", b""))[1])
        entry_type = {"blob": "file", "tree": "dir"}.get(kind, "submodule")
        if mode == "120000":
            entry_type = "symlink"
        listing.append(shapes.content_entry(app.api_url, repo, ref, full, obj, size, entry_type))
    return Response.json(200, listing)


@route(ROUTES, "PUT", _R + r"/contents/(?P<path>.+)")
def put_contents(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    path = m["path"].strip("/")
    repo = app.repo(req, m["owner"], m["name"], "contents", "write")
    parts = path.split("/")
    if any(p in ("", ".", "..", ".git") for p in parts) or "\n" in path:
        raise validation(
            [{"resource": "Commit", "field": "path", "code": "invalid"}],
            message="path contains a malformed path component",
        )
    if path.startswith(".github/workflows/") and req.token is not None:
        app.require(req.token, {"contents": "write", "workflows": "write"})
    body = req.json()
    message, content = body.get("message"), body.get("content")
    missing = [f for f, v in (("message", message), ("content", content)) if not isinstance(v, str)]
    if missing:
        raise validation(
            [{"resource": "Contents", "field": f, "code": "missing_field"} for f in missing],
            message=f'Invalid request.\n\n"{missing[0]}" wasn\'t supplied.',
        )
    try:
        data = base64.b64decode(str(content), validate=False)
    except binascii.Error as exc:
        raise ApiError(422, "content is not valid Base64") from exc
    branch = str(body.get("branch") or repo.default_branch)
    ref = f"refs/heads/{branch}"
    with app.push_lock(repo):
        parent = gitrepo.rev_parse(repo.git_dir, ref)
        if parent is None:
            raise ApiError(404, f"Branch {branch} not found")
        current = gitrepo.read_blob(repo.git_dir, parent, path)
        given = body.get("sha")
        if current is not None and not given:
            raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if current is not None and given != current[0]:
            raise ApiError(409, f"{path} does not match {given}")
        if ref in [f"refs/heads/{b}" for b in repo.protected_branches]:
            raise ApiError(409, f"Protected branch update failed for {ref}.")
        author = body.get("author") or body.get("committer") or {}
        ident = (
            str(author.get("name") or _actor(req)),
            str(author.get("email") or "sandbox@localhost"),
        )
        new = gitrepo.commit_files(
            repo.git_dir, parent=parent, files={path: data}, message=str(message), author=ident
        )
        if not gitrepo.update_ref(repo.git_dir, ref, new, parent):
            raise ApiError(409, f"{path} does not match {given}")
    kind = req.token.kind if req.token else "pat"
    events.on_push(app, repo, ref, parent, new, kind, _actor(req))
    info = gitrepo.commit_info(repo.git_dir, new)
    blob = gitrepo.read_blob(repo.git_dir, new, path)
    assert blob is not None
    entry = shapes.content_entry(app.api_url, repo, branch, path, blob[0], len(data), "file")
    result = {"content": entry, "commit": shapes.git_commit(app.api_url, repo, info)}
    return Response.json(201 if current is None else 200, result)
