"""A failed test that its runner retried and that then passed: the attempt's lines are no cause."""

from __future__ import annotations

import re
from collections.abc import Iterable

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.model import IssueType

# cargo-nextest with retries prints the failed attempt "TRY 1 FAIL [   3.004s] crate tests::x" and its
# output (a libtest panic, "thread 'tests::x' panicked at …"), then "TRY 2 PASS [   1.652s] crate
# tests::x" and, under "Summary", "FLAKY 2/2 [   1.652s] crate tests::x"; its default flaky-result is
# pass (nexte.st "Retries and flaky tests"; newer versions count "(12/612)" before the binary id).
# Playwright's list reporter marks the retry that passed: "  ✓  3 [chromium] › tests/login.spec.ts:12:7
# › login › shows error (retry #1) (1.9s)" after the first try's "  ✘  2 … › login › shows error (5.1s)".
_PASSED_ON_RETRY = (
    re.compile(
        r"^\s*(?:TRY [2-9]\d* PASS|FLAKY \d+/\d+) \[\s*[\d.]+s\] (?:\(\d+/\d+\) )?(?:\S+ )?"
        r"(?P<test>[\w:]+)\s*$"
    ),
    re.compile(
        r"^\s*✓\s+\d+ (?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?) \(retry #\d+\)"
        r"(?: \([\d.]+m?s\))?\s*$"
    ),
)


def retried_passes(lines: Iterable[str]) -> set[str]:
    """The tests that `lines` show passing on a retry of their runner (flaky, not failed)."""
    return {m.group("test") for line in lines for p in _PASSED_ON_RETRY if (m := p.match(line))}


def passed_on_retry(hit: Hit) -> bool:
    """The test the hit names was retried by its runner and passed before any failure marker."""
    test = hit.data.get("test")
    if not test or hit.rule.type is not IssueType.TEST_FAILURE:
        return False
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")) or STEP_HEADER.match(line):
            return False
        if test in retried_passes((line,)):
            return True
    return False
