"""`scan --online`: look up the actions the dataset does not know, through the API, with ETags kept
on disk so a second scan of unchanged repositories costs no rate limit."""

from __future__ import annotations

from pathlib import Path

from smartmon.errors import InputError
from smartmon.fixers import Workspace, action_refs
from smartmon.github import GitHubClient, default_cache, lookup_actions
from smartmon.workflows import ActionInfo

__all__ = ["default_cache", "lookup_unknown"]


def lookup_unknown(
    ws: Workspace, *, token: str | None, api_url: str | None, cache: Path | None
) -> dict[str, ActionInfo]:
    """ActionInfo of every action the workflows use that the dataset lacks, and of every one pinned
    by SHA (its tags resolve the pin)."""
    if not token:
        raise InputError("--online needs a token: set GITHUB_TOKEN or GH_TOKEN")
    client = GitHubClient(token, api_url=api_url, max_wait=60.0)
    return lookup_actions(client, action_refs(ws), cache=cache)
