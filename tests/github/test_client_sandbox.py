"""The client against the sandbox emulator over real HTTP: every call smartmon makes, every fault.

Most tests use the in-process server (`sandbox_server`, fake runner: fast); one runs the real
`smartmon sandbox serve` process with the real workflow runner.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from smartmon.github.client import (
    AuthenticationFailed,
    Conflict,
    ConnectionFailed,
    GitHubClient,
    LogsExpired,
    LogsUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
)
from tests.github.fake_github import Sleeps

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

OWNER, NAME = "octo", "app"
FULL = f"{OWNER}/{NAME}"
CI = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
"""
FILES = {".github/workflows/ci.yml": CI, "README.md": "# app\n", "requirements.txt": "pytest\n"}


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    sandbox_server.admin.create_repo(OWNER, NAME, FILES)
    sandbox_server.admin.wait_idle()
    return sandbox_server


@pytest.fixture
def gh(sb: SandboxHandle, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(sb.token, repo=FULL, api_url=sb.api_url, clock=sleeps.clock, sleep=sleeps)


def _failed_run(gh: GitHubClient) -> dict[str, Any]:
    (run,) = gh.list_runs(workflow="ci.yml")
    assert run["conclusion"] == "failure"
    return dict(run)


def test_workflows_runs_jobs_and_annotations(gh: GitHubClient) -> None:
    (wf,) = gh.list_workflows()
    assert wf["path"] == ".github/workflows/ci.yml"
    run = _failed_run(gh)
    assert gh.list_runs(workflow=wf["id"], status="failure", branch="main")[0]["id"] == run["id"]
    assert gh.list_runs(event="pull_request") == []
    assert gh.list_runs(head_sha=run["head_sha"])[0]["id"] == run["id"]
    assert gh.get_run(run["id"])["head_sha"] == run["head_sha"]
    assert gh.get_run_attempt(run["id"], 1)["run_attempt"] == 1
    jobs = {j["name"]: j for j in gh.list_jobs(run["id"])}
    assert {n: j["conclusion"] for n, j in jobs.items()} == {
        "build": "success",
        "test": "failure",
        "docs": "failure",
    }
    assert gh.get_job(jobs["test"]["id"])["run_id"] == run["id"]
    notes = gh.annotations(jobs["test"]["id"])
    assert any(a["annotation_level"] == "failure" for a in notes)


def test_job_log_and_failed_job_logs(gh: GitHubClient) -> None:
    run = _failed_run(gh)
    logs = gh.failed_job_logs(run["id"])
    jobs = {j["id"]: j["name"] for j in gh.list_jobs(run["id"])}
    assert sorted(jobs[i] for i in logs) == ["docs", "test"]
    for text in logs.values():
        assert not text.startswith("\ufeff")
        assert "##[error]Process completed with exit code 1." in text


@pytest.mark.parametrize("layout", ["steps", "flat"])
def test_zip_fallback_when_job_logs_are_gone(
    sb: SandboxHandle, gh: GitHubClient, layout: str
) -> None:
    sb.admin.configure(FULL, zip_layout=layout)
    run = _failed_run(gh)
    archive = gh.run_logs_zip(run["id"])
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()
    sb.admin.faults("gone:path=*/actions/jobs/*/logs,times=*")
    with pytest.raises(LogsExpired):
        gh.job_log(gh.list_jobs(run["id"])[0]["id"])
    logs = gh.failed_job_logs(run["id"])
    assert len(logs) == 2
    assert all("exit code 1" in text for text in logs.values())


def test_expired_logs_everywhere(sb: SandboxHandle, gh: GitHubClient) -> None:
    run = _failed_run(gh)
    sb.admin.faults("gone:times=*")
    with pytest.raises(LogsExpired, match="logs expired"):
        gh.failed_job_logs(run["id"])


def test_truncated_zip_is_detected_and_a_retry_works(sb: SandboxHandle, gh: GitHubClient) -> None:
    run = _failed_run(gh)
    sb.admin.faults("truncated-zip:times=3")  # every download the client makes is cut
    with pytest.raises(LogsUnavailable, match="truncated"):
        gh.run_logs_zip(run["id"])
    assert zipfile.ZipFile(io.BytesIO(gh.run_logs_zip(run["id"]))).testzip() is None


def test_one_truncated_zip_is_downloaded_again(sb: SandboxHandle, gh: GitHubClient) -> None:
    run = _failed_run(gh)
    sb.admin.faults("truncated-zip")
    assert zipfile.ZipFile(io.BytesIO(gh.run_logs_zip(run["id"]))).testzip() is None
    assert sb.app is not None and sb.app.faults.active() == []  # the fault fired


def test_reruns_grow_the_attempt_on_the_same_sha(sb: SandboxHandle, gh: GitHubClient) -> None:
    run = _failed_run(gh)
    assert gh.rerun_failed_jobs(run["id"]) == 2
    sb.admin.wait_idle()
    again = gh.get_run(run["id"])
    assert again["run_attempt"] == 2
    assert again["head_sha"] == run["head_sha"]
    assert len(gh.list_jobs(run["id"], filter="all")) > len(gh.list_jobs(run["id"]))
    assert gh.rerun(run["id"]) == 3
    sb.admin.wait_idle()
    failed = [j for j in gh.list_jobs(run["id"]) if j["conclusion"] == "failure"]
    assert gh.rerun_job(failed[0]["id"]) == 4
    sb.admin.wait_idle()
    assert gh.get_run(run["id"])["run_attempt"] == 4
    assert len(gh.list_jobs(run["id"], attempt=1)) == 3


def test_dispatch_starts_a_run(sb: SandboxHandle, gh: GitHubClient) -> None:
    gh.dispatch("ci.yml", "main", {})
    sb.admin.wait_idle()
    events = sorted(r["event"] for r in gh.list_runs())
    assert events == ["push", "workflow_dispatch"]


def test_contents_refs_pulls_and_commits(gh: GitHubClient) -> None:
    main = gh.get_ref("main")["object"]["sha"]
    data, sha = gh.get_contents("requirements.txt", ref=main)
    assert data == b"pytest\n"
    gh.create_ref("smartmon/fix-1", main)
    put = gh.put_contents(
        "requirements.txt", b"pytest\npyyaml\n", "Add pyyaml", "smartmon/fix-1", sha=sha
    )
    fix_sha = put["commit"]["sha"]
    assert gh.get_contents("requirements.txt", ref="smartmon/fix-1")[0] == b"pytest\npyyaml\n"
    with pytest.raises(Conflict):
        gh.put_contents("requirements.txt", b"x\n", "stale", "smartmon/fix-1", sha=sha)
    created = gh.put_contents("docs/new.md", "hello\n", "Add docs", "smartmon/fix-1")
    assert created["content"]["path"] == "docs/new.md"

    pr = gh.create_pull("smartmon/fix-1", "main", "Fix CI", "Adds pyyaml")
    listed = gh.list_pulls(head="smartmon/fix-1", base="main")
    assert [p["number"] for p in listed] == [pr["number"]]
    assert gh.list_pulls(head="someone-else") == []

    cmp = gh.compare("main", "smartmon/fix-1")
    assert cmp["status"] == "ahead" and cmp["ahead_by"] == 2
    assert gh.list_commits("smartmon/fix-1", per_page=1)[0]["sha"] != fix_sha  # newest first
    assert gh.get_commit(fix_sha)["sha"] == fix_sha

    with pytest.raises(Conflict, match="branch main moved"):
        gh.update_ref("main", fix_sha, expected="0" * 40)
    moved = gh.update_ref("main", fix_sha, expected=main)
    assert moved["object"]["sha"] == fix_sha
    assert gh.get_ref("main")["object"]["sha"] == fix_sha


def test_secret_round_trip(sb: SandboxHandle, gh: GitHubClient) -> None:
    assert gh.put_secret("PYPI_TOKEN", "s3cret-value") is True
    assert gh.put_secret("PYPI_TOKEN", "rotated") is False
    secrets = sb.admin.call("GET", f"repos/{FULL}/secrets")
    assert secrets["PYPI_TOKEN"] == "rotated"


def test_rate_headers_etag_and_rate_limit(gh: GitHubClient) -> None:
    run = _failed_run(gh)
    gh.get_run(run["id"])
    assert gh.rate is not None
    before = gh.rate.remaining
    again = gh.http.request("GET", f"/repos/{FULL}/actions/runs/{run['id']}")
    assert again.from_cache
    assert gh.rate.remaining == before  # a 304 costs nothing
    assert gh.rate_limit()["resources"]["core"]["limit"] == gh.rate.limit


def test_errors_from_the_sandbox(sb: SandboxHandle, gh: GitHubClient) -> None:
    with pytest.raises(NotFound):
        gh.get_run(987654)
    bad = GitHubClient("ghp_" + "0" * 36, repo=FULL, api_url=sb.api_url, max_retries=0)
    with pytest.raises(AuthenticationFailed) as info:
        bad.get_repo()
    assert "0" * 36 not in str(info.value)
    readonly = sb.admin.token("github_token", permissions={"contents": "read"}, repo=FULL)
    ro = GitHubClient(readonly, repo=FULL, api_url=sb.api_url, max_retries=0)
    with pytest.raises(PermissionDenied, match="contents: write") as denied:
        ro.put_contents("x.txt", "x", "msg", "main")
    assert readonly not in str(denied.value)


def test_5xx_fault_is_retried_for_reads_not_for_writes(
    sb: SandboxHandle, gh: GitHubClient, sleeps: Sleeps
) -> None:
    sb.admin.faults("5xx:times=2,method=GET")
    assert gh.get_repo()["full_name"] == FULL
    assert len(sleeps.waits) == 2
    sb.admin.faults("5xx:status=503,method=POST,path=*/pulls")
    with pytest.raises(ServerError):
        gh.create_pull("main", "main", "x")


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_limit_fault_waits_retry_after(
    sb: SandboxHandle, gh: GitHubClient, sleeps: Sleeps, status: int
) -> None:
    sb.admin.faults(f"secondary:status={status},retry_after=7")
    assert gh.list_workflows()
    assert sleeps.waits == [7.0]


def test_primary_limit_fault_waits_for_reset_or_raises(
    sb: SandboxHandle, gh: GitHubClient, sleeps: Sleeps
) -> None:
    sb.admin.faults("primary:reset=30")
    assert gh.list_workflows()
    assert len(sleeps.waits) == 1 and sleeps.waits[0] > 0
    impatient = GitHubClient(sb.token, repo=FULL, api_url=sb.api_url, sleep=sleeps, max_wait=5)
    sb.admin.faults("primary:reset=3600")
    with pytest.raises(RateLimited) as info:
        impatient.list_workflows()
    assert info.value.reset_at is not None


def test_slow_fault_hits_the_timeout_and_the_read_is_retried(
    sb: SandboxHandle, sleeps: Sleeps
) -> None:
    # The timeout leaves a loaded machine room to answer the retry; the delay is well past it.
    gh = GitHubClient(sb.token, repo=FULL, api_url=sb.api_url, sleep=sleeps, timeout=1.0)
    sb.admin.faults("slow:delay_ms=4000")
    assert gh.get_repo()["full_name"] == FULL
    assert len(sleeps.waits) == 1
    strict = GitHubClient(
        sb.token, repo=FULL, api_url=sb.api_url, sleep=sleeps, timeout=1.0, max_retries=0
    )
    sb.admin.faults("slow:delay_ms=4000")
    with pytest.raises(ConnectionFailed):
        strict.get_repo()


@pytest.mark.slow
def test_real_sandbox_process_with_the_real_runner(sandbox: SandboxHandle, sleeps: Sleeps) -> None:
    files = {
        ".github/workflows/ci.yml": (
            "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: python -c 'import yaml_not_installed_anywhere'\n"
        ),
    }
    sandbox.admin.create_repo(OWNER, NAME, files)
    sandbox.admin.wait_idle()
    gh = GitHubClient(sandbox.token, repo=FULL, api_url=sandbox.api_url, sleep=sleeps)
    run = _failed_run(gh)
    (text,) = gh.failed_job_logs(run["id"]).values()
    assert "ModuleNotFoundError: No module named 'yaml_not_installed_anywhere'" in text
    assert "##[error]Process completed with exit code 1." in text
    assert gh.rerun_failed_jobs(run["id"]) == 2
    sandbox.admin.wait_idle()
    assert gh.get_run(run["id"])["conclusion"] == "failure"
