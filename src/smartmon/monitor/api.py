"""Continuous monitoring: the loop (`monitor_loop`) and the `ContinuousWorkflowMonitor` Python API.

Example::

    from smartmon import ContinuousWorkflowMonitor

    mon = ContinuousWorkflowMonitor(token, "octo", "app", check_interval=60, max_retries=5)
    for state in mon.check_workflow_status():
        print(state["name"], state["conclusion"])
    exit_code = mon.run_continuous_monitoring()  # until every workflow passed 3 checks in a row

The methods are the names of the original specification, thin over the modules the CLI uses:
`github` (REST client), `classify` (diagnosis), `fixers` + `workspace` (fixes), `gitops`
(commit and push) and `report` (JSON and HTML reports). One instance is one monitoring session.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import IO, Any

from smartmon.diagnose import JobSource, analyze_sources
from smartmon.errors import InputError
from smartmon.fixers import FixContext, Workspace, plan_fixes
from smartmon.github import GitHubClient, WorkflowRun
from smartmon.github import git as gitops
from smartmon.model import Finding, Fix
from smartmon.monitor.config import MonitorConfig, StopRequested
from smartmon.monitor.heal import HealCall, WorkspaceClone
from smartmon.monitor.loop import Monitor

__all__ = [
    "ContinuousWorkflowMonitor",
    "Monitor",
    "MonitorConfig",
    "StopRequested",
]


class ContinuousWorkflowMonitor:
    """Watch `repo_owner/repo_name`, heal failed runs, and report, from Python.

    Keyword options: `api_url` (default GITHUB_API_URL or api.github.com), `consecutive_passes`
    (3), `mode` ("auto", "commit", "pull-request", "report"), `max_iterations`, `all_branches`,
    `webhook_url`, `reports_dir` ("reports"), `workspace` (folder for the clone; default a
    temporary one), and for tests `clock` and `sleep`.
    """

    def __init__(
        self,
        github_token: str,
        repo_owner: str,
        repo_name: str,
        check_interval: float = 60,
        max_retries: int = 5,
        *,
        api_url: str | None = None,
        consecutive_passes: int = 3,
        mode: str = "auto",
        max_iterations: int | None = None,
        all_branches: bool = False,
        webhook_url: str | None = None,
        reports_dir: str | Path = "reports",
        workspace: str | Path | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] | None = None,
        heal: HealCall | None = None,
    ) -> None:
        self.token = github_token
        self.client = GitHubClient(
            github_token, repo=f"{repo_owner}/{repo_name}", api_url=api_url, clock=clock
        )
        self.config = MonitorConfig(
            interval=check_interval,
            max_retries=max_retries,
            consecutive_passes=consecutive_passes,
            mode=mode,
            max_iterations=max_iterations,
            all_branches=all_branches,
            webhook=webhook_url,
            reports_dir=Path(reports_dir),
        )
        self.clone = WorkspaceClone(
            self.client, token=github_token, root=Path(workspace) if workspace else None
        )
        self.monitor = Monitor(
            self.client,
            self.config,
            token=github_token,
            heal=heal,
            clock=clock,
            sleep=sleep,
            workspace=self.clone,
        )
        self._branch: str | None = None
        self._base: str | None = None
        self._applied: list[Fix] = []

    def check_workflow_status(self) -> list[dict[str, Any]]:
        """The latest run of every active workflow: name, path, run_id, conclusion, branch, ..."""
        return [state.to_dict() for state in self.monitor.poll()]

    def analyze_workflow_failure(self, run: int | Mapping[str, Any]) -> list[Finding]:
        """Download the failed jobs' logs of `run` (an id or a run object) and diagnose them."""
        run_id = int(run if isinstance(run, int) else run["id"])
        names = {int(j["id"]): str(j.get("name", j["id"])) for j in self.client.list_jobs(run_id)}
        texts = self.client.failed_job_logs(run_id)
        sources = [
            JobSource(
                name=names.get(job_id, str(job_id)),
                origin=f"run {run_id} job {job_id}",
                parts=(("", None, partial(_reader, text)),),
                verdict="failure",  # the API listed these jobs as failed: never "passed"
            )
            for job_id, text in texts.items()
        ]
        return list(analyze_sources(sources).findings)

    def apply_auto_fix(
        self, finding: Finding, run: int | Mapping[str, Any] | None = None
    ) -> Fix | None:
        """Plan and apply the fix for one finding in the clone (the run's branch, else default).

        Returns the Fix (check `applicable`/`reason`), or None when no fixer handles the type.
        """
        details: WorkflowRun | Mapping[str, Any] | None = (
            self.client.get_run(run) if isinstance(run, int) else run
        )
        branch = str((details or {}).get("head_branch") or self.monitor.default_branch())
        if self._branch != branch:
            repo = self.clone.prepare(branch)
            self._branch, self._base, self._applied = branch, gitops.head_sha(repo), []
        ws = Workspace(self.clone.path)
        # A run's path may name the ref it ran from (`.github/workflows/ci.yml@main`).
        workflow = str((details or {}).get("path") or "").partition("@")[0] or None
        from smartmon.heal import known_actions  # as `default_heal`: heal loads when first needed

        actions = known_actions(self.client, [finding], ws, token=self.token)
        fixes = plan_fixes([finding], ws, FixContext(workflow=workflow, actions=actions))
        if not fixes:
            return None
        fix = fixes[0]
        if fix.applicable:
            ws.apply(fix.edits)
            self._applied.append(fix)
        return fix

    def commit_and_push_fixes(
        self, message: str | None = None, *, run_id: int | None = None
    ) -> str | None:
        """Commit the fixes applied so far and push them; the commit's sha, None when no diff.

        The push is leased on the commit the fixes were made on, so it never overwrites work
        pushed in the meantime (GitError then: apply the fixes again on the new tip).
        """
        if not self._applied or self._branch is None or self._base is None:
            return None
        paths = sorted({e.path for fix in self._applied for e in fix.edits})
        text = message or "smartmon: " + "; ".join(f.description for f in self._applied)
        sha = gitops.commit(self.clone.path, text, paths=paths, run_id=run_id or 0)
        if sha is None:
            self._applied = []
            return None
        result = gitops.push_with_lease(
            self.clone.path, "origin", self._branch, self._base, token=self.token
        )
        if not result.ok:
            raise InputError(f"{self.client.repo}: push of {sha[:12]} failed: {result.message}")
        self._base, self._applied = sha, []
        return sha

    def generate_monitoring_report(self) -> dict[str, Any]:
        """The final report's content so far (written to disk when monitoring ends)."""
        return self.monitor.report.snapshot()

    def run_continuous_monitoring(self) -> int:
        """Loop until a stop rule fires; 0 all passing, 1 failures remain, 130 on Ctrl-C."""
        return self.monitor.run()

    def stop(self) -> None:
        """Ask a running `run_continuous_monitoring()` (in another thread) to stop."""
        self.monitor.request_stop()


def _reader(text: str) -> IO[bytes]:
    return io.BytesIO(text.encode("utf-8"))
