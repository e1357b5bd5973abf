"""Verdicts the flaky-and-intermittent sweep relies on beyond single rules: the test a cilium-cli
connectivity report or a gradle-test-logger mocha row names under its tally, and which job-container
working directory is the runner's.

Texts are the tools' real formats with names changed; the threads are named in rules/60-tests.yaml,
rules/10-platform.yaml and diagnose/named_failures.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import FAILED, assert_finding, run_step


def test_cilium_report_names_its_first_failed_test(tmp_path: Path) -> None:
    lines = run_step(
        "cilium connectivity test",
        "📋 Test Report",
        "❌ 2/40 tests failed (3/423 actions), 35 tests skipped, 0 scenarios skipped:",
        "Test [client-ingress]:",
        "  ❌ client-ingress/client-to-client/ping-ipv4-0: cilium-test/client-6f8d (10.0.2.1) -> "
        "cilium-test/client2-7c9e (10.0.2.8:0)",
        "Test [to-fqdns]:",
        "  ❌ to-fqdns/pod-to-world/http-to-one-one-one-one-0: cilium-test/client-6f8d (10.0.2.1) -> "
        "one-one-one-one-http (one.one.one.one:80)",
        "connectivity test failed: 2 tests failed",
        FAILED,
    )
    assert_finding(tmp_path, lines, "test_failure", {"test": "client-ingress"})


def test_cilium_progress_line_is_no_failed_test(tmp_path: Path) -> None:
    # The run's progress names every test; only the report's "Test [x]:" rows are failures.
    lines = run_step(
        "cilium connectivity test",
        "[=] [cilium-test-1] Test [no-policies] [1/98]",
        "[=] [cilium-test-1] Test [no-interrupted-connections] [2/98]",
        "  [-] Scenario [no-interrupted-connections/no-interrupted-connections]",
        "📋 Test Report [cilium-test-1]",
        "❌ 1/1 tests failed (0/0 actions), 97 tests skipped, 0 scenarios skipped:",
        "Test [no-interrupted-connections]:",
        "[cilium-test-1] 1 tests failed",
        FAILED,
    )
    assert_finding(tmp_path, lines, "test_failure", {"test": "no-interrupted-connections"})


def test_gradle_mocha_theme_row_names_the_test(tmp_path: Path) -> None:
    lines = run_step(
        "./gradlew test",
        "com.acme.store.ObjectClientTest",
        "",
        "    ✘ closesInnerClientWhenAsked() (1.3s)",
        "",
        "      org.opentest4j.AssertionFailedError: expected: <true> but was: <false>",
        "    ✔ readsRange()",
        "",
        "  41 passing (4.2s)",
        "  1 failing",
        "",
        "> Task :store:test FAILED",
        "> There were failing tests. See the report at: file:///home/runner/work/s/s/build/index.html",
        FAILED,
    )
    assert_finding(tmp_path, lines, "test_failure", {"test": "closesInnerClientWhenAsked()"})


def test_job_container_without_its_workspace_is_the_runner(tmp_path: Path) -> None:
    lines = [
        "##[group]Run actions/checkout@v4",
        "##[endgroup]",
        'OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd ("/__w/'
        'demo/demo") set in config.json failed: no such file or directory: unknown',
        "##[error]Error: The process '/usr/bin/docker' failed with exit code 126",
    ]
    assert_finding(tmp_path, lines, "runner_failure", {})


def test_job_container_working_directory_below_the_workspace(tmp_path: Path) -> None:
    lines = run_step(
        "yarn install --immutable",
        'OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd ("/__w/'
        'app/app/infra") set in config.json failed: no such file or directory: unknown',
        "##[error]Process completed with exit code 126.",
    )
    assert_finding(tmp_path, lines, "unknown", {"file": "infra"})
