"""End to end through `smartmon sandbox serve` with the real runner: a scenario fails, a pushed
fix starts a new run that passes."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from smartmon.sandbox import scenarios
from tests.fixtures_sandbox import SandboxHandle, clone_url, git

pytest_plugins = ["tests.fixtures_sandbox"]


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", [["missing-dependency"]], indirect=True)
def test_a_pushed_fix_turns_the_scenario_green(sandbox: SandboxHandle, tmp_path: Path) -> None:
    scenario = scenarios.load("missing-dependency")
    assert sandbox.repo == scenario.full_name
    sandbox.admin.wait_idle(timeout=240)
    runs = sandbox.api("GET", f"/repos/{sandbox.repo}/actions/runs").json()["workflow_runs"]
    assert [r["conclusion"] for r in runs] == ["failure"]
    jobs = sandbox.api("GET", f"/repos/{sandbox.repo}/actions/runs/{runs[0]['id']}/jobs").json()
    failed = next(j for j in jobs["jobs"] if j["conclusion"] == "failure")
    log = sandbox.api("GET", f"/repos/{sandbox.repo}/actions/jobs/{failed['id']}/logs")
    assert log.status_code == 302
    text = requests.get(log.headers["Location"], timeout=60).text
    assert "##[error]Process completed with exit code 1." in text

    work = tmp_path / "work"
    git("clone", "--quiet", clone_url(sandbox.api_url, sandbox.repo, sandbox.token), str(work))
    for path, content in scenario.fix_files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(content)
        git("add", path, cwd=work)
    git("commit", "--quiet", "-m", "Fix the missing dependency", cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    sandbox.admin.wait_idle(timeout=240)
    runs = sandbox.api("GET", f"/repos/{sandbox.repo}/actions/runs").json()["workflow_runs"]
    assert [r["conclusion"] for r in runs] == ["success", "failure"]
    assert runs[0]["head_sha"] == git("rev-parse", "HEAD", cwd=work).stdout.strip()
