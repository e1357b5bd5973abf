"""Verdicts the desktop packaging sampled batch (h147) relies on: Homebrew's refused core tap is an
outdated action only in an action's step (the `action-step-only` check), and the download and
timestamp failures that scripts retry or swallow are failures only with the runner's error line
after them (`failure-follows`).

Texts are the tools' real formats with names changed; the threads are named in the rules' comments
and the tuning cases.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_TAP = [
    "Error: Tapping homebrew/core is no longer typically necessary.",
    "Add --force if you are sure you need it for contributing to Homebrew.",
]
_AQT = [
    "Caught ArchiveConnectionError, terminating installer workers",
    "Failure to connect to https://download.qt.io/online/qtsdkrepository/windows_x86/desktop/"
    "qt5_5152/qt.qt5.5152.win64_msvc2019_64/5.15.2-0-202011130602qtremoteobjects.7z.sha1: ReadTimeout",
]
_TIMESTAMP = [
    "SignTool Error: The specified timestamp server either could not be reached or",
    "returned an invalid response.",
]


def test_a_refused_core_tap_in_an_action_step_is_that_action(tmp_path: Path) -> None:
    # awslabs/dynamodb-shell PR #15: the action's release still tapped homebrew/core.
    lines = [
        "##[group]Run acme/action-bump-formula@v3",
        "with:",
        "  formula: acme-cli",
        "##[endgroup]",
        *_TAP,
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "deprecated_action", {"action": "acme/action-bump-formula"})


def test_a_refused_core_tap_in_a_script_is_no_action(tmp_path: Path) -> None:
    lines = [*run_step("brew bundle --file=Brewfile", "Tapping homebrew/core", *_TAP), FAILED]
    assert_job_finding(tmp_path, lines, "unknown", {})


def test_an_aqt_download_failure_that_failed_the_step(tmp_path: Path) -> None:
    lines = [
        "Run jurplel/install-qt-action@v3",
        *_AQT,
        "Error: The process 'C:\\hostedtoolcache\\windows\\Python\\3.10.11\\x64\\python.exe' "
        "failed with exit code 1",
    ]
    assert_finding(tmp_path, lines, "network_error", {"host": "download.qt.io"})


def test_an_aqt_download_failure_a_build_script_went_past(tmp_path: Path) -> None:
    # jamulussoftware/jamulus #2276: the next step ran and the job ended green.
    lines = ["Run ./windows/deploy_windows.ps1", *_AQT, "Run ./windows/build.ps1"]
    assert_finding(tmp_path, lines, None, {})


def test_a_timestamp_server_a_signing_script_retried(tmp_path: Path) -> None:
    lines = [
        "Run ./scripts/sign.ps1",
        *_TIMESTAMP,
        "Successfully signed: dist\\app.exe",
        "Run actions/upload-artifact@v4",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_a_timestamp_server_that_failed_the_step(tmp_path: Path) -> None:
    lines = [*run_step("./scripts/sign.ps1", *_TIMESTAMP), FAILED]
    assert_job_finding(tmp_path, lines, "network_error", {})
