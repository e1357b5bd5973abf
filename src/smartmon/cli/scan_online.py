"""`scan --online`: look up the actions the dataset does not know, through the API, with ETags kept
on disk so a second scan of unchanged repositories costs no rate limit."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from smartmon.errors import InputError
from smartmon.fixers import Workspace, action_refs
from smartmon.github import GitHubClient, lookup_action
from smartmon.workflows import ActionInfo, in_dataset, with_live

log = logging.getLogger(__name__)
MAX_LOOKUPS = 50  # unknown actions per scan: each costs a few requests (304s after the first)


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "smartmon" / "action-etags.json"


def lookup_unknown(
    ws: Workspace, *, token: str | None, api_url: str | None, cache: Path | None
) -> dict[str, ActionInfo]:
    """ActionInfo of every action the workflows use that the dataset lacks, and of every one pinned
    by SHA (its tags resolve the pin)."""
    if not token:
        raise InputError("--online needs a token: set GITHUB_TOKEN or GH_TOKEN")
    refs = action_refs(ws)
    wanted = sorted(s for s, pinned in refs.items() if pinned or not in_dataset(s))[:MAX_LOOKUPS]
    if not wanted:
        return {}
    client = GitHubClient(token, api_url=api_url, max_wait=60.0)
    if cache is not None:
        client.http.reserve_etags(4096)
        client.http.load_etags(cache)
    found: dict[str, ActionInfo] = {}
    try:
        for slug in wanted:
            record = lookup_action(client, slug)
            if record is not None:
                found[slug.lower()] = with_live(slug, record)
    finally:
        if cache is not None:
            client.http.save_etags(cache)
    return found
