"""Talk to the remote: fetch, and push leased on the failing run's `head_sha`, with the token in
git's environment only (never in argv or config), and the server's refusals read into one line.
"""

from __future__ import annotations

import base64
import logging
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from smartmon.github.git_runner import (
    PROTOCOLS,
    SHA,
    GitError,
    GitTimeout,
    head_sha,
    last_line,
    run_git,
    validate_branch,
)
from smartmon.redact import redact

log = logging.getLogger(__name__)

_REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# `git push --porcelain`: "<flag>\t<from>:<to>\t<summary> (<reason>)".
_PORCELAIN = re.compile(r"^(?P<flag>[ +\-*!=])\t(?P<spec>[^\t]*)\t(?P<summary>.*)$")


class PushStatus(StrEnum):
    PUSHED = "pushed"  # the remote branch now holds our commit (or already did)
    STALE = "stale"  # the remote moved since the failing run: report "stale run", do nothing
    REJECTED = "rejected"  # protected branch, non-fast-forward, permission, existing branch
    FAILED = "failed"  # network, timeout or a local git error


@dataclass(frozen=True, kw_only=True)
class PushResult:
    status: PushStatus
    branch: str
    sha: str  # the commit we pushed (or tried to)
    message: str  # one redacted line for the summary: the server's words when it refused

    @property
    def ok(self) -> bool:
        return self.status is PushStatus.PUSHED


def fetch(repo: Path, remote: str, ref: str, *, token: str | None, depth: int | None = None) -> str:
    """Fetch a branch or a commit sha (with `depth` commits of history); return its sha.

    The loop guards read history that a `fetch-depth: 1` checkout does not have.
    """
    refspec = ref if SHA.match(ref) else f"refs/heads/{validate_branch(repo, ref)}"
    auth = _Auth(token)
    target, url = _remote(repo, remote)
    shallow = [f"--depth={depth}"] if depth else []
    run_git(
        repo,
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        *shallow,
        "--",
        target,
        refspec,
        extra_env=auth.env(url),
        secrets=auth.secrets,
    )
    return run_git(
        repo, "rev-parse", "--verify", "--end-of-options", "FETCH_HEAD^{commit}"
    ).stdout.strip()


def push_with_lease(
    repo: Path, remote: str, branch: str, expected_sha: str, *, token: str | None
) -> PushResult:
    """Fast-forward `branch` on `remote` to HEAD only if its tip is still `expected_sha`."""
    validate_branch(repo, branch)
    expected = expected_sha.strip().lower()
    if not SHA.match(expected):
        raise GitError(f"{expected_sha!r}: not a full commit sha; pass the run's head_sha")
    sha = head_sha(repo)
    ours = _Auth(token)
    if sha == expected:
        return PushResult(
            status=PushStatus.REJECTED,
            branch=branch,
            sha=sha,
            message=f"HEAD is {expected}, the failing commit itself: commit the fix first",
        )
    # A lease alone would also allow a forced update; the fix must sit on top of head_sha.
    ancestor = run_git(repo, "merge-base", "--is-ancestor", expected, sha, check=False)
    if ancestor.returncode != 0:
        return PushResult(
            status=PushStatus.REJECTED,
            branch=branch,
            sha=sha,
            message=f"non-fast-forward: {sha} does not descend from {expected}",
        )
    ref = f"refs/heads/{branch}"
    return _push(repo, remote, branch, sha, lease=f"{ref}:{expected}", auth=ours)


def create_branch_and_push(
    repo: Path, remote: str, branch: str, *, token: str | None
) -> PushResult:
    """Create `branch` on `remote` at HEAD; idempotent when it already holds exactly HEAD."""
    validate_branch(repo, branch)
    sha = head_sha(repo)
    # An empty lease value means "the ref must not exist yet" (git-push(1)).
    result = _push(repo, remote, branch, sha, lease=f"refs/heads/{branch}:", auth=_Auth(token))
    if result.status is PushStatus.STALE:
        return PushResult(
            status=PushStatus.REJECTED,
            branch=branch,
            sha=sha,
            message=f"branch {branch} already exists on the remote with other commits; "
            "delete it or merge its pull request, then run again",
        )
    return result


