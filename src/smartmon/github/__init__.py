"""GitHub: the REST client (paging, ETags, backoff, actionable errors) and git through subprocess."""

from smartmon.github import git
from smartmon.github.action_lookup import lookup_action
from smartmon.github.action_lookups import (
    LookupBudget,
    default_cache,
    lookup_actions,
    needs_lookup,
    runner_cache,
)
from smartmon.github.client import (
    AuthenticationFailed,
    GitHubClient,
    GitHubError,
    NotFound,
    PermissionDenied,
    WorkflowRun,
)

__all__ = [
    "AuthenticationFailed",
    "GitHubClient",
    "GitHubError",
    "LookupBudget",
    "NotFound",
    "PermissionDenied",
    "WorkflowRun",
    "default_cache",
    "git",
    "lookup_action",
    "lookup_actions",
    "needs_lookup",
    "runner_cache",
]
