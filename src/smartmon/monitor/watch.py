"""One watched workflow on one branch across iterations, and how a heal's outcome is told."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smartmon.github import WorkflowRun
from smartmon.monitor.heal import HealOutcome
from smartmon.report import WorkflowState

HEALABLE = frozenset({"failure", "timed_out", "startup_failure"})


@dataclass(kw_only=True)
class Watch:
    """One workflow on one branch, across iterations: its latest run and our heal attempts."""

    workflow_id: int
    name: str
    path: str
    branch: str
    run: WorkflowRun | None = None
    passes: int = 0
    attempts: int = 0  # heal attempts since the workflow last passed
    next_try: float = 0.0  # clock time before which no new heal attempt starts
    healed: tuple[int, int] | None = None  # (run id, attempt) the last heal finished with
    given_up: bool = False

    @property
    def conclusion(self) -> str | None:
        return None if self.run is None else self.run.get("conclusion")

    @property
    def failing(self) -> bool:
        return self.run is not None and self.conclusion not in (
            None,
            "success",
            "skipped",
            "neutral",
        )

    def state(self) -> WorkflowState:
        run = self.run or {}
        return WorkflowState(
            name=self.name,
            path=self.path,
            run_id=run.get("id"),
            run_attempt=run.get("run_attempt"),
            conclusion=run.get("conclusion") if run.get("status") == "completed" else None,
            consecutive_passes=self.passes,
            branch=self.branch,
            head_sha=run.get("head_sha", ""),
            url=run.get("html_url", ""),
        )


def run_key(run: Mapping[str, Any]) -> tuple[int, int]:
    return int(run.get("id") or 0), int(run.get("run_attempt") or 1)


def describe(outcome: HealOutcome) -> str:
    if outcome.skipped:
        return f"run {outcome.run_id} not healed: {outcome.skipped}"
    found = len(outcome.analysis.findings) if outcome.analysis is not None else 0
    applied = sum(1 for _, ok in outcome.fixes if ok)
    parts = [f"run {outcome.run_id}: {found} issue(s), {applied} fix(es) applied"]
    if outcome.delivery == "commit" and outcome.commit_sha:
        parts.append(f"committed {outcome.commit_sha[:12]}")
    elif outcome.delivery == "pull-request" and outcome.pull_request_url:
        parts.append(f"pull request {outcome.pull_request_url}")
    elif outcome.delivery == "rerun":
        parts.append(f"re-ran failed jobs (attempt {outcome.rerun_attempt})")
    elif outcome.delivery == "patch":
        parts.append("patch in the report")
    if outcome.verification:
        proof = f" by run {outcome.verification_run_id}" if outcome.verification_run_id else ""
        parts.append(f"verification: {outcome.verification}{proof}")
    notes: tuple[str, ...] = getattr(outcome, "notes", ())  # heal.HealResult has them
    if not applied and notes:
        parts.append(notes[0])  # why nothing was fixed, e.g. the logs expired (HTTP 410)
    return "; ".join(parts)
