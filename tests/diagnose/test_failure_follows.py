"""A tally that counts infos and warnings too is the failure only when the runner's error line
follows it in its step (the rule check `failure-follows`): flutter analyze of 2018 exited 1 on info
rows alone (flutter/flutter #20855), today's analyzer only under --fatal-infos."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step

ROWS = [
    "Analyzing acme...",
    "   info • Unused import • lib/a.dart:3:1 • unused_import",
    "warning • Unused local variable • lib/b.dart:9:7 • unused_local_variable",
    "",
]


def test_the_tally_then_the_runner_s_error_is_the_failure(tmp_path: Path) -> None:
    lines = run_step(
        "flutter analyze --fatal-infos", *ROWS, "2 issues found. (ran in 3.1s)", FAILED
    )
    assert_finding(
        tmp_path,
        [TS + line for line in lines],
        "lint_failure",
        {"tool": "dart analyze", "file": "lib/a.dart", "line": "3"},
    )


@pytest.mark.parametrize(
    "after",
    [
        ["##[group]Run flutter test", "flutter test", "00:04 +12: All tests passed!"],
        [],  # a paste that stops at the tally
    ],
)
def test_the_tally_alone_is_a_report(tmp_path: Path, after: list[str]) -> None:
    lines = run_step("flutter analyze", *ROWS, "2 issues found. (ran in 3.1s)", *after)
    assert_finding(tmp_path, [TS + line for line in lines], None, {})


def test_an_error_row_above_the_tally_still_fails_on_its_own(tmp_path: Path) -> None:
    rows = ["  error • Undefined name 'foo' • lib/main.dart:12:5 • undefined_identifier"]
    lines = run_step("flutter analyze", *rows, "1 issue found. (ran in 2.0s)", FAILED)
    assert_finding(
        tmp_path,
        [TS + line for line in lines],
        "lint_failure",
        {"file": "lib/main.dart", "line": "12"},
    )
