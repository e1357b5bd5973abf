"""`kill -9` of `smartmon monitor` in the middle of a heal, then a restart: the reports already
written stay whole, the new session ends with its final report, and the fix lands once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartmon.report import FINAL_REPORT, REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle
from tests.reliability.reliability_support import failing_branch_repo, fix_commits, git_dir


def start(sb: SandboxHandle, repo: str, tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.Popen(
        [
            sys.executable, "-m", "smartmon", "monitor",
            "--repo", repo, "--token", sb.token, "--api-url", sb.api_url,
            "--all-branches", "--interval", "0", "--reports", str(tmp_path / "reports"),
            "--log-file", str(tmp_path / "monitor.log"), "--workspace", str(tmp_path / "ws"),
            *extra,
        ],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


# Where the first session is killed: a request that hangs, and the set-up that leads there.
KILL_POINTS = {
    # reading the failed jobs: nothing delivered yet
    "before-delivery": "/repos/*/actions/runs/*/attempts/*/jobs",
    # waiting for the run that verifies the fix: the fix branch and its pull request exist
    "after-delivery": "/repos/*/actions/runs",
}


@pytest.mark.slow
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_mid_heal_then_restart(
    sandbox_server: SandboxHandle, tmp_path: Path, point: str
) -> None:
    repo = failing_branch_repo(sandbox_server, "killed")
    assert sandbox_server.app is not None
    # A protected branch sends the fix to a pull request, so the failing run stays the latest
    # run of its branch and the restarted monitor meets the same failure again.
    sandbox_server.admin.configure(repo, protected_branches=["feature"])
    path = KILL_POINTS[point]
    sandbox_server.admin.faults(f"slow:delay_ms=20000,method=GET,path={path}")
    first = start(sandbox_server, repo, tmp_path)
    deadline = time.monotonic() + 60
    while sandbox_server.app.faults.active() and first.poll() is None:
        assert time.monotonic() < deadline, "the monitor never reached the kill point"
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert not (tmp_path / "reports" / FINAL_REPORT).exists()
    pulls_before = sandbox_server.api("GET", f"/repos/{repo}/pulls").json()
    assert len(pulls_before) == (1 if point == "after-delivery" else 0)

    second = start(sandbox_server, repo, tmp_path, "--max-iterations", "3")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 1, err  # the failure stays: FakeRunner fails every run
    reports = tmp_path / "reports"
    for report in reports.glob("*.json"):
        json.loads(report.read_text())  # nothing half-written by the kill
    final = json.loads((reports / FINAL_REPORT).read_text())
    assert final["total_iterations"] == 3
    assert len(list(reports.glob(f"{REPORT_PREFIX}*.json"))) >= 3
    commits = fix_commits(git_dir(sandbox_server, repo))
    assert sum(len(s) for s in commits.values()) == 1, commits
    assert len(sandbox_server.api("GET", f"/repos/{repo}/pulls").json()) == 1
