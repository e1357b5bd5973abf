"""`smartmon scan` end to end: a real git repository, the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

CI = """\
name: CI
on: [push]
jobs:
  test:
    runs-on: ubuntu-20.04  # pinned
    steps:
      - uses: actions/checkout@v2
      - uses: actions/cache@7c3b1c3e8f6a8e0c6d1c1b1f5d9c9e4c8b2a1f00 # v2.1.0
      - id: v
        run: |
          # echo "::set-output name=old::comment"
          echo "::set-output name=ver::$(cat VERSION)"
          ./scripts/build.sh --release
          python -c 'print("::set-output name=x::y")'
      - uses: actions/upload-artifact@v3
  mac:
    strategy:
      matrix:
        os: [macos-12, macos-latest]
    runs-on: ${{ matrix.os }}
    steps:
      - run: echo "::add-path::/opt/bin"
"""
ACTION = """\
name: setup
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v4
    - run: echo hi
      shell: bash
"""
BROKEN = (
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    runs-on: ubuntu-22.04\n    steps: []\n"
)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/actions/setup").mkdir(parents=True)
    (root / "scripts").mkdir()
    (root / ".github/workflows/ci.yml").write_text(CI)
    (root / ".github/workflows/broken.yaml").write_text(BROKEN)
    (root / ".github/actions/setup/action.yml").write_text(ACTION)
    (root / "scripts/build.sh").write_text("#!/bin/sh\necho built\n")
    (root / "VERSION").write_text("1.0\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "init")
    return root


def _smartmon(*args: str, server: str = "https://github.com") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_SERVER_URL": server}
    return subprocess.run(
        [sys.executable, "-m", "smartmon", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_json_lists_every_problem_and_changes_nothing(repo: Path) -> None:
    before = _snapshot(repo)
    proc = _smartmon("scan", "--repo", str(repo), "--format", "json")
    assert proc.returncode == 1, proc.stderr  # findings remain
    found = json.loads(proc.stdout)["findings"]
    assert _snapshot(repo) == before
    keys = {(f["type"], f["file"], f["line"]) for f in found}
    ci = ".github/workflows/ci.yml"
    assert keys == {
        ("retired_runner", ci, 5),
        ("deprecated_action", ci, 7),
        ("deprecated_action", ci, 8),
        ("deprecated_command", ci, 12),
        ("permission_error", ci, 13),
        ("deprecated_command", ci, 14),
        ("deprecated_action", ci, 15),
        ("retired_runner", ci, 19),
        ("deprecated_command", ci, 22),
        ("yaml_syntax_error", ".github/workflows/broken.yaml", 5),
        ("deprecated_action", ".github/actions/setup/action.yml", 5),
    }
    for f in found:
        assert set(f) >= {"type", "file", "line", "data", "auto_fixable"}
    by_line = {(f["file"], f["line"]): f for f in found}
    assert by_line[(ci, 8)]["auto_fixable"] is False  # SHA pin: report only
    assert by_line[(ci, 14)]["auto_fixable"] is False  # python print: report only
    assert by_line[(ci, 13)]["data"]["file"] == "scripts/build.sh"
    assert by_line[(ci, 19)]["data"]["label"] == "macos-12"


def test_text_is_one_line_per_finding(repo: Path) -> None:
    proc = _smartmon("scan", "--repo", str(repo))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 11
    assert ".github/workflows/ci.yml:5: retired_runner: runner label ubuntu-20.04 was retired" in (
        proc.stdout
    )
    assert any(
        line.startswith(".github/workflows/broken.yaml:5: yaml_syntax_error:") for line in lines
    )


def test_fix_applies_minimal_edits_and_is_idempotent(repo: Path) -> None:
    proc = _smartmon("scan", "--repo", str(repo), "--fix", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the SHA pin and the python print remain
    fixes = json.loads(proc.stdout)["fixes"]
    assert any(f["applied"] for f in fixes)
    assert any(not f["applied"] and "pinned by SHA" in f.get("reason", "") for f in fixes)
    diff = _git(repo, "diff", "-U0", "--", ".github/workflows/ci.yml")
    changed = sorted(
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    )
    assert changed == sorted(
        [
            "-    runs-on: ubuntu-20.04  # pinned",
            "+    runs-on: ubuntu-24.04  # pinned",
            "-      - uses: actions/checkout@v2",
            "+      - uses: actions/checkout@v5",
            '-          echo "::set-output name=ver::$(cat VERSION)"',
            '+          echo "ver=$(cat VERSION)" >> "$GITHUB_OUTPUT"',
            "-      - uses: actions/upload-artifact@v3",
            "+      - uses: actions/upload-artifact@v6",
            "-        os: [macos-12, macos-latest]",
            "+        os: [macos-15-intel, macos-latest]",
            '-      - run: echo "::add-path::/opt/bin"',
            '+      - run: echo "/opt/bin" >> "$GITHUB_PATH"',
        ]
    )
    # The script is executable in the working tree and in git's index.
    assert os.access(repo / "scripts/build.sh", os.X_OK)
    assert _git(repo, "ls-files", "-s", "scripts/build.sh").startswith("100755")
    assert "actions/setup-python@v6" in (repo / ".github/actions/setup/action.yml").read_text()
    # The broken file had no deterministic repair: untouched.
    assert (repo / ".github/workflows/broken.yaml").read_text() == BROKEN

    after = _snapshot(repo)
    again = _smartmon("scan", "--repo", str(repo), "--fix", "--format", "json")
    assert again.returncode == 1
    assert _snapshot(repo) == after
    left = json.loads(again.stdout)["findings"]
    assert not [f for f in left if f["auto_fixable"]]


def test_fix_runs_the_script_afterwards(repo: Path) -> None:
    assert _smartmon("scan", "--repo", str(repo), "--fix").returncode == 1
    out = subprocess.run(
        [str(repo / "scripts/build.sh")], capture_output=True, text=True, check=True
    )
    assert out.stdout == "built\n"


def test_missing_repo_is_a_usage_error(tmp_path: Path) -> None:
    proc = _smartmon("scan", "--repo", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("smartmon: error: ")
    (tmp_path / "file").write_text("x")
    assert _smartmon("scan", "--repo", str(tmp_path / "file")).returncode == 2


def test_clean_repository_has_no_findings(tmp_path: Path) -> None:
    (tmp_path / ".github/workflows").mkdir(parents=True)
    clean = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v5\n"
    (tmp_path / ".github/workflows/ok.yml").write_text(clean)
    proc = _smartmon("scan", "--repo", str(tmp_path), "--fix", "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"findings": [], "fixes": []}
    assert (tmp_path / ".github/workflows/ok.yml").read_text() == clean


def test_enterprise_server_keeps_artifact_v3(repo: Path) -> None:
    ghes = "https://ghe.example.com"
    proc = _smartmon("scan", "--repo", str(repo), "--fix", "--format", "json", server=ghes)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    upload = next(f for f in found if f["data"].get("action") == "actions/upload-artifact")
    assert upload["auto_fixable"] is False
    text = (repo / ".github/workflows/ci.yml").read_text()
    assert "actions/upload-artifact@v3" in text and "actions/checkout@v5" in text


def test_a_renamed_input_is_reported_on_its_line_and_fixed_with_the_bump(tmp_path: Path) -> None:
    from smartmon.fixers.scan import fix, scan_file
    from smartmon.fixers.workspace import Workspace

    wf = tmp_path / ".github/workflows/ci.yml"
    wf.parent.mkdir(parents=True)
    text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
    text += "      - uses: actions/setup-node@v2\n        with:\n          version: 12\n"
    wf.write_text(text)
    ws = Workspace(tmp_path)
    found = scan_file(ws, ".github/workflows/ci.yml")
    assert [(f.finding.line, f.finding.auto_fixable) for f in found] == [(6, True), (8, True)]
    fix(ws, found, server_url="https://github.com")
    ws.apply()
    assert wf.read_text() == text.replace("@v2", "@v5").replace("version:", "node-version:")
