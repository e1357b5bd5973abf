"""A last resort that names no cause (twine's "Error during upload", git's "not a git repository")
in a step the job went past (continue-on-error) yields to a later step that failed with its own exit
line (`checks: [later-exit-wins]`, diagnose/later_exits.py); alone, or in the last failed step, it
still reads."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_TWINE = [
    "Uploading distributions to https://test.pypi.org/legacy/",
    "WARNING  Error during upload. Retry with the --verbose option for more details.",
    "ERROR    HTTPError: 413 Request Entity Too Large from https://test.pypi.org/legacy/",
]
_GIT = "fatal: not a git repository (or any of the parent directories): .git"


def _rules(tmp_path: Path, lines: list[str]) -> list[str]:
    return [f.rule for f in analyze_paths([write_job(tmp_path, lines)]).findings]


def test_an_upload_the_job_went_past_yields_to_a_later_failure(tmp_path: Path) -> None:
    lines = [
        *run_step("twine upload --repository testpypi dist/*", *_TWINE),
        FAILED,
        *run_step("./smoke.sh", "##[error]Smoke test failed: service returned 502"),
        FAILED,
    ]
    rules = _rules(tmp_path, lines)
    assert "twine-upload-error-status" not in rules
    assert rules[0] == "generic-error"


def test_git_outside_a_checkout_the_job_went_past_yields(tmp_path: Path) -> None:
    lines = [
        *run_step("git describe --tags", _GIT),
        "##[error]Process completed with exit code 128.",
        *run_step(
            "./deploy.sh",
            "Deploying...",
            "##[error]Deployment to production rejected: environment protection rule failed",
        ),
        FAILED,
    ]
    rules = _rules(tmp_path, lines)
    assert "git-not-a-repository" not in rules
    assert rules[0] == "generic-error"


def test_the_upload_that_ended_the_job_still_reads(tmp_path: Path) -> None:
    lines = [*run_step("twine upload dist/*", *_TWINE), FAILED]
    assert _rules(tmp_path, lines)[0] == "twine-upload-error-status"


def test_git_in_the_step_that_ended_the_job_still_reads(tmp_path: Path) -> None:
    lines = [
        *run_step("git describe --tags", _GIT),
        "##[error]Process completed with exit code 128.",
        *run_step("./upload-logs.sh", "uploaded 3 files"),
    ]
    assert _rules(tmp_path, lines)[0] == "git-not-a-repository"


def test_the_last_failed_step_wins_after_an_earlier_failed_step(tmp_path: Path) -> None:
    # An earlier step the job went past does not clear the last failed step's own line.
    lines = [
        *run_step("./lint.sh", "##[error]lint found 3 problems"),
        FAILED,
        *run_step("twine upload dist/*", *_TWINE),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "twine-upload-error-status"
