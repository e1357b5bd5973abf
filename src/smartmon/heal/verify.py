"""Prove a heal worked, or say honestly why it cannot be proven yet.

A rerun tests the old commit (autofix.md §3), so it only answers transient failures. A pushed fix is
tested by a new run: with a PAT or App token the push starts one and we wait for it; a push made
with GITHUB_TOKEN starts none (§2.3), so we dispatch the workflow when it allows `workflow_dispatch`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from smartmon.github import GitHubClient, GitHubError

log = logging.getLogger(__name__)

RERUN_BACKOFF = 5.0  # seconds before the first rerun; doubled per attempt
RERUN_BACKOFF_CAP = 300.0
POLL_INTERVAL = 5.0
NEW_RUN_GRACE = 30.0  # seconds for a push's run to appear before dispatching instead
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


def _triggers(workflow_text: str | None) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(workflow_text or "")
    except yaml.YAMLError:
        return {}
    if not isinstance(doc, dict):
        return {}
    on = doc.get("on", doc.get(True))  # PyYAML reads a bare `on` key as True
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {str(e): {} for e in on}
    return {str(k): v or {} for k, v in on.items()} if isinstance(on, dict) else {}


def has_dispatch(workflow_text: str | None) -> bool:
    """Whether the workflow declares `on: workflow_dispatch` (so GITHUB_TOKEN may start it)."""
    return "workflow_dispatch" in _triggers(workflow_text)


def may_start_on(workflow_text: str | None, branch: str) -> bool:
    """Whether a push to `branch` (or a pull request from it) can start the workflow at all."""
    on = _triggers(workflow_text)
    if "pull_request" in on or "pull_request_target" in on:
        return True  # the pull request smartmon opens may start it
    push = on.get("push")
    if push is None:
        return False
    if not isinstance(push, dict):
        return True
    wanted, ignored = push.get("branches"), push.get("branches-ignore")
    if isinstance(wanted, list):
        return any(_glob(str(p)).fullmatch(branch) for p in wanted if not str(p).startswith("!"))
    if isinstance(ignored, list):
        return not any(_glob(str(p)).fullmatch(branch) for p in ignored)
    return True


def _glob(pattern: str) -> re.Pattern[str]:
    """GitHub's branch filter: `*` matches within a path segment, `**` across them."""
    out = ""
    for part in re.split(r"(\*\*|\*)", pattern):
        out += {"**": ".*", "*": "[^/]*"}.get(part, re.escape(part))
    return re.compile(out)


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
    """Wait for the run the push started, or dispatch one, or explain why there is none.

    A push with a PAT or App token starts a run only if the workflow listens to that branch; when
    none appears within NEW_RUN_GRACE seconds, dispatching is the fallback.
    """
    workflow_id = run.get("workflow_id")
    dispatchable = workflow_id is not None and has_dispatch(workflow_text)
    if token_starts_runs and may_start_on(workflow_text, branch):
        grace = min(timeout, NEW_RUN_GRACE) if dispatchable else timeout
        found = wait_for_run(
            client,
            workflow_id=workflow_id,
            sha=sha,
            timeout=grace,
            clock=clock,
            sleep=sleep,
            appear_only=True,
        )
        if found.run_id is not None:
            return wait_for_run(
                client,
                workflow_id=workflow_id,
                sha=sha,
                timeout=max(timeout - grace, 0.0),
                clock=clock,
                sleep=sleep,
            )
        if not dispatchable:
            return found
    if dispatchable:
        try:
            reply = client.dispatch(int(str(workflow_id)), branch)
        except GitHubError as exc:
            return Verification(
                status=f"unverified: dispatching the workflow on {branch} failed: {exc}",
                next_steps=(HOW_TO_VERIFY,),
            )
        run_id = (reply or {}).get("workflow_run_id") or _dispatched_run(client, sha, workflow_id)
        return Verification(status="dispatched", run_id=int(run_id) if run_id else None)
    if token_starts_runs:
        return Verification(
            status=f"unverified: the workflow neither runs on pushes to {branch} nor has "
            "workflow_dispatch",
            next_steps=("add `workflow_dispatch:` to the workflow so smartmon can start it",),
        )
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
    appear_only: bool = False,
) -> Verification:
    """Poll for the workflow's run on `sha` until it completes (or, with `appear_only`, exists)
    or `timeout` seconds pass."""
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
            if appear_only:
                return Verification(status="pending", run_id=found)
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
