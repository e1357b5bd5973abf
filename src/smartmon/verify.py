"""Prove a heal worked, or say honestly why it cannot be proven yet.

A rerun tests the old commit (autofix.md §3), so it only answers transient failures. A pushed fix is
tested by a new run: with a PAT or App token the push starts one and we wait for it; a push made
with GITHUB_TOKEN starts none (§2.3), so we dispatch the workflow when it allows `workflow_dispatch`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from smartmon.github import GitHubClient, GitHubError

log = logging.getLogger(__name__)

RERUN_BACKOFF = 5.0  # seconds before the first rerun; doubled per attempt
RERUN_BACKOFF_CAP = 300.0
POLL_INTERVAL = 10.0
GITHUB_TOKEN_UNVERIFIED = "unverified: pushes with GITHUB_TOKEN start no runs"
HOW_TO_VERIFY = (
    "to have fixes tested automatically, pass a GitHub App token or a PAT as the action's "
    "`token` (their pushes start runs), or add `workflow_dispatch:` to the workflow so smartmon "
    "can start it with GITHUB_TOKEN"
)


@dataclass(frozen=True, kw_only=True)
class Verification:
    status: str  # "passed" | "failed" | "pending" | "unverified: …" | "dispatched" | "not needed"
    run_id: int | None = None
    next_steps: tuple[str, ...] = ()


def rerun_delay(attempt: int) -> float:
    """Exponential backoff before re-running attempt `attempt` (1-based)."""
    return float(min(RERUN_BACKOFF * 2 ** max(attempt - 1, 0), RERUN_BACKOFF_CAP))


def rerun_failed(
    client: GitHubClient, run: Mapping[str, Any], *, sleep: Callable[[float], None]
) -> tuple[int | None, str | None]:
    """Re-run the failed jobs after the backoff; (new attempt, None) or (None, why not)."""
    attempt = int(run.get("run_attempt") or 1)
    sleep(rerun_delay(attempt))
    try:
        return client.rerun_failed_jobs(int(run["id"])), None
    except GitHubError as exc:
        return None, f"re-running the failed jobs of run {run['id']} failed: {exc}"


def has_dispatch(workflow_text: str | None) -> bool:
    """Whether the workflow declares `on: workflow_dispatch` (so GITHUB_TOKEN may start it)."""
    try:
        doc = yaml.safe_load(workflow_text or "")
    except yaml.YAMLError:
        return False
    if not isinstance(doc, dict):
        return False
    on = doc.get("on", doc.get(True))  # PyYAML reads a bare `on` key as True
    if isinstance(on, str):
        return on == "workflow_dispatch"
    if isinstance(on, list):
        return "workflow_dispatch" in on
    return isinstance(on, dict) and "workflow_dispatch" in on


def verify_push(
    client: GitHubClient,
    *,
    run: Mapping[str, Any],
    sha: str,
    branch: str,
    workflow_text: str | None,
    token_starts_runs: bool,
    timeout: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> Verification:
    """Wait for the run the push started, or dispatch one, or explain why there is none."""
    workflow_id = run.get("workflow_id")
    if token_starts_runs:
        return wait_for_run(
            client, workflow_id=workflow_id, sha=sha, timeout=timeout, clock=clock, sleep=sleep
        )
    if workflow_id is not None and has_dispatch(workflow_text):
        try:
            reply = client.dispatch(int(workflow_id), branch)
        except GitHubError as exc:
            return Verification(
                status=f"unverified: dispatching the workflow on {branch} failed: {exc}",
                next_steps=(HOW_TO_VERIFY,),
            )
        run_id = (reply or {}).get("workflow_run_id") or _dispatched_run(client, sha, workflow_id)
        return Verification(status="dispatched", run_id=int(run_id) if run_id else None)
    return Verification(status=GITHUB_TOKEN_UNVERIFIED, next_steps=(HOW_TO_VERIFY,))


def _dispatched_run(client: GitHubClient, sha: str, workflow_id: Any) -> int | None:
    """Older API versions answer a dispatch with 204: look the run up by commit and event."""
    try:
        runs = client.list_runs(event="workflow_dispatch", head_sha=sha, max_items=10)
    except GitHubError:
        return None
    mine = [r for r in runs if r.get("workflow_id") == workflow_id]
    return int(mine[0]["id"]) if mine else None


def wait_for_run(
    client: GitHubClient,
    *,
    workflow_id: Any,
    sha: str,
    timeout: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> Verification:
    """Poll for the workflow's run on `sha` until it completes or `timeout` seconds pass."""
    deadline = clock() + timeout
    found: int | None = None
    while True:
        try:
            runs = client.list_runs(head_sha=sha, max_items=20)
        except GitHubError as exc:
            log.warning("listing runs of %s failed: %s", sha[:12], exc)
            runs = []
        mine = [r for r in runs if workflow_id is None or r.get("workflow_id") == workflow_id]
        if mine:
            latest = mine[0]
            found = int(latest["id"])
            if latest.get("status") == "completed":
                passed = latest.get("conclusion") == "success"
                return Verification(status="passed" if passed else "failed", run_id=found)
        if clock() >= deadline:
            break
        sleep(min(POLL_INTERVAL, max(deadline - clock(), 0.0)))
    if found is not None:
        return Verification(
            status="pending",
            run_id=found,
            next_steps=(f"run {found} on the fix is still running; see its result there",),
        )
    return Verification(
        status=f"unverified: no run started on {sha[:12]} within {timeout:.0f} s",
        next_steps=(HOW_TO_VERIFY,),
    )
