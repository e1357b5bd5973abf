"""Polling: the latest run of every active workflow (of each branch with `all_branches`, else of
the default branch), kept as one `Watch` per workflow and branch, with its streak of passes."""

from __future__ import annotations

from collections.abc import Callable

from smartmon.github import GitHubClient, WorkflowRun
from smartmon.monitor.watch import HEALABLE, Watch, run_key


def poll_runs(
    client: GitHubClient,
    watches: dict[tuple[int, str], Watch],
    *,
    branch: str,
    all_branches: bool,
    say: Callable[[str], None],
) -> None:
    """Update `watches` in place from the latest runs; workflows no longer active drop out."""
    active = [w for w in client.list_workflows() if w.get("state") == "active"]
    seen: set[tuple[int, str]] = set()
    for wf in active:
        wid = int(wf["id"])
        if all_branches:
            latest: dict[str, WorkflowRun] = {}
            for run in client.list_runs(workflow=wid, per_page=100, max_items=100):
                latest.setdefault(str(run.get("head_branch") or ""), run)
        else:
            runs = client.list_runs(workflow=wid, branch=branch, per_page=1, max_items=1)
            latest = {branch: runs[0]} if runs else {}
        for run_branch, run in latest.items():
            key = (wid, run_branch)
            seen.add(key)
            watch = watches.get(key) or Watch(
                workflow_id=wid,
                name=str(wf.get("name") or wf.get("path", "")),
                path=str(wf.get("path", "")),
                branch=run_branch,
            )
            watches[key] = watch
            _observe(watch, run, say)
    for key in [k for k in watches if k not in seen]:
        del watches[key]  # disabled or deleted workflows are no longer watched


def _observe(watch: Watch, run: WorkflowRun, say: Callable[[str], None]) -> None:
    before = watch.run
    watch.run = run
    done = run.get("status") == "completed"
    if done and run.get("conclusion") == "success":
        watch.passes += 1
        if watch.attempts or watch.given_up:
            say(f"{watch.name}: passing again (run {run.get('id')})")
        watch.attempts, watch.given_up, watch.next_try = 0, False, 0.0
    else:
        watch.passes = 0
    if (
        done
        and run.get("conclusion") in HEALABLE
        and (before is None or (before.get("id"), before.get("run_attempt")) != run_key(run))
    ):
        say(
            f"{watch.name} on {watch.branch}: run {run.get('id')} "
            f"(attempt {run.get('run_attempt', 1)}) {run.get('conclusion')}"
        )
