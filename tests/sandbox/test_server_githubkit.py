"""An independent client, githubkit, whose typed models reject any shape mistake of the sandbox."""

from __future__ import annotations

import base64
import warnings
from typing import Any

import pytest

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from githubkit import GitHub
    from githubkit.exception import RequestFailed
    from githubkit.versions.latest.models import WebhookWorkflowRunCompleted

FAILING = CI_WORKFLOW.replace("echo test", "pytest || exit 1").replace("name: CI", "name: Tests")
FOLLOWER = """\
name: Follow
on:
  workflow_run:
    workflows: [Tests]
    types: [completed]
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo follow
"""
OWNER, NAME = "octo", "demo"


@pytest.fixture
def gh(sandbox_server: SandboxHandle) -> Any:
    files = {
        ".github/workflows/t.yml": FAILING,
        ".github/workflows/follow.yml": FOLLOWER,
        "README.md": "hi\n",
    }
    sandbox_server.admin.create_repo(OWNER, NAME, files)
    sandbox_server.admin.wait_idle()
    return GitHub(sandbox_server.token, base_url=sandbox_server.api_url)


def test_runs_jobs_logs_and_reruns(gh: Any, sandbox_server: SandboxHandle) -> None:
    actions = gh.rest.actions
    runs = actions.list_workflow_runs_for_repo(OWNER, NAME, status="failure").parsed_data
    assert runs.total_count == 1
    run = runs.workflow_runs[0]
    assert actions.get_workflow_run(OWNER, NAME, run.id).parsed_data.conclusion == "failure"
    assert actions.get_workflow_run_attempt(OWNER, NAME, run.id, 1).parsed_data.run_attempt == 1
    jobs = actions.list_jobs_for_workflow_run(OWNER, NAME, run.id, filter_="all").parsed_data.jobs
    failed = next(j for j in jobs if j.conclusion == "failure")
    assert actions.get_job_for_workflow_run(OWNER, NAME, failed.id).parsed_data.steps
    attempt_jobs = actions.list_jobs_for_workflow_run_attempt(OWNER, NAME, run.id, 1).parsed_data
    assert attempt_jobs.total_count == 2
    workflows = actions.list_repo_workflows(OWNER, NAME).parsed_data.workflows
    tests_wf = next(w for w in workflows if w.name == "Tests")
    assert (
        actions.get_workflow(OWNER, NAME, tests_wf.id).parsed_data.path == ".github/workflows/t.yml"
    )
    by_file = actions.list_workflow_runs(OWNER, NAME, "t.yml").parsed_data
    assert by_file.total_count == 1
    log = actions.download_job_logs_for_workflow_run(OWNER, NAME, failed.id)
    assert "Process completed with exit code 1." in log.text
    notes = gh.rest.checks.list_annotations(OWNER, NAME, failed.id).parsed_data
    assert notes[0].annotation_level == "failure"
    assert actions.re_run_workflow_failed_jobs(OWNER, NAME, run.id).status_code == 201
    sandbox_server.admin.wait_idle()
    assert actions.get_workflow_run(OWNER, NAME, run.id).parsed_data.run_attempt == 2
    assert actions.re_run_workflow(OWNER, NAME, run.id).status_code == 201
    sandbox_server.admin.wait_idle()
    with pytest.raises(RequestFailed) as caught:
        actions.cancel_workflow_run(OWNER, NAME, run.id)
    assert caught.value.response.status_code == 409
    dispatched = actions.create_workflow_dispatch(OWNER, NAME, "t.yml", ref="main")
    assert dispatched.status_code in (200, 204)
    sandbox_server.admin.wait_idle()
    assert actions.list_workflow_runs(OWNER, NAME, tests_wf.id).parsed_data.total_count == 2


def test_workflow_run_payload_is_a_valid_webhook(gh: Any, sandbox_server: SandboxHandle) -> None:
    assert sandbox_server.runner is not None
    request = next(
        r for r in sandbox_server.runner.requests if r.workflow_path.endswith("follow.yml")
    )
    event = WebhookWorkflowRunCompleted.model_validate(request.payload)
    assert event.workflow_run.conclusion == "failure"
    assert event.workflow_run.head_repository.fork is False


def test_repository_routes(gh: Any) -> None:
    repos = gh.rest.repos
    assert repos.get(OWNER, NAME).parsed_data.default_branch == "main"
    readme = repos.get_content(OWNER, NAME, "README.md").parsed_data
    assert base64.b64decode(readme.content) == b"hi\n"
    main = gh.rest.git.get_ref(OWNER, NAME, "heads/main").parsed_data.object_.sha
    gh.rest.git.create_ref(OWNER, NAME, ref="refs/heads/fix", sha=main)
    put = repos.create_or_update_file_contents(
        OWNER,
        NAME,
        "fix.txt",
        message="fix",
        content=base64.b64encode(b"x\n").decode(),
        branch="fix",
    ).parsed_data
    assert put.commit.sha
    compared = repos.compare_commits(OWNER, NAME, "main...fix").parsed_data
    assert compared.ahead_by == 1
    assert len(repos.list_commits(OWNER, NAME, sha="fix").parsed_data) == 2
    assert repos.get_commit(OWNER, NAME, "fix").parsed_data.files
    pull = gh.rest.pulls.create(OWNER, NAME, title="Fix", head="fix", base="main").parsed_data
    assert gh.rest.pulls.get(OWNER, NAME, pull.number).parsed_data.title == "Fix"
    assert [p.number for p in gh.rest.pulls.list(OWNER, NAME).parsed_data] == [pull.number]
    moved = gh.rest.git.update_ref(OWNER, NAME, "heads/main", sha=put.commit.sha).parsed_data
    assert moved.object_.sha == put.commit.sha
    branch = repos.get_branch(OWNER, NAME, "main").parsed_data
    assert (branch.commit.sha, branch.protected) == (put.commit.sha, False)
    key = gh.rest.actions.get_repo_public_key(OWNER, NAME).parsed_data
    assert key.key_id
    core = gh.rest.rate_limit.get().parsed_data.resources.core
    assert core.limit == 5000
