"""examples/org.yml in the sandbox's `org` scenario: the scan job's matrix lists exactly the failing
workflows of active repositories, one heal job per entry leaves a pull request, and once those are
merged and have passed, the next scheduled run's matrix is empty and heals nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from smartmon.cli.demo_story import Reviewer
from smartmon.github import GitHubClient
from smartmon.monitor import WorkspaceClone
from smartmon.sandbox import SandboxProcess
from smartmon.sandbox.scenarios.organisation import load_organisation
from tests.action import e2e_support as es
from tests.fixtures_sandbox import Admin

ROOT = Path(__file__).resolve().parents[2]
ORG = load_organisation("org")
EXPECTED = {(r.full_name, w) for r in ORG.failing() for w in r.failing_workflows}
CENTRAL = "smartmon-org/automation"
APP_PERMISSIONS = {
    "actions": "write",
    "checks": "read",
    "contents": "write",
    "metadata": "read",
    "pull_requests": "write",
    "workflows": "write",
}


def _source_files() -> dict[str, str]:
    files = {}
    for path in sorted((ROOT / "src" / "smartmon").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def org_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxProcess, Admin]]:
    folder = tmp_path_factory.mktemp("e2e-org")
    wheelhouse = es.build_wheelhouse(folder)
    action = es.action_copy(folder, wheelhouse)
    env = {
        **os.environ,
        "SMARTMON_TEST_WHEELHOUSE": str(wheelhouse),
        "SMARTMON_TEST_WORK": str(folder / "work"),
    }
    with SandboxProcess(
        scenarios=["org"],
        state_dir=folder / "state",
        action_map=[f"{es.ACTION}={action}"],
        runner="tests.action.sandbox_runner:make",
        extra_args=["--workers", "4"],
        env=env,
        cwd=ROOT,
    ) as proc:
        admin = Admin(proc.api_url, proc.admin_token, requests.Session())
        # The action's repository, public, as the scan job checks it out (`ref: v1`).
        files = {"action.yml": (action / "action.yml").read_text(encoding="utf-8")}
        files["requirements/action.txt"] = (action / "requirements/action.txt").read_text()
        files.update(_source_files())
        created = admin.create_repo("owner", "smartmon-action", files, private=False, trigger=False)
        GitHubClient(proc.token, repo="owner/smartmon-action", api_url=proc.api_url).create_ref(
            "v1", created["head_sha"]
        )
        app_token = admin.token("github_token", owner="smartmon-org", permissions=APP_PERMISSIONS)
        # upload-artifact@v3 is refused as on github.com only when smartmon knows it is there.
        workflow = es.as_on_github_com((ROOT / "examples" / "org.yml").read_text(encoding="utf-8"))
        admin.create_repo(
            "smartmon-org",
            "automation",
            {".github/workflows/org.yml": workflow, "README.md": "central\n"},
            secrets={"SMARTMON_APP_PRIVATE_KEY": app_token},
            variables={"SMARTMON_APP_CLIENT_ID": "Iv23sandbox"},
            trigger=False,
        )
        _wait(admin, 300)
        yield proc, admin


def _wait(admin: Admin, seconds: float) -> None:
    """Wait for the run queue in slices under the admin client's 60 s read timeout."""
    for _ in range(int(seconds // 50) + 1):
        try:
            admin.wait_idle(50)
            return
        except AssertionError:  # 408: still busy
            continue
    raise AssertionError(f"the sandbox was still busy after {seconds:.0f}s")


def _dispatch(proc: SandboxProcess, admin: Admin) -> list[dict[str, Any]]:
    client = GitHubClient(proc.token, repo=CENTRAL, api_url=proc.api_url)
    client.dispatch("org.yml", "main")
    _wait(admin, 900)
    run = client.list_runs(workflow="org.yml", max_items=1)[0]
    return [dict(j) for j in client.list_jobs(int(run["id"]))]


def _matrix(jobs: list[dict[str, Any]], proc: SandboxProcess) -> list[dict[str, Any]]:
    client = GitHubClient(proc.token, repo=CENTRAL, api_url=proc.api_url)
    scan = next(j for j in jobs if j["name"] == "Find failing repositories")
    log = client.job_log(int(scan["id"]))
    line = next(x for x in log.splitlines() if 'echo "matrix=$matrix"' not in x and "matrix={" in x)
    return json.loads(line.split("matrix=", 1)[1])["include"]  # type: ignore[no-any-return]


@pytest.mark.slow
def test_org_workflow_scans_fans_out_and_goes_quiet(
    org_sandbox: tuple[SandboxProcess, Admin],
) -> None:
    proc, admin = org_sandbox
    jobs = _dispatch(proc, admin)
    scan = next(j for j in jobs if j["name"] == "Find failing repositories")
    central = GitHubClient(proc.token, repo=CENTRAL, api_url=proc.api_url)
    assert scan["conclusion"] == "success", central.job_log(int(scan["id"]))[-3000:]
    heals = [j for j in jobs if j["name"].startswith("Heal ")]
    assert {j["name"] for j in heals} == {f"Heal {r} ({w})" for r, w in EXPECTED}
    failed = [j for j in heals if j["conclusion"] != "success"]
    assert not failed, central.job_log(int(failed[0]["id"]))[-4000:] if failed else ""
    # Each failing repository got its fix as a pull request; merge them as a reviewer would.
    for repository in sorted({r for r, _ in EXPECTED}):
        client = GitHubClient(proc.token, repo=repository, api_url=proc.api_url)
        assert client.list_pulls(), repository
        reviewer = Reviewer(client, proc.token, WorkspaceClone(client, token=proc.token))
        reviewer(SimpleNamespace(branch="main"), SimpleNamespace(delivery="pull-request"))  # type: ignore[arg-type]
    _wait(admin, 600)

    again = _dispatch(proc, admin)
    assert [j["name"] for j in again if j["conclusion"] != "skipped"] == [
        "Find failing repositories"
    ]
