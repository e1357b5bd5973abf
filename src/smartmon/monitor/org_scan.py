"""One pass over an organisation: which active repositories' default branches fail, and where.

For each active (not archived, not disabled, not a fork) repository, the newest completed run of
each active workflow on the default branch; the ones that failed, timed out or could not start
are the failures, most recent first. Every read is a conditional GET, so a second scan of an
unchanged organisation is answered with 304s and costs no rate limit (GitHub: "making a
conditional request ... does not count against your primary rate limit" when it returns 304).
The scan stops before the budget runs dry and says so; a repository it may not read is skipped
with a note, never a crash.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from smartmon.github import AuthenticationFailed, GitHubClient, GitHubError

log = logging.getLogger(__name__)

FAILED = frozenset({"failure", "timed_out", "startup_failure"})
MIN_REMAINING = 100  # stop scanning below this many calls left (the heal jobs need some too)
MATRIX_LIMIT = 256  # GitHub's cap on jobs a matrix may generate per workflow run
DEFAULT_MAX = 200


@dataclass(frozen=True)
class Failure:
    """The newest completed run of one workflow on a repository's default branch, failed."""

    repository: str
    run_id: int
    workflow: str
    branch: str
    conclusion: str
    updated_at: str = ""
    html_url: str = ""

    def matrix_entry(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "run_id": self.run_id,
            "workflow": self.workflow,
            "branch": self.branch,
        }


@dataclass
class OrgScan:
    """What one scan saw; `failures` are sorted most recent first and capped."""

    organisation: str
    repositories: list[str] = field(default_factory=list)  # the active repositories scanned
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped repositories, the early stop
    stopped_early: bool = False
    truncated: int = 0  # failures left out by the cap
    rate_limit_remaining: int | None = None

    def matrix(self) -> dict[str, Any]:
        """The `strategy.matrix` value: `{"include": [...]}` (empty include: nothing to heal)."""
        return {"include": [f.matrix_entry() for f in self.failures]}

    def as_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["failing_repositories"] = sorted({f.repository for f in self.failures})
        return body


@dataclass(frozen=True)
class ScanFilter:
    """Which repositories and workflows a scan looks at."""

    workflows: frozenset[str] = frozenset()  # names or file names; empty: every workflow
    exclude: tuple[str, ...] = ()  # `name`, `org/name` or shell patterns of either
    topic: str | None = None

    def wants_repo(self, repo: dict[str, Any]) -> bool:
        full = str(repo.get("full_name", ""))
        name = full.split("/", 1)[-1]
        for pattern in self.exclude:
            if fnmatch.fnmatchcase(full.lower(), pattern.lower()) or fnmatch.fnmatchcase(
                name.lower(), pattern.lower()
            ):
                return False
        return self.topic is None or self.topic in (repo.get("topics") or [])

    def wants_workflow(self, workflow: dict[str, Any]) -> bool:
        if not self.workflows:
            return True
        path = str(workflow.get("path", ""))
        names = {str(workflow.get("name", "")), path, path.rsplit("/", 1)[-1]}
        return bool(names & self.workflows)


def active(repo: dict[str, Any]) -> bool:
    return not (repo.get("archived") or repo.get("disabled") or repo.get("fork"))


def list_repositories(
    client: GitHubClient, org: str, *, installation: bool
) -> list[dict[str, Any]]:
    """The organisation's repositories: through the installation for an App token."""
    if not installation:
        return client.list_org_repos(org)
    owned = [
        r
        for r in client.list_installation_repos()
        if str((r.get("owner") or {}).get("login", "")).lower() == org.lower()
    ]
    return sorted(owned, key=lambda r: str(r.get("full_name", "")).lower())


def scan_repository(
    client: GitHubClient, repo: dict[str, Any], wanted: ScanFilter
) -> list[Failure]:
    """The failing workflows of one repository's default branch."""
    full = str(repo["full_name"])
    branch = str(repo.get("default_branch") or "main")
    one = client.for_repo(full)
    failures = []
    for wf in one.list_workflows():
        if wf.get("state") != "active" or not wanted.wants_workflow(dict(wf)):
            continue
        runs = one.list_runs(
            workflow=int(wf["id"]), branch=branch, status="completed", per_page=1, max_items=1
        )
        if not runs or runs[0].get("conclusion") not in FAILED:
            continue
        run = runs[0]
        failures.append(
            Failure(
                repository=full,
                run_id=int(run["id"]),
                workflow=str(wf.get("name") or run.get("name") or wf.get("path", "")),
                branch=branch,
                conclusion=str(run.get("conclusion")),
                updated_at=str(run.get("updated_at") or run.get("created_at") or ""),
                html_url=str(run.get("html_url") or ""),
            )
        )
    return failures


def scan_organisation(
    client: GitHubClient,
    org: str,
    *,
    wanted: ScanFilter = ScanFilter(),
    installation: bool = False,
    max_failures: int = DEFAULT_MAX,
    min_remaining: int = MIN_REMAINING,
    repositories: Iterable[dict[str, Any]] | None = None,
    on_repository: Callable[[str], None] | None = None,
) -> OrgScan:
    """Scan every active repository of `org` (or the given `repositories`) once."""
    scan = OrgScan(organisation=org)
    listing = (
        list(repositories)
        if repositories is not None
        else list_repositories(client, org, installation=installation)
    )
    failures: list[Failure] = []
    for repo in listing:
        if not active(repo) or not wanted.wants_repo(repo):
            continue
        full = str(repo.get("full_name", ""))
        rate = client.rate
        if rate is not None and rate.remaining < min_remaining:
            scan.stopped_early = True
            scan.notes.append(
                f"stopped early: {rate.remaining} of {rate.limit} API calls left "
                f"(under {min_remaining}); {full} and later repositories not scanned"
            )
            break
        if on_repository is not None:
            on_repository(full)
        try:
            found = scan_repository(client, repo, wanted)
        except AuthenticationFailed:
            raise
        except GitHubError as exc:
            scan.notes.append(f"{full}: skipped: {exc}")
            log.info("%s: skipped: %s", full, exc)
            continue
        scan.repositories.append(full)
        failures += found
    failures.sort(key=lambda f: (f.updated_at, f.run_id), reverse=True)
    cap = max(0, min(max_failures, MATRIX_LIMIT))
    scan.failures, scan.truncated = failures[:cap], max(0, len(failures) - cap)
    if scan.truncated:
        scan.notes.append(
            f"{scan.truncated} more failing workflow(s) left out by --max {cap}; "
            "the next scan picks them up"
        )
    rate = client.rate
    scan.rate_limit_remaining = rate.remaining if rate is not None else None
    return scan


def parse_names(values: Sequence[str]) -> tuple[str, ...]:
    """`a,b` `c` → (a, b, c): comma- or space-separated, repeatable options."""
    return tuple(n.strip() for v in values for n in v.replace(",", " ").split() if n.strip())
