"""A second independent client, PyGithub: Link-header paging, reruns, dispatch, contents, pulls,
refs, secrets (its own sealed box) and the rate limit, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

github = pytest.importorskip("github")  # PyGithub

FAILING = CI_WORKFLOW.replace("echo test", "pytest || exit 1").replace("name: CI", "name: Tests")


@pytest.fixture
def repo(sandbox_server: SandboxHandle) -> Any:
    files = {
        ".github/workflows/ci.yml": CI_WORKFLOW,
        ".github/workflows/t.yml": FAILING,
        "README.md": "hi\n",
    }
    sandbox_server.admin.create_repo("octo", "demo", files)
    sandbox_server.admin.wait_idle()
    client = github.Github(
        auth=github.Auth.Token(sandbox_server.token), base_url=sandbox_server.api_url, per_page=2
    )
    return client.get_repo("octo/demo")


def test_runs_paging_reruns_and_dispatch(repo: Any, sandbox_server: SandboxHandle) -> None:
    r = repo
    ci = r.get_workflow("ci.yml")
    for _ in range(3):
        assert ci.create_dispatch("main") is True
    sandbox_server.admin.wait_idle()
    runs = r.get_workflow_runs()
    assert runs.totalCount == 5
    assert len({run.id for run in runs}) == 5  # three pages of two, followed through Link
    failed = next(run for run in r.get_workflow_runs(status="failure"))
    assert failed.name == "Tests" and failed.run_attempt == 1
    jobs = list(failed.jobs())
    assert sorted(j.name for j in jobs) == ["build", "test"]
    assert [s.number for s in jobs[0].steps] == [1, 2, 5]
    assert failed.rerun_failed_jobs() is True
    sandbox_server.admin.wait_idle()
    failed.update()
    assert failed.run_attempt == 2
    assert failed.cancel() is False  # completed: 409


def test_repository_routes(repo: Any, sandbox_server: SandboxHandle) -> None:
    r = repo
    assert r.default_branch == "main"
    assert r.get_contents("README.md").decoded_content == b"hi\n"
    main = r.get_git_ref("heads/main")
    r.create_git_ref("refs/heads/fix", main.object.sha)
    made = r.create_file("fix.txt", "fix", "fixed\n", branch="fix")
    assert made["commit"].sha
    assert r.compare("main", "fix").ahead_by == 1
    pull = r.create_pull(title="Fix", body="why", head="fix", base="main")
    assert [p.number for p in r.get_pulls()] == [pull.number]
    assert r.create_secret("DEPLOY_KEY", "v4lue") is not None
    assert sandbox_server.admin.call("GET", "repos/octo/demo/secrets")["DEPLOY_KEY"] == "v4lue"
    main.edit(made["commit"].sha)
    assert r.get_branch("main").commit.sha == made["commit"].sha
