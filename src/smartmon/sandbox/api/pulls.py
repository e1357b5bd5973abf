"""REST routes for pull requests and Actions secrets."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from smartmon.sandbox import events
from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Pull, Repo, iso

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_SECRET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@route(ROUTES, "GET", _R + r"/pulls")
def list_pulls(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "pull_requests", "read")
    state = req.arg("state", "open")
    head, base = req.arg("head"), req.arg("base")
    with app.state.lock:
        pulls = [p for p in app.state.pulls.values() if p.repo_id == repo.id]
        pulls = [p for p in pulls if state == "all" or p.state == state]
        if head:
            pulls = [
                p
                for p in pulls
                if f"{p.head_owner or repo.owner}:{p.head}" == head or p.head == head
            ]
        if base:
            pulls = [p for p in pulls if p.base == base]
        pulls.sort(key=lambda p: p.number, reverse=True)
        page, links = paginate(req, pulls)
        body = [pull_json(app.api_url, repo, p, version=req.version) for p in page]
    return Response.json(200, body, links)


@route(ROUTES, "GET", _R + r"/pulls/(?P<number>\d+)")
def get_pull(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "pull_requests", "read")
    with app.state.lock:
        pull = next(
            (
                p
                for p in app.state.pulls.values()
                if p.repo_id == repo.id and p.number == int(m["number"])
            ),
            None,
        )
        if pull is None:
            raise ApiError(404, "Not Found")
        return Response.json(200, pull_json(app.api_url, repo, pull, version=req.version))


@route(ROUTES, "POST", _R + r"/pulls")
def create_pull(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "pull_requests", "write")
    body = req.json()
    missing = [f for f in ("title", "head", "base") if not isinstance(body.get(f), str)]
    if missing:
        raise validation(
            [{"resource": "PullRequest", "field": f, "code": "missing_field"} for f in missing]
        )
    # A fork's pull request names its head `owner:branch`; the sandbox keeps the branch here.
    head_owner, _, head = str(body["head"]).rpartition(":")
    base = str(body["base"])
    head_sha = gitrepo.rev_parse(repo.git_dir, f"refs/heads/{head}")
    base_sha = gitrepo.rev_parse(repo.git_dir, f"refs/heads/{base}")
    errors = []
    if base_sha is None:
        errors.append({"resource": "PullRequest", "field": "base", "code": "invalid"})
    if head_sha is None:
        errors.append({"resource": "PullRequest", "field": "head", "code": "invalid"})
    if errors or head_sha is None or base_sha is None:
        raise validation(errors)
    if not gitrepo.rev_list(repo.git_dir, head_sha, f"^{base_sha}"):
        message = f"No commits between {base} and {head}"
        raise validation([{"resource": "PullRequest", "code": "custom", "message": message}])
    now = iso(datetime.fromtimestamp(app.clock(), UTC))
    with app.state.lock:
        mine = [p for p in app.state.pulls.values() if p.repo_id == repo.id]
        if any(p.head == head and p.base == base and p.state == "open" for p in mine):
            message = f"A pull request already exists for {repo.owner}:{head}."
            raise validation([{"resource": "PullRequest", "code": "custom", "message": message}])
        pull = Pull(
            id=app.state.next_id(),
            # Issues and pull requests share one sequence of numbers.
            number=max([p.number for p in mine] + app.state.issues.numbers(repo.id), default=0) + 1,
            repo_id=repo.id,
            title=str(body["title"]),
            body=body.get("body") if isinstance(body.get("body"), str) else None,
            head=head,
            base=base,
            head_sha=head_sha,
            base_sha=base_sha,
            user=req.token.login if req.token else "sandbox-user",
            created_at=now,
            updated_at=now,
            draft=bool(body.get("draft", False)),
            head_owner=head_owner if head_owner and head_owner != repo.owner else None,
        )
        app.state.pulls[pull.id] = pull
        payload = pull_json(app.api_url, repo, pull, version=req.version)
    app.state.save()
    kind = req.token.kind if req.token else "pat"
    events.on_pull_request(app, repo, payload, kind, pull.user)
    location = payload["url"]
    return Response.json(201, payload, {"Location": location})


@route(ROUTES, "GET", _R + r"/actions/secrets/public-key")
def public_key(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "secrets", "read")
    return Response.json(200, {"key_id": repo.key_id, "key": repo.public_key})


@route(ROUTES, "PUT", _R + r"/actions/secrets/(?P<secret>[^/]+)")
def put_secret(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "secrets", "write")
    name = m["secret"]
    if not _SECRET_NAME.match(name) or name.upper().startswith("GITHUB_"):
        raise validation(
            [{"resource": "Secret", "field": "name", "code": "invalid"}],
            message="Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) "
            "or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) "
            "or underscores (_). Must not start with GITHUB_.",
        )
    body = req.json()
    missing = [f for f in ("encrypted_value", "key_id") if not isinstance(body.get(f), str)]
    if missing:
        raise validation(
            [{"resource": "Secret", "field": f, "code": "missing_field"} for f in missing]
        )
    if body["key_id"] != repo.key_id:
        raise validation([{"resource": "Secret", "field": "key_id", "code": "invalid"}])
    try:
        sealed = base64.b64decode(str(body["encrypted_value"]), validate=True)
        key = PrivateKey(base64.b64decode(repo.private_key))
        value = SealedBox(key).decrypt(sealed).decode("utf-8")
    except (binascii.Error, CryptoError, UnicodeDecodeError) as exc:
        raise validation(
            [{"resource": "Secret", "field": "encrypted_value", "code": "invalid"}],
            message="Bad request: encrypted_value is not a sealed box for this repository's key",
        ) from exc
    with app.state.lock:
        created = name.upper() not in repo.secrets
        repo.secrets[name.upper()] = value
    app.state.save()
    return Response.json(201, {}) if created else Response.empty(204)


def pull_json(api: str, repo: Repo, p: Pull, *, version: str) -> dict[str, Any]:
    u = f"{api}/repos/{repo.full_name}"
    html = f"{api}/{repo.full_name}/pull/{p.number}"

    def side(branch: str, sha: str, owner: str | None = None) -> dict[str, Any]:
        fork = f"{owner}/{repo.name}" if owner else None
        return {
            "label": f"{owner or repo.owner}:{branch}",
            "ref": branch,
            "sha": sha,
            "user": shapes.user(api, owner or repo.owner),
            "repo": shapes.repository(api, repo, full_name=fork),
        }

    body: dict[str, Any] = {
        "url": f"{u}/pulls/{p.number}",
        "id": p.id,
        "node_id": shapes.node_id("PR", p.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{u}/issues/{p.number}",
        "commits_url": f"{u}/pulls/{p.number}/commits",
        "review_comments_url": f"{u}/pulls/{p.number}/comments",
        "review_comment_url": f"{u}/pulls/comments{{/number}}",
        "comments_url": f"{u}/issues/{p.number}/comments",
        "statuses_url": f"{u}/statuses/{p.head_sha}",
        "number": p.number,
        "state": p.state,
        "locked": False,
        "title": p.title,
        "user": shapes.user(api, p.user),
        "body": p.body,
        "labels": [],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "closed_at": None,
        "merged_at": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": side(p.head, p.head_sha, p.head_owner),
        "base": side(p.base, p.base_sha),
        "_links": {
            "self": {"href": f"{u}/pulls/{p.number}"},
            "html": {"href": html},
            "issue": {"href": f"{u}/issues/{p.number}"},
            "comments": {"href": f"{u}/issues/{p.number}/comments"},
            "review_comments": {"href": f"{u}/pulls/{p.number}/comments"},
            "review_comment": {"href": f"{u}/pulls/comments{{/number}}"},
            "commits": {"href": f"{u}/pulls/{p.number}/commits"},
            "statuses": {"href": f"{u}/statuses/{p.head_sha}"},
        },
        "author_association": "OWNER",
        "auto_merge": None,
        "draft": p.draft,
        "merged": False,
        "mergeable": True,
        "rebaseable": True,
        "mergeable_state": "clean",
        "merged_by": None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": 1,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }
    if version == "2022-11-28":
        body["merge_commit_sha"] = None
    return body
