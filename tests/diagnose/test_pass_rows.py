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
