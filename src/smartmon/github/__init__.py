"""GitHub: the REST client (paging, ETags, backoff, actionable errors) and git through subprocess."""

from smartmon.github import git
from smartmon.github.action_lookup import lookup_action
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
    "NotFound",
    "PermissionDenied",
    "WorkflowRun",
    "git",
    "lookup_action",
]
