"""Commit, branch and push a fix with git, with hooks off, the token off the command line, and
the loop guards: our `Smartmon-Fix:` trailer, no diff → no commit, and a push leased on the
failing run's `head_sha` (act on it only while the branch tip still equals it).

Every call is an argument list (never a shell). Branch names, refs and messages are untrusted.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from smartmon.errors import InputError
from smartmon.redact import redact

log = logging.getLogger(__name__)

TRAILER = "Smartmon-Fix"
DEFAULT_AUTHOR = ("smartmon[bot]", "smartmon@users.noreply.github.com")
FIX_BRANCH_PREFIX = "smartmon/fix-"

# Hooks, fsmonitor and signing are the ways a commit or push runs configured programs.
_SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "commit.gpgsign=false",
    "tag.gpgsign=false",
    "push.gpgSign=false",
)
_GIT = ("git", *(arg for pair in _SAFE_CONFIG for arg in ("-c", pair)))
# Inherited from a hook or another tool, these would point git at another repository.
_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")
# add-and-commit's rule: no `ext::` or other transport helpers that run commands.
_PROTOCOLS = "https:http:ssh:git:file"
_LOCAL_TIMEOUT = 120.0
_NETWORK_TIMEOUT = 300.0
_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# `git push --porcelain`: "<flag>\t<from>:<to>\t<summary> (<reason>)".
_PORCELAIN = re.compile(r"^(?P<flag>[ +\-*!=])\t(?P<spec>[^\t]*)\t(?P<summary>.*)$")


class GitError(InputError):
    """A git command failed; the message is redacted and says what to do."""


class GitTimeout(GitError):
    """A git command ran past its time limit (a hung remote)."""


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


def fix_branch(run_id: int | str) -> str:
    """The pull-request branch for a failing run: `smartmon/fix-<run id>`."""
    return FIX_BRANCH_PREFIX + _run_id(run_id)


def validate_branch(repo: Path, branch: str) -> str:
    """Return `branch` if git accepts it as a plain branch name, else raise GitError."""
    if not isinstance(branch, str) or not branch or branch.startswith("-") or "\0" in branch:
        raise GitError(f"{branch!r}: not a valid branch name")
    # `--branch` also expands `@{-1}`; a valid plain name comes back unchanged.
    proc = _git(repo, "check-ref-format", "--branch", branch, check=False)
    if proc.returncode != 0 or proc.stdout.strip() != branch or branch == "HEAD":
        raise GitError(f"{branch!r}: not a valid branch name (git check-ref-format --branch)")
    return branch


def commit(
    repo: Path,
    message: str,
    *,
    paths: Sequence[str],
    run_id: int | str,
    author: tuple[str, str] = DEFAULT_AUTHOR,
) -> str | None:
    """Commit exactly `paths` (content and mode) with our trailer; None when they have no diff."""
    trailer = f"{TRAILER}: run {_run_id(run_id)}"
    if not message.strip():
        raise GitError("commit message is empty; describe the fix")
    if not paths:
        raise GitError("no paths to commit; pass the files the fix changed")
    for path in paths:
        if not path or "\0" in path or Path(path).is_absolute():
            raise GitError(f"{path!r}: not a path relative to the repository")
    name, email = author
    if any(c in name + email for c in "<>\n\r\0") or not name or not email:
        raise GitError(f"{author!r}: not a usable author name and email")
    identity = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    # `add -A` stages new, changed, deleted and mode-only changes of exactly these paths.
    _git(repo, "add", "--all", "--", *paths)
    if _git(repo, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        log.info("%s: no changes in %d path(s); nothing to commit", repo, len(paths))
        return None
    # Paths on the command line make this `--only`: whatever else is staged stays out.
    _git(
        repo,
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email}",
        "commit",
        "--quiet",
        "--no-verify",
        "--no-gpg-sign",
        "--cleanup=whitespace",
        "--file=-",
        f"--trailer={trailer}",
        "--",
        *paths,
        stdin=message,
        extra_env=identity,
    )
    sha = head_sha(repo)
    log.info("%s: committed %s (%s: run %s)", repo, sha, TRAILER, run_id)
    return sha


def head_sha(repo: Path) -> str:
    """The full sha of HEAD."""
    return _git(repo, "rev-parse", "--verify", "--end-of-options", "HEAD^{commit}").stdout.strip()


def is_smartmon_commit(repo: Path, sha: str) -> bool:
    """Whether the commit carries our `Smartmon-Fix:` trailer."""
    marks = _trailers(repo, _ref(sha), 1)
    return bool(marks) and marks[0]


def recent_commits_ours(repo: Path, ref: str, n: int = 3) -> bool:
    """Whether each of the last `n` first-parent commits on `ref` is ours (fewer than n: False).

    A shallow clone holds fewer commits than that; deepen it first (`git fetch --deepen`).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    marks = _trailers(repo, _ref(ref), n)
    return len(marks) == n and all(marks)


def find_fix(
    repo: Path, remote: str, branch: str, run_id: int | str, *, token: str | None, depth: int = 20
) -> str | None:
    """The commit among the last `depth` on the remote `branch` whose trailer names `run_id`.

    None when the branch does not exist (or cannot be fetched) or holds no such commit: a fix
    made before a crash or by another session is found here instead of being made twice.
    """
    wanted = f"run {_run_id(run_id)}"
    try:
        tip = fetch(repo, remote, branch, token=token, depth=depth)
    except GitError as exc:
        log.debug("%s: no fix found on %s (%s)", repo, branch, exc)
        return None
    fmt = f"%H%x00%(trailers:key={TRAILER},valueonly,separator=%x01)%x1e"
    out = _git(
        repo, "log", f"--max-count={depth}", f"--format={fmt}", "--end-of-options", tip, "--"
    ).stdout
    for record in out.split("\x1e"):
        sha, _, values = record.strip("\n").partition("\0")
        if wanted in (v.strip() for v in values.split("\x01")):
            return sha
    return None


