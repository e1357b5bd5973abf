"""Swift Testing's passing summary is the tests failing only where the runner's exit line is the
next line of its step (`swift test` ran XCTest first; the rule check `runner-exit-next`,
diagnose/exit_next.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job

SUMMARY = "✔ Test run with 500 tests in 39 suites passed after 11.687 seconds."


def _types(tmp_path: Path, lines: list[str]) -> list[str]:
    return [f.type.value for f in analyze_paths([write_job(tmp_path, lines)]).findings]


def test_the_exit_right_under_the_summary_is_the_tests(tmp_path: Path) -> None:
    lines = [*run_step("swift test", "Build complete! (140.71s)", SUMMARY), FAILED]
    assert _types(tmp_path, lines)[:1] == ["test_failure"]


def test_a_paste_of_the_summary_and_the_exit_line(tmp_path: Path) -> None:
    lines = ["Run swift test", SUMMARY, "Error: Process completed with exit code 1."]
    assert top_finding(tmp_path, lines)[0] == "test_failure"


def test_another_command_printed_between(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "swift test && ./scripts/coverage.sh",
            SUMMARY,
            "coverage: 61.2% is below the 80% threshold",
        ),
        FAILED,
    ]
    assert "test_failure" not in _types(tmp_path, lines)


def test_a_passing_step(tmp_path: Path) -> None:
    lines = [*run_step("swift test", SUMMARY), *run_step("echo done", "done")]
    assert _types(tmp_path, lines) == []


def test_the_xctest_rows_shown_above_name_the_test(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "swift test",
            "Test Case '-[AppTests.ShimTests testKindDescription]' started.",
            "/home/runner/work/app/app/Tests/AppTests/ShimTests.swift:12: error: "
            "-[AppTests.ShimTests testKindDescription] : XCTAssertEqual failed",
            "Test Case '-[AppTests.ShimTests testKindDescription]' failed (0.003 seconds).",
            "\t Executed 3 tests, with 1 failure (0 unexpected) in 0.010 (0.010) seconds",
            SUMMARY,
        ),
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings[0].type.value == "test_failure"
    assert findings[0].rule != "swift-testing-passed-step-failed"


@pytest.mark.parametrize(
    "xctest",
    [
        ("Test Suite 'All tests' passed at 2025-04-05 15:00:07.958.",),
        ("\t Executed 20 tests, with 0 failures (0 unexpected) in 0.100 (0.101) seconds",),
        (
            "Test Suite 'All tests' passed at 2025-04-05 15:00:07.958.",
            "\t Executed 20 tests, with 0 failures (0 unexpected) in 0.100 (0.101) seconds",
        ),
    ],
)
def test_xctest_passed_above_so_another_command_failed(
    tmp_path: Path, xctest: tuple[str, ...]
) -> None:
    lines = [
        *run_step("swift test && swift build -c release --product acme-cli", *xctest, SUMMARY),
        FAILED,
    ]
    assert "test_failure" not in _types(tmp_path, lines)


def test_xctest_failed_above_is_still_the_tests(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "swift test",
            "Test Suite 'All tests' failed at 2025-04-05 15:00:07.958.",
            "\t Executed 20 tests, with 1 failure (0 unexpected) in 0.100 (0.101) seconds",
            SUMMARY,
        ),
        FAILED,
    ]
    assert _types(tmp_path, lines)[:1] == ["test_failure"]