class _Auth:
    """The token as an `Authorization` header, handed to git through its environment only."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode() if token else ""
        self.value = f"AUTHORIZATION: basic {basic}" if token else ""
        self.secrets = [s for s in (self.token, basic) if s]

    def env(self, url: str) -> dict[str, str]:
        """GIT_CONFIG_* entries scoping the header to the remote's host (never in argv or config)."""
        if not self.token:
            return {}
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return {}
        # Scoped like actions/checkout, so a redirect to another host never gets it; an empty
        # value first clears a header that a persisted checkout left for the same host.
        key = f"http.{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/"
        key += ".extraheader"
        count = os.environ.get("GIT_CONFIG_COUNT", "0")
        start = int(count) if count.isdigit() else 0
        return {
            "GIT_CONFIG_COUNT": str(start + 2),
            f"GIT_CONFIG_KEY_{start}": key,
            f"GIT_CONFIG_VALUE_{start}": "",
            f"GIT_CONFIG_KEY_{start + 1}": key,
            f"GIT_CONFIG_VALUE_{start + 1}": self.value,
        }


def _push(repo: Path, remote: str, branch: str, sha: str, *, lease: str, auth: _Auth) -> PushResult:
    target, url = _remote(repo, remote)
    args = [
        "push",
        "--porcelain",
        "--no-verify",
        "--no-signed",
        "--recurse-submodules=no",
        "--no-follow-tags",
        f"--force-with-lease={lease}",
        "--",
        target,
        f"{sha}:refs/heads/{branch}",
    ]
    try:
        proc = run_git(repo, *args, check=False, extra_env=auth.env(url), secrets=auth.secrets)
    except GitTimeout as exc:
        return PushResult(status=PushStatus.FAILED, branch=branch, sha=sha, message=str(exc))
    stdout = redact(proc.stdout, auth.secrets)
    stderr = redact(proc.stderr, auth.secrets)
    server = _server_words(stderr)
    for line in stdout.splitlines():
        match = _PORCELAIN.match(line)
        if not match:
            continue
        flag, summary = match["flag"], match["summary"]
        if flag in " *=+":
            note = "already up to date" if flag == "=" else f"pushed {sha[:12]}"
            log.info("push %s → %s: %s", sha, branch, note)
            return PushResult(status=PushStatus.PUSHED, branch=branch, sha=sha, message=note)
        if "stale info" in summary:
            return PushResult(
                status=PushStatus.STALE,
                branch=branch,
                sha=sha,
                message=f"stale run: {branch} moved on the remote since the failing run",
            )
        reason = server or summary.strip("[] ")
        return PushResult(status=PushStatus.REJECTED, branch=branch, sha=sha, message=reason)
    status = PushStatus.REJECTED if _refused(stderr) else PushStatus.FAILED
    detail = server or last_line(stderr) or f"git push exited with {proc.returncode}"
    if "could not read username" in stderr.lower():
        detail = (
            "the remote refused the credentials (HTTP 401): pass a valid token with contents: write"
        )
    return PushResult(status=status, branch=branch, sha=sha, message=detail)


def _refused(stderr: str) -> bool:
    """Authentication or permission refusals, as opposed to network trouble."""
    text = stderr.lower()
    return any(
        marker in text
        for marker in (
            "error: 403",
            "error: 401",
            "authentication failed",
            "could not read username",
            "permission",
            "denied",
        )
    )


def _server_words(stderr: str) -> str:
    """What the server said (`remote: ...` lines), joined into one line."""
    said = [line[7:].strip() for line in stderr.splitlines() if line.startswith("remote:")]
    return " ".join(s for s in said if s)


def _remote(repo: Path, remote: str) -> tuple[str, str]:
    """(what to put on git's command line, the URL): a remote name stays a name there, since
    its configured URL may hold credentials."""
    url = _remote_url(repo, remote)
    return (remote if "://" not in remote else url), url


def _remote_url(repo: Path, remote: str) -> str:
    """The push URL of a remote name, or `remote` itself when it is a URL we allow."""
    if not remote or remote.startswith("-") or "\0" in remote or "::" in remote:
        raise GitError(f"{remote!r}: not a remote name or URL")
    if "://" in remote:
        scheme = remote.split("://", 1)[0].lower()
        if scheme not in PROTOCOLS.split(":"):
            raise GitError(f"{redact(remote)}: transport {scheme!r} is not allowed")
        return remote
    if not _REMOTE_NAME.match(remote):
        raise GitError(f"{remote!r}: not a remote name or URL")
    proc = run_git(repo, "remote", "get-url", "--push", remote, check=False)
    if proc.returncode != 0:
        raise GitError(f"{remote}: no such remote in {repo}; add it or pass the URL")
    return proc.stdout.strip()
