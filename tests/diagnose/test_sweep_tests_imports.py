"""The test-failure and import-error sweep: which failed test each runner names (the first one, as a
maintainer would open it) when the winning line is a tally, and the name/from facts of import errors in
their other wordings (a logged repr, CPython 3.13's hint, circular imports read as attributes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.failed_tests import failed_test_near, first_test
from smartmon.diagnose.named_failures import named_failure

TRAILER = "Error: Process completed with exit code 1."

# (runner, log lines, type, facts that must be present)
CASES: list[tuple[str, list[str], str, dict[str, str]]] = [
    (
        "surefire-2",
        [
            "[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! - in com.acme.ParserTest",
            "[ERROR] testParseNumber(com.acme.ParserTest)  Time elapsed: 0.01 s  <<< FAILURE!",
            "org.opentest4j.AssertionFailedError: expected: <3> but was: <2>",
            "[ERROR] Failures: ",
            "[ERROR]   ParserTest.testParseNumber:21 expected: <3> but was: <2>",
            "[ERROR] Tests run: 10, Failures: 1, Errors: 0, Skipped: 0",
            "[INFO] BUILD FAILURE",
        ],
        "test_failure",
        {"test": "testParseNumber(com.acme.ParserTest)"},
    ),
    (
        "surefire-3-results-only",
        [
            "[ERROR] Failures: ",
            "[ERROR]   ParserTest.testParseNumber:21 expected: <3> but was: <2>",
            "[ERROR]   ParserTest.testParseWord:30 expected: <a> but was: <b>",
            "[ERROR] Tests run: 10, Failures: 2, Errors: 0, Skipped: 0",
        ],
        "test_failure",
        {"test": "ParserTest.testParseNumber"},
    ),
    (
        "gradle",
        [
            "> Task :app:test",
            "",
            "ParserTest > testParseNumber() FAILED",
            "    org.opentest4j.AssertionFailedError at ParserTest.java:21",
            "",
            "10 tests completed, 1 failed",
            "",
            "> Task :app:test FAILED",
            "FAILURE: Build failed with an exception.",
            "* What went wrong:",
            "Execution failed for task ':app:test'.",
            "> There were failing tests. See the report at: file:///home/runner/work/w/w/app/build/reports/tests/test/index.html",
        ],
        "test_failure",
        {"test": "ParserTest > testParseNumber()"},
    ),
    (
        "gradle-failure-list",
        [
            "> Task :integrationTest",
            "Tests with failures:",
            " - org.acme.api.DefaultApiTest.configIsNotAvailable",
            " - org.acme.api.CertTest.timeoutTest",
            "",
            "493 tests completed, 2 failed",
            "There were failing tests. See the report at: file:///home/runner/work/w/w/build/reports/tests/integrationTest/index.html",
        ],
        "test_failure",
        {"test": "org.acme.api.DefaultApiTest.configIsNotAvailable"},
    ),
    (
        "dotnet-vstest",
        [
            "  Failed Acme.Widget.Tests.ParserTests.ParsesNumber [12 ms]",
            "  Error Message:",
            "   Assert.Equal() Failure",
            "Failed!  - Failed:     1, Passed:    20, Skipped:     0, Total:    21, Duration: 45 ms - Acme.Widget.Tests.dll (net8.0)",
        ],
        "test_failure",
        {"test": "Acme.Widget.Tests.ParserTests.ParsesNumber"},
    ),
    (
        "dotnet-vstest-old",
        [
            "  X This_test_should_fail [134ms]",
            "  Stack Trace:",
            "     at unit1.ExampleTest.This_test_should_fail() in D:\\a\\w\\w\\tests\\UnitTest1.cs:line 11",
            "Test Run Failed.",
            "Total tests: 2",
        ],
        "test_failure",
        {"test": "This_test_should_fail"},
    ),
    (
        "dotnet-mtp",
        [
            '  failed Invalid_Profile_Should_Fail ("net9.0;net8.0",Debug) (6s 220ms)',
            "    Assert.AreEqual failed. Expected:<1>. Actual:<-5>. ",
            "Test run summary: Failed! - bin/Debug/net9.0/Acme.Tests.dll (net9.0|x64)",
        ],
        "test_failure",
        {"test": "Invalid_Profile_Should_Fail"},
    ),
    (
        "phpunit",
        [
            "There was 1 failure:",
            "",
            "1) Acme\\Tests\\ParserTest::testParseNumber",
            "Failed asserting that 2 matches expected 3.",
            "",
            "/home/runner/work/w/w/tests/ParserTest.php:21",
            "",
            "FAILURES!",
            "Tests: 4, Assertions: 4, Failures: 1.",
        ],
        "test_failure",
        {"test": "Acme\\Tests\\ParserTest::testParseNumber"},
    ),
    (
        "mocha",
        [
            "  1 passing (20ms)",
            "  1 failing",
            "",
            "  1) Parser",
            "       parses strings:",
            "",
            "      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
            "      at Context.<anonymous> (test/parser.test.js:14:12)",
            "",
            "npm ERR! Test failed.  See above for more details.",
        ],
        "test_failure",
        {"test": "Parser parses strings"},
    ),
    (
        "playwright",
        [
            "  ✘  3 [chromium] › tests/login.spec.ts:15:5 › Login › shows error on bad password (5.2s)",
            "  1) [chromium] › tests/login.spec.ts:15:5 › Login › shows error on bad password ───────",
            "    Error: Timed out 5000ms waiting for expect(locator).toBeVisible()",
            "  1 failed",
            "    [chromium] › tests/login.spec.ts:15:5 › Login › shows error on bad password ────────",
            "  11 passed (30.1s)",
        ],
        "test_failure",
        {"test": "Login › shows error on bad password"},
    ),
    (
        "rspec",
        [
            "Failures:",
            "  1) User#full_name joins first and last",
            '     Failure/Error: expect(user.full_name).to eq("Ann Lee")',
            "20 examples, 1 failure",
            "Failed examples:",
            "rspec ./spec/models/user_spec.rb:10 # User#full_name joins first and last",
        ],
        "test_failure",
        {"test": "User#full_name joins first and last"},
    ),
    (
        "minitest",
        [
            "  1) Failure:",
            "UserTest#test_full_name [/home/runner/work/w/w/test/models/user_test.rb:8]:",
            'Expected: "Ann Lee"',
            "",
            "4 runs, 4 assertions, 1 failures, 0 errors, 0 skips",
        ],
        "test_failure",
        {"test": "UserTest#test_full_name"},
    ),
    (
        "xctest-linux",
        [
            "Test Case 'ParserTests.testParseNumber' started at 2024-01-01 10:00:00.000",
            "/home/runner/work/w/w/Tests/WTests/ParserTests.swift:21: error: ParserTests.testParseNumber : XCTAssertEqual failed",
            "Test Case 'ParserTests.testParseNumber' failed (0.002 seconds)",
            "\t Executed 4 tests, with 1 failure (0 unexpected) in 0.005 (0.005) seconds",
        ],
        "test_failure",
        {"test": "ParserTests.testParseNumber"},
    ),
    (
        "dart",
        [
            "00:02 +3 -1: test/parser_test.dart: Parser parses numbers [E]",
            "  Expected: <3>",
            "    Actual: <2>",
            "00:02 +3 -1: Some tests failed.",
        ],
        "test_failure",
        {"test": "Parser parses numbers"},
    ),
    (
        "exunit",
        [
            "  1) test parses numbers (Widget.ParserTest)",
            "     test/widget/parser_test.exs:20",
            "     Assertion with == failed",
            "Finished in 0.1 seconds (0.05s async, 0.05s sync)",
            "10 tests, 1 failure",
        ],
        "test_failure",
        {"test": "test parses numbers"},
    ),
    (
        "rspec-block-without-tally",
        [
            "Failures:",
            "",
            "  1) User validates email",
            "     Failure/Error: expect(user).to be_valid",
            "       expected `#<User id: nil>.valid?` to be truthy, got false",
            "     # ./spec/models/user_spec.rb:12:in `block (2 levels) in <top (required)>'",
        ],
        "test_failure",
        {"test": "User validates email"},
    ),
    (
        "ginkgo-v2-panicked-block",
        [
            "  [PANICKED] Test Panicked",
            "  In [AfterEach] at: /opt/hostedtoolcache/go/1.22.8/x64/src/runtime/panic.go:261 @ 11/04/24 10:12:22.241",
            "",
            "  runtime error: invalid memory address or nil pointer dereference",
        ],
        "test_failure",
        {},
    ),
    (
        "pytest-error-at-setup",
        [
            "==================================== ERRORS ====================================",
            "_______________ ERROR at setup of TestApi.test_get[v2 beta] _______________",
            "file /home/runner/work/w/w/tests/test_api.py, line 10",
            "E       fixture 'client' not found",
        ],
        "test_failure",
        {"test": "TestApi.test_get[v2 beta]"},
    ),
    (
        "ginkgo-v2-suite-timeout-under-go-test",
        [
            "  [TIMEDOUT] A suite timeout occurred",
            "  In [It] at: /home/runner/work/w/w/test/e2e/probe_test.go:48 @ 07/13/26 22:24:54.779",
            "Summarizing 1 Failure:",
            "  [TIMEDOUT] Probe [It] restarts the container",
            "FAIL! - Suite Timeout Elapsed -- 2 Passed | 1 Failed | 0 Pending | 6 Skipped",
            "--- FAIL: TestE2E (3600.05s)",
            "FAIL\tgithub.com/acme/w/test/e2e\t3600.212s",
        ],
        "timeout",
        {},
    ),
    (
        "circular-attribute",
        [
            "AttributeError: partially initialized module 'acme' has no attribute 'settings' (most likely due to a circular import)",
        ],
        "import_error",
        {"name": "settings", "from": "acme"},
    ),
    (
        "attribute-repr",
        ["ERROR:root:AttributeError(\"module 'relbot.commands.tag' has no attribute 'java'\")"],
        "import_error",
        {"name": "java", "from": "relbot.commands.tag"},
    ),
]


@pytest.mark.parametrize(("runner", "lines", "kind", "facts"), CASES, ids=[c[0] for c in CASES])
def test_runner_names_its_first_failed_test(
    tmp_path: Path, runner: str, lines: list[str], kind: str, facts: dict[str, str]
) -> None:
    log = tmp_path / f"{runner}.log"
    log.write_text("\n".join([*lines, TRAILER]) + "\n", encoding="utf-8")
    findings = analyze_paths([log]).findings
    assert findings, runner
    top = findings[0]
    assert top.type.value == kind
    for key, value in facts.items():
        assert top.data.get(key) == value, (key, top.data)


# Passing look-alikes: no finding.
PASSING: list[tuple[str, list[str]]] = [
    ("minitest-green", ["12 runs, 30 assertions, 0 failures, 0 errors, 0 skips"]),
    (
        "dart-green",
        ["00:02 +4: test/parser_test.dart: Parser parses numbers", "00:02 +4: All tests passed!"],
    ),
    ("gradle-green", ["493 tests completed, 0 failed", "BUILD SUCCESSFUL in 1m 2s"]),
    ("vstest-green", ["Test Run Successful.", "Total tests: 2", "     Passed: 2"]),
    ("mtp-green", ["Test run summary: Passed! - bin/Debug/net9.0/Acme.Tests.dll (net9.0|x64)"]),
    (
        "rspec-pending-that-fails",
        [
            "Pending: (Failures listed here are expected and do not affect your suite's status)",
            "",
            "  1) Parser handles nested brackets",
            "     # No reason given",
            "     Failure/Error: expect(parse('[[a]]')).to eq([['a']])",
            "     # ./spec/parser_spec.rb:41:in `block (2 levels) in <top (required)>'",
            "",
            "10 examples, 0 failures, 1 pending",
        ],
    ),
    (
        "ginkgo-flaked-then-passed",
        [
            "↺ [FLAKEY TEST - TOOK 2 ATTEMPTS TO PASS] [0.203 seconds]",
            "  [FAILED] in [It] - /home/runner/work/w/w/cache_test.go:88 @ 03/24/26 11:30:39.035",
            "SUCCESS! -- 12 Passed | 0 Failed | 1 Flaked | 0 Pending | 0 Skipped",
            "Test Suite Passed",
        ],
    ),
]


@pytest.mark.parametrize(("name", "lines"), PASSING, ids=[p[0] for p in PASSING])
def test_passing_look_alikes_give_no_finding(tmp_path: Path, name: str, lines: list[str]) -> None:
    log = tmp_path / f"{name}.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not analyze_paths([log]).findings


def test_minitest_headers_are_not_titles() -> None:
    assert named_failure(["  1) Failure:", "  2) Error:"]) is None


def test_mocha_title_needs_its_closing_colon() -> None:
    # A numbered line whose deeper lines never close with ":" is not mocha's failure title.
    assert named_failure(["  1) first step", "       second step", "done"]) is None


def test_jest_title_below_a_fail_header_comes_first() -> None:
    # The match is jest's "FAIL file" header; its first "●" title is the test.
    after = ("  ● suite › first", "", "  ● suite › second")
    assert failed_test_near("FAIL src/a.test.ts", (), after) == "suite › first"


def test_cargo_names_the_first_failed_test_of_its_binary() -> None:
    before = (
        "running 2 tests",
        "test old::stale ... FAILED",
        "running 3 tests",
        "test scan::first ... FAILED",
        "test scan::ok ... ok",
    )
    text = "test scan::second ... FAILED"
    assert first_test("scan::second", text, before) == "scan::first"
