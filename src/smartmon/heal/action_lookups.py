"""The live lookups a deprecated_action fix needs: the named action, when the dataset lacks it or
the workflows pin it by SHA, and the actions that must move with it (the artifact pair).

Only a deprecated_action finding triggers a lookup, so other failures cost no extra request.
Lookups go to the API heal already talks to, with heal's token, through their own ETag cache on
disk (`$RUNNER_TEMP` on a runner, which lasts one job, else the user's cache folder): the run's
other replies are never written there. All the lookups of one heal share one `LookupBudget`
(`MAX_HEAL_REQUESTS` requests, `MAX_HEAL_SECONDS` by the client's clock), and a fork's run (whose
workflow names the actions, but whose token is the base repository's) reads only public
repositories and those of the run's own owner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from smartmon.fixers import action_refs
from smartmon.github import GitHubClient, LookupBudget, lookup_actions, runner_cache
from smartmon.model import Finding, IssueType
from smartmon.workflows import ActionInfo, action_upgrade, group_members

if TYPE_CHECKING:
    from smartmon.fixers import Workspace

log = logging.getLogger(__name__)

MAX_HEAL_LOOKUPS = 10  # a failed run names one or two deprecated actions; more is a bad log
MAX_HEAL_REQUESTS = 60  # all the lookups of one heal: a repository, its tags, a few action.yml
MAX_HEAL_SECONDS = 60.0  # of lookups per heal, so an API outage cannot eat the job's time
LOOKUP_TIMEOUT = 10.0  # seconds per request


def known_actions(
    client: GitHubClient,
    findings: Iterable[Finding],
    ws: Workspace,
    *,
    token: str | None,
    cache: Path | None = None,
    fork: bool = False,
    owner: str | None = None,
) -> dict[str, ActionInfo] | None:
    """The actions the deprecated_action findings name, looked up when the dataset cannot answer
    for them (`FixContext.actions`); None without such a finding or without a token. ETags are
    kept in `cache` (default: under `$RUNNER_TEMP`, else the user's cache folder). On a fork's
    run (`fork`), a repository that is neither public nor `owner`'s is not looked up."""
    named = dict(_uses(f) for f in findings if f.type is IssueType.DEPRECATED_ACTION)
    named.pop("", None)
    if not named or not token:
        return None
    refs = action_refs(ws)  # slug as written -> pinned by SHA somewhere
    lookup = GitHubClient(
        token,
        api_url=client.http.api_url,
        session=client.http.session,
        clock=client.http.clock,
        sleep=client.http.sleep,
        max_retries=2,
        timeout=LOOKUP_TIMEOUT,
        max_wait=MAX_HEAL_SECONDS,
    )
    cache = cache or runner_cache()
    budget = LookupBudget(requests=MAX_HEAL_REQUESTS, seconds=MAX_HEAL_SECONDS)

    def look(wanted: Mapping[str, bool]) -> dict[str, ActionInfo]:
        return lookup_actions(
            lookup,
            wanted,
            cache=cache,
            limit=MAX_HEAL_LOOKUPS,
            budget=budget,
            fork=fork,
            owner=owner,
        )

    found = look(_used(refs, named))
    # A move-together group is known once the named action's version is (a SHA needs its tags).
    upgrades = [action_upgrade(f"{s}@{v}", known=found) for s, v in named.items() if v]
    groups = {u.group for u in upgrades if u is not None and u.group}
    members = {m for g in groups for m in group_members(g)} - named.keys()
    if members:
        more = {s: p for s, p in _used(refs, members).items() if s.lower() not in found}
        found |= look(more)
    if found:
        log.info("looked up %s through the API", ", ".join(sorted(found)))
    return found


def _uses(finding: Finding) -> tuple[str, str]:
    """(owner/repo[/path] in lower case, version) the finding names; a version may be a SHA."""
    action, _, version = finding.data.get("action", "").strip().partition("@")
    return action.rstrip("/").lower(), finding.data.get("version", "").strip() or version


def _used(refs: Mapping[str, bool], slugs: Iterable[str]) -> dict[str, bool]:
    """The refs among `slugs`: an action the repository's files do not write is not ours to bump."""
    wanted = set(slugs)
    return {slug: pinned for slug, pinned in refs.items() if slug.lower() in wanted}
