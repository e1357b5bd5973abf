"""Shared set-up for the reliability tests: a repository whose working branch fails in a way the
real heal pipeline fixes with a commit (a script that lost its executable bit), a monitor wired
to the in-process sandbox with a fake clock, and a count of smartmon's commits on the server.

FakeRunner fails a job whose script says `exit 1` and echoes the script into the log, so the
classifier reads the `Permission denied` line and the executable-bit fixer plans `chmod +x`;
every later run fails again, which is what the loop and fault tests need: a failure that stays.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from smartmon.github import git as gitops
from smartmon.github.client import GitHubClient
from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.loop import Monitor
from smartmon.report import FINAL_REPORT, REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import FakeClock

OWNER = "octo"
BRANCH = "feature"
PASSING = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
"""
NOT_EXECUTABLE = PASSING.replace(
    "      - run: echo ok\n",
    "      - run: |\n"
    "          ./build.sh\n"
    "          /home/runner/work/_temp/1.sh: line 1: ./build.sh: Permission denied\n"
    "          exit 1\n",
)


def failing_branch_repo(sb: SandboxHandle, name: str, workflow: str = NOT_EXECUTABLE) -> str:
    """`main` passes; `feature` fails with `workflow`. Returns OWNER/NAME once runs are idle."""
    files = {".github/workflows/ci.yml": PASSING, "build.sh": "#!/bin/sh\necho ok\n"}
    sb.admin.create_repo(OWNER, name, files)
    sb.admin.wait_idle()
    full = f"{OWNER}/{name}"
    client = GitHubClient(sb.token, repo=full, api_url=sb.api_url)
    main = client.get_ref("main")["object"]["sha"]
    client.create_ref(BRANCH, main)
    _, blob = client.get_contents(".github/workflows/ci.yml", ref=BRANCH)
    client.put_contents(".github/workflows/ci.yml", workflow, "break CI", BRANCH, blob)
    sb.admin.wait_idle()
    return full


def monitor(
    sb: SandboxHandle, repo: str, tmp_path: Path, clock: FakeClock, **options: Any
) -> Monitor:
    """A monitor with the real heal over every branch; reports in tmp_path/reports."""
    options.setdefault("max_iterations", 3)
    options.setdefault("interval", 30)
    config = MonitorConfig(reports_dir=tmp_path / "reports", all_branches=True, **options)
    client = GitHubClient(sb.token, repo=repo, api_url=sb.api_url, clock=clock)
    from smartmon.monitor.heal import WorkspaceClone

    clone = WorkspaceClone(client, token=sb.token, root=tmp_path / "clone")
    return Monitor(client, config, token=sb.token, clock=clock, sleep=clock.sleep, workspace=clone)


def git_dir(sb: SandboxHandle, repo: str) -> str:
    assert sb.app is not None, "needs the in-process sandbox"
    return sb.app.state.repos[repo].git_dir


def fix_commits(git_dir_path: str) -> dict[str, list[str]]:
    """Our commits on the server, across all branches: trailer value -> commit shas."""
    out = subprocess.run(
        [
            "git",
            "--git-dir",
            git_dir_path,
            "log",
            "--all",
            f"--format=%H%x00%(trailers:key={gitops.TRAILER},valueonly,separator=%x01)%x1e",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, list[str]] = {}
    for record in out.split("\x1e"):
        sha, _, trailers = record.strip().partition("\x00")
        for value in filter(None, trailers.strip().split("\x01")):
            found.setdefault(value.strip(), []).append(sha)
    return found


def reports(tmp_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every iteration report (each must parse) and the final report."""
    folder = tmp_path / "reports"
    iterations = [json.loads(p.read_text()) for p in sorted(folder.glob(f"{REPORT_PREFIX}*.json"))]
    return iterations, json.loads((folder / FINAL_REPORT).read_text())
