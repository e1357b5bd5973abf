"""Verdicts the static-analysis sampled batch (h149) relies on: clang-tidy output cpp-linter relayed
and then tallied as 0 failed checks (diagnose.benign.linter_tallied_none), SonarScanner's own
"Error during … execution" line as a last resort, and its unreachable server.

Texts are the tools' real formats with names changed; the threads are named in the rules' comments
and the tuning cases (cpp-linter/cpp-linter #38, kitabisa/sonarqube-action #35).
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_HEADER_MISSING = (
    "src/a.cpp:3:10: error: 'gen/proto.h' file not found [clang-diagnostic-error]",
    '    3 | #include "gen/proto.h"',
    "      |          ^~~~~~~~~~~~~",
    "Found compiler error(s).",
)


def test_relayed_clang_tidy_output_under_a_zero_tally_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "Run cpp-linter/cpp-linter-action@v2",
        "  DEBUG:CPP Linter:Output from clang-tidy:",
        *_HEADER_MISSING,
        "Posting comment(s)",
        "  INFO:CPP Linter:0 checks-failed",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_the_rich_handler_spelling_of_the_tally_counts_too(tmp_path: Path) -> None:
    lines = [
        "Run cpp-linter/cpp-linter-action@v2",
        "DEBUG    CPP Linter: Output from clang-tidy:",
        *_HEADER_MISSING,
        "INFO     CPP Linter: 0 clang-tidy-checks-failed",
        "INFO     CPP Linter: 0 checks-failed",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_a_nonzero_tally_keeps_the_failure(tmp_path: Path) -> None:
    lines = [
        "Run cpp-linter/cpp-linter-action@v2",
        "DEBUG:CPP Linter:Output from clang-tidy:",
        *_HEADER_MISSING,
        "INFO:CPP Linter:2 checks-failed",
        "Error: Process completed with exit code 1.",
    ]
    assert_finding(tmp_path, lines, "syntax_error", {"file": "src/a.cpp", "line": "3"})


def test_a_failure_marker_before_the_tally_keeps_the_failure(tmp_path: Path) -> None:
    lines = [
        "Run cpp-linter/cpp-linter-action@v2",
        "DEBUG:CPP Linter:Output from clang-tidy:",
        *_HEADER_MISSING,
        "Error: Process completed with exit code 1.",
        "INFO:CPP Linter:0 checks-failed",
    ]
    assert_finding(tmp_path, lines, "syntax_error", {"file": "src/a.cpp"})


def test_sonar_scanner_execution_error_alone_is_a_last_resort(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "sonar-scanner",
            "INFO: EXECUTION FAILURE",
            "ERROR: Error during SonarQube Scanner execution",
            "org.sonarsource.scanner.api.internal.ScannerException: Unable to execute SonarQube",
            "Caused by: java.lang.IllegalStateException: Fail to parse entry in bootstrap index: "
            "<!DOCTYPE html>",
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "unknown", {})


def test_an_unreachable_sonar_server_names_its_host(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "sonar-scanner",
            "ERROR: Error during SonarScanner execution",
            "ERROR: SonarQube server [https://sonar.acme.internal] can not be reached",
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "network_error", {"host": "sonar.acme.internal"})
