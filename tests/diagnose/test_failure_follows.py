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


# A paste copied from the run page (no `##[` tags, no trailer) that stops on such a line is the
# failure the person had in hand, unless what follows says the tool went on.
SIGN = [
    'Run & "$env:SIGNTOOL" sign /fd sha256 /tr "$env:TSA" /td sha256 dist\\app.exe',
    "Done Adding Additional Store",
    "SignTool Error: The specified timestamp server either could not be reached or returned an "
    "invalid response",
    "SignTool Error: An error occurred while attempting to sign: dist\\app.exe",
    "",
    "Number of files successfully Signed: 0",
    "Number of warnings: 0",
]


@pytest.mark.parametrize("tally", [["Number of errors: 1"], []])
def test_a_paste_that_stops_on_it_is_the_failure(tmp_path: Path, tally: list[str]) -> None:
    assert_finding(tmp_path, [*SIGN, *tally], "network_error", {})


@pytest.mark.parametrize(
    "after",
    [
        ["Number of errors: 0", "Run ./package.ps1", "Packaged dist\\app.zip"],  # the next step
        ["Retrying with http://timestamp.example.org", "Successfully signed: dist\\app.exe"],
    ],
)
def test_a_paste_that_goes_on_past_it_is_no_failure(tmp_path: Path, after: list[str]) -> None:
    assert_finding(tmp_path, [*SIGN[:3], *after], None, {})


def test_tox_s_green_end_after_a_skipped_env_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "Run tox -q",
        "py39: skipped because could not find python interpreter with spec(s): py39",
        "  py38: OK (2.75=setup[1.80]+cmd[0.64,0.30] seconds)",
        "  py39: SKIP (0.07 seconds)",
        "  congratulations :) (3.22 seconds)",
    ]
    assert_finding(tmp_path, lines, None, {})
