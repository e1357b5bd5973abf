"""REST routes for issues, issue comments and labels (docs: rest/issues/issues, /comments,
/labels).

A pull request is an issue here as on GitHub: `GET /issues` lists both (a pull request carries
`pull_request`), and its conversation comments and labels live under `/issues/{number}`. The
permission follows the target: `pull_requests` for a pull request, `issues` for an issue.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.labels import label_names, labels_json
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.issue_state import Comment, Issue
from smartmon.sandbox.state import Pull, Repo, iso

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_STATE_REASONS = ("completed", "not_planned", "reopened", None)


def _now(app: Sandbox) -> str:
    return iso(datetime.fromtimestamp(app.clock(), UTC))


def _pull(app: Sandbox, repo: Repo, number: int) -> Pull | None:
    return next(
        (p for p in app.state.pulls.values() if p.repo_id == repo.id and p.number == number), None
    )


def _target(
    app: Sandbox, req: Request, m: re.Match[str], level: str
) -> tuple[Repo, Issue | None, Pull | None]:
    """The repository and the issue or pull request `number`, after the permission check."""
    with app.state.lock:
        found = app.state.repos.get(f"{m['owner']}/{m['name']}")
        number = int(m["number"])
        pull = _pull(app, found, number) if found else None
        issue = app.state.issues.issue(found.id, number) if found else None
    scope = "pull_requests" if pull is not None else "issues"
    repo = app.repo(req, m["owner"], m["name"], scope, level)
    if pull is None and issue is None:
        raise ApiError(404, "Not Found")
    return repo, issue, pull


def issue_json(
    app: Sandbox, repo: Repo, issue: Issue | None, pull: Pull | None = None
) -> dict[str, Any]:
    api = app.api_url
    number = issue.number if issue is not None else pull.number if pull is not None else 0
    u = f"{api}/repos/{repo.full_name}/issues/{number}"
    comments = [
        c for c in app.state.issues.comments.values() if c.repo_id == repo.id and c.number == number
    ]
    body: dict[str, Any] = {
        "url": u,
        "repository_url": f"{api}/repos/{repo.full_name}",
        "labels_url": f"{u}/labels{{/name}}",
        "comments_url": f"{u}/comments",
        "events_url": f"{u}/events",
        "html_url": f"{api}/{repo.full_name}/issues/{number}",
        "number": number,
        "labels": labels_json(app, repo, number),
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": len(comments),
        "author_association": "OWNER",
        "active_lock_reason": None,
        "closed_by": None,
    }
    if issue is not None:
        body |= {
            "id": issue.id,
            "node_id": shapes.node_id("I", issue.id),
            "title": issue.title,
            "user": shapes.user(api, issue.user),
            "state": issue.state,
            "state_reason": issue.state_reason,
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_at": issue.closed_at,
            "body": issue.body,
        }
    elif pull is not None:
        html = f"{api}/{repo.full_name}/pull/{pull.number}"
        body |= {
            "id": pull.id,
            "node_id": shapes.node_id("PR", pull.id),
            "html_url": html,
            "title": pull.title,
            "user": shapes.user(api, pull.user),
            "state": pull.state,
            "state_reason": None,
            "created_at": pull.created_at,
            "updated_at": pull.updated_at,
            "closed_at": None,
            "body": pull.body,
            "draft": pull.draft,
            "pull_request": {
                "url": f"{api}/repos/{repo.full_name}/pulls/{pull.number}",
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            },
        }
    return body


def comment_json(app: Sandbox, repo: Repo, c: Comment) -> dict[str, Any]:
    api = app.api_url
    pull = _pull(app, repo, c.number)
    page = "pull" if pull is not None else "issues"
    return {
        "id": c.id,
        "node_id": shapes.node_id("IC", c.id),
        "url": f"{api}/repos/{repo.full_name}/issues/comments/{c.id}",
        "html_url": f"{api}/{repo.full_name}/{page}/{c.number}#issuecomment-{c.id}",
        "issue_url": f"{api}/repos/{repo.full_name}/issues/{c.number}",
        "body": c.body,
        "user": shapes.user(api, c.user),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "author_association": "OWNER",
        "performed_via_github_app": None,
    }


def _login(req: Request) -> str:
    return req.token.login if req.token is not None else "sandbox-user"


# -- issues ------------------------------------------------------------------------------------


@route(ROUTES, "GET", _R + r"/issues")
def list_issues(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "issues", "read")
    state = req.arg("state", "open")
    wanted = [w.strip().lower() for w in (req.arg("labels") or "").split(",") if w.strip()]
    with app.state.lock:
        items: list[tuple[int, Issue | None, Pull | None]] = [
            (i.number, i, None) for i in app.state.issues.issues.values() if i.repo_id == repo.id
        ]
        items += [(p.number, None, p) for p in app.state.pulls.values() if p.repo_id == repo.id]
        out = []
        for number, issue, pull in sorted(items, key=lambda t: t[0], reverse=True):
            current = issue.state if issue is not None else pull.state if pull else "open"
            if state != "all" and current != state:
                continue
            have = {n.lower() for n in app.state.issues.labels_on(repo.id, number)}
            if any(w not in have for w in wanted):
                continue
            out.append((issue, pull))
        page, links = paginate(req, out)
        body = [issue_json(app, repo, i, p) for i, p in page]
    return Response.json(200, body, links)


@route(ROUTES, "POST", _R + r"/issues")
def create_issue(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "issues", "write")
    body = req.json()
    if not isinstance(body.get("title"), str) or not body["title"].strip():
        raise validation([{"resource": "Issue", "field": "title", "code": "missing_field"}])
    text = body.get("body")
    if text is not None and not isinstance(text, str):
        raise validation([{"resource": "Issue", "field": "body", "code": "invalid"}])
    now = _now(app)
    with app.state.lock:
        taken = app.state.issues.numbers(repo.id)
        taken += [p.number for p in app.state.pulls.values() if p.repo_id == repo.id]
        issue = Issue(
            id=app.state.next_id(),
            number=max(taken, default=0) + 1,
            repo_id=repo.id,
            title=str(body["title"]),
            body=text,
            user=_login(req),
            created_at=now,
            updated_at=now,
        )
        app.state.issues.issues[issue.id] = issue
        names = label_names(app, repo, body.get("labels", []))
        app.state.issues.set_labels(repo.id, issue.number, names)
        payload = issue_json(app, repo, issue)
    app.state.save()
    return Response.json(201, payload, {"Location": payload["url"]})


@route(ROUTES, "GET", _R + r"/issues/(?P<number>\d+)")
def get_issue(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, issue, pull = _target(app, req, m, "read")
    with app.state.lock:
        return Response.json(200, issue_json(app, repo, issue, pull))


@route(ROUTES, "PATCH", _R + r"/issues/(?P<number>\d+)")
def update_issue(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, issue, _pull_request = _target(app, req, m, "write")
    body = req.json()
    if issue is None:  # a pull request: only labels through this route in the sandbox
        raise ApiError(422, "Edit a pull request through PATCH /pulls/{number} in the sandbox")
    state, reason = body.get("state", issue.state), body.get("state_reason")
    if state not in ("open", "closed") or reason not in _STATE_REASONS:
        raise validation([{"resource": "Issue", "field": "state", "code": "invalid"}])
    with app.state.lock:
        for key in ("title", "body"):
            if isinstance(body.get(key), str):
                setattr(issue, key, body[key])
        if state != issue.state:
            issue.state = state
            issue.closed_at = _now(app) if state == "closed" else None
            issue.state_reason = reason or ("completed" if state == "closed" else "reopened")
        if "labels" in body:
            names = label_names(app, repo, body["labels"])
            app.state.issues.set_labels(repo.id, issue.number, names)
        issue.updated_at = _now(app)
        payload = issue_json(app, repo, issue)
    app.state.save()
    return Response.json(200, payload)


# -- comments ----------------------------------------------------------------------------------


@route(ROUTES, "GET", _R + r"/issues/(?P<number>\d+)/comments")
def list_comments(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, _issue, _pull_request = _target(app, req, m, "read")
    number = int(m["number"])
    with app.state.lock:
        found = [
            c
            for c in app.state.issues.comments.values()
            if c.repo_id == repo.id and c.number == number
        ]
        found.sort(key=lambda c: c.id)
        page, links = paginate(req, found)
        body = [comment_json(app, repo, c) for c in page]
    return Response.json(200, body, links)


@route(ROUTES, "POST", _R + r"/issues/(?P<number>\d+)/comments")
def create_comment(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, _issue, _pull_request = _target(app, req, m, "write")
    text = _comment_body(req)
    now = _now(app)
    with app.state.lock:
        comment = Comment(
            id=app.state.next_id(),
            repo_id=repo.id,
            number=int(m["number"]),
            body=text,
            user=_login(req),
            created_at=now,
            updated_at=now,
        )
        app.state.issues.comments[comment.id] = comment
        payload = comment_json(app, repo, comment)
    app.state.save()
    return Response.json(201, payload, {"Location": payload["url"]})


def _comment_at(app: Sandbox, req: Request, m: re.Match[str], level: str) -> tuple[Repo, Comment]:
    with app.state.lock:
        comment = app.state.issues.comments.get(int(m["comment"]))
        found = app.state.repos.get(f"{m['owner']}/{m['name']}")
        pull = _pull(app, found, comment.number) if found and comment else None
    scope = "pull_requests" if pull is not None else "issues"
    repo = app.repo(req, m["owner"], m["name"], scope, level)
    if comment is None or comment.repo_id != repo.id:
        raise ApiError(404, "Not Found")
    return repo, comment


@route(ROUTES, "GET", _R + r"/issues/comments/(?P<comment>\d+)")
def get_comment(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, comment = _comment_at(app, req, m, "read")
    with app.state.lock:
        return Response.json(200, comment_json(app, repo, comment))


@route(ROUTES, "PATCH", _R + r"/issues/comments/(?P<comment>\d+)")
def update_comment(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, comment = _comment_at(app, req, m, "write")
    text = _comment_body(req)
    with app.state.lock:
        comment.body = text
        comment.updated_at = _now(app)
        payload = comment_json(app, repo, comment)
    app.state.save()
    return Response.json(200, payload)


def _comment_body(req: Request) -> str:
    text = req.json().get("body")
    if not isinstance(text, str) or not text:
        raise validation([{"resource": "IssueComment", "field": "body", "code": "missing_field"}])
    if len(text) > 65536:  # GitHub: "body is too long (maximum is 65536 characters)"
        raise validation(
            [{"resource": "IssueComment", "field": "body", "code": "custom"}],
            message="Body is too long (maximum is 65536 characters)",
        )
    return text


# -- labels ------------------------------------------------------------------------------------


@route(ROUTES, "GET", _R + r"/issues/(?P<number>\d+)/labels")
def list_issue_labels(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, _issue, _pull_request = _target(app, req, m, "read")
    with app.state.lock:
        page, links = paginate(req, labels_json(app, repo, int(m["number"])))
    return Response.json(200, page, links)


@route(ROUTES, "POST", _R + r"/issues/(?P<number>\d+)/labels")
def add_issue_labels(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo, _issue, _pull_request = _target(app, req, m, "write")
    number = int(m["number"])
    with app.state.lock:
        names = label_names(app, repo, req.json().get("labels"))
        current = app.state.issues.labels_on(repo.id, number)
        app.state.issues.set_labels(repo.id, number, current + names)
        body = labels_json(app, repo, number)
    app.state.save()
    return Response.json(200, body)
