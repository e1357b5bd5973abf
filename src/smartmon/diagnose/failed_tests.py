"""Failed tests as their runner names them: the first `FAILED` node id of pytest's short summary, the
first `●` title of a jest suite and the first `FAIL file > test` of vitest's "Failed Tests" list (a
rule keeps its last match; the first failure is read first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TEST_PYTEST = re.compile(r"^(?:FAILED|ERROR) (?:\[[^\]]*\] )?(?P<test>[^\s:]+\.py::\S+)")
_TEST_JEST = re.compile(r"^\s*● (?!Test suite failed to run)(?P<test>\S.*?)\s*$")
_JEST_SUITE = re.compile(r"^\s*(?:FAIL|PASS)\s+\S")
_TEST_VITEST = re.compile(r"^\s*FAIL\s+(?:\|[^|\s]+\|\s+)?\S+\.[cm]?[jt]sx? > (?P<test>\S.*?)\s*$")
# Vitest's list header: "⎯⎯⎯⎯ Failed Tests 3 ⎯⎯⎯⎯" (and "Failed Suites" before it).
_VITEST_LIST = re.compile(r"^\s*⎯+ Failed (?:Tests|Suites) \d+ ⎯+")


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
    elif _TEST_VITEST.match(text):
        for prev in reversed(before):
            if _VITEST_LIST.match(prev):
                break
            m = _TEST_VITEST.match(prev)
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


def first_test_after(after: Sequence[str]) -> str | None:
    """The first jest `●` title under a `FAIL file` header."""
    for text in after:
        if _JEST_SUITE.match(text):
            return None
        m = _TEST_JEST.match(text)
        if m:
            return m.group("test")
    return None
