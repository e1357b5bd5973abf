"""Put the failing commit in the workspace: fetch it with the history the loop guards read (a
`fetch-depth: 1` checkout lacks it, gitops.fetch notes) and check it out, detached, hooks off."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartmon.fixers import Workspace, WorkspaceError
from smartmon.github import git as gitops
from smartmon.heal.delivery import REMOTE
from smartmon.heal.guards import LAST_COMMITS

log = logging.getLogger(__name__)

_GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")


def check_out(workspace: Path, sha: str, token: str | None, notes: list[str]) -> bool:
    """Fetch the failing commit with the history the loop guards read, and check it out."""
    try:
        gitops.fetch(workspace, REMOTE, sha, token=token, depth=LAST_COMMITS)
    except gitops.GitError as exc:
        notes.append(f"cannot fetch the failing commit {sha[:12]}: {exc}")
        return False
    proc = subprocess.run(
        [*_GIT, "checkout", "--quiet", "--force", "--detach", sha, "--"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        notes.append(f"cannot check out {sha[:12]}: {proc.stderr.strip()[:300]}")
        return False
    return True


def branch_tip(
    workspace: Path, run: Mapping[str, Any], fork: bool, token: str | None
) -> str | None:
    branch = run.get("head_branch")
    if fork or not branch:
        return None
    try:
        return gitops.fetch(workspace, REMOTE, str(branch), token=token, depth=LAST_COMMITS)
    except gitops.GitError as exc:
        log.info("branch %r not fetched (%s); guarding on the failing commit", branch, exc)
        return None


def read_file(workspace: Path, path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Workspace(workspace).read_text(path)
    except WorkspaceError:
        return None
