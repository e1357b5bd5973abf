"""Helpers for the runner tests: real bare repositories and run requests (no mocks)."""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from smartmon.sandbox import JobResult, Runner, RunRequest

TOKEN = "ghs_sandboxRunToken0123456789abcdefABCDEF"
LINE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
_TOOL_CACHE: list[Path] = []


def shared_tool_cache() -> Path:
    """One tool cache (wheelhouse) per test process; jobs still get fresh venvs."""
    if not _TOOL_CACHE:
        path = Path(tempfile.mkdtemp(prefix="smartmon-toolcache-"))
        atexit.register(shutil.rmtree, path, True)
        _TOOL_CACHE.append(path)
    return _TOOL_CACHE[0]


class StepClock:
    """A deterministic clock: every reading is 1 ms after the previous one."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1000)
        return self.now


def make_runner(tmp_path: Path, **kwargs: Any) -> Runner:
    return Runner(
        work_root=tmp_path / "runner", clock=StepClock(), tool_cache=shared_tool_cache(), **kwargs
    )


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(cwd),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_repo(
    tmp_path: Path,
    files: Mapping[str, bytes | str],
    executable: Iterable[str] = (),
    name: str = "demo",
) -> tuple[Path, Path, str]:
    """A bare repo plus a work clone holding ``files`` on main; returns (bare, work, sha)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    bare = tmp_path / f"{name}.git"
    work = tmp_path / f"{name}-work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    return bare, work, commit(work, bare, files, executable)


def commit(
    work: Path,
    bare: Path,
    files: Mapping[str, bytes | str],
    executable: Iterable[str] = (),
    branch: str = "main",
) -> str:
    for rel, content in files.items():
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    git(work, "add", "-A")
    for rel in executable:
        git(work, "update-index", "--chmod=+x", rel)
    git(work, "commit", "-q", "-m", "change")
    git(work, "push", "-q", str(bare), f"HEAD:refs/heads/{branch}")
    return git(work, "rev-parse", "HEAD")


def request(
    bare: Path,
    sha: str,
    workflow: str = ".github/workflows/ci.yml",
    **overrides: Any,
) -> RunRequest:
    values: dict[str, Any] = {
        "repo_full_name": "octo/demo",
        "repo_dir": bare,
        "workflow_path": workflow,
        "sha": sha,
        "ref": "refs/heads/main",
        "event": "push",
        "payload": {"ref": "refs/heads/main", "after": sha},
        "run_id": 101,
        "run_number": 1,
        "run_attempt": 1,
        "token": TOKEN,
        "api_url": "http://127.0.0.1:9/api/v3",
        "server_url": "http://127.0.0.1:9",
        "git_url": f"file://{bare}",
        "secrets": {},
        "variables": {},
    }
    values.update(overrides)
    return RunRequest(**values)


def job(jobs: list[JobResult], name: str) -> JobResult:
    for found in jobs:
        if found.name == name:
            return found
    raise AssertionError(f"no job {name!r} in {[j.name for j in jobs]}")


def body(log: str) -> list[str]:
    """Log lines without their timestamps (asserting each line has one)."""
    lines = log.splitlines()
    for line in lines:
        assert LINE_RE.match(line), f"line without timestamp: {line!r}"
    return [line[29:] for line in lines]
