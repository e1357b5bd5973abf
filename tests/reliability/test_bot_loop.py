"""Bot-loop proof: 100 consecutive failure events for a failure smartmon cannot fix produce at
most `max-attempts` fix commits and reruns. Each event is what the action receives: the latest
failed run of the branch, healed with the real pipeline against the sandbox; FakeRunner fails
every run again, so each fix and each rerun leads to one more failure event."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.github.client import GitHubClient
from smartmon.heal.pipeline import HealOptions, heal
from smartmon.monitor.heal import WorkspaceClone
from tests.fixtures_sandbox import SandboxHandle
from tests.reliability.reliability_support import (
    BRANCH,
    NOT_EXECUTABLE,
    failing_branch_repo,
    fix_commits,
    git_dir,
)

EVENTS = 100
MAX_ATTEMPTS = 2
FLAKY = NOT_EXECUTABLE.replace(
    "./build.sh\n          /home/runner/work/_temp/1.sh: line 1: ./build.sh: Permission denied",
    "npm ci\n          npm error code ECONNRESET",
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "workflow"), [("fix-never-helps", NOT_EXECUTABLE), ("flaky-forever", FLAKY)]
)
def test_100_failure_events_stay_within_max_attempts(
    sandbox_server: SandboxHandle, tmp_path: Path, name: str, workflow: str
) -> None:
    repo = failing_branch_repo(sandbox_server, name, workflow)
    client = GitHubClient(sandbox_server.token, repo=repo, api_url=sandbox_server.api_url)
    clone = WorkspaceClone(client, token=sandbox_server.token, root=tmp_path / "clone")
    options = HealOptions(max_attempts=MAX_ATTEMPTS, token_starts_runs=True, verify_timeout=0)
    workspace = clone.prepare(BRANCH)  # heal fetches each failing commit itself
    deliveries: list[str] = []
    for _ in range(EVENTS):
        run = client.list_runs(branch=BRANCH, per_page=1, max_items=1)[0]
        assert run["conclusion"] == "failure"
        result = heal(
            client,
            run,
            workspace=workspace,
            options=options,
            token=sandbox_server.token,
            sleep=lambda _s: None,
        )
        deliveries.append(result.delivery)
        assert result.delivery != "none" or result.skipped or result.notes or result.next_steps
        sandbox_server.admin.wait_idle()
    clone.close()
    commits = sum(len(shas) for shas in fix_commits(git_dir(sandbox_server, repo)).values())
    runs = client.list_runs(branch=BRANCH, per_page=100, max_items=1000)
    reruns = sum(int(r["run_attempt"]) - 1 for r in runs)
    print(f"\n{name}: {EVENTS} failure events -> {commits} fix commit(s), {reruns} rerun(s)")
    assert commits + reruns <= MAX_ATTEMPTS
    assert deliveries.count("commit") == commits and deliveries.count("rerun") == reruns
    assert commits + reruns >= 1  # it did try once: the bound is not met by doing nothing
    assert len(runs) <= 1 + commits + 1  # the branch's runs: the failure, plus one per commit
