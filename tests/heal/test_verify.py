"""verify: which workflows a push or dispatch can start, the rerun backoff, and waiting for a run
(against the in-process sandbox, with an injected clock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smartmon.github.client import GitHubClient
from smartmon.heal import verify

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on: workflow_dispatch\n", True),
        ("on: [push, workflow_dispatch]\n", True),
        ("on:\n  workflow_dispatch:\n    inputs: {}\n", True),
        ("on:\n  push:\n", False),
        ("on: [push\n", False),  # invalid YAML
        ("", False),
    ],
)
def test_has_dispatch(text: str, expected: bool) -> None:
    assert verify.has_dispatch(text) is expected


@pytest.mark.parametrize(
    ("on", "branch", "expected"),
    [
        ("on: push\n", "feature", True),
        ("on:\n  push:\n    branches: [main]\n", "feature", False),
        ("on:\n  push:\n    branches: [main]\n", "main", True),
        ("on:\n  push:\n    branches: ['release/*']\n", "release/1.2", True),
        ("on:\n  push:\n    branches: ['release/*']\n", "release/1/x", False),
        ("on:\n  push:\n    branches: ['smartmon/**']\n", "smartmon/fix-12", True),
        ("on:\n  push:\n    branches-ignore: ['smartmon/**']\n", "smartmon/fix-12", False),
        ("on:\n  push:\n    branches: [main]\n  pull_request:\n", "smartmon/fix-1", True),
        ("on: workflow_dispatch\n", "main", False),
    ],
)
def test_may_start_on(on: str, branch: str, expected: bool) -> None:
    assert verify.may_start_on(on, branch) is expected


def test_rerun_delay_doubles_up_to_the_cap() -> None:
    assert [verify.rerun_delay(n) for n in (1, 2, 3)] == [5.0, 10.0, 20.0]
    assert verify.rerun_delay(30) == verify.RERUN_BACKOFF_CAP


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_wait_for_run_reports_the_run_on_the_commit(sandbox_server: SandboxHandle) -> None:
    files = {".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  a:\n    runs-on: x\n"
             "    steps:\n      - run: exit 1\n"}  # fmt: skip
    made = sandbox_server.admin.create_repo("octo", "w", files)
    sandbox_server.admin.wait_idle()
    client = GitHubClient(sandbox_server.token, repo="octo/w", api_url=sandbox_server.api_url)
    run = client.get_run(made["runs"][0])
    clock = Clock()
    found = verify.wait_for_run(
        client, workflow_id=run["workflow_id"], sha=made["head_sha"], timeout=60,
        clock=clock, sleep=clock.sleep,
    )  # fmt: skip
    assert (found.status, found.run_id) == ("failed", run["id"])
    assert clock.slept == []
    nothing = verify.wait_for_run(
        client, workflow_id=run["workflow_id"], sha="0" * 40, timeout=12,
        clock=clock, sleep=clock.sleep,
    )  # fmt: skip
    assert nothing.status == "unverified: no run started on 000000000000 within 12 s"
    assert sum(clock.slept) == 12 and nothing.next_steps
