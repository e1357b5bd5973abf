"""Commit, branch and push a fix with git, with hooks off, the token off the command line, and
the loop guards: our `Smartmon-Fix:` trailer, no diff → no commit, and a push leased on the
failing run's `head_sha` (act on it only while the branch tip still equals it).

Every call is an argument list (never a shell). Branch names, refs and messages are untrusted.
This module commits and reads our history; `git_remote` fetches and pushes, `git_runner` runs git.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

from smartmon.github.git_remote import (
    PushResult,
    PushStatus,
    create_branch_and_push,
    fetch,
    push_with_lease,
)
from smartmon.github.git_runner import GitError, GitTimeout, head_sha, run_git, validate_branch

__all__ = [
    "DEFAULT_AUTHOR",
    "FIX_BRANCH_PREFIX",
    "TRAILER",
    "GitError",
    "GitTimeout",
    "PushResult",
    "PushStatus",
    "commit",
    "create_branch_and_push",
    "diff_patch",
    "fetch",
    "find_fix",
    "fix_branch",
    "format_patch",
    "head_sha",
    "is_smartmon_commit",
    "push_with_lease",
    "recent_commits_ours",
    "validate_branch",
]

log = logging.getLogger(__name__)

TRAILER = "Smartmon-Fix"
DEFAULT_AUTHOR = ("smartmon[bot]", "smartmon@users.noreply.github.com")
FIX_BRANCH_PREFIX = "smartmon/fix-"


def fix_branch(run_id: int | str) -> str:
    """The pull-request branch for a failing run: `smartmon/fix-<run id>`."""
    return FIX_BRANCH_PREFIX + _run_id(run_id)


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
    run_git(repo, "add", "--all", "--", *paths)
    if run_git(repo, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        log.info("%s: no changes in %d path(s); nothing to commit", repo, len(paths))
        return None
    # Paths on the command line make this `--only`: whatever else is staged stays out.
    run_git(
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
    out = run_git(
        repo, "log", f"--max-count={depth}", f"--format={fmt}", "--end-of-options", tip, "--"
    ).stdout
    for record in out.split("\x1e"):
        sha, _, values = record.strip("\n").partition("\0")
        if wanted in (v.strip() for v in values.split("\x01")):
            return sha
    return None


def _trailers(repo: Path, ref: str, n: int) -> list[bool]:
    fmt = f"%H%x00%(trailers:key={TRAILER},valueonly,separator=%x01)%x1e"
    out = run_git(
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


def format_patch(repo: Path, base: str, head: str) -> str:
    """The commits `base..head` as a mailbox patch series (`git am` applies it)."""
    return run_git(
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
        run_git(repo, "read-tree", "HEAD", extra_env=index)
        run_git(repo, "add", "--all", *spec, extra_env=index)
        return run_git(
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


def _ref(rev: str) -> str:
    if not isinstance(rev, str) or not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise GitError(f"{rev!r}: not a commit or ref")
    return rev


def _run_id(run_id: int | str) -> str:
    text = str(run_id).strip()
    if not text.isascii() or not text.isdigit():
        raise GitError(f"{run_id!r}: not a run id (digits only)")
    return str(int(text))
