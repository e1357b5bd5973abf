"""The sandbox's Actions routes over real HTTP: runs, jobs, logs, reruns, dispatch, annotations."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
import requests

from smartmon.sandbox import runqueue
from smartmon.sandbox.state import Attempt
from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

FAILING = """\
name: Tests
on: [push, workflow_dispatch]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: pytest || exit 1
  report:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: echo report
"""
R = "/repos/octo/demo"


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    sandbox_server.admin.create_repo(
        "octo",
        "demo",
        {".github/workflows/ci.yml": CI_WORKFLOW, ".github/workflows/t.yml": FAILING},
    )
    sandbox_server.admin.wait_idle()
    return sandbox_server


def _runs(sb: SandboxHandle, query: str = "") -> dict[str, Any]:
    response = sb.api("GET", f"{R}/actions/runs{query}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _run_of(sb: SandboxHandle, name: str) -> dict[str, Any]:
    return next(r for r in _runs(sb)["workflow_runs"] if r["name"] == name)


def test_a_push_run_has_jobs_steps_and_headers(sb: SandboxHandle) -> None:
    response = sb.api("GET", f"{R}/actions/runs")
    assert response.headers["x-ratelimit-limit"] == "5000"
    assert response.headers["x-ratelimit-resource"] == "core"
    assert response.headers["x-github-api-version-selected"] == "2022-11-28"
    assert response.headers["x-github-request-id"]
    assert "Link" not in response.headers
    runs = response.json()["workflow_runs"]
    assert {r["name"] for r in runs} == {"CI", "Tests"}
    ci = _run_of(sb, "CI")
    assert (ci["status"], ci["conclusion"], ci["event"], ci["run_attempt"]) == (
        "completed",
        "success",
        "push",
        1,
    )
    assert ci["path"] == ".github/workflows/ci.yml@main"
    assert ci["head_repository"]["full_name"] == "octo/demo"
    assert ci["head_repository"]["fork"] is False
    jobs = sb.api("GET", f"{R}/actions/runs/{ci['id']}/jobs").json()
    assert jobs["total_count"] == 2
    job = jobs["jobs"][0]
    assert [s["number"] for s in job["steps"]] == [1, 2, 5]
    assert job["check_run_url"].endswith(f"/check-runs/{job['id']}")
    single = sb.api("GET", f"{R}/actions/jobs/{job['id']}").json()
    assert single["name"] == job["name"] and single["run_id"] == ci["id"]
    workflows = sb.api("GET", f"{R}/actions/workflows").json()
    assert sorted(w["path"] for w in workflows["workflows"]) == [
        ".github/workflows/ci.yml",
        ".github/workflows/t.yml",
    ]


def test_filters_and_paging(sb: SandboxHandle) -> None:
    for _ in range(3):
        r = sb.api("POST", f"{R}/actions/workflows/ci.yml/dispatches", json={"ref": "main"})
        assert r.status_code == 204
    sb.admin.wait_idle()
    assert _runs(sb)["total_count"] == 5
    assert _runs(sb, "?event=workflow_dispatch")["total_count"] == 3
    assert _runs(sb, "?status=failure")["total_count"] == 1
    assert _runs(sb, "?status=completed")["total_count"] == 5
    assert _runs(sb, "?branch=main&event=push")["total_count"] == 2
    assert _runs(sb, "?branch=other")["total_count"] == 0
    assert _runs(sb, "?created=>=2000-01-01")["total_count"] == 5
    assert _runs(sb, "?created=<2000-01-01")["total_count"] == 0
    sha = _runs(sb)["workflow_runs"][0]["head_sha"]
    assert _runs(sb, f"?head_sha={sha}")["total_count"] == 5
    per_wf = sb.api("GET", f"{R}/actions/workflows/ci.yml/runs").json()
    assert per_wf["total_count"] == 4

    first = sb.api("GET", f"{R}/actions/runs?per_page=2&status=completed")
    link = first.headers["Link"]
    assert 'rel="next"' in link and 'rel="last"' in link and "prev" not in link
    next_url = link.split(";")[0].strip("<>")
    assert "per_page=2" in next_url and "status=completed" in next_url and "page=2" in next_url
    second = requests.get(next_url, headers={"Authorization": f"Bearer {sb.token}"}, timeout=30)
    assert 'rel="prev"' in second.headers["Link"] and 'rel="first"' in second.headers["Link"]
    ids = [r["id"] for r in first.json()["workflow_runs"] + second.json()["workflow_runs"]]
    assert len(set(ids)) == 4


def test_etag_304_costs_no_rate_limit(sb: SandboxHandle) -> None:
    first = sb.api("GET", f"{R}/actions/runs")
    etag = first.headers["etag"]
    again = sb.api("GET", f"{R}/actions/runs", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["x-ratelimit-used"] == first.headers["x-ratelimit-used"]
    third = sb.api("GET", f"{R}/actions/runs")
    assert int(third.headers["x-ratelimit-used"]) == int(first.headers["x-ratelimit-used"]) + 1


def test_job_log_redirects_to_an_unauthenticated_blob(sb: SandboxHandle) -> None:
    run = _run_of(sb, "Tests")
    jobs = sb.api("GET", f"{R}/actions/runs/{run['id']}/jobs").json()["jobs"]
    failed = next(j for j in jobs if j["conclusion"] == "failure")
    response = sb.api("GET", f"{R}/actions/jobs/{failed['id']}/logs")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(sb.api_url + "/_blob/")
    blob = requests.get(location, timeout=30)
    assert blob.status_code == 200
    assert "##[error]Process completed with exit code 1." in blob.text


def test_blob_links_expire_after_a_minute(sb: SandboxHandle) -> None:
    assert sb.app is not None
    now = [1_000_000.0]
    sb.app.clock = lambda: now[0]
    url = sb.app.make_blob(b"data", "text/plain")
    assert requests.get(url, timeout=30).status_code == 200
    now[0] += 61
    assert requests.get(url, timeout=30).status_code == 403


def _zip_names(sb: SandboxHandle, run_id: int, path: str = "logs") -> list[str]:
    response = sb.api("GET", f"{R}/actions/runs/{run_id}/{path}")
    assert response.status_code == 302
    data = requests.get(response.headers["Location"], timeout=30).content
    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_run_logs_zip_in_both_layouts(sb: SandboxHandle) -> None:
    run = _run_of(sb, "CI")
    names = _zip_names(sb, run["id"])
    assert "0_build.txt" in names and "1_test.txt" in names
    assert "build/1_Set up job.txt" in names and "test/5_Complete job.txt" in names
    sb.admin.configure("octo/demo", zip_layout="flat", zip_legacy=True)
    flat = _zip_names(sb, run["id"], "attempts/1/logs")
    assert flat == ["-1_build.txt", "-2_test.txt", "0_build.txt", "1_test.txt"]


def test_rerun_failed_jobs_reruns_failures_and_dependents(sb: SandboxHandle) -> None:
    run = _run_of(sb, "Tests")
    assert run["conclusion"] == "failure"
    response = sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun-failed-jobs")
    assert (response.status_code, response.json()) == (201, {})
    sb.admin.wait_idle()
    again = sb.api("GET", f"{R}/actions/runs/{run['id']}").json()
    assert again["run_attempt"] == 2
    assert again["head_sha"] == run["head_sha"]
    assert again["previous_attempt_url"].endswith(f"/runs/{run['id']}/attempts/1")
    assert sb.runner is not None
    assert sb.runner.requests[-1].jobs_to_run == {"test", "report"}
    assert set(sb.runner.requests[-1].previous_jobs) == {"build", "test", "report"}
    attempt2 = sb.api("GET", f"{R}/actions/runs/{run['id']}/attempts/2/jobs").json()
    assert sorted(j["name"] for j in attempt2["jobs"]) == ["report", "test"]
    latest = sb.api("GET", f"{R}/actions/runs/{run['id']}/jobs").json()
    assert sorted((j["name"], j["run_attempt"]) for j in latest["jobs"]) == [
        ("build", 1),
        ("report", 2),
        ("test", 2),
    ]
    everything = sb.api("GET", f"{R}/actions/runs/{run['id']}/jobs?filter=all").json()
    assert everything["total_count"] == 5
    first = sb.api("GET", f"{R}/actions/runs/{run['id']}/attempts/1").json()
    assert first["run_attempt"] == 1 and first["previous_attempt_url"] is None


def test_rerun_whole_run_and_one_job(sb: SandboxHandle) -> None:
    run = _run_of(sb, "CI")
    assert sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun").status_code == 201
    sb.admin.wait_idle()
    assert sb.runner is not None and sb.runner.requests[-1].jobs_to_run is None
    jobs = sb.api("GET", f"{R}/actions/runs/{run['id']}/jobs").json()["jobs"]
    build = next(j for j in jobs if j["name"] == "build")
    assert sb.api("POST", f"{R}/actions/jobs/{build['id']}/rerun").status_code == 201
    sb.admin.wait_idle()
    assert sb.runner.requests[-1].jobs_to_run == {"build", "test"}
    assert sb.api("GET", f"{R}/actions/runs/{run['id']}").json()["run_attempt"] == 3
    # A successful run has nothing for rerun-failed-jobs to do.
    assert sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun-failed-jobs").status_code == 403


def test_fifty_reruns_is_the_cap(sb: SandboxHandle) -> None:
    assert sb.app is not None
    run = _run_of(sb, "CI")
    with sb.app.state.lock:  # 49 earlier re-runs, recorded directly to keep the test fast
        stored = sb.app.state.runs[run["id"]]
        done = stored.attempts[0]
        for number in range(2, runqueue.MAX_RERUNS + 1):
            stored.attempts.append(
                Attempt(number, "completed", "success", done.created_at, done.updated_at, "", "x")
            )
    assert sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun").status_code == 201  # the 50th
    sb.admin.wait_idle()
    assert sb.api("GET", f"{R}/actions/runs/{run['id']}").json()["run_attempt"] == 51
    response = sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun")
    assert response.status_code == 403
    assert "50" in response.json()["message"]
    assert response.json()["status"] == "403"


def test_cancel_a_completed_run_is_a_conflict(sb: SandboxHandle) -> None:
    run = _run_of(sb, "CI")
    response = sb.api("POST", f"{R}/actions/runs/{run['id']}/cancel")
    assert response.status_code == 409


def test_dispatch_passes_inputs_and_checks_the_trigger(sb: SandboxHandle) -> None:
    body = {"ref": "main", "inputs": {"level": "3"}}
    response = sb.api("POST", f"{R}/actions/workflows/ci.yml/dispatches", json=body)
    assert response.status_code == 204
    sb.admin.wait_idle()
    assert sb.runner is not None
    request = sb.runner.requests[-1]
    assert request.event == "workflow_dispatch" and request.payload["inputs"] == {"level": "3"}
    assert request.token.startswith("ghs_")
    versioned = sb.api(
        "POST",
        f"{R}/actions/workflows/ci.yml/dispatches",
        json={"ref": "main"},
        headers={"X-GitHub-Api-Version": "2026-03-10"},
    )
    assert versioned.status_code == 200 and versioned.json()["workflow_run_id"] > 0
    bad_ref = sb.api("POST", f"{R}/actions/workflows/ci.yml/dispatches", json={"ref": "nope"})
    assert bad_ref.status_code == 422
    assert (
        sb.api(
            "POST", f"{R}/actions/workflows/missing.yml/dispatches", json={"ref": "main"}
        ).status_code
        == 404
    )
    sb.admin.wait_idle()


def test_run_token_has_the_workflow_permissions_and_expires(sb: SandboxHandle) -> None:
    assert sb.runner is not None
    request = next(r for r in sb.runner.requests if r.workflow_path.endswith("ci.yml"))
    # The run is over: its GITHUB_TOKEN no longer works.
    assert sb.api("GET", f"{R}", token=request.token).status_code == 401
    assert sb.app is not None
    token = sb.app.state.tokens[request.token]
    assert token.kind == "github_token"
    assert token.permissions == {"metadata": "read", "contents": "write", "actions": "read"}


def test_annotations_use_the_job_id_as_check_run_id(sb: SandboxHandle) -> None:
    run = _run_of(sb, "Tests")
    jobs = sb.api("GET", f"{R}/actions/runs/{run['id']}/jobs").json()["jobs"]
    failed = next(j for j in jobs if j["conclusion"] == "failure")
    response = sb.api("GET", f"{R}/check-runs/{failed['id']}/annotations")
    assert response.status_code == 200
    (annotation,) = response.json()
    assert annotation["annotation_level"] == "failure"
    assert annotation["path"] == ".github"
    assert annotation["message"] == "Process completed with exit code 1."
    assert sb.api("GET", f"{R}/check-runs/999999999/annotations").status_code == 404


def test_deleted_logs_are_gone(sb: SandboxHandle) -> None:
    run = _run_of(sb, "CI")
    assert sb.api("DELETE", f"{R}/actions/runs/{run['id']}/logs").status_code == 204
    gone = sb.api("GET", f"{R}/actions/runs/{run['id']}/logs")
    assert gone.status_code == 410
    assert gone.json()["status"] == "410"


def test_fork_head_repository_for_the_next_run(sb: SandboxHandle) -> None:
    sb.admin.configure("octo/demo", next_head_repository="fork-owner/demo")
    sb.api("POST", f"{R}/actions/workflows/ci.yml/dispatches", json={"ref": "main"})
    sb.admin.wait_idle()
    newest = _runs(sb)["workflow_runs"][0]
    assert newest["head_repository"]["full_name"] == "fork-owner/demo"
    assert newest["head_repository"]["fork"] is True
    assert newest["repository"]["full_name"] == "octo/demo"


CHAIN = """\
name: {name}
on:
  workflow_run:
    workflows: [{parent}]
    types: [completed]
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo {name}
"""


def test_workflow_run_chains_stop_after_three_levels(sandbox_server: SandboxHandle) -> None:
    files = {
        ".github/workflows/a.yml": "name: A\non: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo\n"
    }
    for parent, name in (("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")):
        files[f".github/workflows/{name.lower()}.yml"] = CHAIN.format(name=name, parent=parent)
    sandbox_server.admin.create_repo("octo", "chain", files)
    sandbox_server.admin.wait_idle()
    runs = sandbox_server.api("GET", "/repos/octo/chain/actions/runs").json()["workflow_runs"]
    assert sorted(r["name"] for r in runs) == ["A", "B", "C", "D"]
    b = next(r for r in runs if r["name"] == "B")
    assert b["event"] == "workflow_run"
    assert sandbox_server.runner is not None
    payload = next(
        q.payload for q in sandbox_server.runner.requests if q.workflow_path.endswith("b.yml")
    )
    assert payload["action"] == "completed"
    assert payload["workflow_run"]["name"] == "A"
    assert payload["workflow_run"]["conclusion"] == "success"
    assert payload["workflow"]["path"] == ".github/workflows/a.yml"


WAITING = "name: Long\non: workflow_dispatch\nfake-wait-for-cancel: true\njobs: {}\n"


def test_cancel_a_running_run(sandbox_server: SandboxHandle) -> None:
    sandbox_server.admin.create_repo("octo", "long", {".github/workflows/long.yml": WAITING})
    path = "/repos/octo/long/actions"
    assert (
        sandbox_server.api(
            "POST", f"{path}/workflows/long.yml/dispatches", json={"ref": "main"}
        ).status_code
        == 204
    )
    assert sandbox_server.runner is not None
    assert sandbox_server.runner.started.wait(timeout=60)
    run = sandbox_server.api("GET", f"{path}/runs").json()["workflow_runs"][0]
    assert run["status"] == "in_progress"
    rerun = sandbox_server.api("POST", f"{path}/runs/{run['id']}/rerun")
    assert (
        rerun.status_code == 403 and rerun.json()["message"] == "This workflow run cannot be rerun"
    )
    assert sandbox_server.api("POST", f"{path}/runs/{run['id']}/cancel").status_code == 202
    sandbox_server.admin.wait_idle()
    done = sandbox_server.api("GET", f"{path}/runs/{run['id']}").json()
    assert (done["status"], done["conclusion"]) == ("completed", "cancelled")


def test_runs_older_than_thirty_days_cannot_be_rerun(sb: SandboxHandle) -> None:
    assert sb.app is not None
    run = _run_of(sb, "CI")
    real = sb.app.clock
    sb.app.clock = lambda: real() + 31 * 24 * 3600
    response = sb.api("POST", f"{R}/actions/runs/{run['id']}/rerun")
    assert response.status_code == 403


def test_runs_receive_secrets_and_variables(sb: SandboxHandle) -> None:
    sb.admin.configure("octo/demo", secrets={"api_key": "k"}, variables={"STAGE": "test"})
    sb.api("POST", f"{R}/actions/workflows/ci.yml/dispatches", json={"ref": "main"})
    sb.admin.wait_idle()
    assert sb.runner is not None
    request = sb.runner.requests[-1]
    assert request.secrets == {"API_KEY": "k"} and request.variables == {"STAGE": "test"}
    assert request.git_url == f"{sb.api_url}/octo/demo.git" and request.api_url == sb.api_url
