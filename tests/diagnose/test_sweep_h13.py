"""The first failed test as each runner names it: Surefire reruns and Kotlin names, .NET runners (MTP
under MSBuild, xUnit.net v2, NUnit 3's console), TAP and bats, Robot Framework, sbt's failed suites.

Texts are the tools' real formats with names changed; the thread each comes from is named in
`failed_tests.py` or the rule that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # Surefire: a rerun attempt's row, a Kotlin name with spaces (to its ":line" or " » "), a
        # frame inside the test after "->", and the per-test headers of 2.x and 3.x.
        (
            ["[ERROR]   Run 1: CalcTest.testAdd:21 expected:<3> but was:<2>"],
            "CalcTest.testAdd",
        ),
        (
            [
                "[ERROR] Failures: ",
                "[ERROR] io.acme.TestJetty.embedded server has a handler chain(io.acme.TestJetty)",
                "[ERROR]   Run 1: TestJetty.embedded server has a handler chain:70 expected:<[20]L>",
            ],
            "TestJetty.embedded server has a handler chain",
        ),
        (
            ["[ERROR]   TestJetty.embedded server starts » IllegalState boom"],
            "TestJetty.embedded server starts",
        ),
        (
            ["[ERROR]   Test1.failInMethod:43->innerFailure:68 NullPointer Fail here"],
            "Test1.failInMethod",
        ),
        (
            ["[ERROR] adds two numbers(com.acme.CalcTest)  Time elapsed: 0.011 s  <<< FAILURE!"],
            "adds two numbers(com.acme.CalcTest)",
        ),
        (
            ["[ERROR] com.acme.CalcTest.adds two numbers -- Time elapsed: 0.012 s <<< FAILURE!"],
            "com.acme.CalcTest.adds two numbers",
        ),
        # dotnet test on MTP under MSBuild: the failure is an MSBuild error of the test's line.
        (
            [
                "/_/tests/Acme.Tests/Network/UT_LocalNode.cs(48): error test failed: TestDefaults (85ms):"
                " CollectionAssert.AreEqual failed. [/home/runner/work/a/a/tests/Acme.Tests.csproj]"
            ],
            "TestDefaults",
        ),
        (
            [
                '[xUnit.net 00:01:14.37]     Acme.Cli.Tests.RunsProjects(configuration: "Release") [FAIL]'
            ],
            'Acme.Cli.Tests.RunsProjects(configuration: "Release")',
        ),
        (
            ["1) Failed : Acme.Tests.CalcTests.Add(1,2)", "  Expected: 3"],
            "Acme.Tests.CalcTests.Add(1,2)",
        ),
        # TAP (bats --tap, node:test) and bats' pretty formatter.
        (["ok 1 correct arguments", "not ok 2 incorrect arguments"], "incorrect arguments"),
        (["not ok 1 - subtracts", "  ---"], "subtracts"),
        # tape's own assertion for a test that never ended names the test after its message.
        (
            ["not ok 110 test exited without ending: elastic openai instrumentation", "  ---"],
            "elastic openai instrumentation",
        ),
        (
            [
                " ✓ correct arguments",
                " ✗ incorrect arguments",
                "   (in test file error_handling_test.sh, line 25)",
            ],
            "incorrect arguments",
        ),
        (
            [
                " ✗ prints usage",
                "   (from function `assert_output' in file test/helper/assert.bash, line 239,",
                "    in test file test/cli.bats, line 12)",
            ],
            "prints usage",
        ),
        # Robot Framework: the first test's row, before its suite's.
        (
            [
                "Valid Login                                                  | PASS |",
                "Invalid Password Shows Error                                 | FAIL |",
                "Element 'id:error' did not appear in 5 seconds.",
                "Login Tests                                                  | FAIL |",
                "2 tests, 1 passed, 1 failed",
            ],
            "Invalid Password Shows Error",
        ),
        # CTest's progress rows, Bazel's live FAIL line and summary row, gotestsum's summary.
        (
            [
                "1/3 Test #1: vector_test ......................   Passed    0.02 sec",
                "2/3 Test #2: parser_test ......................***Failed    0.05 sec",
            ],
            "parser_test",
        ),
        (["19/24 Test #19: case_2d .....Subprocess aborted***Exception:  871.22 sec"], "case_2d"),
        (
            [
                "FAIL: //test/unit:value (see /home/runner/.cache/bazel/x/testlogs/test/unit/value/test.log)"
            ],
            "//test/unit:value",
        ),
        (
            [
                "//src/core:parser_test                                   FAILED in 1 out of 2 in 1.2s"
            ],
            "//src/core:parser_test",
        ),
        (["=== Failed", "=== FAIL: internal/cache TestEviction (0.01s)"], "TestEviction"),
        # sbt: the first suite under "Failed tests:" (a logger may stamp each line).
        (
            [
                "[04-09 22:41:59.536] [error] Failed tests:",
                "[04-09 22:41:59.538] [error] \tacme.stream.RefsSpec",
            ],
            "acme.stream.RefsSpec",
        ),
    ],
)
def test_named_failures_by_runner(lines: list[str], test: str) -> None:
    assert named_failure(lines) == test


@pytest.mark.parametrize(
    "lines",
    [
        [
            "[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.5 s <<< FAILURE! - in X"
        ],
        ["not ok 2 slow path # SKIP no network"],
        ["not ok 2 test exited without ending", "  ---"],
        ["not ok 3 plan != count", "  ---"],
        ["| test_login | FAIL |"],
        [" ✗ not a bats line", "next line"],
        [
            "[error] Failed tests:",
            "[error] (core / Test / test) sbt.TestsFailedException: Tests unsuccessful",
        ],
    ],
)
def test_lines_that_name_no_test(lines: list[str]) -> None:
    assert named_failure(lines) is None


def test_nunit_console_run_is_a_test_failure(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "Errors, Failures and Warnings",
            "",
            "1) Failed : Acme.Tests.CalcTests.Add(1,2)",
            "  Expected: 3",
            "  But was:  4",
            "",
            "Test Run Summary",
            "  Overall result: Failed",
            "  Test Count: 12, Passed: 11, Failed: 1, Warnings: 0, Inconclusive: 0, Skipped: 0",
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == ("test_failure", "Acme.Tests.CalcTests.Add(1,2)")


def test_robot_framework_run_names_the_first_failed_test(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "=" * 78,
            "Login Tests",
            "=" * 78,
            "Valid Login                                                           | PASS |",
            "-" * 78,
            "Invalid Password Shows Error                                          | FAIL |",
            "Element 'id:error' did not appear in 5 seconds.",
            "-" * 78,
            "Login Tests                                                           | FAIL |",
            "2 tests, 1 passed, 1 failed",
            "=" * 78,
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == ("test_failure", "Invalid Password Shows Error")


def test_sbt_scalatest_run_names_the_failed_suite(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "[info] Tests: succeeded 71, failed 1, canceled 0, ignored 0, pending 0",
            "[info] *** 1 TEST FAILED ***",
            "[error] Failed tests:",
            "[error] \tcom.acme.core.FlowHelpersTest",
            "[error] (core / Test / test) sbt.TestsFailedException: Tests unsuccessful",
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == ("test_failure", "com.acme.core.FlowHelpersTest")


_RULE = "-" * 79


def test_catch2_names_the_test_case_of_the_first_failed_result() -> None:
    lines = [
        _RULE,
        "Vector passes its checks",
        _RULE,
        "tests/vector_test.cpp:5",
        "." * 79,
        "",
        "tests/vector_test.cpp:7:",
        "PASSED:",
        "",
        _RULE,
        "#1005: Comparing pointer to int and long (NULL can be either on various",
        "       systems)",
        _RULE,
        "tests/vector_test.cpp:12",
        "." * 79,
        "",
        "tests/vector_test.cpp:18: FAILED:",
        "  REQUIRE( v.size() == 2 )",
        "with expansion:",
        "  1 == 2",
    ]
    assert named_failure(lines) == (
        "#1005: Comparing pointer to int and long (NULL can be either on various systems)"
    )
    assert named_failure(lines[:9]) is None


def test_gotestsum_summary_names_its_first_failure(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "=== Failed",
            "=== FAIL: internal/cache TestEviction (0.01s)",
            "    cache_test.go:42: expected 2 entries, got 3",
            "=== FAIL: internal/cache TestEvictionOrder (0.00s)",
            "    cache_test.go:60: wrong order",
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == ("test_failure", "TestEviction")


def test_bazel_run_names_the_failed_target(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "INFO: Build completed, 1 test FAILED, 812 total actions",
            "//src/core:buffer_test                                   PASSED in 0.4s",
            "//src/core:parser_test                                   FAILED in 1.2s",
            "Executed 2 out of 2 tests: 1 test passes and 1 fails locally.",
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == ("test_failure", "//src/core:parser_test")


def test_xdist_worker_crash_alone_names_the_test(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "[gw3] linux -- Python 3.12.13 /home/runner/work/a/a/.venv/bin/python3",
            "worker 'gw3' crashed while running 'tests/test_redis.py::test_unsupported[True]'",
            FAILED,
        ],
    )
    assert (kind, data.get("test")) == (
        "test_failure",
        "tests/test_redis.py::test_unsupported[True]",
    )
