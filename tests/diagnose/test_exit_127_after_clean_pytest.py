"""Exit 127 says "command not found" only where the shell could have said it: under pytest's closing
tally with nothing failed, pytest ran and finished and no lookup failed after it, so the exit code
alone names no missing tool (silent_exits._clean_pytest_end). pytest's tally is its terminal summary
format; the rest is ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import run_step, write_job

_EXIT = "##[error]Process completed with exit code 127."


def _top(tmp_path: Path, *body: str) -> tuple[str, str]:
    lines = [*run_step("pytest -n auto", *body), _EXIT]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


@pytest.mark.parametrize(
    "tally",
    [
        "================ 2639 passed, 38 skipped in 1969.23s (0:32:49) ================",
        "======================== 12 passed, 1 xfailed in 0.52s =========================",
        "=========================== 5 passed in 0.12 seconds ===========================",
    ],
)
def test_after_a_clean_tally_the_exit_code_says_nothing(tmp_path: Path, tally: str) -> None:
    assert _top(tmp_path, "collected 12 items", tally) == ("unknown", "unknown-last-lines")


def test_after_a_tally_with_failures_it_is_not_cleared(tmp_path: Path) -> None:
    tally = "=================== 1 failed, 11 passed in 0.52s ==================="
    assert _top(tmp_path, tally) != ("unknown", "unknown-last-lines")


def test_with_nothing_printed_it_is_still_a_missing_command(tmp_path: Path) -> None:
    assert _top(tmp_path) == ("missing_tool", "not-found-exit-127")


def test_a_line_after_the_tally_keeps_the_missing_command(tmp_path: Path) -> None:
    tally = "=========================== 5 passed in 0.12s ==========================="
    top = _top(tmp_path, tally, "Uploading coverage report")
    assert top == ("missing_tool", "not-found-exit-127")


def test_post_job_lines_after_the_exit_line_do_not_hide_the_tally(tmp_path: Path) -> None:
    tally = "=========================== 5 passed in 0.12s ==========================="
    lines = [*run_step("pytest", tally), _EXIT, "Post job cleanup.", "Cleaning up orphan processes"]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (top.type.value, top.rule) == ("unknown", "unknown-last-lines")


_TALLY = "======================= 120 passed, 3 skipped in 38.20s ========================"


def test_a_command_after_pytest_on_its_header_keeps_the_missing_command(tmp_path: Path) -> None:
    lines = [*run_step("pytest tests/ && codecov -f coverage.xml", _TALLY), _EXIT]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (top.type.value, top.rule) == ("missing_tool", "not-found-exit-127")


def test_a_script_line_after_pytest_keeps_the_missing_command(tmp_path: Path) -> None:
    lines = [
        "##[group]Run python -m pytest tests/",
        "python -m pytest tests/",
        "coverage xml",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        _TALLY,
        _EXIT,
    ]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (top.type.value, top.rule) == ("missing_tool", "not-found-exit-127")
