"""The monitor, with the real heal pipeline, against the sandbox while GitHub has a bad day.

For each fault: it fires (the fault book ends empty), the loop runs to its stop rule with a clear
reason, every iteration writes its report, and smartmon's fix reaches the server at most once
(one commit per failed run, whatever was retried)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smartmon.github import git as gitops
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import FakeClock
from tests.reliability.reliability_support import (
    BRANCH,
    failing_branch_repo,
    fix_commits,
    git_dir,
    monitor,
    reports,
)

# name: (fault SPEC, what the first heal delivers)
FAULTS = {
    "5xx-burst": ("5xx:times=4,path=/repos/*/actions/runs/*/jobs", "commit"),
    "secondary-limit": (
        "secondary:status=429,retry_after=7,path=/repos/*/actions/jobs/*/logs;"
        "secondary:path=/repos/*/actions/workflows",
        "commit",
    ),
    "primary-limit": ("primary:reset=90,path=/repos/*/actions/runs/*/jobs", "commit"),
    "network-drop": ("drop:times=2", "commit"),
    "truncated-zip": ("gone:path=/repos/*/actions/jobs/*/logs;truncated-zip", "commit"),
    "expired-logs": ("gone:times=*,path=*/logs", "none"),
    "push-non-fast-forward": (f"push-nonff:branch={BRANCH}", "none"),
    "protected-branch": ("", "pull-request"),
}
SURVIVED = len(FAULTS)  # quoted in the README: the fault kinds this matrix runs


@pytest.mark.parametrize("name", list(FAULTS))
def test_the_monitor_survives(sandbox_server: SandboxHandle, tmp_path: Path, name: str) -> None:
    spec, first_delivery = FAULTS[name]
    repo = failing_branch_repo(sandbox_server, name)
    if name == "protected-branch":
        sandbox_server.admin.configure(repo, protected_branches=[BRANCH])
    else:
        sandbox_server.admin.faults(spec)
    clock = FakeClock()
    events: list[str] = []
    mon = monitor(sandbox_server, repo, tmp_path, clock)
    mon.observer.event = events.append  # type: ignore[method-assign]
    before = sandbox_server.api("GET", f"/repos/{repo}/git/ref/heads/{BRANCH}").json()

    assert mon.run() == 1  # the failure stays (FakeRunner fails every run): failures remain
    assert mon.stop_reason == "stopped after 3 iteration(s) with 1 workflow(s) failing" or (
        name == "protected-branch" and mon.stop_reason.startswith("stopped after 3 iteration(s)")
    )
    assert sandbox_server.app is not None
    left = sandbox_server.app.faults.active()
    assert left == [] or name == "expired-logs", f"the fault never fired: {left}"

    iterations, final = reports(tmp_path)
    assert [r["iteration"] for r in iterations] == [1, 2, 3]
    assert final["total_iterations"] == 3

    outcomes: list[Any] = [outcome for _, outcome in mon.outcomes]
    assert outcomes[0].delivery == first_delivery, outcomes[0]
    commits = fix_commits(git_dir(sandbox_server, repo))
    assert all(len(shas) == 1 for shas in commits.values()), commits  # never committed twice
    failing_run = outcomes[0].run_id
    if name == "expired-logs":
        assert commits == {}
        assert any("logs expired" in note for note in outcomes[0].notes)
        assert any("0 fix(es) applied" in e and "logs expired" in e for e in events), events
    elif name == "push-non-fast-forward":
        # Someone else's commit won the race: our push is refused as stale, nothing lands, and
        # the run that commit started is healed on the next check, once.
        assert outcomes[0].skipped.startswith("stale run")
        assert [o.delivery for o in outcomes[1:2]] == ["commit"]
        assert list(commits) == [f"run {outcomes[1].run_id}"]
    else:
        assert list(commits) == [f"run {failing_run}"]
    if name == "protected-branch":
        tip = sandbox_server.api("GET", f"/repos/{repo}/git/ref/heads/{BRANCH}").json()
        assert tip["object"]["sha"] == before["object"]["sha"]  # the branch itself is untouched
        pulls = sandbox_server.api("GET", f"/repos/{repo}/pulls").json()
        assert [p["head"]["ref"] for p in pulls] == [gitops.fix_branch(failing_run)]
    if name == "secondary-limit":
        assert 7.0 in clock.sleeps  # retry-after honoured
    if name == "primary-limit":
        assert any(s >= 90 for s in clock.sleeps)  # waited for the reset
    # Every later look at the same failure is a skip with a reason, never a second fix.
    for outcome in outcomes[1:]:
        assert outcome.delivery in ("none", "commit") and (
            outcome.skipped or outcome.delivery == "commit"
        )
