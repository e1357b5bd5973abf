"""GITHUB_TOKEN's permission model in the sandbox: the rules (pure), then one real run whose jobs
call the REST API and the OIDC service with their own tokens over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from smartmon.sandbox import Runner, SandboxServer, create_repo
from smartmon.sandbox.events import create_run
from smartmon.sandbox.permissions import (
    accepted_header,
    allows,
    job_permissions,
    needed,
    token_permissions,
)
from tests.sandbox.runner_support import make_runner


def test_a_job_block_replaces_the_workflows_and_unlisted_scopes_are_none() -> None:
    workflow = {"contents": "write", "issues": "write"}
    assert job_permissions(workflow, {"pull-requests": "write"}) == {
        "pull-requests": "write",
        "metadata": "read",
    }
    assert job_permissions(workflow, None) == {**workflow, "metadata": "read"}
    assert job_permissions(None, {}) == {"metadata": "read"}


def test_the_repository_default_applies_without_any_block() -> None:
    permissive = job_permissions(None, None, default="write")
    assert permissive["contents"] == "write" and permissive["pull-requests"] == "write"
    assert "id-token" not in permissive  # never granted unless asked for
    restricted = job_permissions(None, None, default="read")
    assert restricted == {
        "contents": "read",
        "packages": "read",
        "models": "read",
        "metadata": "read",
    }


def test_read_all_write_all_and_forks() -> None:
    assert job_permissions("read-all", None)["issues"] == "read"
    assert job_permissions(None, "write-all")["id-token"] == "write"
    fork = job_permissions({"contents": "write", "id-token": "write"}, None, fork=True)
    assert fork == {"contents": "read", "metadata": "read"}


def test_endpoints_need_what_githubs_table_says() -> None:
    comment = needed("POST", "/repos/o/r/issues/3/comments")
    assert comment == [{"issues": "write"}, {"pull_requests": "write"}]
    assert accepted_header(comment) == "issues=write; pull_requests=write"
    assert allows(token_permissions({"pull-requests": "write"}), comment)
    assert not allows(token_permissions({"pull-requests": "read", "issues": "read"}), comment)
    assert needed("POST", "/repos/o/r/code-scanning/sarifs") == [{"security_events": "write"}]
    assert needed("GET", "/repos/o/r/unknown-thing") is None


_CALL = """\
      - run: |
          code=$(curl -s -o out.json -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \\
            "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/issues" -d '{"title":"from ${{ github.job }}"}')
          echo "status=$code accepted=$(grep -o '"message":"[^"]*"' out.json || true)"
        env:
          TOKEN: ${{ github.token }}
"""
WORKFLOW = """\
name: Perms
on: push
permissions:
  contents: read
  issues: write
jobs:
  inherits:
    runs-on: ubuntu-latest
    steps:
@CALL@
  own-block:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
@CALL@
  oidc:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: |
          curl -sf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
            "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=pypi" | grep -o '"value":"[^.]*' | head -c 20
          echo " oidc=ok"
  no-oidc:
    runs-on: ubuntu-latest
    steps:
      - run: echo "oidc-url=${ACTIONS_ID_TOKEN_REQUEST_URL:-unset}"
      - run: echo "has-secret=${{ secrets.S != '' }}"
""".replace("@CALL@\n", _CALL)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    tmp = tmp_path_factory.mktemp("perms")
    runner: Runner = make_runner(tmp / "runner")
    with SandboxServer(runner, root=tmp / "repos").start() as app:
        yield app


def _logs(server: SandboxServer, full_name: str) -> dict[str, str]:
    assert server.queue.wait_idle(120)
    with server.state.lock:
        repo = server.state.repos[full_name]
        runs = {r.id for r in server.state.runs.values() if r.repo_id == repo.id}
        return {j.name: j.log for j in server.state.jobs.values() if j.run_id in runs}


@pytest.mark.slow
def test_each_job_gets_a_token_for_its_own_permissions(server: SandboxServer) -> None:
    files = {".github/workflows/perms.yml": WORKFLOW.encode(), "README.md": b"x\n"}
    create_repo(server, "octo", "perms", files)
    logs = _logs(server, "octo/perms")
    assert "status=201" in logs["inherits"], logs["inherits"]
    own = logs["own-block"]
    assert "status=403" in own and "Resource not accessible by integration" in own, own
    assert "PullRequests: write" in own and "Issues: write" not in own  # the Set up job list
    assert '"value":"eyJ' in logs["oidc"], logs["oidc"]  # a JWT from the OIDC service
    assert "oidc-url=unset" in logs["no-oidc"], logs["no-oidc"]


@pytest.mark.slow
def test_the_restricted_default_and_a_forks_token(server: SandboxServer) -> None:
    no_block = WORKFLOW.replace("permissions:\n  contents: read\n  issues: write\n", "", 1)
    files = {".github/workflows/perms.yml": no_block.encode(), "README.md": b"x\n"}
    repo, sha, _ = create_repo(
        server, "octo", "restricted", files, trigger=False, secrets={"S": "v"}
    )
    repo.default_workflow_permissions = "read"
    common = {"path": ".github/workflows/perms.yml", "name": "Perms", "sha": sha, "actor": "octo"}
    create_run(server, repo, ref="refs/heads/main", event="push", payload={}, **common)
    logs = _logs(server, "octo/restricted")
    assert "status=403" in logs["inherits"], logs["inherits"]
    assert "Contents: read" in logs["inherits"] and "Issues" not in logs["inherits"]
    assert "has-secret=true" in logs["no-oidc"], logs["no-oidc"]

    full = {".github/workflows/perms.yml": WORKFLOW.encode(), "README.md": b"x\n"}
    repo, sha, _ = create_repo(server, "octo", "forked", full, trigger=False, secrets={"S": "v"})
    repo.next_head_repository = "stranger/forked"
    common["sha"] = sha
    create_run(server, repo, ref="refs/pull/1/merge", event="pull_request", payload={}, **common)
    logs = _logs(server, "octo/forked")
    assert "status=403" in logs["inherits"], logs["inherits"]  # issues: write became read
    assert '"value":"eyJ' not in logs["oidc"]  # no OIDC token for a fork's pull request
    assert "has-secret=false" in logs["no-oidc"], logs["no-oidc"]  # and no secrets


def test_a_refusal_has_githubs_body_and_header(server: SandboxServer) -> None:
    files = {"README.md": b"x\n"}
    repo, _, _ = create_repo(server, "octo", "refused", files, trigger=False)
    token = server.state.new_token(
        "github_token", permissions={"contents": "read", "metadata": "read"}, repo=repo.full_name
    ).value
    r = requests.post(
        f"{server.api_url}/repos/octo/refused/issues/1/comments",
        json={"body": "x"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.status_code == 403
    assert r.headers["x-accepted-github-permissions"] == "issues=write; pull_requests=write"
    body = r.json()
    assert body["message"] == "Resource not accessible by integration"
    assert body["status"] == "403" and body["documentation_url"].startswith(
        "https://docs.github.com"
    )
