"""Look up, through the API, the actions the runtime dataset cannot answer for: those it lacks,
and those pinned by SHA (only the repository's tags say which version a SHA is).

Shared by `scan --online`, the heal pipeline (the action, `monitor`) and the monitor's Python API.
Answers may be cached on disk with their ETags, so a second lookup of unchanged repositories with
the same token is a round of 304s, which cost no rate limit. One action that cannot be read (404,
403, a file that is no usable action.yml, anything unexpected) is logged and skipped: the
dataset's answer, or the finding's report, stands for it. A `LookupBudget` bounds what the lookups
of one heal may spend (requests and seconds, by the client's clock), and every lookup stops at
the first answer that would greet every other one: a refused token, a rate limit, a server error
or a connection that failed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from smartmon.atomic import remove_stale_temps
from smartmon.errors import SmartmonError
from smartmon.github.action_lookup import lookup_action
from smartmon.github.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    NotFound,
    RateLimited,
    ServerError,
)
from smartmon.workflows import ActionInfo, in_dataset, with_live

if TYPE_CHECKING:
    from smartmon.github.client import GitHubClient
    from smartmon.github.http import Transport

log = logging.getLogger(__name__)

MAX_LOOKUPS = 50  # actions per call: each costs a few requests (304s after the first time)
CACHE_ENTRIES = 4096  # replies kept in memory: a repository, its tags and an action.yml per major
DISK_ENTRIES = 1024  # replies kept on disk, the newest first
DISK_BODY = 256 * 1024  # bytes: a larger answer is not kept on disk
DISK_TOTAL = 16 * 1024 * 1024  # bytes of bodies on disk in all
DISK_FILE = 32 * 1024 * 1024  # a cache file larger than this is not read
_STOPPING = (AuthenticationFailed, RateLimited, ServerError, ConnectionFailed)


class LookupStopped(SmartmonError):
    """The lookups' budget of requests or seconds is spent."""


@dataclass
class LookupBudget:
    """What all the lookups sharing it may spend: `requests` (attempts, retries included) and
    `seconds` from the first request, by the client's clock (None: no limit); `stopped` says why
    they stopped, so a later call asks nothing either."""

    requests: int | None = None
    seconds: float | None = None
    spent: int = 0
    started: float | None = None
    stopped: str | None = None

    def charge(self, http: Transport, timeout: float, max_wait: float) -> None:
        """Count one request; raise LookupStopped when none is left. The request's timeout and
        longest retry wait shrink to the time left."""
        now = http.clock()
        if self.started is None:
            self.started = now
        if self.requests is not None and self.spent >= self.requests:
            raise LookupStopped(f"the budget of {self.requests} requests is spent")
        if self.seconds is not None:
            left = self.started + self.seconds - now
            if left <= 0:
                raise LookupStopped(f"the {self.seconds:g} s allowed for lookups are spent")
            http.timeout = max(1.0, min(timeout, left))
            http.max_wait = min(max_wait, left)
        self.spent += 1

    @contextmanager
    def charging(self, http: Transport) -> Iterator[None]:
        """Charge every request `http` sends inside the block."""
        saved = (http.before_send, http.timeout, http.max_wait)
        http.before_send = lambda: self.charge(http, saved[1], saved[2])
        try:
            yield
        finally:
            http.before_send, http.timeout, http.max_wait = saved


def default_cache(env: Mapping[str, str] | None = None) -> Path:
    """The ETag cache of a developer's machine: `$XDG_CACHE_HOME/smartmon/action-etags.json`."""
    base = (os.environ if env is None else env).get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "smartmon" / "action-etags.json"


def runner_cache(env: Mapping[str, str] | None = None) -> Path:
    """The cache under `$RUNNER_TEMP` on a runner (the job's own scratch space, emptied after the
    job: it saves requests between the heals of one job only), else the default."""
    temp = (os.environ if env is None else env).get("RUNNER_TEMP")
    return Path(temp) / "smartmon" / "action-etags.json" if temp else default_cache(env)


def needs_lookup(refs: Mapping[str, bool]) -> list[str]:
    """The `owner/repo[/path]` of `refs` (slug -> pinned by SHA) the dataset cannot answer for."""
    return sorted(slug for slug, pinned in refs.items() if pinned or not in_dataset(slug))


def lookup_actions(
    client: GitHubClient,
    refs: Mapping[str, bool],
    *,
    cache: Path | None = None,
    limit: int = MAX_LOOKUPS,
    budget: LookupBudget | None = None,
    fork: bool = False,
    owner: str | None = None,
) -> dict[str, ActionInfo]:
    """`{slug in lower case: ActionInfo}` of the actions of `refs` (slug -> pinned by SHA) that
    the dataset lacks or that are pinned; never raises for one action that cannot be read.

    On a fork's run (`fork`), only public repositories and those of `owner` (the run's
    repository's) are looked up; any other is logged and skipped exactly as one that does not exist.
    """
    budget = budget if budget is not None else LookupBudget()
    wanted = needs_lookup(refs)
    if len(wanted) > limit:
        log.warning(
            "%d actions to look up; only the first %d are (%s and the rest are judged offline)",
            len(wanted),
            limit,
            wanted[limit],
        )
        wanted = wanted[:limit]
    if not wanted:
        return {}
    if budget.stopped:
        log.warning("%s not looked up: lookups stopped (%s)", ", ".join(wanted), budget.stopped)
        return {}
    if cache is not None:
        client.http.reserve_etags(CACHE_ENTRIES)
        client.http.load_etags(cache, max_bytes=DISK_FILE)
    found: dict[str, ActionInfo] = {}
    try:
        with budget.charging(client.http):
            for slug in wanted:
                info = _lookup_one(client, slug, budget, fork=fork, owner=owner)
                if budget.stopped:
                    break
                if info is not None:
                    found[slug.lower()] = info
    finally:
        if cache is not None:
            _save(client, cache)
    return found


def _lookup_one(
    client: GitHubClient, slug: str, budget: LookupBudget, *, fork: bool, owner: str | None
) -> ActionInfo | None:
    try:
        record = lookup_action(client, slug, public_only=fork, trusted_owner=owner)
        if record is None:
            log.info("%s: no usable action.yml at any of its version tags; not looked up", slug)
            return None
        return with_live(slug, record)
    except (*_STOPPING, LookupStopped) as exc:
        # The same answer awaits every other action: stop asking.
        budget.stopped = str(exc)
        log.warning("%s: action lookups stopped (%s)", slug, exc)
    except NotFound:
        # One line for a repository that does not exist and one a fork's run may not read.
        log.warning("%s: not looked up (HTTP 404: no repository this run may read)", slug)
    except SmartmonError as exc:
        log.warning("%s: not looked up (%s); judged by the dataset alone", slug, exc)
    except Exception as exc:  # a hostile answer must never abort a heal or a scan
        log.warning("%s: not looked up (%s: %s)", slug, type(exc).__name__, str(exc)[:200])
    return None


def _save(client: GitHubClient, cache: Path) -> None:
    try:
        # Temp files of a writer killed mid-save; a concurrent save by another process loses its
        # own temp file and logs the warning below.
        remove_stale_temps(cache.parent, cache.name)
        client.http.save_etags(
            cache, max_body=DISK_BODY, max_entries=DISK_ENTRIES, max_total=DISK_TOTAL
        )
    except OSError as exc:  # a read-only home or a full disk costs the next run its 304s only
        log.warning("%s: ETag cache not saved (%s); the next lookup pays full price", cache, exc)
