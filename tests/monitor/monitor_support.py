"""Helpers for the monitor tests: a fake clock, and heal steps that do real work in the sandbox.

The loop tests use the in-process sandbox (real HTTP, FakeRunner: a job fails when its script says
`exit 1`). `ContentsHeal` repairs such a workflow the way a person would, by pushing a commit
through the contents API, so the sandbox starts a new run on the fix; tests of the real heal
pipeline live with `heal.py` and in the demo test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartmon.diagnose import Analysis
from smartmon.github.client import GitHubClient
from smartmon.model import Edit, Finding, Fix, IssueType, Severity
from smartmon.monitor.config import MonitorConfig
from tests.fixtures_sandbox import SandboxHandle

FAILING_CI = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
"""
PASSING_CI = FAILING_CI.replace("exit 1", "echo ok")


class FakeClock:
    """Unix time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.start = self.now = float(int(time.time()))
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[int], None] | None = None  # called with the sleep's index

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep(len(self.sleeps))


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """Shaped like heal.HealResult (the fields the monitor reads)."""

    run_id: int
    skipped: str | None = None
    analysis: Analysis | None = None
    fixes: tuple[tuple[Fix, bool], ...] = ()
    delivery: str = "none"
    commit_sha: str | None = None
    pull_request_url: str | None = None
    patch: str | None = None
    rerun_attempt: int | None = None
    verification: str = ""
    verification_run_id: int | None = None


def finding(kind: IssueType = IssueType.TEST_FAILURE, fixable: bool = True) -> Finding:
    return Finding(
        type=kind,
        severity=Severity.HIGH,
        auto_fixable=fixable,
        rule="test-rule",
        job="test",
        step="Run exit 1",
        line=3,
        text="##[error]Process completed with exit code 1.",
    )


def analysis(*findings: Finding) -> Analysis:
    return Analysis(findings=tuple(findings), notices=(), jobs=())


@dataclass
class ContentsHeal:
    """Repairs `exit 1` in the run's workflow with a commit through the contents API."""

    sandbox: SandboxHandle
    calls: list[tuple[int, float]] = field(default_factory=list)
    cloned: list[bool] = field(default_factory=list)  # the workspace held the workflow file

    def __call__(
        self,
        client: GitHubClient,
        run: Mapping[str, Any],
        *,
        workspace: Path,
        config: MonitorConfig,
        token: str | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> Outcome:
        self.calls.append((int(run["id"]), clock()))
        path = str(run["path"]).partition("@")[0]  # runs name their file as PATH@REF
        self.cloned.append((workspace / path).is_file())
        text, sha = client.get_contents(path, ref=str(run["head_branch"]))
        fixed = text.decode().replace("exit 1", "echo fixed")
        edit = Edit(path=path, content=fixed.encode(), original=text)
        fix = Fix(type=IssueType.TEST_FAILURE, file=path, description="stop failing", edits=(edit,))
        result = client.put_contents(path, fixed, "fix CI", str(run["head_branch"]), sha)
        self.sandbox.admin.wait_idle()  # stands in for heal's wait for the verifying run
        return Outcome(
            run_id=int(run["id"]),
            analysis=analysis(finding()),
            fixes=((fix, True),),
            delivery="commit",
            commit_sha=str(result["commit"]["sha"]),
        )


def new_repo(sandbox: SandboxHandle, name: str, workflow: str = FAILING_CI) -> str:
    """A repository whose push run has finished; returns OWNER/NAME."""
    sandbox.admin.create_repo("octo", name, {".github/workflows/ci.yml": workflow})
    sandbox.admin.wait_idle()
    return f"octo/{name}"
