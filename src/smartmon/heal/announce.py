"""Tell people where they look, after a heal: the sticky pull-request comment and the tracking
issue of a workflow failing on the default branch. Each refusal becomes a note, never an error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from smartmon.github import GitHubClient
from smartmon.heal import optout, pr_comment, tracking_issue
from smartmon.heal.result import HealResult


@dataclass(frozen=True)
class Announced:
    comment_url: str | None = None
    comment_created: bool = False
    issue: tracking_issue.Tracked = field(default_factory=lambda: tracking_issue.Tracked("none"))
    notes: tuple[str, ...] = ()


def announce(
    client: GitHubClient,
    result: HealResult,
    *,
    comment: str,
    track_issues: bool,
    server_url: str,
    repo: str,
) -> Announced:
    """Post or update the pull request comment and the tracking issue, as the inputs ask; a
    passing run turns its workflow's section of an existing comment green."""
    if comment not in pr_comment.COMMENT_MODES:
        raise ValueError(f"comment {comment!r}: expected one of auto, always, never")
    run = result.run
    notes: list[str] = []
    url, created = None, False
    if run and pr_comment.wanted(result, comment):
        number = result.pull_number
        if number is None:
            pull = optout.pull_for_run(client, run)
            number = int(pull["number"]) if pull is not None and "number" in pull else None
        if number is not None:
            posted = pr_comment.post(client, number, result, server_url=server_url, repo=repo)
            url, created = posted.url, posted.created
            notes += [posted.note] if posted.note else []
    if run and comment != "never" and run.get("conclusion") == "success":
        pull = optout.pull_for_run(client, run)
        if pull is not None and "number" in pull:
            marked = pr_comment.mark_passing(
                client, int(pull["number"]), run, server_url=server_url, repo=repo
            )
            if marked is not None:
                url = marked.url
                notes += [marked.note] if marked.note else []
    issue = tracking_issue.Tracked("none")
    failed = run.get("conclusion") in ("failure", "timed_out", "startup_failure")
    tracked = track_issues and run and failed and tracking_issue.needs_tracking(result)
    if tracked and tracking_issue.on_default_branch(
        run, tracking_issue.default_branch(client, run)
    ):
        issue = tracking_issue.record_failure(client, result, server_url=server_url, repo=repo)
        notes += [issue.note] if issue.note else []
    return Announced(url, created, issue, tuple(notes))


def close_tracking(
    client: GitHubClient, run: Mapping[str, Any], *, server_url: str, repo: str
) -> tracking_issue.Tracked:
    """A successful run of a workflow on the default branch closes its tracking issue."""
    if run.get("conclusion") != "success":
        return tracking_issue.Tracked("none")
    if not tracking_issue.on_default_branch(run, tracking_issue.default_branch(client, run)):
        return tracking_issue.Tracked("none")
    return tracking_issue.close_if_passing(client, run, server_url=server_url, repo=repo)
