"""A check mark at a line's start clears an error above it only as a test runner's pass row (its
duration or tally with it); a script's or a tool's bare status line ("✓ done") does not.

Texts are the tools' real formats with names changed (passing_output.py names the runners).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding

_KEYTOOL = "keytool error: java.io.IOException: keystore password was incorrect"


@pytest.mark.parametrize(
    "status",
    [
        # A signing script echoes its own progress after keytool refused the keystore's password
        # (usetrmnl/trmnl-android PR #124).
        "✓ Signing environment variables set for production keystore",
        # Vite's and setup-php's status lines.
        "✓ 113 modules transformed.",
        "✓ PHP Installed PHP 8.3.33",
    ],
)
def test_a_status_check_mark_does_not_clear_an_error(tmp_path: Path, status: str) -> None:
    lines = ["Run ./sign.sh", "Testing keystore access...", _KEYTOOL, "Failed to access keystore"]
    assert_finding(tmp_path, [*lines, status], "auth_error", {})


@pytest.mark.parametrize(
    "row",
    [
        # node --test's spec reporter does not indent a top-level test.
        "✔ rejects a keystore with the wrong password (3.118ms)",
        # bun test
        "✓ rejects a keystore with the wrong password [0.05ms]",
        # Mocha and Jest indent theirs; the indented row needs no duration.
        "    ✓ rejects a keystore with the wrong password",
    ],
)
def test_a_test_runners_pass_row_still_clears_it(tmp_path: Path, row: str) -> None:
    lines = ["Run npm test", "  signing", _KEYTOOL, row, "", "  1 passing (12ms)"]
    assert_finding(tmp_path, lines, None, {})


@pytest.mark.parametrize(
    "row",
    [
        # gotestsum's pkgname format with -cover: the coverage follows the duration or "(cached)".
        "✓  github.com/acme/signing (1.03s) (coverage: 85.7% of statements)",
        "✓  github.com/acme/signing (cached) (coverage: 80.0% of statements)",
        # Vitest's file row with skipped tests.
        "✓ src/signing.test.ts (5 tests | 1 skipped) 12ms",
        # Playwright's list reporter gives a slow test's time in minutes.
        "✓  3 [chromium] › signing.spec.ts:5:3 › rejects a wrong password (1.1m)",
    ],
)
def test_an_unindented_runner_row_with_its_tail_clears_it(tmp_path: Path, row: str) -> None:
    # The row alone under the error (no tally below it that would clear it by itself).
    lines = ["Run npm test", "  signing", _KEYTOOL, row]
    assert_finding(tmp_path, lines, None, {})


def test_karma_mocha_reporters_summary_clears_it(tmp_path: Path) -> None:
    lines = ["Run npm test", _KEYTOOL, "", "SUMMARY:", "✔ 25 tests completed"]
    assert_finding(tmp_path, lines, None, {})


def test_karma_mocha_reporters_summary_with_failures_does_not(tmp_path: Path) -> None:
    # A tally, not the test's own row: with a failed test under it, the error may be that test's.
    lines = [
        "Run npm test",
        _KEYTOOL,
        "",
        "SUMMARY:",
        "✔ 23 tests completed",
        "✖ 2 tests failed",
        "Error: Process completed with exit code 1.",
    ]
    assert_finding(tmp_path, lines, "auth_error", {})


@pytest.mark.parametrize(
    "status",
    ["✓ done", "✓ built in 2.34s", "✓ Uploaded release (2 files)"],
)
def test_a_scripts_own_check_mark_with_words_is_still_refused(tmp_path: Path, status: str) -> None:
    lines = ["Run ./sign.sh", "Testing keystore access...", _KEYTOOL, "Failed to access keystore"]
    assert_finding(tmp_path, [*lines, status], "auth_error", {})
