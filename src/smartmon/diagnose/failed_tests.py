"""Failed tests as their runner names them: the first `FAILED` node id of pytest's short summary, the
first `●` title of a jest suite, the first `test x ... FAILED` of a cargo test binary, the first
`--- FAIL:` of a go test package (its first failed subtest), the first `=== FAIL:` of gotestsum's
summary and the first
`FAIL file > test` of vitest's "Failed Tests" list (a rule keeps its last match; the first failure is
read first); and, when the winning line is a tally ("Tests run: 10, Failures: 1", "FAILURES!",
"> There were failing tests"), the first test a runner named as failed around it (`failed_test_near`),
in one line (`named_failures.py`) or in a block of lines (`failure_blocks.py`); when a test
process crashed, the test it was running (`crashed_test`); the test function among a Go race report's
frames (`raced_test`); and a per-test make target that failed below the line (`make_test_target`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.named_failures import DOCTEST, TEST_GOTESTSUM, named_failure

# nbval names a notebook's cells "lorenz.ipynb::Cell 1" (a space inside the node id); a parametrized
# id keeps its values' spaces ("tests/test_calc.py::test_eval[1 + 1]").
_TEST_PYTEST = re.compile(
    r"^(?:FAILED|ERROR) (?:\[[^\]]*\] )?"
    r"(?P<test>[^\s:]+\.py::[^\s\[]+\[[^\]]*\]\S*|[^\s:]+\.py::\S+|[^\s:]+\.ipynb::Cell \d+|[^\s:]+\.(?:ipynb|rst|md|txt)::\S+)"
)
_TEST_JEST = re.compile(r"^\s*● (?!Test suite failed to run)(?P<test>\S.*?)\s*$")
_JEST_SUITE = re.compile(r"^\s*(?:FAIL|PASS)\s+\S")
_TEST_VITEST = re.compile(r"^\s*FAIL\s+(?:\|[^|\s]+\|\s+)?\S+\.[cm]?[jt]sx? > (?P<test>\S.*?)\s*$")
# cargo test (libtest): "test sync::tests::send ... FAILED" in the order tests finished, under
# "running 12 tests" (one block per test binary).
_TEST_CARGO = re.compile(r"^test (?P<test>\S+" + DOCTEST + r") \.\.\. FAILED\s*$")
_CARGO_BLOCK = re.compile(r"^running \d+ tests?\s*$")
# go test: "--- FAIL: TestParse (0.00s)", a subtest indented under its parent ("    --- FAIL:
# TestParse/empty (0.00s)"); one package's output ends at its "ok  pkg 0.1s" / "FAIL pkg 0.1s" line.
_TEST_GO = re.compile(r"^\s*--- FAIL: (?P<test>\S+)")
_GO_PACKAGE_END = re.compile(r"^(?:ok|FAIL|\?)\s+\S+\s")
# Vitest's list header: "⎯⎯⎯⎯ Failed Tests 3 ⎯⎯⎯⎯" (and "Failed Suites" before it).
_VITEST_LIST = re.compile(r"^\s*⎯+ Failed (?:Tests|Suites) \d+ ⎯+")
# pytest's FAILURES section heads each test "____ test_parse[utf-8] ____" (a strict xfail that passed
# has only "[XPASS(strict)]" under it, alphagov/notifications-utils PR #121); the section opens with
# "==== FAILURES ====" ("ERRORS" for setup errors).
_PYTEST_HEADER = re.compile(
    r"^_{3,} (?P<test>[\w.\[\]:/-]*(?:[Tt]est|[.:\[])[\w.\[\]:/-]*(?:\[[^\]]*\])?) _{3,}\s*$"
)
_PYTEST_SECTION = re.compile(r"^={3,} (?:FAILURES|ERRORS) ={3,}\s*$")


def first_test(test: str, text: str, before: Sequence[str]) -> str:
    """The first failed test of the list the match belongs to (pytest's short summary, a jest suite).

    A rule keeps its last match in a job; a person reads the first failure first.
    """
    if _TEST_PYTEST.match(text):
        for prev in reversed(before):
            m = _TEST_PYTEST.match(prev)
            if not m:
                break
            test = m.group("test")
    elif _TEST_CARGO.match(text):
        for prev in reversed(before):
            if _CARGO_BLOCK.match(prev):
                break
            m = _TEST_CARGO.match(prev)
            if m:
                test = m.group("test")
    elif _TEST_VITEST.match(text):
        for prev in reversed(before):
            if _VITEST_LIST.match(prev):
                break
            m = _TEST_VITEST.match(prev)
            if m:
                test = m.group("test")
    elif TEST_GOTESTSUM.match(text):
        for prev in reversed(before):
            m = TEST_GOTESTSUM.match(prev)
            if m:
                test = m.group("test")
            elif prev.startswith("=== Failed"):
                break
    elif _TEST_GO.match(text):
        test = _first_go_leaf(test, before)
    elif _PYTEST_HEADER.match(text):
        for prev in reversed(before):
            if _PYTEST_SECTION.match(prev):
                break
            m = _PYTEST_HEADER.match(prev)
            if m:
                test = m.group("test")
    elif _TEST_JEST.match(text):
        for prev in reversed(before):
            if _JEST_SUITE.match(prev):
                break
            m = _TEST_JEST.match(prev)
            if m:
                test = m.group("test")
    return test


def _first_go_leaf(test: str, before: Sequence[str]) -> str:
    """The package's first failed test that has no failed subtest of its own (the one to read)."""
    names = [test]
    for prev in reversed(before):
        if _GO_PACKAGE_END.match(prev):
            break
        m = _TEST_GO.match(prev)
        if m:
            names.insert(0, m.group("test"))
    for name in names:
        if not any(other.startswith(name + "/") for other in names):
            return name
    return test


def first_test_after(after: Sequence[str]) -> str | None:
    """The first jest `●` title under a `FAIL file` header."""
    return _first_test_before(after, _TEST_JEST, _JEST_SUITE)


def _first_test_before(
    lines: Sequence[str], test: re.Pattern[str], end: re.Pattern[str]
) -> str | None:
    """The `test` group of the first line `test` matches, unless a line `end` matches first."""
    for line in lines:
        if end.match(line):
            return None
        m = test.match(line)
        if m:
            return m.group("test")
    return None


def failed_test_near(text: str, before: Sequence[str], after: Sequence[str]) -> str | None:
    """The first failed test named around a tally line: a jest `●` title below a `FAIL` header first,
    then the first per-test failure line of any runner above, the line itself, or below it; for a
    crash, the test that was running when the process died."""
    found = first_test_after(after)
    if found:
        return found
    return (
        named_failure([*before, text, *after])
        or crashed_test(text, before, after)
        or raced_test(text, after)
        or make_test_target(after)
    )


# Go's race detector report ("WARNING: DATA RACE", then each goroutine's frames, closed by a line of
# "="): a paste that stops inside it names no failed test (ODIM-Project/ODIM #31), so the first frame
# that is a test function names it: "github.com/acme/app/common.TestRunWriteWorkers()", a testify
# suite's "pkg.(*VersionWorkflowSuite).Test_MultipleSyncStates.func2()" (temporalio/temporal #9766).
_RACE = re.compile(r"^\s*WARNING: DATA RACE\s*$")
_RACE_FRAME = re.compile(
    r"^\s*\S*[.)](?P<test>(?:Test|Benchmark|Fuzz|Example)\w*)(?:\.func\d+(?:\.\d+)*)*\("
)
_RACE_END = re.compile(r"^\s*={10,}\s*$")


def raced_test(text: str, after: Sequence[str]) -> str | None:
    """The test function among a race report's frames, when the line opens the report."""
    if not _RACE.match(text):
        return None
    return _first_test_before(after[:80], _RACE_FRAME, _RACE_END)


# C projects that run each test as a make target: the innermost make's "make[1]: *** [Makefile:412:
# test-sheet-pivot-1] Error 1" under a sanitizer report or an aborted test binary (liquidaty/zsv #605)
# names the test when the report itself names only source lines. Targets that run a whole suite
# ("test", "check", "tests") name nothing; older make omits the "Makefile:N: " part.
_MAKE_ERROR = r"^(?:[\w-]*make)(?:\.exe)?(?:\[\d+\])?: \*\*\* "
_MAKE_TEST_TARGET = re.compile(
    _MAKE_ERROR + r"\[(?:[^\]\s:]+:\d+: )?(?P<target>(?:test|check)[-_][\w.+-]+)\] Error \d+"
)
_MAKE_FAILED = re.compile(_MAKE_ERROR)


def make_test_target(after: Sequence[str]) -> str | None:
    """The test a failed per-test make target names, from the innermost make error below."""
    for line in after[:12]:
        m = _MAKE_TEST_TARGET.match(line)
        if m:
            return m.group("target")
        if _MAKE_FAILED.match(line):
            return None
    return None


# A runner names a test before running it and its outcome after: pytest -v prints the node id, then
# "PASSED"; googletest "[ RUN      ] Suite.Name", then "[       OK ] Suite.Name"; Gradle's test logging
# "Class > method STARTED", then "PASSED". When the test process dies, the last test named with no
# outcome after it is the one that was running: "a.b.ConfTest > fake STARTED" then "Process 'Gradle
# Test Executor 28' finished with non-zero exit value 255" (oharastream/ohara #4014); a pytest node id
# alone on its line, or flushed just below the shell's crash line (bluesky/ophyd #937); "[ RUN      ]
# Transaction.All" then "Segmentation fault (core dumped)" (bl4ck5un/Town-Crier #67). Only a
# test_failure finding asks (a native crash is unknown in the catalog, process-crashed-signal).
_CRASH = re.compile(
    r"Segmentation fault|\bAborted\b|Bus error|Abort trap|Fatal Python error|Floating point exception"
    r"|Test Executor \d+' finished with non-zero exit value"
)
_PYTEST_RUNNING = re.compile(r"^(?P<test>[^\s:]+\.py::\S+)\s*$")
_RUN_LINE = re.compile(r"^\[ RUN +\] (?P<test>\S+)\s*$|^(?P<gradle>\S+ > .+?) STARTED\s*$")
_OUTCOME = re.compile(
    r"^\[ +(?:OK|FAILED|SKIPPED) +\]|\b(?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b"
)


def crashed_test(text: str, before: Sequence[str], after: Sequence[str]) -> str | None:
    """The test running when a crash line was printed: named last, with no outcome after it."""
    if not _CRASH.search(text):
        return None
    for line in after[:2]:
        m = _PYTEST_RUNNING.match(line)
        if m:
            return m.group("test")
    for prev in reversed(before[-60:]):
        m = _PYTEST_RUNNING.match(prev) or _RUN_LINE.match(prev)
        if m:
            return m.group("test") or m.group("gradle")
        if _OUTCOME.search(prev):
            return None
    return None


# A failure printed inside its test's block, under the runner's header for that test: Playwright's
# "  2) [chromium] › home.spec.ts:5:3 › home loads ────" over "    TimeoutError: page.goto: Timeout
# 30000ms exceeded." (a blank line between), Jest's "  ● app › renders title" over Puppeteer's
# "TimeoutError: Navigation timeout of 30000 ms exceeded". Only the nearest printed line above.
_BLOCK_HEADER = re.compile(
    r"^\s*\d+\) (?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?)(?:\s*(?:─+|={3,}))?\s*$"
)


def block_test_above(before: Sequence[str]) -> str | None:
    """The test whose block header (Playwright's numbered one, Jest's `●`) is the line just above
    the hit, blank lines skipped."""
    for line in reversed(before[-4:]):
        if not line.strip():
            continue
        m = _BLOCK_HEADER.match(line) or _TEST_JEST.match(line)
        return m.group("test") if m else None
    return None
