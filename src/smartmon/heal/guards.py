"""When not to heal a failed run: the loop guards, each giving a one-line reason.

Layered as prior art does it (autofix.md §2.10 item 6, §5): a failed conclusion is required; a
`run_attempt` cap; never smartmon's own workflow; never a commit that carries our trailer; never
a branch whose last three commits are ours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartmon.github import git as gitops
from smartmon.heal.failed_jobs import FAILED_CONCLUSIONS

LAST_COMMITS = 3
# A workflow that runs smartmon: our action (any owner, any ref), the CLI, or the module.
_OURS = re.compile(
    r"""(?mx)
    ^\s*(?:-\s*)?uses:\s*['"]?[^\s'"@]*smartmon[^\s'"@]*@
    | \bsmartmon\s+(?:heal|monitor)\b
    | \bpython\d*(?:\.\d+)?\s+-m\s+smartmon\b
    """
)


def run_skip_reason(run: Mapping[str, Any], max_attempts: int) -> str | None:
    """Reasons readable from the run alone: not failed, or past the attempt cap."""
    status = run.get("status")
    conclusion = run.get("conclusion")
    if status not in (None, "completed"):
        return f"run {run.get('id')} has not completed (status: {status})"
    if conclusion not in FAILED_CONCLUSIONS:
        return f"run {run.get('id')} did not fail (conclusion: {conclusion})"
    attempt = int(run.get("run_attempt") or 1)
    if attempt > max_attempts:
        return (
            f"run {run.get('id')} is on attempt {attempt}, past max-attempts {max_attempts}: "
            "stopping so a persistent failure cannot loop"
        )
    return None


def is_own_workflow(workflow_text: str | None) -> bool:
    """Whether the failed workflow is one that runs smartmon (healing it could loop)."""
    return bool(workflow_text) and _OURS.search(workflow_text or "") is not None


def history_skip_reason(repo: Path, head_sha: str, branch_tip: str | None = None) -> str | None:
    """Reasons read from git history (the caller fetched both commits with enough depth).

    The trailer is checked on the failing commit; "last commits ours" on the branch's current tip,
    which may have moved past the failing commit (else on the failing commit itself).
    """
    if gitops.is_smartmon_commit(repo, head_sha):
        return (
            f"the failing commit {head_sha[:12]} is a smartmon fix ({gitops.TRAILER}: trailer): "
            "not fixing our own fix again"
        )
    if gitops.recent_commits_ours(repo, branch_tip or head_sha, LAST_COMMITS):
        return f"the last {LAST_COMMITS} commits on the branch are smartmon's: stopping"
    return None
