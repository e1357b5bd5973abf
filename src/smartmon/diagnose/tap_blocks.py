"""A shell's error among TAP comments ("# ./build.sh: line 114: cd: …: No such file or directory") is
a failing test's output only under that test's "not ok N" line: bats' --show-output-of-passing-tests
and prove -v print a passing test's output under its "ok N" too (`checks: [failing-test-block-above]`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_above
from smartmon.diagnose.logs import STEP_HEADER

# TAP's result lines: "not ok 2 version output matches", "ok 1 - script reports missing dir" (prove's
# subtests indent them).
_TAP_RESULT = re.compile(r"^\s*(?P<not>not )?ok \d+\b")


def not_under_failing_test(hit: Hit) -> bool:
    """A rule with `checks: [failing-test-block-above]` under an "ok N" in its step with no "not ok
    N" between: a passing test printed it. With no TAP result above it in its step (a paste that
    starts at the failing test's output, as bats prints it) the hit stands."""
    if "failing-test-block-above" not in hit.rule.checks:
        return False
    for line in reversed(hit.before):
        if STEP_HEADER.match(line.strip()):
            return False
        m = _TAP_RESULT.match(line)
        if m:
            return m.group("not") is None
    return False


# busted's TAP handler crashing on an error element with no line (busted-tap-handler-crashed) hides
# what it was reporting; a named test's "not ok 3 - math adds numbers", or a "# Failure message:" row,
# above it in its step is a real test failure that the test rules report.
_NAMED_NOT_OK = re.compile(r"^\s*not ok \d+ - \S")
_FAILURE_MESSAGE = re.compile(r"^\s*# Failure message:")


def named_tap_failure_above(hit: Hit) -> bool:
    """A rule with `checks: [no-named-tap-failure-above]` under a named test's `not ok N - name` or
    a `# Failure message:` row in its step."""
    if "no-named-tap-failure-above" not in hit.rule.checks:
        return False
    return any(
        _NAMED_NOT_OK.match(line) or _FAILURE_MESSAGE.match(line) for line in step_above(hit)
    )
