"""An error line a passing test printed on purpose: the runner's pass marks follow it, no failure.

Tests of error handling log the error they provoke: mocha prints `console.error(err)` unindented
between "✓" rows ("Error: User not found" / "    at UserService.get (src/users.js:14:11)" /
"    ✓ logs the error and rethrows"), libtest under `--nocapture` prints a test's stderr before its
"test x ... ok" row and "test result: ok." (unittest's "test_x (pkg.T) ... ok" alike), `go test
-v` a test's log before "--- PASS: TestX", pytest `-s` before "PASSED". In a paste those lines
read like the failure. The row that follows says the test passed; a failing row before it, a
failing tally after a pass tally, or the runner's failure line with no other test failing says
otherwise.
setup-go's problem matcher turns a test's `t.Log` rows ("    db_test.go:14: db: postgres://…") into
error annotations, which the 2020 run page showed as "##[error]    db_test.go:14: …" between "---
PASS" rows (sqlc-dev/sqlc #359): those are a test's output too, not the runner's failure line.
Formats: mocha's spec reporter ("✓ name", "N passing (5ms)", "N failing", "1) suite" — mochajs/mocha
PR #1095, sindresorhus/gulp-mocha PR #188), libtest ("test tests::x ... ok", "test result: ok. 3
passed; 0 failed"), go test ("--- PASS: TestAuthors (0.03s)", "ok  \tpkg\t0.044s" — sqlc-dev/sqlc
#359), pytest ("tests/x.py::test_y PASSED", "= 5 passed in 0.32s ="), Jest ("Tests: 9 passed, 9
total"; under "Test Suites: 2 failed, 57 passed" a suite failed to run and its tests never ran),
RSpec ("120 examples, 0 failures"), PHPUnit ("OK (12 tests, 30 assertions)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.jobstate import Hit, JobState
from smartmon.diagnose.logs import STEP_HEADER, tail_lines
from smartmon.model import IssueType

# A test's own pass row: mocha/Jest "✓ name", libtest and unittest "… ... ok", nextest "PASS [0.004s]",
# go "--- PASS: TestX", pytest "path::test PASSED". Mocha, Jest, Vitest, AVA and Playwright indent
# their check marks; one at the line's start is a runner's only with its duration or tally (node
# --test "✔ name (3.1ms)", bun "✓ name [0.05ms]", gotestsum "✓  pkg (cached)" and "✓  pkg (1.03s)
# (coverage: 85.7% of statements)", Swift Testing "✔ Test x() passed after 0.002 seconds.", a
# paste's "✓ src/a.test.ts (3 tests) 5ms" or Vitest's "(5 tests | 1 skipped) 12ms", Playwright's
# minutes "(1.1m)"): a bare one is a script's or a tool's status line ("✓ Keystore decoded
# successfully", Vite's "✓ 113 modules transformed.", setup-php's "✓ PHP Installed PHP 8.3.33"),
# which says nothing of an error above it.
_PASS_ROW = re.compile(
    r"^(?:\s+[✓✔√]\s+\S"
    r"|[✓✔√]\s+\S.*(?:[(\[](?:[\d.]+ ?(?:m?s|[mh])(?: [\d.]+ ?ms)?|cached)[)\]]"
    r"(?: \(coverage: [^()]*\))?\s*$|\(\d+ tests?(?: \| \d+ (?:skipped|todo))*\)"
    r"| passed after [\d.]+ seconds?)"
    r"|\s*(?:\S.* \.\.\. ok\s*$|PASS \[\s*[\d.]+s\] \S|--- PASS: \S|\S+::\S+ PASSED\b))"
)
# A tally of a whole run or package: it says that printed line passed only if nothing fails after it
# (go's "ok  pkg" is another package's when a compile error of this one is reported later; karma-
# mocha-reporter's "SUMMARY:" tally "✔ 25 tests completed" has "✖ 2 tests failed" under it when any
# failed, so it is a tally and no test's own row).
_PASS_TALLY = re.compile(
    r"^\s*(?:test result: ok\.|Passed!\s+- Failed:\s+0,|ok\s+\S+\s+(?:[\d.]+s|\(cached\))"
    r"|=+ (?:\d+ (?:passed|skipped|deselected|warnings?)(?:, |\s))+in [\d.]+s"
    r"|\d+ passing \(\d|Tests:\s+\d+ passed, \d+ total|\d+ examples?, 0 failures|OK \(\d+ tests?, "
    r"|[✓✔] \d+ tests? completed\s*$)"
)
_FAIL_ROW = re.compile(
    r"^\s*(?:[✕✗✘×✖]\s|\d+\) \S|\S.* \.\.\. (?:FAILED|FAIL|ERROR)\s*$|test result: FAILED"
    r"|--- FAIL: |FAIL(?:ED)?\b|Failed!\s+- "
    r"|\S+::\S+ (?:FAILED|ERROR)\b|=+ .*\b\d+ (?:failed|errors?)\b|\d+ failing\b"
    r"|Tests:\s+\d+ failed|Test Suites:\s+[1-9]\d* failed"
    r"|\d+ examples?, [1-9]\d* failures?|FAILURES!|ERRORS!"
    # tox's and nox's own lines for an environment or session that failed before a later one passed.
    r"|[\w.-]+: (?:FAIL code [1-9]|exit [1-9]\d* \()"
    r"|nox > (?:Session \S+ failed|Command .+ failed with exit code))"
)
# The run itself failing (an unhandled rejection after the last test, a crash): the line is its cause.
_RUNNER_FAIL = re.compile(
    r"^(?:##\[error\](?!\s+\w+_test\.go:\d+: )|Error: Process completed with exit code|npm ERR! "
    r"|npm error )"
)
# The head of another file's or binary's results (Jest's " PASS  src/b.test.js", cargo's "Running
# unittests …"): rows under it are that file's, and Jest prints a failed suite's error above it.
_NEXT_FILE = re.compile(
    r"^\s*(?:(?:PASS|FAIL)\s+\S+\.[cm]?[jt]sx?\b|Running (?:unittests |tests/))"
)
# unittest's tally: "Ran 8 tests in 0.052s", a blank line, then "OK" or "OK (skipped=2)" (CPython's
# TextTestRunner.run). A bare "OK" is a pass only right under that "Ran" line; a script run after pip
# failed to open requirements.txt can still end green on it (onichandame/python-test-action #2).
_UNITTEST_RAN = re.compile(r"^Ran \d+ tests? in [\d.]+s\s*$")
_UNITTEST_OK = re.compile(r"^OK(?: \((?:[a-z ]+=\d+(?:, )?)+\))?\s*$")
# As far below an error line as a hit's own `after` reaches (jobstate.Hit).
_AFTER = 20
_PYTEST_E = re.compile(r"^E {3}")


def _then_passed(after: Sequence[str]) -> bool:
    """The first test result under an error line is a pass, and nothing but a later test's failure
    failed the run (a run that fails with all its tests passed may fail on that very line)."""
    first = ""  # "row" (a test's own pass row) or "tally" (a run's or a package's)
    later_failed = ran = False
    for line in after:
        if STEP_HEADER.match(line):
            break
        if _RUNNER_FAIL.match(line):
            return first == "row" and later_failed
        if not first and _NEXT_FILE.match(line):
            return False
        failed_row = bool(_FAIL_ROW.search(line))
        if failed_row and first != "row":
            return False
        later_failed = later_failed or failed_row
        if not first:
            tally = _PASS_TALLY.search(line) or (ran and _UNITTEST_OK.match(line))
            first = "row" if _PASS_ROW.search(line) else "tally" if tally else ""
        ran = bool(_UNITTEST_RAN.match(line)) if line.strip() else ran
    return bool(first)


def _failing(line: str) -> bool:
    return bool(_FAIL_ROW.search(line) or _RUNNER_FAIL.match(line))


def printed_by_passing_test(hit: Hit) -> bool:
    """An error line (not a test's own failure row) that a test printed and then passed."""
    if hit.rule.type is IssueType.TEST_FAILURE or _failing(hit.text) or _PYTEST_E.match(hit.text):
        return False
    return _then_passed(hit.after)


def marker_printed_by_passing_test(state: JobState) -> bool:
    """A paste's failure lines are `Error: ` lines passing tests printed (mocha's unindented
    `console.error(err)` of "Error: connect ECONNREFUSED 127.0.0.1:6379", which no rule takes
    because wait-on loops print it too): the web page's `Error: ` is the runner's `##[error]`."""
    if state.downloaded or state.structured:
        return False
    lines = tail_lines(state.tail)
    markers = [i for i, line in enumerate(lines) if line.startswith("Error: ")]
    return bool(markers) and all(
        not _failing(lines[i]) and _then_passed(lines[i + 1 : i + 1 + _AFTER]) for i in markers
    )
