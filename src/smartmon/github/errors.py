"""GitHub API failures as exceptions that say what happened and what to do (token never included)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from smartmon.errors import SmartmonError
from smartmon.redact import redact

# Keys of a workflow's `permissions:` block (GitHub's docs, "GITHUB_TOKEN reference"). A permission
# outside this set (secrets, workflows, administration, ...) cannot be granted to GITHUB_TOKEN.
_WORKFLOW_PERMISSION_KEYS = frozenset(
    {
        "actions",
        "attestations",
        "checks",
        "contents",
        "deployments",
        "discussions",
        "id-token",
        "issues",
        "models",
        "packages",
        "pages",
        "pull-requests",
        "repository-projects",
        "security-events",
        "statuses",
    }
)


class GitHubError(SmartmonError):
    """A GitHub API call failed; `status` is the HTTP status, or None when no answer came back."""

    def __init__(
        self,
        status: int | None,
        message: str,
        *,
        method: str = "",
        url: str = "",
        request_id: str | None = None,
        documentation_url: str | None = None,
        api_message: str | None = None,
    ) -> None:
        where = f"{method} {urlsplit(url).path}".strip()
        code = f"HTTP {status}: " if status is not None else ""
        text = f"{where}: {code}{message}" if where else f"{code}{message}"
        super().__init__(text)
        self.status = status
        self.method = method
        self.url = url
        self.request_id = request_id
        self.documentation_url = documentation_url
        self.api_message = api_message


class AuthenticationFailed(GitHubError):
    """401: the token is missing, wrong or expired."""


class PermissionDenied(GitHubError):
    """403 that is not a rate limit; `accepted_permissions` lists the alternative permission sets."""

    accepted_permissions: tuple[tuple[str, ...], ...] = ()


class RateLimited(GitHubError):
    """403/429 from a primary or secondary rate limit that retrying did not get past."""

    reset_at: float | None = None
    retry_after: float | None = None
    secondary: bool = False


class NotFound(GitHubError):
    """404: the resource does not exist, or the token cannot see it."""


class Conflict(GitHubError):
    """409: a stale sha, or a ref that moved."""


class ValidationFailed(GitHubError):
    """422 with the API's `errors[]` (`errors` holds them as returned)."""

    errors: tuple[Mapping[str, Any], ...] = ()


class LogsUnavailable(GitHubError):
    """Logs cannot be downloaded (expired, deleted, or a corrupt archive)."""


class LogsExpired(LogsUnavailable):
    """410 on a log endpoint: the logs passed the repository's retention period."""


class UnsupportedApiVersion(GitHubError):
    """400/410 because GitHub no longer accepts our `X-GitHub-Api-Version`."""


class ServerError(GitHubError):
    """5xx that retrying did not get past (or that was not safe to retry)."""


class ConnectionFailed(GitHubError):
    """No HTTP answer: connection refused, DNS failure, timeout or a dropped connection."""


def parse_accepted_permissions(header: str) -> tuple[tuple[str, ...], ...]:
    """`contents=write, actions=read; pull_requests=write` -> alternative sets of permissions."""
    sets = []
    for alternative in header.split(";"):
        perms = tuple(p.strip() for p in alternative.split(",") if "=" in p)
        if perms:
            sets.append(perms)
    return tuple(sets)


def permission_advice(perms: Sequence[str]) -> str:
    """What to add to the workflow (or which token to use) to get `perms` (`name=level` items)."""
    keys = []
    for perm in perms:
        name, _, level = perm.partition("=")
        key = name.strip().replace("_", "-")
        if key == "metadata":
            continue
        if key not in _WORKFLOW_PERMISSION_KEYS:
            return (
                f"use a personal access token or GitHub App token with {perm.strip()} "
                "(GITHUB_TOKEN cannot be granted it)"
            )
        keys.append(f"{key}: {level.strip()}")
    if not keys:
        return "check the token's repository access"
    listed = ", ".join(p.strip() for p in perms)
    return f"add `permissions: {', '.join(keys)}` to the workflow (the token lacks {listed})"


