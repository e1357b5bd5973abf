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


def _two_tests(first: str, second: str, flaky: str) -> list[str]:
    """Two tests that failed their first attempt; `flaky` passed on its retry, the other failed it
    again. `first`/`second` are the report blocks' order; each is "[project] › file:line:col › title"."""
    return [
        *run_step(
            "npx playwright test",
            "Running 4 tests using 2 workers",
            f"  ✘  1 {first} (30.0s)",
            f"  ✘  2 {second} (30.0s)",
            f"  ✓  3 {flaky} (retry #1) (2.0s)",
            f"  ✘  4 {second if flaky == first else first} (retry #1) (30.0s)",
            f"  1) {first} ───────────────",
            "    Test timeout of 30000ms exceeded.",
            f"  2) {second} ───────────────",
            "    Test timeout of 30000ms exceeded.",
            "  1 failed",
            "  1 flaky",
            "  2 passed (60.0s)",
        ),
        FAILED,
    ]


def test_the_same_title_in_another_file_is_another_test(tmp_path: Path) -> None:
    # "smoke › loads" passed on retry in admin.spec.ts; shop.spec.ts's timed out twice.
    shop = "[chromium] › tests/shop.spec.ts:5:7 › smoke › loads"
    admin = "[chromium] › tests/admin.spec.ts:8:7 › smoke › loads"
    assert top_finding(tmp_path, _two_tests(admin, shop, admin))[0] == "timeout"
    assert top_finding(tmp_path, _two_tests(shop, admin, admin))[0] == "timeout"


def test_the_same_test_in_another_project_is_another_test(tmp_path: Path) -> None:
    # [chromium] passed on retry; [firefox] timed out on both attempts, its block above the flaky one.
    firefox = "[firefox] › tests/login.spec.ts:12:7 › login › shows error"
    chromium = "[chromium] › tests/login.spec.ts:12:7 › login › shows error"
    assert top_finding(tmp_path, _two_tests(firefox, chromium, chromium))[0] == "timeout"
