"""executable_bit: a script that failed with exit 126 gets +x on disk and in git's index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from smartmon.fixers import FixContext, plan_fixes
from smartmon.fixers.executable_bit import plan
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding, IssueType, Severity


def _finding(text: str, **data: str) -> Finding:
    return Finding(
        type=IssueType.PERMISSION_ERROR,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="shell-permission-denied",
        job="build",
        step="Run ./scripts/build.sh",
        line=12,
        text=text,
        data=data,
    )


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, capture_output=True, text=True, check=True, env=env,
    ).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts/build.sh").write_text("#!/bin/sh\necho built\n")
    (root / "scripts/build.sh").chmod(0o644)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "init")
    return root


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("/home/runner/work/app/app/scripts/build.sh: Permission denied", {}),
        (
            "/home/runner/work/_temp/x.sh: line 1: ./scripts/build.sh: Permission denied",
            {"file": "./scripts/build.sh"},
        ),
        ("Permission denied", {"file": "/home/runner/work/app/app/scripts/build.sh"}),
        ("Permission denied", {"file": "D:\\a\\app\\app\\scripts\\build.sh"}),
        ("Permission denied", {"file": "/__w/app/app/scripts/build.sh"}),
    ],
)
def test_sets_the_bit_in_the_tree_and_the_index(
    repo: Path, text: str, data: dict[str, str]
) -> None:
    before = (repo / "scripts/build.sh").read_bytes()
    ws = Workspace(repo)
    fixes = plan_fixes([_finding(text, **data)], ws, FixContext())
    assert len(fixes) == 1 and fixes[0].applicable, fixes
    assert fixes[0].file == "scripts/build.sh"
    ws.apply()
    assert (repo / "scripts/build.sh").read_bytes() == before
    assert _git(repo, "ls-files", "-s", "scripts/build.sh").startswith("100755")
    result = subprocess.run([str(repo / "scripts/build.sh")], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "built\n"
    again = plan(_finding(text, **data), Workspace(repo), FixContext())
    assert again is not None and not again.applicable  # already executable: says so


def test_generated_file_is_reported(repo: Path) -> None:
    fix = plan(_finding("Permission denied", file="./out/gen.sh"), Workspace(repo), FixContext())
    assert fix is not None and not fix.applicable
    assert fix.reason is not None and "not a file in this repository" in fix.reason


def test_token_denials_are_not_its_business(repo: Path) -> None:
    text = "remote: Permission to o/r.git denied to github-actions[bot]."
    assert plan(_finding(text), Workspace(repo), FixContext()) is None
    assert plan(_finding("exit code 1"), Workspace(repo), FixContext()) is None


def test_escape_is_refused(repo: Path) -> None:
    fix = plan(
        _finding("Permission denied", file="../../etc/passwd"), Workspace(repo), FixContext()
    )
    assert fix is None or not fix.applicable


def test_working_directory_of_the_failing_step_wins(repo: Path) -> None:
    (repo / "app").mkdir()
    (repo / "app/build.sh").write_text("#!/bin/sh\necho app\n")
    (repo / "build.sh").write_text("#!/bin/sh\necho root\n")
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/ci.yml").write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: ./build.sh\n        working-directory: app\n"
    )
    finding = Finding(
        type=IssueType.PERMISSION_ERROR,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="shell-permission-denied",
        job="build",
        step="Run ./build.sh",
        line=3,
        text="/home/runner/work/_temp/1.sh: line 1: ./build.sh: Permission denied",
        data={"file": "./build.sh", "exit_code": "126"},
    )
    fix = plan(finding, Workspace(repo), FixContext(workflow=".github/workflows/ci.yml"))
    assert fix is not None and fix.applicable and fix.file == "app/build.sh"
