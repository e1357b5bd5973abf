"""Failed tests a runner names in a block of lines rather than on one line.

A header then the first item of a list (Gradle's test-logger, Surefire 2.x, Minitest, sbt, xcodebuild),
a title with its failure below it (RSpec, Jasmine, ExUnit, AVA), a test case whose results below
include a failure (Catch2, doctest), bats' `✗` with its file below. `failed_tests.py` reads the
one-line forms and asks `listed_failure` at each line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A list of failed tests under a header, the first item on the next line: Gradle's test-logger and
# OpenSearch-style builds print "Tests with failures:" then " - org.acme.CalcTest.testAdd"
# (opensearch-project/security #4800); sbt ends a ScalaTest run with "[error] Failed tests:" then
# "[error] \tcom.acme.CalcSpec", the suite (akka/akka-core #31332, d2iq-archive/usi PR #139).
#
# Surefire 2.13 to 2.x under Maven 3.0 prints its one-line summary without "[ERROR]": "Failed tests: "
# / "Tests in error: " then "  Test1.assertion1:59 Bending maths expected:<[123]> …" (Surefire's "new
# error summary" page). Minitest heads a failure "  1) Failure:" and an error "  2) Error:" (Rails'
# reporter: "Failure:" / "Error:"), the test on the next line; an error has no "[file:line]" after it
# ("minitest-rg#test_0003_error:", minitest/minitest-rg #12; "ArticleTest#test_should_report_error:",
# the Rails testing guide).
_FAILURE_LISTS = (
    (
        re.compile(r"^\s*Tests with failures:\s*$"),
        re.compile(r"^\s*- (?P<test>[\w.$]+(?: \{.*\})?)\s*$"),
    ),
    (
        re.compile(r"^(?:Failed tests|Tests in error):\s*$"),
        re.compile(
            r"^\s{2,}(?P<test>(?:[\w$]+>)?[\w$]+(?:\.[\w$]+)+|[\w$]+\([\w.$]+\))(?::\d+(?:->\S+)?)?(?:[: ].*)?$"
        ),
    ),
    (
        re.compile(r"^\s*(?:\d+\) )?(?:Failure|Error):\s*$"),
        re.compile(r"^(?P<test>[A-Za-z][^#\[\]]*#\S[^\[\]]*?)(?: \[[^\]]+:\d+\])?:\s*$"),
    ),
    (
        re.compile(r"^(?:\[[\d: .-]+\] )?\[error\] Failed tests:\s*$"),
        re.compile(r"^(?:\[[\d: .-]+\] )?\[error\]\s+(?P<test>[\w.$]+)\s*$"),
    ),
    # Playwright's closing summary: "  1 failed" then "    [chromium] › tests/login.spec.ts:15:5 ›
    # Login › shows error" (no "[project] › " without named projects; a paste of the run's tail
    # often holds only this list; Significant-Gravitas/AutoGPT #11789).
    (
        re.compile(r"^\s*\d+ failed\s*$"),
        re.compile(r"^\s+(?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?)(?:\s*─+)?\s*$"),
    ),
    # behave: "Failing scenarios:" then "  features/login.feature:12  Bad password shows an error".
    (
        re.compile(r"^Failing scenarios:\s*$"),
        re.compile(r"^\s+\S+\.feature:\d+\s+(?P<test>\S.*?)\s*$"),
    ),
    # xcodebuild test ends with "** TEST FAILED **" and "Failing tests:" then one tab-indented test a
    # line: "\t-[AppTests.LoginTests testInvalidPassword]" (Xcode 12 and older, the name as its "Test
    # Case '-[…]' failed" line gives it) or "\tLoginTests.testInvalidPassword()" (Xcode 13 and later,
    # also for Swift Testing); "\t1 test crashed" names none.
    (
        re.compile(r"^\s*Failing tests:\s*$"),
        re.compile(r"^\s+-?\[?(?P<test>[\w.]+(?: \w+(?=\])|\(\)))\]?\s*$"),
    ),
    # Lua's busted: "Failure → spec/parser_spec.lua @ 8" ("->" in its plain handler, "Error" for an
    # error), the test's full name (its describe blocks and it, space-joined) on the next line.
    (
        re.compile(r"^\s*(?:Failure|Error) (?:→|->) \S+\.(?:lua|moon) @ \d+\s*$"),
        re.compile(r"^\s*(?P<test>\S.*?)\s*$"),
    ),
)
# bats' pretty formatter marks a failed test "✗ incorrect arguments" and names its file on the lines
# below: "(in test file test/cli.bats, line 25)", or "(from function `assert_output' in file …," then
# "in test file test/cli.bats, line 25)" (exercism/bash PR #445).
_BATS_FAILED = re.compile(r"^\s*✗ (?P<test>\S.*?)\s*$")
_BATS_WHERE = re.compile(r"^\s*\(?(?:in test file|from function) ")


# Catch2's console reporter heads each test case that reports something with its name between two
# rules of 79 dashes (a long name wraps, indented), then the file, a rule of dots, and each result:
# "tests/vector_test.cpp:18: FAILED:" (MSVC: "vector_test.cpp(18): FAILED:"); -s prints "PASSED:"
# blocks the same way (catchorg/Catch2, tests/SelfTest/Baselines/console.sw.approved.txt).
_CATCH2_RULE = re.compile(r"^-{79}\s*$")
_CATCH2_FAILED = re.compile(r"^\S.*(?::\d+|\(\d+\)): FAILED:\s*$")


def _catch2_failure(lines: Sequence[str], i: int) -> str | None:
    """The test case whose Catch2 header opens at `lines[i]`, if one of its results failed."""
    if not _CATCH2_RULE.match(lines[i]):
        return None
    name: list[str] = []
    for j in range(i + 1, min(i + 5, len(lines))):
        if _CATCH2_RULE.match(lines[j]):
            break
        name.append(lines[j].strip())
    else:
        return None
    if not name:
        return None
    for text in lines[j + 1 : j + 60]:
        if _CATCH2_RULE.match(text):
            return None
        if _CATCH2_FAILED.match(text):
            return " ".join(name)
    return None


# RSpec's "Failures:" block: "  1) User validates email" then "     Failure/Error: expect(…)" ("Got 2
# failures and 1 other error:"); a pending example shows its reason first ("     # Not yet
# implemented"). Jasmine: "1) PrinterHandler: When a message is received, …" then "  Message:".
_RSPEC_TITLE = re.compile(r"^\s*\d+\) (?P<test>\S.*?)\s*$")
_RSPEC_FAILURE = re.compile(
    r"^\s+(?:Failure/Error:|Got \d+ failures? and \d+ other errors?:|Message:\s*$)"
)
# Hspec (2.4+) puts the example's place on the line above its numbered title: "  test/LibSpec.hs:12:5: "
# then "  1) Lib.add adds numbers" and the expectation ("expected: 3" / "but got: 4"), under
# "Failures:"; a "To rerun use: --match" hint closes each.
_HSPEC_PLACE = re.compile(r"^\s*\S+\.l?hs:\d+:\d+:\s*$")
# doctest (C++) heads a failing case "TEST CASE:  REPL evaluates simple expressions", its failed
# checks below: "tests/repl_test.cpp:76: ERROR: CHECK( … ) is NOT correct!" (doctest's console
# reporter; -s prints "SUCCESS:" rows under passing cases too).
_DOCTEST_CASE = re.compile(r"^\s*TEST CASE:\s+(?P<test>\S.*?)\s*$")
_DOCTEST_ERROR = re.compile(r"(?::\d+|\(\d+\)): (?:FATAL )?ERROR: ")
_EXUNIT_TITLE = re.compile(r"^\s*\d+\) (?P<test>(?:test|doctest|property) .+?)\s*$")
_EXUNIT_MODULE = re.compile(r"^\s+\([\w.]+\)\s*$")
# AVA: "✘ [fail]: <title> <message>"; the title alone heads the failure's details below "─".
_AVA_FAIL = re.compile(r"^\s*✘ \[fail\]: (?P<rest>\S.*?)\s*$")


def listed_failure(lines: Sequence[str], i: int) -> str | None:
    """The first test of a list of failures whose header is `lines[i]`, a bats `✗` test, an RSpec,
    Hspec, Jasmine or AVA failure, or a Catch2 or doctest test case."""
    text = lines[i]
    catch2 = _catch2_failure(lines, i)
    if catch2:
        return catch2
    rspec = _RSPEC_TITLE.match(text)
    if rspec and i + 1 < len(lines) and _RSPEC_FAILURE.match(lines[i + 1]):
        return rspec.group("test")
    if rspec and i > 0 and _HSPEC_PLACE.match(lines[i - 1]):
        return rspec.group("test")
    ava = _AVA_FAIL.match(text)
    if ava:
        rest, below = ava.group("rest"), (line.strip() for line in lines[i + 1 : i + 40])
        return next((t for t in below if t and (rest == t or rest.startswith(t + " "))), None)
    exunit = _EXUNIT_TITLE.match(text)  # a long title puts "(Module)" on the line below
    if exunit and i + 1 < len(lines) and _EXUNIT_MODULE.match(lines[i + 1]):
        return exunit.group("test")
    case = _DOCTEST_CASE.match(text)
    if case and any(_DOCTEST_ERROR.search(line) for line in lines[i + 1 : i + 6]):
        return case.group("test")
    for header, item in _FAILURE_LISTS:
        if header.match(text) and i + 1 < len(lines):
            m = item.match(lines[i + 1])
            if m:
                return m.group("test")
    bats = _BATS_FAILED.match(text)
    if bats and any(_BATS_WHERE.match(line) for line in lines[i + 1 : i + 3]):
        return bats.group("test")
    return None
