"""End to end: `smartmon fix` as a subprocess on real git repositories with crafted job logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.cli.fix import _select
from smartmon.cli.main import main
from smartmon.fixers import FixContext
from smartmon.fixers.missing_dependency import plan
from smartmon.fixers.workspace import Workspace
from smartmon.model import Edit, Finding, Fix, IssueType, Severity
from tests.gitrepo import git, make_repo

TS = "2025-04-01T11:00:0{}.{:07d}Z "


def _log(path: Path, job: str, steps: list[tuple[str, list[str]]], error: list[str]) -> Path:
    """A job log in GitHub's format: timestamped lines, ##[group]Run per step, error trailer."""
    lines = ["Current runner version: '2.323.0'", f"Complete job name: {job}"]
    for command, output in steps:
        lines += [f"##[group]Run {command}", command, "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
        lines += output
    lines += [*error, "##[error]Process completed with exit code 1."]
    path.write_text("".join(TS.format(i // 1000 % 10, i) + ln + "\n" for i, ln in enumerate(lines)))
    return path


def _inproc(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The same command in process: no interpreter start-up, the rule catalog compiled once."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _smartmon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_SERVER_URL"}
    return subprocess.run(
        [sys.executable, "-m", "smartmon", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


CI = """name: CI
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements-dev.txt
      - run: python app.py
"""
LINT = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check\n"
YAML_ERROR = [
    "Traceback (most recent call last):",
    '  File "/home/runner/work/r/r/app.py", line 1, in <module>',
    "    import yaml",
    "ModuleNotFoundError: No module named 'yaml'",
]


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    repo = make_repo(
        tmp_path / "repo",
        {
            "requirements.txt": "requests\n",
            "requirements-dev.txt": "-r requirements.txt\npytest\n",
            "app.py": "import yaml\n",
            ".github/workflows/ci.yml": CI,
            ".github/workflows/lint.yml": LINT,
        },
    )
    log = _log(
        tmp_path / "job.txt",
        "test",
        [("pip install -r requirements-dev.txt", ["Successfully installed requests-2.32.3"])],
        YAML_ERROR,
    )
    return repo, log


@pytest.mark.slow
def test_fix_applies_to_the_manifest_the_workflow_installs(project: tuple[Path, Path]) -> None:
    repo, log = project
    done = _smartmon("fix", "--log", log, "--repo", repo, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [f["type"] for f in report["findings"]] == ["missing_dependency"]
    assert report["workflow"] == ".github/workflows/ci.yml"
    assert report["fixes"] == [
        {
            "type": "missing_dependency",
            "file": "requirements-dev.txt",
            "description": "add PyYAML to requirements-dev.txt (yaml is provided by PyYAML)",
            "applied": True,
        }
    ]
    assert git(repo, "status", "--porcelain") == " M requirements-dev.txt\n"
    assert (repo / "requirements-dev.txt").read_text() == "-r requirements.txt\npytest\nPyYAML\n"
    # Idempotent: a second run changes nothing and says why.
    again = _smartmon("fix", "--log", log, "--repo", repo, "--format", "json")
    fixes = json.loads(again.stdout)["fixes"]
    assert fixes[0]["applied"] is False and "already listed" in fixes[0]["reason"]
    assert (repo / "requirements-dev.txt").read_text() == "-r requirements.txt\npytest\nPyYAML\n"


@pytest.mark.slow
def test_dry_run_diff_changes_nothing_and_git_applies_it(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    repo, log = project
    done = _smartmon("fix", "--log", log, "--repo", repo, "--dry-run", "--format", "diff")
    assert done.returncode == 0, done.stderr
    assert "+PyYAML\n" in done.stdout
    assert done.stdout.startswith("diff --git a/requirements-dev.txt b/requirements-dev.txt\n")
    assert git(repo, "status", "--porcelain") == ""
    patch = tmp_path / "fix.patch"
    patch.write_text(done.stdout)
    git(repo, "apply", "--check", str(patch))


def test_text_output_and_only_filter(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, log = project
    code, out, _ = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--only", "import_error")
    assert code == 0
    assert "0 fix(es) applied" in out
    assert git(repo, "status", "--porcelain") == ""
    only = "missing_dependency,import_error"
    code, out, _ = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--only", only)
    assert "✓ missing_dependency: add PyYAML to requirements-dev.txt" in out
    assert "workflow .github/workflows/ci.yml matched by job names" in out


def test_ambiguous_workflow_is_reported_and_manifest_fix_still_applies(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, log = project
    (repo / ".github/workflows/nightly.yml").write_text(CI.replace("name: CI", "name: Nightly"))
    _, out, _ = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--format", "json")
    report = json.loads(out)
    assert report["workflow"] is None
    assert "several workflows match" in report["notes"][0]
    # Without the workflow the default manifest is used.
    assert (repo / "requirements.txt").read_text() == "requests\nPyYAML\n"


def test_explicit_workflow(project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    repo, log = project
    lint = ".github/workflows/lint.yml"
    code, _, err = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--workflow", lint)
    assert code == 0, err
    # lint.yml installs nothing, so the default manifest is used.
    assert (repo / "requirements.txt").read_text() == "requests\nPyYAML\n"
    code, _, err = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--workflow", "nope.yml")
    assert code == 2 and "nope.yml: no such workflow file" in err


@pytest.mark.parametrize(
    ("module", "reason"),
    [
        ("reqeusts", "'reqeusts' is not a known distribution; did you mean: requests"),
        ("acme_internal", "'acme_internal' is not a known distribution"),
    ],
)
def test_untrusted_names_are_never_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], module: str, reason: str
) -> None:
    repo = make_repo(
        tmp_path / "repo", {"requirements.txt": "flask\n", "app.py": f"import {module}\n"}
    )
    error = f"ModuleNotFoundError: No module named '{module}'"
    log = _log(tmp_path / "job.txt", "build", [("python app.py", [])], [error])
    code, out, err = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--format", "json")
    assert code == 0, err
    fixes = json.loads(out)["fixes"]
    assert fixes == [
        {
            "type": "missing_dependency",
            "file": "",
            "description": "add a missing dependency",
            "applied": False,
            "reason": reason,
        }
    ]
    assert git(repo, "status", "--porcelain") == ""


def test_import_error_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "pkg/__init__.py": "",
            "pkg/utils.py": "def parse_config(text):\n    return text.strip()\n",
            "app.py": "from pkg.utils import parse_confg\n\nprint(parse_confg(' ok '))\n",
        },
    )
    before = subprocess.run([sys.executable, "app.py"], cwd=repo, capture_output=True, text=True)
    error = before.stderr.strip().splitlines()[-1]
    assert error.startswith("ImportError: cannot import name 'parse_confg' from 'pkg.utils'")
    log = _log(tmp_path / "job.txt", "test", [("python app.py", [])], [error])
    code, out, err = _inproc(capsys, "fix", "--log", log, "--repo", repo)
    assert code == 0, err
    assert "✓ import_error" in out
    after = subprocess.run([sys.executable, "app.py"], cwd=repo, capture_output=True, text=True)
    assert after.returncode == 0 and after.stdout == "ok\n"
    assert git(repo, "status", "--porcelain") == " M app.py\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--repo", "{tmp}/missing"],
        ["--repo", "{tmp}/file.txt"],
        ["--log", "{tmp}/nope.txt"],
        ["--only", "not_a_type"],
    ],
    ids=["missing-dir", "not-a-dir", "missing-log", "bad-only"],
)
def test_usage_and_input_errors_exit_2(
    project: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    repo, log = project
    (tmp_path / "file.txt").write_text("x")
    base = {"--log": str(log), "--repo": str(repo)}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value.format(tmp=tmp_path)
    argv = [x for pair in base.items() for x in pair]
    try:
        code, _, err = _inproc(capsys, "fix", *argv)
    except SystemExit as exc:  # argparse rejects bad usage by exiting
        code, err = int(str(exc.code)), capsys.readouterr().err
    assert code == 2
    assert "error" in err
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.slow
def test_missing_repo_exits_2_as_a_process(project: tuple[Path, Path], tmp_path: Path) -> None:
    _, log = project
    done = _smartmon("fix", "--log", log, "--repo", tmp_path / "missing")
    assert done.returncode == 2
    assert done.stderr.startswith("smartmon: error: ") and "missing" in done.stderr


def test_planning_without_the_engine(tmp_path: Path) -> None:
    """The fixer path the command drives, in process, from a hand-built finding."""
    (tmp_path / "requirements.txt").write_text("requests\n")
    ws = Workspace(tmp_path)
    finding = Finding(
        type=IssueType.MISSING_DEPENDENCY,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="python-module-not-found",
        job="test",
        step="Run tests",
        line=3,
        text="ModuleNotFoundError: No module named 'bs4'",
        data={"module": "bs4"},
    )
    fix = plan(finding, ws, FixContext())
    assert fix is not None and fix.applicable
    assert ws.apply(fix.edits) == ["requirements.txt"]
    assert (tmp_path / "requirements.txt").read_text() == "requests\nbeautifulsoup4\n"


def test_symlinked_manifest_is_refused_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("requests\n")
    repo = make_repo(tmp_path / "repo", {"app.py": "import yaml\n"})
    (repo / "requirements.txt").symlink_to(outside)
    log = _log(tmp_path / "job.txt", "build", [("python app.py", [])], YAML_ERROR)
    code, out, err = _inproc(capsys, "fix", "--log", log, "--repo", repo, "--format", "json")
    assert code == 0, err
    [fix] = json.loads(out)["fixes"]
    assert fix["applied"] is False and "requirements.txt: symlink refused" in fix["reason"]
    assert outside.read_text() == "requests\n"


def test_workflow_edits_are_held_back_when_the_workflow_is_unknown() -> None:
    wf = Edit(path=".github/workflows/ci.yml", content=b"x\n")
    req = Edit(path="requirements.txt", content=b"PyYAML\n")
    fixes = [
        Fix(type=IssueType.DEPRECATED_ACTION, file=wf.path, description="bump", edits=(wf,)),
        Fix(type=IssueType.MISSING_DEPENDENCY, file=req.path, description="add", edits=(req,)),
    ]
    outcomes, edits = _select(fixes, [wf, req], None, applying=True)
    assert [o.applied for o in outcomes] == [False, True]
    assert outcomes[0].reason is not None and "--workflow" in outcomes[0].reason
    assert edits == [req]
    outcomes, edits = _select(fixes, [wf, req], wf.path, applying=False)
    assert [o.applied for o in outcomes] == [False, False]
    assert [o.reason for o in outcomes] == [None, None]
    assert edits == [wf, req]
