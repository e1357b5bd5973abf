"""A wrapper's last word under the line that says why its child failed: the child's line wins.

turbo's panic hook ("Oops! Turbo has crashed.", uncaught-crash-main) says nothing of the build when
turbo already reported a failed task above it in its step: " ERROR  run failed: command  exited (1)"
(its run summary) or a task's "web:build: ERROR: command finished with error: command (…) … exited
(1)". turbo then crashed on the way out; the task's failure, and the lines that say why, win
(`checks: [turbo-run-failed-above]`, rev55 t2).

patrol_cli's "Flutter process exited unexpectedly with code 64" (patrol-web-child-exited) under the
child's own "Error: Could not find an option named \"--web-port\"." says less than that line, which
the catch-all reads (`checks: [child-error-above]`, rev55 p5).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_above
from smartmon.diagnose.logs import STAMP_PREFIX

_TURBO_CRASH = re.compile(r"^\s*Oops! Turbo has crashed\.")
_TURBO_FAILED = re.compile(
    r"(?:^|\s)ERROR\s+run failed:|(?:^|[\s:])ERROR: command finished with error\b"
)
# A child's own error line, as the catch-all (generic-error) reads it; not the runner's exit line.
_CHILD_ERROR = re.compile(
    "^(?:"
    + STAMP_PREFIX
    + r")?(?:##\[error\]|(?:│ )?Error: )(?!Process completed with exit code)\S"
)


def turbo_failed_above(hit: Hit) -> bool:
    """A rule with `checks: [turbo-run-failed-above]` whose hit is turbo's crash under turbo's own
    failed run or task line in the same step."""
    if "turbo-run-failed-above" not in hit.rule.checks or not _TURBO_CRASH.match(hit.text):
        return False
    return any(_TURBO_FAILED.search(line) for line in step_above(hit))


def child_error_above(hit: Hit) -> bool:
    """A rule with `checks: [child-error-above]` under an "Error: …" line of its step."""
    if "child-error-above" not in hit.rule.checks:
        return False
    return any(_CHILD_ERROR.match(line) for line in step_above(hit))
