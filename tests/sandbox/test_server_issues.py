"""Issues, issue comments and labels in the sandbox: shapes read by githubkit (an independent
client built from GitHub's OpenAPI description), one number sequence with pull requests, and the
permission checks (the permission model itself is tested with the token-scope issue)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

githubkit = pytest.importorskip("githubkit")


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    files = {".github/workflows/ci.yml": CI_WORKFLOW, "README.md": "hi\n"}
    sandbox_server.admin.create_repo("octo", "issues", files, trigger=False)
    return sandbox_server


def _kit(sb: SandboxHandle, token: str | None = None) -> Any:
    return githubkit.GitHub(githubkit.TokenAuthStrategy(token or sb.token), base_url=sb.api_url)


def test_issue_lifecycle_through_githubkit(sb: SandboxHandle) -> None:
    gh = _kit(sb)
    created = gh.rest.issues.create(
        "octo", "issues", data={"title": "CI failing", "body": "x", "labels": ["ci-failure"]}
    ).parsed_data
    assert created.number == 1 and created.state == "open"
    assert [label.name for label in created.labels] == ["ci-failure"]  # type: ignore[union-attr]
    comment = gh.rest.issues.create_comment("octo", "issues", 1, data={"body": "one"}).parsed_data
    edited = gh.rest.issues.update_comment(
        "octo", "issues", comment.id, data={"body": "two"}
    ).parsed_data
    assert edited.id == comment.id and edited.body == "two"
    listed = gh.rest.issues.list_comments("octo", "issues", 1).parsed_data
    assert [c.body for c in listed] == ["two"]
    closed = gh.rest.issues.update(
        "octo", "issues", 1, data={"state": "closed", "state_reason": "completed"}
    ).parsed_data
    assert closed.state == "closed" and closed.state_reason == "completed" and closed.closed_at
    opened = gh.rest.issues.list_for_repo("octo", "issues", labels="ci-failure").parsed_data
    assert opened == []
    every = gh.rest.issues.list_for_repo("octo", "issues", state="all").parsed_data
    assert [i.number for i in every] == [1]
    label = gh.rest.issues.get_label("octo", "issues", "ci-failure").parsed_data
    assert label.name == "ci-failure"


def test_pull_requests_share_numbers_and_take_comments_and_labels(sb: SandboxHandle) -> None:
    r = sb.api("POST", "/repos/octo/issues/issues", json={"title": "first"})
    assert r.status_code == 201 and r.json()["number"] == 1
    ref = sb.api("GET", "/repos/octo/issues/git/ref/heads/main").json()["object"]["sha"]
    sb.api("POST", "/repos/octo/issues/git/refs", json={"ref": "refs/heads/f", "sha": ref})
    put = sb.api(
        "PUT",
        "/repos/octo/issues/contents/f.txt",
        json={"message": "f", "content": "eA==", "branch": "f"},
    )
    assert put.status_code == 201, put.text
    pull = sb.api(
        "POST", "/repos/octo/issues/pulls", json={"title": "p", "head": "f", "base": "main"}
    )
    assert pull.status_code == 201 and pull.json()["number"] == 2
    labels = sb.api(
        "POST", "/repos/octo/issues/issues/2/labels", json={"labels": ["smartmon:skip"]}
    )
    assert [x["name"] for x in labels.json()] == ["smartmon:skip"]
    items = sb.api("GET", "/repos/octo/issues/issues").json()
    assert [(i["number"], "pull_request" in i) for i in items] == [(2, True), (1, False)]
    note = sb.api("POST", "/repos/octo/issues/issues/2/comments", json={"body": "hi"}).json()
    assert note["html_url"].endswith(f"/octo/issues/pull/2#issuecomment-{note['id']}")


def test_permissions_follow_the_target(sb: SandboxHandle) -> None:
    only_prs = sb.admin.token(
        "github_token",
        repo="octo/issues",
        permissions={"pull_requests": "write", "issues": "read", "metadata": "read"},
    )
    denied = sb.api("POST", "/repos/octo/issues/issues", token=only_prs, json={"title": "x"})
    assert denied.status_code == 403
    assert "issues=write" in denied.headers["x-accepted-github-permissions"]
    assert denied.json()["message"] == "Resource not accessible by integration"
    missing = sb.api("GET", "/repos/octo/issues/issues/99", token=only_prs)
    assert missing.status_code == 404


def test_bodies_over_githubs_limit_are_refused(sb: SandboxHandle) -> None:
    sb.api("POST", "/repos/octo/issues/issues", json={"title": "t"})
    r = sb.api("POST", "/repos/octo/issues/issues/1/comments", json={"body": "x" * 65537})
    assert r.status_code == 422 and "too long" in r.json()["message"]
