"""Hits that the lines around them in their step explain away (diagnose/step_context.py): the junit
reporter then failed on the tests it reported, pnpm's install script that printed a missing program
then passed, the GithubException under a non-retryable 403 names a rate limit, glibc's futex abort
with no Electron in sight; and the prose line the shell ran yields to a real missing program
(diagnose/not_missing.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_job_finding, run_step, write_job

JUNIT = [
    "##[group]Run mikepenz/action-junit-report@v4",
    "with:",
    "  report_paths: **/target/surefire-reports/*.xml",
    "  fail_on_failure: true",
    "##[endgroup]",
    "  ℹ️ - JUnit Test Report - 12 tests run, 11 passed, 0 skipped, 1 failed.",
]
WARN = (
    "##[warning]⚠️ This usually indicates insufficient permissions. More details:"
    " https://github.com/mikepenz/action-junit-report/issues/23"
)


def test_a_refused_check_run_then_failed_tests_is_the_tests(tmp_path: Path) -> None:
    lines = [
        *JUNIT,
        "##[error]❌ Failed to create checks using the provided token. (HttpError: Not Found)",
        WARN,
        "##[error]❌ Tests reported 1 failures",
    ]
    assert_job_finding(tmp_path, lines, "test_failure", {})


def test_a_refused_check_run_alone_is_the_token(tmp_path: Path) -> None:
    lines = [
        *JUNIT,
        "##[error]❌ Failed to create checks using the provided token. (HttpError: Not Found)",
        WARN,
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "permission_error", {})


def test_the_typeerror_with_checks_write_is_no_permission_problem(tmp_path: Path) -> None:
    # mikepenz/action-junit-report #927: update_check finds no check run to update
    lines = [
        *JUNIT,
        "##[error]❌ Failed to create checks using the provided token. (TypeError: Cannot read"
        " properties of undefined (reading 'id'))",
        WARN,
        "##[error]❌ Tests reported 1 failures",
    ]
    assert_job_finding(tmp_path, lines, "test_failure", {})


PYTHON = "Could not find any Python installation to use"


@pytest.mark.parametrize("prefix", ["husky", "node_modules/.pnpm/husky@8.0.3/node_modules/husky"])
def test_a_pnpm_script_that_then_passed_only_probed(tmp_path: Path, prefix: str) -> None:
    bcrypt = (
        "bcrypt install" if prefix == "husky" else prefix.replace("husky", "bcrypt") + " install"
    )
    lines = [
        *run_step(
            "pnpm install",
            f"{prefix} postinstall$ is-ci || husky install",
            f"{prefix} postinstall: sh: 1: is-ci: not found",
            f"{prefix} postinstall: husky - Git hooks installed",
            f"{prefix} postinstall: Done",
            f"{bcrypt}$ node-pre-gyp install --fallback-to-build",
            f"{bcrypt}: gyp ERR! stack Error: {PYTHON}",
            f"{bcrypt}: Failed",
            " ELIFECYCLE  Command failed with exit code 1.",
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "missing_tool", {"command": "python"})


def test_a_pnpm_script_that_failed_on_the_missing_program(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "pnpm install",
            "node-pty install$ node scripts/prebuild.js || node-gyp rebuild",
            "node-pty install: sh: 1: node-gyp: not found",
            "node-pty install: Failed",
            " ELIFECYCLE  Command failed with exit code 127.",
        ),
        "##[error]Process completed with exit code 127.",
    ]
    assert_job_finding(tmp_path, lines, "missing_tool", {"command": "node-gyp"})


RETRY = (
    "2023-09-18 07:52:07 +0000 - publish -  INFO - Response message does not indicate retry-able"
    " error"
)


def _publish(body: str) -> list[str]:
    return [
        "##[group]Run EnricoMi/publish-unit-test-result-action@v2.7.0",
        "##[endgroup]",
        "2023-09-18 07:52:07 +0000 - publish -  INFO - Request POST /repos/o/r/check-runs failed"
        " with 403: Forbidden",
        RETRY,
        "Traceback (most recent call last):",
        '  File "/action/publish_test_results.py", line 535, in <module>',
        "    main(settings, gha)",
        f'github.GithubException.GithubException: 403 {{"message": "{body}"}}',
        FAILED,
    ]


def test_a_403_whose_body_names_a_rate_limit_is_the_rate_limit(tmp_path: Path) -> None:
    body = "You have exceeded a secondary rate limit. Please retry your request again later."
    assert_job_finding(tmp_path, _publish(body), "network_error", {})


def test_a_403_whose_body_names_no_rate_limit_is_the_permission(tmp_path: Path) -> None:
    body = "Resource not accessible by integration"
    assert_job_finding(tmp_path, _publish(body), "permission_error", {})


FUTEX = "The futex facility returned an unexpected error code."


def test_the_futex_abort_under_rustc_is_no_display(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cargo build --release",
            "   Compiling serde_json v1.0.64",
            FUTEX,
            "error: could not compile `serde_json`",
            "",
            "Caused by:",
            "  process didn't exit successfully: `rustc --crate-name serde_json src/lib.rs`"
            " (signal: 6, SIGABRT: process abort signal)",
        ),
        "##[error]Process completed with exit code 101.",
    ]
    got = analyze_paths([write_job(tmp_path, lines)]).findings
    assert got
    assert got[0].type.value != "missing_env_vars"


def test_the_futex_abort_under_vscode_test_is_no_display(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "npm test",
            "Downloading VS Code 1.85.0 from https://update.code.visualstudio.com/1.85.0/linux-x64/"
            "stable",
            FUTEX,
            "Exit code:   SIGABRT",
            "Failed to run tests",
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "missing_env_vars", {"var": "DISPLAY"})


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "./ci/build.sh: line 4: jq: command not found",
            "./ci/build.sh: line 7: Note: command not found",
        ),
        (
            "./ci/build.sh: line 3: The: command not found",
            "./ci/build.sh: line 9: jq: command not found",
        ),
    ],
)
def test_a_real_missing_program_outranks_a_prose_line(
    tmp_path: Path, first: str, second: str
) -> None:
    lines = [
        *run_step("./ci/build.sh", first, second),
        "##[error]Process completed with exit code 127.",
    ]
    assert_job_finding(tmp_path, lines, "missing_tool", {"command": "jq"})


def test_a_prose_line_alone_is_the_scripts_text(tmp_path: Path) -> None:
    lines = [
        *run_step("./entrypoint.sh", "/entrypoint.sh: line 41: If: command not found"),
        "##[error]Process completed with exit code 127.",
    ]
    assert_job_finding(tmp_path, lines, "syntax_error", {})


def test_yarns_shim_outside_xcode_gets_no_xcode_advice(tmp_path: Path) -> None:
    lines = [
        *run_step(
            'git commit -am "bump version"',
            ".husky/pre-commit: line 4: /tmp/xfs-3f2a9b1c/node: No such file or directory",
            "husky - pre-commit hook exited with code 127 (error)",
        ),
        "##[error]Process completed with exit code 127.",
    ]
    got = analyze_paths([write_job(tmp_path, lines)]).findings
    assert got[0].type.value == "missing_tool"
    assert got[0].data.get("command") == "node"
    assert got[0].rule == "yarn-temp-node-shim-gone"
