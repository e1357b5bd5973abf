"""Verdicts the less-common-languages sweep (helper h61) relies on beyond the rules' own examples: R CMD
check's tests folder and R CMD INSTALL's copy as places, testthat 1.x/2.0's numbered failures,
sbt-scalafmt's file rows, pub's SDK and unknown-package forms, D and Clojure compile
errors in a job.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/50-build.yaml, 60-tests.yaml, 70-lint.yaml, 45-langs.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.file_rows import listed_file
from smartmon.diagnose.named_failures import named_failure
from smartmon.diagnose.repo_paths import project_dir, repo_path
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("path", "want"),
    [
        ("/tmp/RtmpAb12/R.INSTALL3f1c2/widgets/R/utils.R", "R/utils.R"),
        (r"C:\Users\RUNNER~1\AppData\Local\Temp\RtmpKq\R.INSTALL1f2c\geo\R\a.R", "R/a.R"),
        # Any other temporary file stays outside the checkout.
        ("/tmp/RtmpAb12/file1a2b.R", None),
    ],
)
def test_r_install_copy_is_the_package(path: str, want: str | None) -> None:
    assert repo_path(path) == want


def test_r_cmd_check_tests_folder() -> None:
    before = ["* checking tests ...", "  Running ‘testthat.R’", " ERROR"]
    assert project_dir([*before, "Running the tests in ‘tests/testthat.R’ failed."]) == "tests"
    assert repo_path("testthat/test_gct.R", "tests") == "tests/testthat/test_gct.R"
    assert project_dir(before) == ""


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["OK: 2 SKIPPED: 0 FAILED: 1", "1. Error: etl nyctaxi (@test-nyctaxi.R#9)"],
            "etl nyctaxi",
        ),
        (["  1. Failure: adds two numbers (@test-calc.R#12) "], "adds two numbers"),
        (["  2. Error: Wrong entry gives NULL"], "Wrong entry gives NULL"),
        (["1. Error installing package"], None),
    ],
)
def test_testthat_numbered_failure(lines: list[str], want: str | None) -> None:
    assert named_failure(lines) == want


@pytest.mark.parametrize(
    ("before", "want"),
    [
        (
            [
                "[warn] /home/runner/work/app/app/src/main/scala/App.scala isn't formatted properly!",
                "[error] scalafmt: 1 files must be formatted (/home/runner/work/app/app)",
            ],
            "src/main/scala/App.scala",
        ),
        (
            [
                "[warn] scalafmt: /home/runner/work/app/app/project/Deps.scala isn't formatted properly!"
            ],
            "project/Deps.scala",
        ),
        # prettier's rows keep their meaning; unrelated lines between stop the search.
        (["[warn] src/server.js"], "src/server.js"),
        (["[warn] src/server.js", "Checking formatting..."], None),
    ],
)
def test_file_rows(before: list[str], want: str | None) -> None:
    assert listed_file(before) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # R CMD check names a test file's parse error relative to tests/ (cmap/cmapR #8).
        (
            [
                "##[group]Run rcmdcheck::rcmdcheck(args = '--no-manual', error_on = 'error')",
                "##[endgroup]",
                "* checking tests ...",
                "  Running ‘testthat.R’",
                " ERROR",
                "Running the tests in ‘tests/testthat.R’ failed.",
                "Last 13 lines of output:",
                "  Error in parse(text = lines, n = -1, srcfile = srcfile) : ",
                "    testthat/test_gct.R:3:70: unexpected '{'",
                "  Execution halted",
                "Error: R CMD check found ERRORs",
                FAILED,
            ],
            "syntax_error",
            {"file": "tests/testthat/test_gct.R", "line": "3"},
        ),
        # rcmdcheck's summary of a failed test run.
        (
            [
                "── R CMD check results ────────────────────── widgets 0.1.0 ────",
                "❯ checking tests ... ERROR",
                "  See below...",
                "1 error ✖ | 0 warnings ✔ | 0 notes ✔",
                "Error: R CMD check found ERRORs",
                FAILED,
            ],
            "test_failure",
            {},
        ),
        # A documentation warning fails rcmdcheck's default error_on.
        (
            [
                "❯ checking Rd files ... WARNING",
                "  checkRd: (-1) widgets.Rd:12: Lost braces",
                "0 errors ✔ | 1 warning ✖ | 0 notes ✔",
                "Error: R CMD check found WARNINGs",
                FAILED,
            ],
            "lint_failure",
            {"tool": "R CMD check"},
        ),
        # testthat 2.1's bracketed tally and its list.
        (
            [
                "══ testthat results  ═══════════════════════════════════════════",
                "[ OK: 7451 | SKIPPED: 0 | WARNINGS: 0 | FAILED: 5 ]",
                "1. Error: Wrong entry gives NULL (@test_100_entries.R#12)",
                "2. Error: One wrong entry does not block",
                "",
                "Error: testthat unit tests failed",
                "Execution halted",
                FAILED,
            ],
            "test_failure",
            {"test": "Wrong entry gives NULL"},
        ),
        # dmd on Windows: a backslash path and no column.
        (
            [
                "Executing dmd...",
                'source\\dub\\package_.d(653): Error: static assert:  isValidVersion("unknown") is false',
                FAILED,
            ],
            "syntax_error",
            {"file": "source/dub/package_.d", "line": "653"},
        ),
        # sbt-scalafmt 2.4+: the file row, then two "[error]" lines.
        (
            [
                "[warn] scalafmt: /home/runner/work/kyo/kyo/project/Repeat.scala isn't formatted properly!",
                "[error] scalafmt: 1 files must be formatted (/home/runner/work/kyo/kyo)",
                "[error] (Compile / scalafmtSbtCheck) scalafmt: 1 files must be formatted (/home/runner/work/kyo/kyo)",
                "[error] Total time: 1 s, completed Jul 8, 2025, 9:55:38 AM",
                FAILED,
            ],
            "lint_failure",
            {"tool": "scalafmt", "file": "project/Repeat.scala"},
        ),
        # pub: a package whose SDK constraint the runner's Flutter does not meet.
        (
            [
                "The current Flutter SDK version is 1.9.1+hotfix.6.",
                "",
                "Because app depends on firebase_auth >=0.15.1+1 which requires Flutter SDK version"
                " >=1.10.0 <2.0.0, version solving failed.",
                "pub get failed (1)",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "firebase_auth"},
        ),
        # Clojure's place.
        (
            [
                "Syntax error compiling at (app/core.clj:12:5).",
                "Unable to resolve symbol: foo in this context",
                FAILED,
            ],
            "syntax_error",
            {"file": "app/core.clj", "line": "12"},
        ),
    ],
)
def test_verdicts(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_passing_analyzer_tally_is_no_finding(tmp_path: Path) -> None:
    lines = [
        "##[group]Run dart analyze",
        "##[endgroup]",
        "   info - lib/main.dart:3:8 - Unused import: 'dart:io'. - unused_import",
        "1 issue found.",
        "##[group]Run dart test",
        "##[endgroup]",
        "00:04 +23: All tests passed!",
    ]
    assert_finding(tmp_path, lines, None, {})
