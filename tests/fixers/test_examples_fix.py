"""The `smartmon fix` examples in examples/fix/ do what their README promises.

For each example: a copy of `repo/` (file modes kept) in a fresh git repository; `smartmon fix
--dry-run --format diff` prints exactly `expected.diff` and changes nothing; `git apply` accepts that
diff; applying for real gives the same tree as `git apply`; a second run changes nothing. The refused
example prints no diff, changes no byte and says why in its JSON.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "fix"
CASES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "job.txt").is_file())
REFUSED = {"refused_typo"}
_ENV = {
    **os.environ,
    "GITHUB_SERVER_URL": "https://github.com",  # on GHES the artifact actions are not bumped
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "example",
    "GIT_AUTHOR_EMAIL": "example@example.invalid",
    "GIT_COMMITTER_NAME": "example",
    "GIT_COMMITTER_EMAIL": "example@example.invalid",
}

Snapshot = dict[str, tuple[bytes, int]]


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=_ENV, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout.decode()


def _checkout(name: str, dest: Path) -> Path:
    """A git repository holding `repo/` of the example, committed, modes kept."""
    shutil.copytree(EXAMPLES / name / "repo", dest, symlinks=True)
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "example")
    return dest


def _snapshot(root: Path) -> Snapshot:
    """Every file's bytes and permission bits, .git excluded."""
    out: Snapshot = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/") or not path.is_file():
            continue
        out[rel] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode) & 0o111)
    return out


def _fix(name: str, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "smartmon", "fix", "--log", str(EXAMPLES / name / "job.txt")]
    # No --workflow: fix must find the workflow itself, by job names or, for jobs that failed at
    # "Set up job" (deprecated action, retired runner), by the action or label the log reports.
    cmd += ["--repo", str(repo), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_ENV, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_every_fixable_type_has_an_example() -> None:
    assert set(CASES) == {
        "missing_dependency",
        "missing_dependency_pyproject",
        "import_error",
        "missing_env_vars",
        "permission_error_exec_bit",
        "permission_error_token_scope",
        "deprecated_action",
        "retired_runner",
        "deprecated_command",
        "yaml_syntax_error",
        "refused_typo",
    }
    for name in CASES:
        assert (EXAMPLES / name / "expected.diff").is_file(), name
        assert name in (EXAMPLES / "README.md").read_text(encoding="utf-8"), name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(CASES) - REFUSED))
def test_fix_prints_the_expected_diff_and_applies_it(name: str, tmp_path: Path) -> None:
    expected = (EXAMPLES / name / "expected.diff").read_bytes()
    assert expected, f"{name}: expected.diff is empty"
    repo = _checkout(name, tmp_path / "repo")
    before = _snapshot(repo)

    dry = _fix(name, repo, "--dry-run", "--format", "diff")
    assert dry.stdout.encode() == expected
    assert _snapshot(repo) == before, "--dry-run changed the repository"

    # The golden is a patch git accepts, and applying it is what `fix` does.
    patched = _checkout(name, tmp_path / "patched")
    _git(patched, "apply", "--check", "-", stdin=expected)
    _git(patched, "apply", "-", stdin=expected)
    applied = _fix(name, repo, "--format", "diff")
    assert applied.stdout.encode() == expected
    after = _snapshot(repo)
    assert after != before
    assert after == _snapshot(patched)

    # Idempotent: nothing left to do, nothing changed by a second run.
    assert _fix(name, repo, "--dry-run", "--format", "diff").stdout == ""
    _fix(name, repo)
    assert _snapshot(repo) == after


@pytest.mark.slow
def test_exec_bit_fix_is_mode_only_and_reaches_the_index(tmp_path: Path) -> None:
    name = "permission_error_exec_bit"
    script = "scripts/build-dist.sh"
    assert not os.access(EXAMPLES / name / "repo" / script, os.X_OK), (
        "the example script must be committed without +x: git update-index --chmod=-x"
    )
    repo = _checkout(name, tmp_path / "repo")
    assert _git(repo, "ls-files", "-s", script).startswith("100644 ")
    content = (repo / script).read_bytes()
    _fix(name, repo)
    assert (repo / script).read_bytes() == content
    assert os.access(repo / script, os.X_OK)
    assert _git(repo, "ls-files", "-s", script).startswith("100755 ")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_example_changes_nothing_and_says_why(name: str, tmp_path: Path) -> None:
    assert (EXAMPLES / name / "expected.diff").read_bytes() == b""
    expected = json.loads((EXAMPLES / name / "expected.json").read_text(encoding="utf-8"))
    repo = _checkout(name, tmp_path / "repo")
    before = _snapshot(repo)

    assert _fix(name, repo, "--dry-run", "--format", "diff").stdout == ""
    report = json.loads(_fix(name, repo, "--format", "json").stdout)
    assert {"fixes": report["fixes"]} == expected
    assert [f["applied"] for f in report["fixes"]] == [False]
    assert "did you mean: requests" in report["fixes"][0]["reason"]
    assert _snapshot(repo) == before
    assert _git(repo, "status", "--porcelain") == ""


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_fix_examples", EXAMPLES / "make_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_logs_are_what_the_generator_writes() -> None:
    """job.txt is generated, never edited by hand: re-rendering gives the committed bytes."""
    generator = _generator()
    assert sorted(generator.CASES) == CASES
    assert set(generator.REFUSED) == REFUSED
    for name, build in generator.CASES.items():
        assert build().render() == (EXAMPLES / name / "job.txt").read_bytes(), name
