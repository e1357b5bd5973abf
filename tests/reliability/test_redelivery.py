"""The same failed run healed again (a restart after `kill -9`, a redelivered event, a second
monitor): delivery looks for our `Smartmon-Fix: run N` trailer on the target branch first, so
a fix is never committed twice, and a pull request that a crash left unopened gets opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smartmon.github import git as gitops
from smartmon.github.client import GitHubClient
from smartmon.heal.pipeline import HealOptions, HealResult, heal
from smartmon.monitor.heal import WorkspaceClone
from tests.fixtures_sandbox import SandboxHandle
from tests.reliability.reliability_support import (
    BRANCH,
    failing_branch_repo,
    fix_commits,
    git_dir,
)


def later(monkeypatch: pytest.MonkeyPatch, year: int) -> None:
    """Commits made from now on get another date, so a redone fix gets another sha (a restart
    happens seconds or hours later; within one second git would make the very same commit)."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"{year}-01-01T00:00:00+0000")


class Session:
    """One monitor session's view: its own clone, healing the branch's failed run."""

    def __init__(self, sb: SandboxHandle, repo: str, root: Path) -> None:
        self.sb = sb
        self.client = GitHubClient(sb.token, repo=repo, api_url=sb.api_url)
        self.clone = WorkspaceClone(self.client, token=sb.token, root=root)

    def heal(self, run: Any) -> HealResult:
        result = heal(
            self.client,
            run,
            workspace=self.clone.prepare(BRANCH),
            options=HealOptions(token_starts_runs=True, verify_timeout=0),
            token=self.sb.token,
            sleep=lambda _s: None,
        )
        self.sb.admin.wait_idle()
        return result


def test_a_commit_already_on_the_branch_is_not_made_again(
    sandbox_server: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = failing_branch_repo(sandbox_server, "again")
    first = Session(sandbox_server, repo, tmp_path / "one")
    run = first.client.list_runs(branch=BRANCH)[0]
    assert first.heal(run).delivery == "commit"
    # A fresh session (after kill -9, nothing remembered) gets the same failure event.
    later(monkeypatch, 2030)
    second = Session(sandbox_server, repo, tmp_path / "two").heal(run)
    assert second.delivery == "none"
    assert second.skipped is not None and "already fixed" in second.skipped, second.skipped
    assert list(fix_commits(git_dir(sandbox_server, repo))) == [f"run {run['id']}"]


def test_a_pull_request_left_unopened_is_opened_from_the_pushed_branch(
    sandbox_server: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = failing_branch_repo(sandbox_server, "unopened")
    sandbox_server.admin.configure(repo, protected_branches=[BRANCH])
    # The fix branch is pushed, then opening the pull request fails (as if killed in between).
    sandbox_server.admin.faults("5xx:times=*,method=POST,path=/repos/*/pulls")
    first = Session(sandbox_server, repo, tmp_path / "one")
    run = first.client.list_runs(branch=BRANCH)[0]
    broken = first.heal(run)
    assert broken.delivery == "patch" and broken.commit_sha is not None, broken.notes
    sandbox_server.admin.call("DELETE", "faults")
    fix_branch = gitops.fix_branch(run["id"])

    later(monkeypatch, 2030)
    again = Session(sandbox_server, repo, tmp_path / "two").heal(run)
    assert again.delivery == "pull-request", again.notes
    assert again.commit_sha == broken.commit_sha  # the pushed fix, not a new commit
    pulls = first.client.list_pulls()
    assert [p["head"]["ref"] for p in pulls] == [fix_branch]
    assert fix_commits(git_dir(sandbox_server, repo)) == {f"run {run['id']}": [broken.commit_sha]}

    later(monkeypatch, 2031)
    third = Session(sandbox_server, repo, tmp_path / "three").heal(run)
    assert third.delivery == "pull-request" and third.commit_sha is None  # nothing new applied
    assert third.pull_request_url == again.pull_request_url
    assert len(first.client.list_pulls()) == 1
    assert len(fix_commits(git_dir(sandbox_server, repo))[f"run {run['id']}"]) == 1
