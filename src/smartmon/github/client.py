"""smartmon's only way to talk to GitHub: typed calls over `github_http.Transport`.

The client is bound to one repository (`repo=` or `GITHUB_REPOSITORY`); `for_repo()` returns a
client for another repository that shares the session, ETag cache and rate budget. Its calls come
in two groups: `runs.RunEndpoints` (workflows, runs, jobs, logs, reruns) and
`repository.RepositoryEndpoints` (contents, pulls, refs, commits, secrets), and
`issues.IssueEndpoints` (issues, issue comments, labels); `orgs.OrgEndpoints` lists an
organisation's or an App installation's repositories.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, cast

import requests

from smartmon.github.errors import (
    AuthenticationFailed,
    Conflict,
    ConnectionFailed,
    GitHubError,
    LogsExpired,
    LogsUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnsupportedApiVersion,
    ValidationFailed,
)
from smartmon.github.http import Clock, RateInfo, Transport
from smartmon.github.issues import IssueEndpoints
from smartmon.github.orgs import OrgEndpoints
from smartmon.github.repository import RepositoryEndpoints
from smartmon.github.runs import RunEndpoints
from smartmon.github.shapes import Job, Workflow, WorkflowRun

__all__ = [
    "AuthenticationFailed",
    "Clock",
    "Conflict",
    "ConnectionFailed",
    "GitHubClient",
    "GitHubError",
    "Job",
    "LogsExpired",
    "LogsUnavailable",
    "NotFound",
    "PermissionDenied",
    "RateInfo",
    "RateLimited",
    "ServerError",
    "UnsupportedApiVersion",
    "ValidationFailed",
    "Workflow",
    "WorkflowRun",
]


class GitHubClient(RunEndpoints, RepositoryEndpoints, IssueEndpoints, OrgEndpoints):
    """Typed GitHub REST calls for one repository (`owner/name`)."""

    def __init__(
        self,
        token: str | None = None,
        *,
        repo: str | None = None,
        api_url: str | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        max_retries: int = 5,
        timeout: float = 30,
        max_wait: float = 900.0,
    ) -> None:
        self.http = Transport(
            token,
            api_url=api_url,
            session=session,
            clock=clock,
            sleep=sleep,
            max_retries=max_retries,
            timeout=timeout,
            max_wait=max_wait,
        )
        self._repo = repo or os.environ.get("GITHUB_REPOSITORY") or None

    def for_repo(self, repo: str) -> GitHubClient:
        """A client for another repository sharing this one's session, cache and rate budget."""
        other = object.__new__(GitHubClient)
        other.http = self.http
        other._repo = repo
        return other

    def __repr__(self) -> str:
        return f"<GitHubClient {self._repo or '(no repo)'} via {self.http!r}>"

    @property
    def rate(self) -> RateInfo | None:
        """The primary rate limit as last reported by GitHub (None before the first call)."""
        return self.http.rate

    def on_rate(self, hook: Callable[[RateInfo], None] | None) -> None:
        """Call `hook` after every response that reports the rate limit."""
        self.http.on_rate = hook

    def wait_for_budget(self, min_remaining: int) -> float:
        """Sleep until the reset when fewer than `min_remaining` calls are left; return the wait."""
        return self.http.wait_for_budget(min_remaining)

    def rate_limit(self) -> dict[str, Any]:
        """`GET /rate_limit` (free for the primary limit); read `resources.core`."""
        return cast(dict[str, Any], self.http.request("GET", "/rate_limit").json())
