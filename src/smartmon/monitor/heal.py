"""The monitor's side of healing: the clone heal works in, the call into `heal.py`, and turning
its result into report records."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from smartmon.github import GitHubClient
from smartmon.github import git as gitops
from smartmon.model import Finding, Fix
from smartmon.report import Delivery, FixRecord, IssueRecord, RerunRecord

if TYPE_CHECKING:
    from smartmon.diagnose import Analysis
    from smartmon.monitor.config import MonitorConfig

log = logging.getLogger(__name__)

PASSED = frozenset({"passed", "success", "verified"})
_DELIVERY = {
    "commit": Delivery.COMMIT,
    "pull-request": Delivery.PULL_REQUEST,
    "patch": Delivery.PATCH,
}
_SAFE_GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")
_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


class HealOutcome(Protocol):
    """The fields of `heal.HealResult` the monitor reads."""

    @property
    def run_id(self) -> int: ...
    @property
    def skipped(self) -> str | None: ...
    @property
    def analysis(self) -> Analysis | None: ...
    @property
    def fixes(self) -> tuple[tuple[Fix, bool], ...]: ...
    @property
    def delivery(self) -> str: ...
    @property
    def commit_sha(self) -> str | None: ...
    @property
    def pull_request_url(self) -> str | None: ...
    @property
    def patch(self) -> str | None: ...
    @property
    def rerun_attempt(self) -> int | None: ...
    @property
    def verification(self) -> str: ...
    @property
    def verification_run_id(self) -> int | None: ...


class HealCall(Protocol):
    """Heals one failed run; `default_heal` calls `smartmon.heal.pipeline.heal`."""

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
    ) -> HealOutcome: ...


def default_heal(
    client: GitHubClient,
    run: Mapping[str, Any],
    *,
    workspace: Path,
    config: MonitorConfig,
    token: str | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> HealOutcome:
    """Heal through `smartmon.heal.pipeline` with options taken from the monitor's configuration."""
    from smartmon.heal import HealOptions, heal

    options = HealOptions(
        mode=config.mode,
        dry_run=config.dry_run,
        create_secrets=config.create_secrets,
        can_push_workflows=config.can_push_workflows,
        token_starts_runs=config.token_starts_runs,
        verify_timeout=config.verify_timeout,
        skip_label="smartmon:skip",  # a labelled pull request's branch gets a report only
    )
    return heal(
        client, run, workspace=workspace, options=options, token=token, clock=clock, sleep=sleep
    )


def records(
    workflow: str, run: Mapping[str, Any], outcome: HealOutcome
) -> tuple[list[IssueRecord], list[FixRecord], list[RerunRecord]]:
    """The report records for one heal: its findings, its fixes and its rerun."""
    run_id = int(run.get("id") or outcome.run_id)
    attempt = run.get("run_attempt")
    proof = outcome.verification_run_id if outcome.verification in PASSED else None
    findings: Sequence[Finding] = outcome.analysis.findings if outcome.analysis else ()
    issues = [
        IssueRecord(finding=f, workflow=workflow, run_id=run_id, run_attempt=attempt)
        for f in findings
    ]
    fixes = [
        FixRecord(
            fix=fix,
            applied=applied,
            delivery=_DELIVERY.get(outcome.delivery, Delivery.NONE) if applied else Delivery.NONE,
            workflow=workflow,
            run_id=run_id,
            commit_sha=outcome.commit_sha if applied else None,
            pr_url=outcome.pull_request_url if applied else None,
            patch=outcome.patch if outcome.delivery == "patch" else None,
            verified_by_run=proof if applied else None,
        )
        for fix, applied in outcome.fixes
    ]
    reruns: list[RerunRecord] = []
    if outcome.delivery == "rerun" or outcome.rerun_attempt is not None:
        transient = sorted({f.type.value for f in findings if f.transient}) or ["transient"]
        reruns.append(
            RerunRecord(
                workflow=workflow,
                run_id=run_id,
                reason=",".join(transient),
                attempt=outcome.rerun_attempt,
                verified_by_run=proof,
            )
        )
    return issues, fixes, reruns


class WorkspaceClone:
    """A clone of the watched repository for heal to check out and commit in.

    Made on first use (in `root`, or a temporary folder removed by `close()`), refreshed before
    every heal: the run's branch is fetched with the token and checked out clean.
    """

    def __init__(self, client: GitHubClient, *, token: str | None, root: Path | None = None):
        self.client = client
        self.token = token
        self._root = root
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def path(self) -> Path:
        if self._root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="smartmon-monitor-")
            self._root = Path(self._tmp.name) / "repo"
        return self._root

    def prepare(self, branch: str) -> Path:
        """The clone with `branch` checked out at its remote tip, without local changes."""
        repo = self.path
        if not (repo / ".git").is_dir():
            url = str(self.client.get_repo().get("clone_url") or "")
            if not url:
                raise gitops.GitError(f"{self.client.repo}: the API gave no clone_url")
            repo.mkdir(parents=True, exist_ok=True)
            _git(repo, "init", "--quiet")
            _git(repo, "remote", "add", "origin", url)
        sha = gitops.fetch(repo, "origin", branch, token=self.token)
        gitops.validate_branch(repo, branch)
        _git(repo, "checkout", "--quiet", "--force", "-B", branch, sha)
        _git(repo, "clean", "-ffdxq")
        return repo

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self._root = None


def _git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    proc = subprocess.run(
        [*_SAFE_GIT, *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise gitops.GitError(f"{repo}: git {args[0]} failed: {last}")
