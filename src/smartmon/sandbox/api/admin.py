"""Admin routes under /_sandbox/ for tests and the demo (auth: `Bearer <admin token>`).

- ``POST /_sandbox/repos`` ``{owner, name, dir? | files?: {path: text}, executable?: [path],
  default_branch?="main", private?=true, secrets?, variables?, protected_branches?,
  zip_layout?="steps"|"flat", zip_legacy?=false, trigger?=true}`` → 201
  ``{id, full_name, git_url, head_sha, runs: [run ids]}``: one deterministic initial commit, then
  ``push`` runs as if a personal token had pushed it.
- ``PATCH /_sandbox/repos/{owner}/{name}`` ``{secrets?, variables?, protected_branches?,
  zip_layout?, zip_legacy?, private?, archived?, fork?, topics?,
  next_head_repository?: "fork-owner/name", default_workflow_permissions?: "read"|"write"}``
  → 200.
- ``GET /_sandbox/repos/{owner}/{name}/secrets`` → decrypted secrets (sealed-box round trips).
- ``POST /_sandbox/tokens`` ``{kind: "pat"|"github_token", permissions?, login?, repo?,
  limit?, owner?}`` (a `github_token` with `owner` stands for an App installation token) → 201 ``{token, kind, permissions}``.
- ``GET|POST|DELETE /_sandbox/faults`` (POST ``{spec}``, grammar in ``faults.py``).
- ``POST /_sandbox/wait-idle`` ``{timeout?: 30}`` → 200 ``{idle: true}`` or 408 ``{idle: false}``.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartmon.sandbox import events
from smartmon.sandbox.api.core import Response
from smartmon.sandbox.faults import FaultSpecError, parse
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Repo, Run

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

INITIAL_DATE = "2026-01-01T00:00:00+0000"  # the initial commit is the same on every start
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class AdminError(ValueError):
    """A bad admin request; answered with 400 and the message."""


def read_folder(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    """Files under `folder` (not `.git`) and which of them are executable."""
    files: dict[str, bytes] = {}
    executable: set[str] = set()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == ".git" or rel.startswith(".git/") or not path.is_file() or path.is_symlink():
            continue
        files[rel] = path.read_bytes()
        if os.access(path, os.X_OK):
            executable.add(rel)
    return files, executable


def create_repo(
    app: Sandbox,
    owner: str,
    name: str,
    files: dict[str, bytes],
    *,
    executable: set[str] | None = None,
    default_branch: str = "main",
    private: bool = True,
    secrets: dict[str, str] | None = None,
    variables: dict[str, str] | None = None,
    trigger: bool = True,
) -> tuple[Repo, str, list[Run]]:
    """A new repository with one initial commit; its `push` runs start when `trigger`."""
    if not (_NAME.match(owner) and _NAME.match(name)):
        raise AdminError(f"{owner}/{name}: owner and name may hold only letters, digits, _ . -")
    with app.state.lock:
        if f"{owner}/{name}" in app.state.repos:
            raise AdminError(f"{owner}/{name}: the repository already exists")
        repo = app.state.new_repo(owner, name, default_branch, private=private)
        repo.secrets.update({k.upper(): v for k, v in (secrets or {}).items()})
        repo.variables.update(variables or {})
    gitrepo.init_bare(Path(repo.git_dir), default_branch)
    sha = gitrepo.commit_files(
        repo.git_dir,
        parent=None,
        files=dict(files),
        message="Initial commit",
        executable=frozenset(executable or ()),
        date=INITIAL_DATE,
    )
    ref = f"refs/heads/{default_branch}"
    gitrepo.update_ref(repo.git_dir, ref, sha, None)
    events.sync_workflows(app, repo)
    runs = events.on_push(app, repo, ref, gitrepo.ZERO_SHA, sha, "pat", owner) if trigger else []
    app.state.save()
    return repo, sha, runs


def _configure(app: Sandbox, repo: Repo, body: dict[str, Any]) -> None:
    with app.state.lock:
        if "secrets" in body:
            repo.secrets.update({str(k).upper(): str(v) for k, v in body["secrets"].items()})
        if "variables" in body:
            repo.variables.update({str(k): str(v) for k, v in body["variables"].items()})
        if "private" in body:
            repo.private = bool(body["private"])
        if "zip_layout" in body:
            if body["zip_layout"] not in ("steps", "flat"):
                raise AdminError("zip_layout must be 'steps' or 'flat'")
            repo.zip_layout = str(body["zip_layout"])
        if "zip_legacy" in body:
            repo.zip_legacy = bool(body["zip_legacy"])
        for flag in ("archived", "fork"):
            if flag in body:
                setattr(repo, flag, bool(body[flag]))
        if "topics" in body:
            repo.topics = [str(t) for t in body["topics"]]
        if "next_head_repository" in body:
            repo.next_head_repository = body["next_head_repository"] or None
        if "default_workflow_permissions" in body:
            if body["default_workflow_permissions"] not in ("read", "write"):
                raise AdminError("default_workflow_permissions must be 'read' or 'write'")
            repo.default_workflow_permissions = str(body["default_workflow_permissions"])
        if "protected_branches" in body:
            repo.protected_branches = [str(b) for b in body["protected_branches"]]
            refs = [f"refs/heads/{b}" for b in repo.protected_branches]
            gitrepo.set_protected(Path(repo.git_dir), refs)
    app.state.save()


def handle(app: Sandbox, method: str, path: str, headers: Message, raw: bytes) -> Response:
    given = headers.get("Authorization", "").encode()
    if not hmac.compare_digest(given, f"Bearer {app.admin_token}".encode()):
        return Response.json(401, {"message": "admin token required"})
    try:
        body = json.loads(raw) if raw.strip() else {}
        if not isinstance(body, dict):
            raise AdminError("the body must be a JSON object")
        return _route(app, method, path.removeprefix("/_sandbox/").strip("/"), body)
    except (AdminError, FaultSpecError, ValueError, TypeError, KeyError) as exc:
        return Response.json(400, {"message": str(exc)})


def _route(app: Sandbox, method: str, path: str, body: dict[str, Any]) -> Response:
    parts = path.split("/")
    if (method, path) == ("POST", "repos"):
        files: dict[str, bytes] = {}
        executable = set(body.get("executable", []))
        if body.get("dir"):
            files, found = read_folder(Path(body["dir"]))
            executable |= found
        files.update({k: str(v).encode() for k, v in (body.get("files") or {}).items()})
        repo, sha, runs = create_repo(
            app,
            str(body["owner"]),
            str(body["name"]),
            files,
            executable=executable,
            default_branch=str(body.get("default_branch", "main")),
            private=bool(body.get("private", True)),
            secrets=body.get("secrets"),
            variables=body.get("variables"),
            trigger=False,
        )
        _configure(app, repo, body)
        if body.get("trigger", True):
            ref = f"refs/heads/{repo.default_branch}"
            runs = events.on_push(app, repo, ref, gitrepo.ZERO_SHA, sha, "pat", repo.owner)
        git_url = f"{app.api_url}/{repo.full_name}.git"
        result = {"id": repo.id, "full_name": repo.full_name, "git_url": git_url}
        return Response.json(201, result | {"head_sha": sha, "runs": [r.id for r in runs]})
    if parts[0] == "repos" and len(parts) >= 3:
        with app.state.lock:
            repo_or_none = app.state.repos.get(f"{parts[1]}/{parts[2]}")
        if repo_or_none is None:
            return Response.json(404, {"message": "no such repository"})
        if method == "PATCH" and len(parts) == 3:
            _configure(app, repo_or_none, body)
            return Response.json(200, {"full_name": repo_or_none.full_name})
        if method == "GET" and parts[3:] == ["secrets"]:
            return Response.json(200, dict(repo_or_none.secrets))
    if (method, path) == ("POST", "tokens"):
        kind = body.get("kind", "pat")
        if kind not in ("pat", "github_token"):
            raise AdminError("kind must be 'pat' or 'github_token'")
        token = app.state.new_token(
            kind,
            permissions=body.get("permissions"),
            login=str(body.get("login", "sandbox-user")),
            repo=body.get("repo"),
            limit=body.get("limit"),
            owner=body.get("owner"),
        )
        app.state.save()
        info = {"token": token.value, "kind": token.kind, "permissions": token.permissions}
        return Response.json(201, info)
    if path == "faults":
        if method == "DELETE":
            app.faults.clear()
            return Response.empty(204)
        if method == "POST":
            app.faults.add(parse(str(body.get("spec", ""))))
        listing = [
            {"kind": f.kind, "path": f.path, "times": f.times, "params": f.params}
            for f in app.faults.active()
        ]
        return Response.json(200, {"faults": listing})
    if (method, path) == ("POST", "wait-idle"):
        idle = app.queue.wait_idle(float(body.get("timeout", 30)))
        return Response.json(200 if idle else 408, {"idle": idle})
    return Response.json(404, {"message": f"no admin route {method} /_sandbox/{path}"})
