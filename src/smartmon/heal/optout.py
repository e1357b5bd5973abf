"""Opt-out: the pull request of a failed run, and whether a person asked smartmon only to report.

Two ways to ask: a label on the pull request (`skip-label`, default `smartmon:skip`), or a
`Smartmon: skip` trailer on the failing commit. Either turns the heal into report-only.
`workflow_run.pull_requests` lists only pull requests from branches of the same repository
(empty for forks), so otherwise the pull request is looked up by `owner:branch` of the run's head
repository (a fork's owner for a fork).
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartmon.github import GitHubClient, GitHubError

log = logging.getLogger(__name__)

TRAILER = "Smartmon: skip"
_TRAILER = re.compile(r"(?im)^smartmon:[ \t]*skip[ \t]*$")


def pull_for_run(client: GitHubClient, run: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The open pull request whose head is the run's commit or branch, or None."""
    listed = [p for p in run.get("pull_requests") or () if isinstance(p, Mapping)]
    sha = run.get("head_sha")
    for pull in listed:
        if (pull.get("head") or {}).get("sha") == sha:
            return pull
    if listed:
        return listed[0]
    branch = run.get("head_branch")
    owner = ((run.get("head_repository") or {}).get("owner") or {}).get("login")
    if not branch or not owner:
        return None
    try:
        found = client.list_pulls(head=f"{owner}:{branch}")
    except GitHubError as exc:
        log.info("pull request of %s:%s not looked up: %s", owner, branch, exc)
        return None
    return found[0] if found else None


def opt_out_reason(
    client: GitHubClient,
    run: Mapping[str, Any],
    pull: Mapping[str, Any] | None,
    *,
    skip_label: str,
    workspace: Path | None = None,
) -> str | None:
    """One line saying who asked smartmon only to report, or None."""
    if skip_label and pull is not None and "number" in pull:
        # Read now: the event's minimal pull request has no labels, a listed one may be stale.
        names = [str(label.get("name")) for label in pull.get("labels") or ()]
        try:
            names = client.issue_labels(int(pull["number"]))
        except GitHubError as exc:
            log.info("labels of pull request #%s not read: %s", pull["number"], exc)
        if skip_label in names:
            return f"the pull request has the label {skip_label}"
    message = str((run.get("head_commit") or {}).get("message") or "")
    if not message and workspace is not None:
        message = _commit_message(workspace, str(run.get("head_sha") or ""))
    if message and _TRAILER.search(_last_paragraph(message)):
        return f"the failing commit has the trailer '{TRAILER}'"
    return None


def _last_paragraph(message: str) -> str:
    return message.strip().split("\n\n")[-1]


def _commit_message(workspace: Path, sha: str) -> str:
    if not sha:
        return ""
    proc = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "log", "-1", "--format=%B", sha, "--"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout if proc.returncode == 0 else ""
