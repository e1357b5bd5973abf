"""A summary that says its run passed is a failure only where the step's exit line comes next.

`swift test` runs the XCTest tests first and Swift Testing's after them (migueldeicaza/SwiftGodot PR
#598; swiftlang/swift-package-manager #8529), and Swift Testing's closing summary "✔ Test run with 500
tests in 39 suites passed after 11.687 seconds." counts only its own @Test functions (swift-testing's
Event.HumanReadableOutputRecorder): an XCTest failure above it still fails the command, which then
exits 1 under the passing summary. Where the runner's "Process completed with exit code N." is the
very next line, nothing after the summary failed, so the tests did; anything printed between them is
another command's. Where the step shows XCTest's own summary passing above it ("Test Suite 'All
tests' passed at …", "Executed 20 tests, with 0 failures"), both runs passed and what exited 1 is
another command's with no output (`swift test && swift build …`), not the tests.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

_EXIT_LINE = re.compile(r"^(?:##\[error\]|Error: )Process completed with exit code [1-9]\d*\.?\s*$")
_XCTEST_PASSED = re.compile(
    r"Test Suite 'All tests' passed\b|\bExecuted \d+ tests?, with 0 failures\b"
)


def _xctest_passed_above(before: tuple[str, ...]) -> bool:
    """XCTest's summary passed above the hit in its step."""
    for line in reversed(before):
        if STEP_HEADER.match(line.strip()):
            return False
        if _XCTEST_PASSED.search(line):
            return True
    return False


def exit_not_next(hit: Hit) -> bool:
    """A rule with `checks: [runner-exit-next]` whose next printed line is not the runner's exit
    line for a failed step, or whose step shows XCTest's summary passing above it."""
    if "runner-exit-next" not in hit.rule.checks:
        return False
    following = next((line.strip() for line in hit.after if line.strip()), "")
    return not _EXIT_LINE.match(following) or _xctest_passed_above(hit.before)