def _api_body(content: bytes) -> dict[str, Any]:
    try:
        body = json.loads(content.decode("utf-8", "replace"))
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _validation_errors(errors: Any) -> str:
    parts = []
    for err in errors if isinstance(errors, list) else []:
        if isinstance(err, str):
            parts.append(err)
        elif isinstance(err, dict):
            text = err.get("message") or " ".join(
                str(err[k]) for k in ("resource", "field", "code") if err.get(k)
            )
            parts.append(str(text))
    return "; ".join(p for p in parts if p)


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def is_rate_limited(status: int, headers: Mapping[str, str], content: bytes) -> bool:
    """403/429 from a primary or secondary rate limit (github-api.md §3), not a permission error."""
    if status == 429:
        return True
    if status != 403:
        return False
    if headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers:
        return True
    return "rate limit" in str(_api_body(content).get("message", "")).lower()


def _is_logs_url(url: str) -> bool:
    return urlsplit(url).path.rstrip("/").endswith("/logs")


def error_from_response(
    method: str,
    url: str,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    secrets: Sequence[str | None] = (),
) -> GitHubError:
    """Build the exception a person can act on for an error response; never includes `secrets`."""
    body = _api_body(content)
    reset_at = _number(headers.get("x-ratelimit-reset"))
    api_message = str(body.get("message") or "").strip()
    quoted = f" (GitHub says: {api_message})" if api_message else ""
    kind: type[GitHubError] = GitHubError
    extra: dict[str, Any] = {}
    if status == 401:
        kind, text = AuthenticationFailed, "token rejected (check the token or its expiry)"
    elif is_rate_limited(status, headers, content):
        kind = RateLimited
        secondary = (
            "secondary" in api_message.lower() or headers.get("x-ratelimit-remaining") != "0"
        )
        if secondary:
            text = "secondary rate limit (too many requests too fast); wait and try again"
        else:
            when = (
                f" until {datetime.fromtimestamp(reset_at, UTC):%Y-%m-%dT%H:%M:%SZ}"
                f" (x-ratelimit-reset {int(reset_at)})"
                if reset_at
                else ""
            )
            text = f"API rate limit exhausted{when}; wait, or use a token with a larger budget"
        retry_after = _number(headers.get("retry-after"))
        extra = {"reset_at": reset_at, "retry_after": retry_after, "secondary": secondary}
    elif status == 403:
        kind = PermissionDenied
        accepted = parse_accepted_permissions(headers.get("x-accepted-github-permissions", ""))
        if accepted:
            text = permission_advice(accepted[0]) + quoted
        else:
            text = f"forbidden{quoted}; the token lacks a permission for this call"
        extra = {"accepted_permissions": accepted}
    elif status == 404:
        kind, text = NotFound, "not found, or the token cannot see it" + quoted
    elif status == 409:
        kind, text = Conflict, f"conflict{quoted}; re-read the current state and try again"
    elif status in (400, 410) and "version" in api_message.lower():
        kind = UnsupportedApiVersion
        text = f"GitHub does not support this API version{quoted}; upgrade smartmon"
    elif status == 410 and _is_logs_url(url):
        kind, text = LogsExpired, "logs expired (retention) or were deleted"
    elif status == 410:
        text = f"gone{quoted}; the resource was removed"
    elif status == 422:
        kind = ValidationFailed
        details = _validation_errors(body.get("errors"))
        text = f"validation failed: {api_message or 'invalid request'}"
        text += f": {details}" if details else ""
        extra = {
            "errors": tuple(
                {k: redact(v, secrets) if isinstance(v, str) else v for k, v in e.items()}
                for e in body.get("errors") or ()
                if isinstance(e, dict)
            )
        }
    elif status >= 500:
        kind, text = ServerError, f"GitHub server error{quoted}; try again later"
    else:
        text = api_message or "unexpected response"
    error = kind(
        status,
        redact(text, secrets),
        method=method,
        url=redact(url, secrets),
        request_id=headers.get("x-github-request-id"),
        documentation_url=redact(str(body.get("documentation_url") or ""), secrets) or None,
        api_message=redact(api_message, secrets) or None,
    )
    for name, value in extra.items():
        setattr(error, name, value)
    return error
