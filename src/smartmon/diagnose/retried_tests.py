"""A test its runner flagged and that then passed: a failed attempt it retried (flaky), or a test it
reported as slow (libtest's 60-second notice, nextest's SLOW) that finished; their lines are no cause."""

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
    _PLAYWRIGHT_RETRY_PASSED := re.compile(
        r"^\s*✓\s+\d+ (?P<key>(?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?)) \(retry #\d+\)"
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


# Playwright's final report prints a flaky test's failed attempt too, under its numbered header: "  1)
# [chromium] › tests/login.spec.ts:12:7 › login › shows error ───" over "    Test timeout of 30000ms
# exceeded." (on Actions also as the annotation "Error:   1) [electron] › …"; VOICEVOX/voicevox #2485),
# after the list's "✓ … › login › shows error (retry #1)" and the tally's "1 flaky". The lines of that
# block are no cause; a tally line ("1 passed", "1 error was not a part of any test") ends the block.
# A block is the retried test's only where the whole "[project] › file:line:col › title" is the same:
# the same title in another file, or the same test in another project (a browser that failed every
# attempt), is another test that failed.
_PLAYWRIGHT_HEADER = re.compile(
    r"^\s*(?:Error:\s+)?\d+\) (?P<key>(?:\[[^\]]+\] › )?\S+:\d+:\d+ › .+?)\s*(?:─{3,}|={3,})?\s*$"
)
_PLAYWRIGHT_TALLY = re.compile(
    r"^\s*(?:\w+:\s+)?\d+ (?:passed|failed|flaky|skipped|did not run|interrupted)\b"
    r"|^\s*\d+ errors? (?:was|were) not a part of any test"
)


def in_flaky_block(hit: Hit) -> bool:
    """The hit is a Playwright report block (header or its lines) of a test retried to a pass."""
    if hit.rule.type not in (IssueType.TEST_FAILURE, IssueType.TIMEOUT):
        return False
    if _PLAYWRIGHT_TALLY.match(hit.text):
        return False
    header = _PLAYWRIGHT_HEADER.match(hit.text)
    if header is None:
        for line in reversed(hit.before):
            if STEP_HEADER.match(line.strip()) or _PLAYWRIGHT_TALLY.match(line):
                return False
            if header := _PLAYWRIGHT_HEADER.match(line):
                break
    if header is None:
        return False
    passed = {m.group("key") for line in hit.before if (m := _PLAYWRIGHT_RETRY_PASSED.match(line))}
    return header.group("key") in passed and not _in_failed_block(hit, passed)


def _in_failed_block(hit: Hit, passed: set[str]) -> bool:
    """The rule's line is also in the report block of a test that failed every attempt (the engine
    keeps a rule's last line, here the flaky test's): that block's line is the cause."""
    key: str | None = None
    for line in hit.before:
        if STEP_HEADER.match(line.strip()) or _PLAYWRIGHT_TALLY.match(line):
            key = None
        elif header := _PLAYWRIGHT_HEADER.match(line):
            key = header.group("key")
        elif key is not None and key not in passed and hit.rule.match(line) is not None:
            return True
    return False


# libtest's notice "test x has been running for over 60 seconds" and nextest's "SLOW [>60.000s] crate x"
# name a test still running. It passed when its result follows: "test x ... ok" (several threads), a
# bare "ok" right after "test x ... test x has been running …" (one thread prints the name first),
# nextest's "PASS [  75.123s] crate x", or the run's clean tally ("test result: ok.", nextest's
# "Summary [  75.124s] 12 tests run: 12 passed (1 slow), 0 skipped").
_SLOW_NOTICE = re.compile(r"has been running for over \d+ seconds\s*$|^\s*SLOW \[>")
_CLEAN_TALLY = re.compile(
    r"^test result: ok\.|^\s*Summary \[\s*[\d.]+s\] \d+ tests? run: \d+ passed"
    r"(?: \(\d+ slow\))?(?:, \d+ skipped)?\s*$"
)


def finished_after_slow(hit: Hit) -> bool:
    """The test a slow notice names went on to pass: slow, not hung."""
    test = hit.data.get("test")
    if not test or hit.rule.type is not IssueType.TIMEOUT or not _SLOW_NOTICE.search(hit.text):
        return False
    name = re.escape(test)
    passed = re.compile(
        rf"^test {name} \.\.\. ok\s*$|^\s*PASS \[\s*[\d.]+s\] (?:\(\s*\d+/\d+\) )?(?:\S+ )?{name}\s*$"
    )
    for i, line in enumerate(hit.after):
        if line.startswith(("##[error]", "Error: ")) or STEP_HEADER.match(line):
            return False
        if passed.match(line) or _CLEAN_TALLY.match(line):
            return True
        if i == 0 and line.strip() == "ok" and " ... test " in hit.text:
            return True
    return False


def panic_expected(hit: Hit) -> bool:
    """A libtest test's thread panicked and the test then passed: a #[should_panic] test run with
    --nocapture prints its panic, then "test tests::rejects_empty - should panic ... ok" (the Rust
    book's chapter on tests)."""
    test = hit.data.get("test")
    if not test or not hit.text.startswith("thread '"):
        return False
    passed = re.compile(r"^test " + re.escape(test) + r"(?: - should panic)? \.\.\. ok\s*$")
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")):
            return False
        if passed.match(line):
            return True
    return False
