"""Test names the third sweep of test runners (helper h36) relies on beyond the rules' own examples:
the first header of pytest's FAILURES section, parametrized ids with spaces, Surefire's inherited
methods and its pre-3 summaries, nextest's retries, Minitest spec names and errors, RSpec's and
Jasmine's failure blocks, doctest's test cases and Deno's rows; and the passing look-alikes around
them (a pending RSpec example, a nextest test that passed on retry, strict xfail off).

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # alphagov/notifications-utils PR #121: strict xfails that passed, each under its header; the
        # first header is the first failure (the rule keeps the last).
        (
            [
                "=================================== FAILURES ===================================",
                "_____________ test_phone_number_accepts_valid_values[07123456789] ______________",
                "[XPASS(strict)]",
                "__________ test_valid_phone_number_can_be_formatted_consistently[07123456789] __________",
                "[XPASS(strict)]",
                "=================== 2 failed, 571 passed, 16 xfailed in 6.39 seconds ===================",
            ],
            "test_phone_number_accepts_valid_values[07123456789]",
        ),
        # pytest-dev/pytest #1936, huggingface/Repo2RLEnv #90: a parametrized id with spaces.
        (
            [
                "=========================== short test summary info ============================",
                "FAILED tests/test_calc.py::test_eval[6 9-42] - AssertionError: assert 15 == 42",
                "FAILED tests/test_calc.py::test_eval[1 + 1] - AssertionError: fail",
                "========================= 2 failed, 1 passed in 0.05s ==========================",
                FAILED,
            ],
            "tests/test_calc.py::test_eval[6 9-42]",
        ),
        # JMRI/JMRI PR #9322: a test method declared in a superclass.
        (
            [
                "[ERROR] Errors: ",
                "[ERROR]   SwitchboardEditorTest>AbstractEditorTestBase.testChangeView:93 » ConcurrentModification",
                "[INFO] ",
                "[ERROR] Tests run: 19842, Failures: 0, Errors: 1, Skipped: 611",
                FAILED,
            ],
            "SwitchboardEditorTest>AbstractEditorTestBase.testChangeView",
        ),
        # Surefire before 2.13 under Maven 3.0: the test on the header's line.
        (
            [
                "Results :",
                "",
                "Failed tests:   testApp(com.acme.palindrome.AppTest)",
                "",
                "Tests run: 1, Failures: 1, Errors: 0, Skipped: 0",
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test"
                " (default-test) on project palindrome: There are test failures.",
                FAILED,
            ],
            "testApp(com.acme.palindrome.AppTest)",
        ),
        # Surefire 2.13+ without "[ERROR]" (its "new error summary" page): the list under the header.
        (
            [
                "Results :",
                "",
                "Failed tests: ",
                "  CalcTest.testAdd:21 expected:<3> but was:<2>",
                "",
                "Tests in error: ",
                "  CalcTest.nullPointerInLibrary:38 » NullPointer",
                "",
                "Tests run: 10, Failures: 1, Errors: 1, Skipped: 0",
                FAILED,
            ],
            "CalcTest.testAdd",
        ),
        # nexte.st "Retries and flaky tests": every attempt failed.
        (
            [
                "  TRY 1 FAIL [   0.003s] fixture-project::basic test_parse_header",
                "  TRY 2 FAIL [   0.002s] fixture-project::basic test_parse_header",
                "------------",
                "     Summary [   0.021s] 12 tests run: 11 passed, 1 failed, 0 skipped",
                "  TRY 2 FAIL [   0.002s] fixture-project::basic test_parse_header",
                "error: test run failed",
                FAILED,
            ],
            "test_parse_header",
        ),
        # ordinaryzelig/capybara_minitest_spec #11: a Minitest spec's describe text and it text.
        (
            [
                "  1) Failure:",
                "Capybara::RSpecMatchers::have_title matcher::on a string#test_0002_fails if there is no"
                " such title [/build/spec/capybara_rspec_matchers.spec.rb:509]:",
                'Expected /expected there to be title "No such title"/ to match "x".',
                "",
                "107 runs, 230 assertions, 1 failures, 0 errors, 0 skips",
                FAILED,
            ],
            "Capybara::RSpecMatchers::have_title matcher::on a string#test_0002_fails if there is no"
            " such title",
        ),
        # The Rails testing guide: an error has no "[file:line]" after the test.
        (
            [
                "Error:",
                "ArticleTest#test_should_report_error:",
                "NameError: undefined local variable or method 'some_undefined_variable' for an"
                " instance of ArticleTest",
                "    test/models/article_test.rb:11:in 'block in <class:ArticleTest>'",
                "",
                "bin/rails test test/models/article_test.rb:9",
                "",
                "12 runs, 11 assertions, 0 failures, 1 errors, 0 skips",
                FAILED,
            ],
            "ArticleTest#test_should_report_error",
        ),
        # RSpec's failure block when the paste stops before "Failed examples:".
        (
            [
                "Failures:",
                "",
                "  1) Calculator#add returns the sum",
                "     Failure/Error: expect(calc.add(1, 2)).to eq(4)",
                "",
                "       expected: 4",
                "            got: 3",
                "",
                "3 examples, 1 failure",
                FAILED,
            ],
            "Calculator#add returns the sum",
        ),
        # Jasmine's console reporter: "N specs, M failures" and "1) <full name>" over "  Message:".
        (
            [
                "Failures:",
                "1) PrinterHandler: When a message is received, registers itself as handler",
                "  Message:",
                "    Expected undefined to be PrinterHandler.",
                "",
                "52 specs, 1 failure",
                "Finished in 0.267 seconds",
                FAILED,
            ],
            "PrinterHandler: When a message is received, registers itself as handler",
        ),
        # doctest (C++): its tally carries a prefix and padding; the case is named over its checks.
        (
            [
                "===============================================================================",
                "tests/repl_test.cpp:67:",
                "TEST CASE:  REPL evaluates simple expressions",
                "",
                'tests/repl_test.cpp:76: ERROR: CHECK( io.get_output() == "5\\n" ) is NOT correct!',
                '  values: CHECK( "5.000000\\n" == "5\\n" )',
                "",
                "===============================================================================",
                "[doctest] test cases:  5 |  4 passed | 1 failed | 0 skipped",
                "[doctest] Status: FAILURE!",
                FAILED,
            ],
            "REPL evaluates simple expressions",
        ),
        # Swift Testing: a quoted display name; the run's own "Test run with …" line is no test.
        (
            [
                "\t Executed 0 tests, with 0 failures (0 unexpected) in 0.000 (0.001) seconds",
                "◇ Test run started.",
                '✘ Test "HTML export is self-contained" recorded an issue at TranscriptExporterTests'
                '.swift:215:5: Expectation failed: !((html → "<!DOCTYPE html> ...").contains("<script>"))',
                '✘ Test "HTML export is self-contained" failed after 0.002 seconds with 3 issues.',
                "✘ Test run with 1 test failed after 0.002 seconds with 3 issues.",
                FAILED,
            ],
            "HTML export is self-contained",
        ),
        # Playwright without named projects: no "[project] › " before the file.
        (
            [
                "  ✘  1 tests/example.spec.ts:3:1 › example (1.4s)",
                "",
                "  1) tests/example.spec.ts:3:1 › example ─────────────────────────────────────────",
                "",
                "    Error: page.goto: net::ERR_TUNNEL_CONNECTION_FAILED at https://example.com/",
                "",
                "  1 failed",
                "    tests/example.spec.ts:3:1 › example ──────────────────────────────────────────",
                FAILED,
            ],
            "example",
        ),
        # libtest: the thread of a test that failed is named after it; "... FAILED" follows.
        (
            [
                "running 2 tests",
                "thread 'tests::parses_header' panicked at src/lib.rs:42:9:",
                "assertion `left == right` failed",
                "test tests::parses_header ... FAILED",
                "test tests::parses_body ... ok",
                "",
                "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
                FAILED,
            ],
            "tests::parses_header",
        ),
        # cmocka (ldb's tests quoted on samba-technical): no compile error behind "[   LINE   ] ---".
        (
            [
                "[ RUN      ] test_get_size",
                "[  ERROR   ] --- 13369 is not within the range 2500-5000",
                "[   LINE   ] --- ../../tests/ldb_kv_ops_test.c:1721: error: Failure!",
                "[  FAILED  ] test_get_size",
                "[==========] 13 test(s) run.",
                "[  PASSED  ] 12 test(s).",
                "[  FAILED  ] 1 test(s), listed below:",
                "[  FAILED  ] test_get_size",
                FAILED,
            ],
            "test_get_size",
        ),
        # Criterion and Check (C).
        (
            [
                "[----] tests/test.c:15: Assertion failed: say_hi() function did not say 'Hi'",
                "[FAIL] CSE320_Suite::test_it_really_does_say_hi: (0.00s)",
                "[====] Synthesis: Tested: 1 | Passing: 0 | Failing: 1 | Crashing: 0",
                FAILED,
            ],
            "CSE320_Suite::test_it_really_does_say_hi",
        ),
        (
            [
                "Running suite(s): my_suite",
                "66%: Checks: 3, Failures: 1, Errors: 0",
                "test_check.c:13:F:TC1:test_name_1:0: Assertion '1 == 0' failed: 1 == 1, 0 == 0",
                "test_check.c:23:P:TC2:test_name_2:0: Passed",
                FAILED,
            ],
            "test_name_1",
        ),
        # Perl's Test::More under prove.
        (
            [
                "t/01-stdout_tests.t .... 1/3",
                "#   Failed test 'can yell greeting'",
                "#   at t/01-stdout_tests.t line 13.",
                "#          got: ''",
                "# Looks like you failed 1 test of 3.",
                "t/01-stdout_tests.t .... Dubious, test returned 1 (wstat 256, 0x100)",
                "Failed 1/3 subtests",
                "",
                "Result: FAIL",
                FAILED,
            ],
            "can yell greeting",
        ),
        # ExUnit: doctests counted in the tally; a long title puts its module on the next line.
        (
            [
                "  1) test critic.measure rejects bidirectional canonical overlap without prefix confusion",
                "     (Threadline.OperatorSurface.CriticTrustTest)",
                "     test/threadline/operator_surface/critic_trust_test.exs:41",
                "     Assertion with == failed",
                "",
                "Finished in 0.1 seconds (0.05s async, 0.05s sync)",
                "3 doctests, 2 properties, 18 tests, 1 failure",
                FAILED,
            ],
            "test critic.measure rejects bidirectional canonical overlap without prefix confusion",
        ),
        # AVA: the title alone heads the details; on the "✘ [fail]:" row the message follows it.
        (
            [
                "  ✔ adds two numbers correctly",
                "  ✘ [fail]: does not divide by zero Error thrown in test",
                "  ✘ [fail]: multiplies two numbers correctly",
                "  ─",
                "",
                "  does not divide by zero",
                "",
                "  test_math.js:12",
                "",
                "  ─",
                "",
                "  2 tests failed",
                FAILED,
            ],
            "does not divide by zero",
        ),
        # unittest: an @expectedFailure test that passed fails the run.
        (
            [
                "test_parse (tests.test_cli.TestCli.test_parse) ... ok",
                "test_known_gap (tests.test_cli.TestCli.test_known_gap) ... unexpected success",
                "",
                "----------------------------------------------------------------------",
                "Ran 2 tests in 0.003s",
                "",
                "FAILED (unexpected successes=1)",
                FAILED,
            ],
            "test_known_gap",
        ),
        # denoland/deno #28648: Deno's row as it runs.
        (
            [
                "running 1 test from ./testonly.ts",
                "fails on its own ... FAILED (0ms)",
                "",
                " FAILURES ",
                "",
                "fails on its own => ./testonly.ts:3:6",
                "",
                "FAILED | 0 passed | 1 failed (6ms)",
                "",
                "error: Test failed",
                FAILED,
            ],
            "fails on its own",
        ),
    ],
)
def test_first_failed_test_by_runner(tmp_path: Path, lines: list[str], test: str) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == "test_failure"
    assert data.get("test") == test


@pytest.mark.parametrize(
    "lines",
    [
        # A pending RSpec example prints its reason, then the failure it is expected to have.
        [
            "Run bundle exec rspec",
            "..*..",
            "",
            "Pending: (Failures listed here are expected and do not affect your suite's status)",
            "",
            "  1) Invoice totals rounds half up",
            "     # Waiting on the tax rules change",
            "     Failure/Error: expect(invoice.total).to eq(10.05)",
            "",
            "5 examples, 0 failures, 1 pending",
        ],
        # nexte.st "Retries and flaky tests": a test that passed on its second try.
        [
            "$ cargo nextest run test_flaky_mod_2 --retries 2",
            "    Starting 1 test across 2 binaries (11 skipped)",
            "  TRY 1 FAIL [   0.003s] fixture-project::basic test_flaky_mod_2",
            "  stderr ---",
            "    thread 'test_flaky_mod_2' panicked at tests/basic.rs:53:9:",
            "    Failed because attempt 1 % 2 != 0",
            "  TRY 2 PASS [   0.002s] fixture-project::basic test_flaky_mod_2",
            "------------",
            "     Summary [   0.021s] 1 test run: 1 passed (1 flaky), 25 skipped",
            "   FLAKY 2/3 [   0.002s] fixture-project::basic test_flaky_mod_2",
        ],
        # gradle/test-retry-gradle-plugin #65, #205: the first attempt failed, the retry passed.
        [
            "> Task :app:test",
            "",
            "DeleteActionTest > test_content() FAILED",
            "    java.lang.RuntimeException: java.io.IOException: Server returned HTTP response code:"
            " 500 for URL: http://localhost:38675/views/actions/DeleteAction.jsp",
            "        at webapp.testframework.JspServer.render(JspServer.java:71)",
            "",
            "2 tests completed, 1 failed",
            "",
            "BUILD SUCCESSFUL in 1m 12s",
            "7 actionable tasks: 7 executed",
        ],
        # The Rust book: a #[should_panic] test run with --nocapture prints its panic, then passes.
        [
            "running 2 tests",
            "thread 'tests::greater_than_100' panicked at src/lib.rs:13:13:",
            "Guess value must be between 1 and 100, got 200.",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "test tests::greater_than_100 - should panic ... ok",
            "test tests::accepts_50 ... ok",
            "",
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
        ],
        # unittest with an expected failure passes.
        [
            "test_known_gap (tests.test_cli.TestCli.test_known_gap) ... expected failure",
            "Ran 2 tests in 0.003s",
            "",
            "OK (expected failures=1)",
        ],
        # prove, Criterion and Check runs that passed.
        [
            "t/basic.t .. ok",
            "All tests successful.",
            "Files=1, Tests=3,  0 wallclock secs ( 0.02 usr  0.00 sys +  0.05 cusr  0.01 csys =  0.08 CPU)",
            "Result: PASS",
        ],
        [
            "[PASS] sort::Bubble: (0.00s)",
            "[====] Synthesis: Tested: 2 | Passing: 2 | Failing: 0 | Crashing: 0 ",
        ],
        ["Running suite(s): Money", "100%: Checks: 3, Failures: 0, Errors: 0"],
        # Jasmine, Swift Testing and doctest runs that passed.
        ["Started", "....", "", "52 specs, 0 failures", "Finished in 0.267 seconds"],
        [
            '✔ Test "HTML export is self-contained" passed after 0.002 seconds.',
            "✔ Test run with 2 tests in 1 suite passed after 0.003 seconds.",
        ],
        [
            "[doctest] test cases:  5 |  5 passed | 0 failed | 0 skipped",
            "[doctest] assertions: 12 | 12 passed | 0 failed | 0 skipped",
            "[doctest] Status: SUCCESS!",
        ],
    ],
)
def test_passing_look_alikes(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, lines) == (None, {})


def test_named_failure_ignores_rspec_pending_and_minitest_headers() -> None:
    assert named_failure(["  1) Failure:", "  2) Error:"]) is None
    assert named_failure(["  1) Invoice rounds", "     # Not yet implemented"]) is None


@pytest.mark.parametrize(
    "text",
    [
        "  CalcTest.test_add_numbers:21 expected:<3> but was:<2>",
        "[ERROR]   PostgresDialectIT>AbstractDialectIT.insertsBatch:77 expected: <3> but was: <2>",
    ],
)
def test_surefire_methods_are_no_files(text: str) -> None:
    assert location(text) is None


def test_gradle_failed_build_keeps_its_test(tmp_path: Path) -> None:
    got, data = top_finding(
        tmp_path,
        [
            "> Task :app:test FAILED",
            "",
            "DeleteActionTest > test_content() FAILED",
            "    java.lang.AssertionError at DeleteActionTest.kt:41",
            "",
            "2 tests completed, 1 failed",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "BUILD FAILED in 1m 12s",
            FAILED,
        ],
    )
    assert (got, data.get("test")) == ("test_failure", "DeleteActionTest > test_content()")


def test_exunit_invalidated_setup_all_is_a_test_failure(tmp_path: Path) -> None:
    got, _ = top_finding(
        tmp_path,
        [
            "  1) Acme.DBTest: failure on setup_all callback, all tests have been invalidated",
            "     ** (MatchError) no match of right hand side value: {:error, :econnrefused}",
            "",
            "Finished in 0.1 seconds (0.00s async, 0.1s sync)",
            "1 test, 0 failures, 1 invalid",
            "Error: Process completed with exit code 2.",
        ],
    )
    assert got == "test_failure"
