"""Playwright's final report prints a flaky test's failed attempt under its numbered header; that
block is no cause once the list showed the retry passing (retried_tests.in_flaky_block). The run's
"1 error was not a part of any test" then speaks (playwright-errors-outside-tests). Line shapes are
Playwright's list reporter (VOICEVOX/voicevox #2485, microsoft/playwright's reporter tests); names ours.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import FAILED, run_step, top_finding

_FIRST = "  ✘  1 [chromium] › tests/login.spec.ts:12:7 › login › shows error (1.0m)"
_RETRY = "  ✓  2 [chromium] › tests/login.spec.ts:12:7 › login › shows error (retry #1) (4.1s)"
_OTHER = "  ✓  3 [chromium] › tests/home.spec.ts:5:5 › home loads (2.0s)"
_HEADER = "  1) [chromium] › tests/login.spec.ts:12:7 › login › shows error ──────────────────"
_TIMEOUT = "    Test timeout of 60000ms exceeded."


def test_a_flaky_tests_timeout_block_is_cleared(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "npx playwright test",
            "Running 2 tests using 1 worker",
            _FIRST,
            _RETRY,
            _OTHER,
            "",
            _HEADER,
            "",
            _TIMEOUT,
            "",
            "  1 flaky",
            "    [chromium] › tests/login.spec.ts:12:7 › login › shows error ───",
            "  1 passed (2.7m)",
            "  1 error was not a part of any test, see above for details",
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "test_failure"


def test_a_test_that_timed_out_and_failed_stays_a_timeout(tmp_path: Path) -> None:
    failed_again = (
        "  ✘  2 [chromium] › tests/login.spec.ts:12:7 › login › shows error (retry #1) (1.0m)"
    )
    lines = [
        *run_step(
            "npx playwright test",
            "Running 2 tests using 1 worker",
            _FIRST,
            failed_again,
            _OTHER,
            "",
            _HEADER,
            "",
            _TIMEOUT,
            "",
            "  1 failed",
            "    [chromium] › tests/login.spec.ts:12:7 › login › shows error ───",
            "  1 passed (2.7m)",
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "timeout"
