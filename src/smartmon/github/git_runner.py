"""Run git as a subprocess, safely: an argument list (never a shell), hooks, fsmonitor and signing
off, no transport helpers that run commands, a scrubbed environment and a time limit.

Also the checks on what callers hand it that every git job shares: branch names and HEAD.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from smartmon.errors import InputError
from smartmon.redact import redact

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
PROTOCOLS = "https:http:ssh:git:file"
_LOCAL_TIMEOUT = 120.0
_NETWORK_TIMEOUT = 300.0
# A full commit sha (SHA-1 or SHA-256).
SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


class GitError(InputError):
    """A git command failed; the message is redacted and says what to do."""


class GitTimeout(GitError):
    """A git command ran past its time limit (a hung remote)."""


def validate_branch(repo: Path, branch: str) -> str:
    """Return `branch` if git accepts it as a plain branch name, else raise GitError."""
    if not isinstance(branch, str) or not branch or branch.startswith("-") or "\0" in branch:
        raise GitError(f"{branch!r}: not a valid branch name")
    # `--branch` also expands `@{-1}`; a valid plain name comes back unchanged.
    proc = run_git(repo, "check-ref-format", "--branch", branch, check=False)
    if proc.returncode != 0 or proc.stdout.strip() != branch or branch == "HEAD":
        raise GitError(f"{branch!r}: not a valid branch name (git check-ref-format --branch)")
    return branch


def head_sha(repo: Path) -> str:
    """The full sha of HEAD."""
    return run_git(
        repo, "rev-parse", "--verify", "--end-of-options", "HEAD^{commit}"
    ).stdout.strip()


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GCM_INTERACTIVE": "never",
            "GIT_ALLOW_PROTOCOL": PROTOCOLS,
            "GIT_LITERAL_PATHSPECS": "1",
            "LC_ALL": "C",
            "LANGUAGE": "C",
        }
    )
    env.update(extra or {})
    return env


def run_git(
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
        words = redact(last_line(proc.stderr) or f"exit {proc.returncode}", secrets)
        raise GitError(f"{repo}: git {command} failed: {words}")
    return proc
