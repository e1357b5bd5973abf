"""Check runs (job id = check-run id), run-level annotations, and pull_request runs."""

from __future__ import annotations

import base64
import warnings

import pytest

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from githubkit import GitHub

BROKEN = "name: Broken\non: push\nfake-startup-failure: \"Unexpected value 'stepz'\"\njobs: {}\n"
PR_WORKFLOW = """\
name: PR
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: echo pr
"""
R = "/repos/octo/demo"


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    files = {
        ".github/workflows/ci.yml": CI_WORKFLOW,
        ".github/workflows/broken.yml": BROKEN,
        ".github/workflows/pr.yml": PR_WORKFLOW,
    }
    sandbox_server.admin.create_repo("octo", "demo", files)
    sandbox_server.admin.wait_idle()
    return sandbox_server


def test_startup_failure_annotations_hang_on_the_check_suite(sb: SandboxHandle) -> None:
    runs = sb.api("GET", f"{R}/actions/runs").json()["workflow_runs"]
    broken = next(r for r in runs if r["name"] == "Broken")
    assert broken["conclusion"] == "startup_failure"
    assert sb.api("GET", f"{R}/actions/runs/{broken['id']}/jobs").json()["total_count"] == 0
    suite = sb.api("GET", f"{R}/check-suites/{broken['check_suite_id']}/check-runs").json()
    (check,) = suite["check_runs"]
    assert check["output"]["annotations_count"] == 1
    notes = sb.api("GET", f"{R}/check-runs/{check['id']}/annotations").json()
    assert notes[0]["path"] == ".github/workflows/broken.yml"
    assert notes[0]["message"] == "Unexpected value 'stepz'"
    assert notes[0]["title"] == "Invalid workflow"


def test_job_check_runs_validate_with_githubkit(sb: SandboxHandle) -> None:
    gh = GitHub(sb.token, base_url=sb.api_url)
    runs = sb.api("GET", f"{R}/actions/runs").json()["workflow_runs"]
    ci = next(r for r in runs if r["name"] == "CI")
    suite = gh.rest.checks.list_for_suite("octo", "demo", ci["check_suite_id"]).parsed_data
    assert sorted(c.name for c in suite.check_runs) == ["build", "test"]
    job_id = suite.check_runs[0].id
    assert gh.rest.checks.get("octo", "demo", job_id).parsed_data.head_sha == ci["head_sha"]
    job = sb.api("GET", f"{R}/actions/jobs/{job_id}").json()
    assert job["check_run_url"] == f"{sb.api_url}{R}/check-runs/{job_id}"


def _open_pull(sb: SandboxHandle, branch: str, token: str | None = None) -> None:
    main = sb.api("GET", f"{R}/git/ref/heads/main").json()["object"]["sha"]
    sb.api("POST", f"{R}/git/refs", json={"ref": f"refs/heads/{branch}", "sha": main})
    change = {"message": "c", "content": base64.b64encode(b"c").decode(), "branch": branch}
    assert sb.api("PUT", f"{R}/contents/{branch}.txt", json=change).status_code == 201
    body = {"title": branch, "head": branch, "base": "main"}
    assert sb.api("POST", f"{R}/pulls", json=body, token=token).status_code == 201
    sb.admin.wait_idle()


def test_pull_requests_start_pull_request_runs(sb: SandboxHandle) -> None:
    _open_pull(sb, "feature")
    runs = sb.api("GET", f"{R}/actions/runs?event=pull_request").json()["workflow_runs"]
    (run,) = runs
    assert (run["head_branch"], run["conclusion"]) == ("feature", "success")
    (pull,) = run["pull_requests"]
    assert (pull["number"], pull["head"]["ref"], pull["base"]["ref"]) == (1, "feature", "main")
    gh = GitHub(sb.token, base_url=sb.api_url)
    typed = gh.rest.actions.get_workflow_run("octo", "demo", run["id"])
    assert typed.parsed_data.pull_requests[0].head.ref == "feature"
    assert sb.runner is not None
    assert sb.runner.requests[-1].ref == "refs/pull/1/merge"


def test_pull_requests_opened_by_github_token_need_approval(sb: SandboxHandle) -> None:
    bot = sb.admin.token("github_token", repo="octo/demo")
    _open_pull(sb, "bot-fix", token=bot)
    (run,) = sb.api("GET", f"{R}/actions/runs?event=pull_request").json()["workflow_runs"]
    assert (run["status"], run["conclusion"]) == ("completed", "action_required")
    assert sb.runner is not None
    assert all(r.event != "pull_request" for r in sb.runner.requests)
