"""`smartmon scan --format sarif|github`, its exit code, and the pre-commit hook, end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from smartmon.cli.scan_formats import escape_data, escape_property, github
from smartmon.fixers import ScanFinding
from smartmon.model import Finding, IssueType, Severity

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).with_name("data") / "sarif-2.1.0-minimal.schema.json"
CI = """\
on: push
jobs:
  a:
    runs-on: ubuntu-20.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions-rs/toolchain@v1
        with: {toolchain: stable}
      - run: echo "::set-output name=v::$(date)"
"""


def _smartmon(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_SERVER_URL": "https://github.com"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "smartmon", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
    )


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env=env,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text(CI)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "init")
    return root


def test_sarif_validates_and_names_every_finding(repo: Path) -> None:
    proc = _smartmon("scan", "--repo", str(repo), "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    results = log["runs"][0]["results"]
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    got = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    }
    assert got == {
        ("retired_runner", 4),
        ("deprecated_action", 6),
        ("deprecated_action", 7),
        ("deprecated_command", 9),
    }
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    toolchain = next(r for r in results if "toolchain" in r["message"]["text"])
    assert "dtolnay/rust-toolchain" in toolchain["message"]["text"]
    assert toolchain["properties"]["autoFixable"] is False


def test_after_fix_sarif_and_github_list_what_is_left(repo: Path) -> None:
    proc = _smartmon("scan", "--repo", str(repo), "--fix", "--format", "github")
    assert proc.returncode == 1, proc.stderr  # the archived action needs a human
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "::warning file=.github/workflows/ci.yml,line=7,"
    )
    fixed = (repo / ".github/workflows/ci.yml").read_text()
    assert "actions/checkout@v5" in fixed and "ubuntu-24.04" in fixed
    assert 'echo "v=$(date)" >> "$GITHUB_OUTPUT"' in fixed


def test_clean_repository_exits_zero(tmp_path: Path) -> None:
    (tmp_path / ".github/workflows").mkdir(parents=True)
    ok = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ok\n"
    (tmp_path / ".github/workflows/ok.yml").write_text(ok)
    proc = _smartmon("scan", "--repo", str(tmp_path), "--format", "sarif")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["runs"][0]["results"] == []


def test_annotations_cannot_be_broken_out_of() -> None:
    finding = Finding(
        type=IssueType.DEPRECATED_COMMAND,
        severity=Severity.LOW,
        auto_fixable=False,
        rule="scan-deprecated-command",
        job="a",
        step="",
        line=3,
        text="100% bad\n::error::injected",
    )
    out = github([ScanFinding("a,b:c.yml", finding)])
    # One line: the newline is escaped, so `::error::` is data, never a command of its own.
    assert out.count("\n") == 1 and out.startswith("::notice ")
    assert "file=a%2Cb%3Ac.yml" in out and "100%25 bad%0A" in out
    assert escape_property("x:y,z%") == "x%3Ay%2Cz%25" and escape_data("a\r\n") == "a%0D%0A"


def test_pre_commit_hook_runs_scan_on_a_fixture_repository(repo: Path, tmp_path: Path) -> None:
    """`pre-commit try-repo` with our hook manifest; the hook runs this checkout's smartmon
    (`language: system`), so the test needs no network and no package build."""
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["smartmon-scan"]
    assert hooks[0]["entry"] == "smartmon scan" and hooks[0]["pass_filenames"] is False
    hook_repo = tmp_path / "hooks"
    hook_repo.mkdir()
    local = {**hooks[0], "language": "system", "entry": f"{sys.executable} -m smartmon scan"}
    (hook_repo / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump([local]))
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-q", "-m", "hooks")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}
    run = [pre_commit, "try-repo", str(hook_repo), "smartmon-scan", "--all-files"]
    failed = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "retired_runner" in failed.stdout
    clean = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ok\n"
    (repo / ".github/workflows/ci.yml").write_text(clean)
    _git(repo, "add", "-A")
    passed = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