def _trailers(repo: Path, ref: str, n: int) -> list[bool]:
    fmt = f"%H%x00%(trailers:key={TRAILER},valueonly,separator=%x01)%x1e"
    out = _git(
        repo,
        "log",
        "--first-parent",
        f"--max-count={n}",
        f"--format={fmt}",
        "--end-of-options",
        ref,
        "--",
    ).stdout
    records = [r.strip("\n") for r in out.split("\x1e") if r.strip("\n")]
    return [bool(r.partition("\0")[2].strip()) for r in records]


def fetch(repo: Path, remote: str, ref: str, *, token: str | None, depth: int | None = None) -> str:
    """Fetch a branch or a commit sha (with `depth` commits of history); return its sha.

    The loop guards read history that a `fetch-depth: 1` checkout does not have.
    """
    refspec = ref if _SHA.match(ref) else f"refs/heads/{validate_branch(repo, ref)}"
    auth = _Auth(token)
    target, url = _remote(repo, remote)
    shallow = [f"--depth={depth}"] if depth else []
    _git(
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
    return _git(
        repo, "rev-parse", "--verify", "--end-of-options", "FETCH_HEAD^{commit}"
    ).stdout.strip()


def push_with_lease(
    repo: Path, remote: str, branch: str, expected_sha: str, *, token: str | None
) -> PushResult:
    """Fast-forward `branch` on `remote` to HEAD only if its tip is still `expected_sha`."""
    validate_branch(repo, branch)
    expected = expected_sha.strip().lower()
    if not _SHA.match(expected):
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
    ancestor = _git(repo, "merge-base", "--is-ancestor", expected, sha, check=False)
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


def format_patch(repo: Path, base: str, head: str) -> str:
    """The commits `base..head` as a mailbox patch series (`git am` applies it)."""
    return _git(
        repo,
        "format-patch",
        "--stdout",
        "--binary",
        "--no-signature",
        "--no-color",
        "--end-of-options",
        f"{_ref(base)}..{_ref(head)}",
    ).stdout


def diff_patch(repo: Path, *, paths: Sequence[str] | None = None) -> str:
    """Uncommitted changes (new files included) as a `git apply` patch; the index is untouched."""
    spec = ["--", *paths] if paths else ["--"]
    with tempfile.TemporaryDirectory(prefix="smartmon-index-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(repo, "read-tree", "HEAD", extra_env=index)
        _git(repo, "add", "--all", *spec, extra_env=index)
        return _git(
            repo,
            "-c",
            "diff.noprefix=false",
            "-c",
            "diff.mnemonicPrefix=false",
            "diff",
            "--cached",
            "--binary",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "HEAD",
            *spec,
            extra_env=index,
        ).stdout


# -- internals -------------------------------------------------------------------------------


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
        proc = _git(repo, *args, check=False, extra_env=auth.env(url), secrets=auth.secrets)
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
    detail = server or _last_line(stderr) or f"git push exited with {proc.returncode}"
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


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


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
        if scheme not in _PROTOCOLS.split(":"):
            raise GitError(f"{redact(remote)}: transport {scheme!r} is not allowed")
        return remote
    if not _REMOTE_NAME.match(remote):
        raise GitError(f"{remote!r}: not a remote name or URL")
    proc = _git(repo, "remote", "get-url", "--push", remote, check=False)
    if proc.returncode != 0:
        raise GitError(f"{remote}: no such remote in {repo}; add it or pass the URL")
    return proc.stdout.strip()


def _ref(rev: str) -> str:
    if not isinstance(rev, str) or not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise GitError(f"{rev!r}: not a commit or ref")
    return rev


def _run_id(run_id: int | str) -> str:
    text = str(run_id).strip()
    if not text.isascii() or not text.isdigit():
        raise GitError(f"{run_id!r}: not a run id (digits only)")
    return str(int(text))


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GCM_INTERACTIVE": "never",
            "GIT_ALLOW_PROTOCOL": _PROTOCOLS,
            "GIT_LITERAL_PATHSPECS": "1",
            "LC_ALL": "C",
            "LANGUAGE": "C",
        }
    )
    env.update(extra or {})
    return env


def _git(
    repo: Path,
    *args: str,
    check: bool = True,
    stdin: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    secrets: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    command = next((a for a in args if not a.startswith("-") and "=" not in a), "")
    timeout = _NETWORK_TIMEOUT if command in ("push", "fetch") else _LOCAL_TIMEOUT
    try:
        proc = subprocess.run(
            [*_GIT, *args],
            cwd=repo,
            env=_env(extra_env),
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitTimeout(f"{repo}: git {command} timed out after {timeout:.0f} s") from None
    except FileNotFoundError as exc:
        if exc.filename == _GIT[0]:
            raise GitError(f"{repo}: cannot run git; install git") from None
        raise GitError(f"{repo}: no such directory; pass the repository's checkout") from None
    if check and proc.returncode != 0:
        words = redact(_last_line(proc.stderr) or f"exit {proc.returncode}", secrets)
        raise GitError(f"{repo}: git {command} failed: {words}")
    return proc
