"""Verdicts the test-failure and timeout sweep over whole downloaded logs and reporters relies on.

Texts are the tools' real formats with names changed; the source of each format is named in the rule
(rules/60-tests.yaml), in diagnose/retried_tests.py, or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, run_step, text_finding, top_finding

_NEXTEST = "cargo nextest run --workspace"
_PANIC = (
    "thread 'harness::tests::within_budget' panicked at crates/core/src/harness.rs:311:9:",
    "budget exceeded: 3001ms > 3000ms",
)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # nextest retried the test and it passed: FLAKY, the run passes (an excerpt: no trailer).
        (
            run_step(
                _NEXTEST,
                "   TRY 1 FAIL [   3.004s] core harness::tests::within_budget",
                "──── TRY 1 STDERR:       core harness::tests::within_budget",
                *_PANIC,
                "   TRY 2 PASS [   1.652s] core harness::tests::within_budget",
                "     Summary [  40.109s] 612 tests run: 612 passed (1 flaky), 4 skipped",
            ),
            None,
        ),
        # Newer nextest counts the test before its binary id; the summary's FLAKY row alone clears.
        (
            run_step(
                _NEXTEST,
                *_PANIC,
                "     Summary [  40.109s] 612 tests run: 612 passed (1 flaky), 4 skipped",
                "   FLAKY 2/3 [   1.652s] (12/612) core harness::tests::within_budget",
            ),
            None,
        ),
        # Another test passing on its retry clears nothing: the panicked test still failed.
        (
            run_step(
                _NEXTEST,
                *_PANIC,
                "   TRY 2 PASS [   0.010s] core harness::tests::other_test",
                "error: test run failed",
                FAILED,
            ),
            "test_failure",
        ),
        # Every try failed: the last try is FAIL, the run fails.
        (
            run_step(
                _NEXTEST,
                "   TRY 1 FAIL [   3.004s] core harness::tests::within_budget",
                *_PANIC,
                "   TRY 2 FAIL [   3.001s] core harness::tests::within_budget",
                "error: test run failed",
                FAILED,
            ),
            "test_failure",
        ),
    ],
)
def test_nextest_retries(tmp_path: Path, lines: list[str], want: str | None) -> None:
    assert top_finding(tmp_path, lines)[0] == want


@pytest.mark.parametrize(
    ("body", "want", "facts"),
    [
        # pytest-timeout 2.2+ in the short summary and under "E".
        (
            [
                "FAILED tests/test_api.py::test_stream - Failed: Timeout (>120.0s) from pytest-timeout."
            ],
            "timeout",
            {},
        ),
        (["E   Failed: Timeout (>60.0s) from pytest-timeout."], "timeout", {}),
        # Jasmine (Karma) and jest-jasmine2's timeouts.
        (
            [
                "Chrome Headless 120.0.6099.109 (Linux x86_64) Cart adds an item FAILED",
                "\tError: Timeout - Async function did not complete within 5000ms (set by"
                " jasmine.DEFAULT_TIMEOUT_INTERVAL)",
            ],
            "timeout",
            {},
        ),
        # ExUnit's per-test timeout.
        (
            [
                "  1) test imports the feed (Acme.FeedTest)",
                "     test/acme/feed_test.exs:12",
                "     ** (ExUnit.TimeoutError) test timed out after 60000ms. You can change the"
                " timeout:",
            ],
            "timeout",
            {},
        ),
        # node:test's TAP detail of a test it stopped.
        (
            [
                "not ok 1 - test/paging.test.js",
                "  ---",
                "  failureType: 'testTimeoutFailure'",
                "  error: 'test timed out after 30000ms'",
                "  code: 'ERR_TEST_FAILURE'",
            ],
            "timeout",
            {},
        ),
        # bun test, and the go command's own watchdog.
        (
            ["(fail) api > fetches users [5001.23ms]", "  ^ this test timed out after 5000ms."],
            "timeout",
            {},
        ),
        (
            [
                "*** Test killed with quit: ran too long (11m0s).",
                "FAIL\tgithub.com/acme/app/net\t660.016s",
            ],
            "timeout",
            {},
        ),
        # Surefire's fork timeout under Maven's goal line.
        (
            [
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.3:test"
                " (default-test) on project core: There was a timeout in the fork -> [Help 1]"
            ],
            "timeout",
            {},
        ),
        # .NET and JVM per-test timeouts under the runner's failed row: they outrank the row.
        (
            [
                "  Failed SlowTest [500 ms]",
                "  Error Message:",
                "   Test exceeded Timeout value of 500ms",
            ],
            "timeout",
            {},
        ),
        (
            [
                "  Failed SubmitOrder [1 s]",
                "  Error Message:",
                "   Test 'SubmitOrder' exceeded execution timeout period.",
            ],
            "timeout",
            {},
        ),
        (
            [
                "CalcTest > testSlow FAILED",
                "    org.junit.runners.model.TestTimedOutException at CalcTest.java:21",
                "12 tests completed, 1 failed",
            ],
            "timeout",
            {},
        ),
        (
            [
                "The active test run was aborted. Reason: Test host process crashed",
                "Data collector 'Blame' message: The specified inactivity time of 30 minutes has"
                " elapsed.",
                "Test Run Aborted.",
            ],
            "timeout",
            {},
        ),
        # go test -json printed raw, and Swift Testing.
        (
            [
                '{"Time":"2024-05-02T10:11:12.1Z","Action":"output","Package":"github.com/acme/app/store",'
                '"Test":"TestPut","Output":"--- FAIL: TestPut (0.00s)\\n"}',
                '{"Time":"2024-05-02T10:11:12.1Z","Action":"fail","Package":"github.com/acme/app/store",'
                '"Test":"TestPut","Elapsed":0}',
            ],
            "test_failure",
            {"test": "TestPut"},
        ),
        (
            [
                "✘ Test addsNumbers() recorded an issue at CalcTests.swift:12:5: Expectation failed:"
                " (sum → 4) == 3",
                "✘ Test addsNumbers() failed after 0.001 seconds with 1 issue.",
                "✘ Test run with 3 tests failed after 0.002 seconds with 1 issue.",
            ],
            "test_failure",
            {"test": "addsNumbers()"},
        ),
        # A report action failing its step on the tests it read.
        (
            [
                "Creating check run JUnit Tests",
                "##[error]Failed test were found and 'fail-on-error' option is set to true",
            ],
            "test_failure",
            {},
        ),
    ],
)
def test_timeout_and_reporter_families(
    tmp_path: Path, body: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, [*run_step("make test", *body), FAILED], want, facts)


@pytest.mark.parametrize(
    ("body", "want", "facts"),
    [
        # Ginkgo's summary under the ginkgo CLI (no go test "--- FAIL:" line).
        (
            [
                "Summarizing 1 Failure:",
                "  [FAIL] Store when empty [It] puts and gets a value",
                "  /home/runner/work/app/app/store/store_test.go:41",
                "",
                "Ran 12 of 12 Specs in 0.120 seconds",
                "FAIL! -- 11 Passed | 1 Failed | 0 Pending | 0 Skipped",
                "",
                "Ginkgo ran 1 suite in 4.2s",
                "Test Suite Failed",
            ],
            "test_failure",
            {},
        ),
        # behave names the scenario under "Failing scenarios:".
        (
            [
                "Failing scenarios:",
                "  features/login.feature:12  Bad password shows an error",
                "",
                "0 features passed, 1 failed, 0 skipped",
                "3 scenarios passed, 1 failed, 0 skipped",
            ],
            "test_failure",
            {"test": "Bad password shows an error"},
        ),
        # go test -json: the timeout panic is an output event and outranks the fail events after it.
        (
            [
                '{"Time":"2024-05-02T10:21:12.1Z","Action":"output","Package":"github.com/acme/app/net",'
                '"Test":"TestServe","Output":"panic: test timed out after 10m0s\\n"}',
                '{"Time":"2024-05-02T10:21:12.2Z","Action":"fail","Package":"github.com/acme/app/net",'
                '"Test":"TestServe","Elapsed":600}',
            ],
            "timeout",
            {},
        ),
    ],
)
def test_suite_runner_families(
    tmp_path: Path, body: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, [*run_step("make test", *body), FAILED], want, facts)


def test_ginkgo_flaked_suite_passes(tmp_path: Path) -> None:
    lines = run_step(
        "ginkgo -r --flake-attempts=2",
        "Ran 97 of 206 Specs in 6461.578 seconds",
        "SUCCESS! -- 97 Passed | 0 Failed | 1 Flaked | 3 Pending | 106 Skipped",
        "Test Suite Passed",
    )
    assert top_finding(tmp_path, lines)[0] is None


def test_gh_run_view_log_prefixes_taken_off(tmp_path: Path) -> None:
    job, step = "test (ubuntu-latest, 3.12)", "Run pytest"
    rows = [
        "##[group]Run pytest -q",
        "##[endgroup]",
        "FAILED tests/test_api.py::test_get_user - AssertionError: assert 404 == 200",
        "========= 1 failed, 20 passed in 3.2s =========",
        "##[error]Process completed with exit code 1.",
    ]
    text = "".join(f"{job}\t{step}\t2024-05-02T10:11:12.1234567Z {row}\n" for row in rows)
    got, data = text_finding(tmp_path, text)
    assert got == "test_failure"
    assert data.get("test") == "tests/test_api.py::test_get_user"


def test_tabs_of_a_plain_log_stay(tmp_path: Path) -> None:
    # go test's own tab-separated package rows are no gh prefix.
    got, data = text_finding(
        tmp_path,
        "--- FAIL: TestPut (0.00s)\nFAIL\tgithub.com/acme/app/store\t0.012s\nFAIL\n",
    )
    assert got == "test_failure"
    assert data.get("test") == "TestPut"


@pytest.mark.parametrize(
    ("body", "test"),
    [
        # nextest: the flaky test's first try is no failure; the test that failed every try is.
        (
            [
                "   TRY 1 FAIL [   0.010s] core a::flaky",
                "   TRY 2 PASS [   0.010s] core a::flaky",
                "        FAIL [   0.020s] core a::real",
                "     Summary [   0.1s] 3 tests run: 2 passed (1 flaky), 1 failed, 0 skipped",
                "error: test run failed",
            ],
            "a::real",
        ),
        # Playwright's list reporter: the retry that passed makes the first row's test flaky.
        (
            [
                "  ✘   1 [chromium] › tests/home.spec.ts:3:5 › home › has title (5.1s)",
                "  ✓   2 [chromium] › tests/home.spec.ts:3:5 › home › has title (retry #1) (1.2s)",
                "  ✘   3 [chromium] › tests/login.spec.ts:12:7 › login › shows error (5.1s)",
                "  ✘   4 [chromium] › tests/login.spec.ts:12:7 › login › shows error (retry #1) (5.0s)",
                "  1 failed",
                "  1 flaky",
                "  11 passed (32.1s)",
            ],
            "login › shows error",
        ),
    ],
)
def test_flaky_tests_are_not_the_failed_test(tmp_path: Path, body: list[str], test: str) -> None:
    got, data = top_finding(tmp_path, [*run_step("make test", *body), FAILED])
    assert got == "test_failure"
    assert data.get("test") == test
