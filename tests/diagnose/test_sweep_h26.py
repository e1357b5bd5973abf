"""Failed tests named by rustdoc's doctests, Automake's harness, sanitizers and Go race reports."""

from smartmon.diagnose.failed_tests import failed_test_near, first_test, raced_test
from smartmon.diagnose.named_failures import named_failure


def test_doctest_name_keeps_file_item_and_line() -> None:
    name = "src/actor_ref/rpc.rs - actor_ref::rpc (line 86)"
    before = ["running 3 tests", f"test {name} ... FAILED"]
    later = "test src/lib.rs - <impl Parser for Lexer>::parse (line 120) - compile fail ... FAILED"
    assert first_test("x", later, before) == name
    assert named_failure([f"---- {name} stdout ----"]) == name


def test_automake_fail_row_names_the_test() -> None:
    assert named_failure(["PASS: test_args", "FAIL: tests/parse.sh"]) == "tests/parse.sh"
    assert named_failure(["FAIL: t/basic.t 3 - parses input"]) == "t/basic.t"
    assert named_failure(["# FAIL:  1"]) is None
    assert named_failure(["FAIL: test_parse (tests.test_parser.ParserTest)"]) != "test_parse"


def test_sanitizer_summary_takes_the_test_from_the_harness_below() -> None:
    after = ["FAIL: test_cli", "make[2]: *** [Makefile:1210: test-suite.log] Error 1"]
    found = failed_test_near(
        "SUMMARY: AddressSanitizer: 32 byte(s) leaked in 1 allocation(s).", [], after
    )
    assert found == "test_cli"


def test_go_race_report_names_the_first_test_frame() -> None:
    after = [
        "Write at 0x00c000232c70 by goroutine 26:",
        "runtime.closechan()",
        "github.com/acme/app/common.TestRunWriteWorkers()",
    ]
    assert failed_test_near("WARNING: DATA RACE", [], after) == "TestRunWriteWorkers"
    suite = ["    go.acme.io/x.(*FlowSuite).Test_SyncStates.func2()"]
    assert failed_test_near(" WARNING: DATA RACE ", [], suite) == "Test_SyncStates"
    closed = ["  testing.tRunner()", "==================", "  app.(*S).TestLater.func1()"]
    assert raced_test("WARNING: DATA RACE", closed) is None
    assert raced_test("Found 1 data race(s)", suite) is None
