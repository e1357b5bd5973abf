"""A warning-level failure block that a build tool prints and then goes past.

Ivy prints its `::  FAILED DOWNLOADS  ::` block at warning level. When a required artifact failed
the resolve fails and the build stops there (the sbt launcher's "Error retrieving required
libraries", Ant's BUILD FAILED), but sbt's `updateClassifiers` accepts missing source and javadoc
jars (UpdateConfiguration's missingOk, sbt/sbt #5374, #1782) and goes on to `[success] Total
time:`. So the block is a failure only where no success line or next step follows it before an
error line; a paste that ends on the block keeps it (the failure the reader has in hand).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

CHECK = "fails-unless-went-on"
# sbt's and Ant's/Maven's own success lines.
_WENT_ON = re.compile(r"^\[success\] Total time:|(?:^|[\s\]])BUILD SUCCESS(?:FUL)?\b")
# An error line after the block: the runner's, sbt's and Ant's.
_ERROR_AFTER = re.compile(
    r"^(?:##\[error\]|Error: |\[error\] )|Error during sbt execution|BUILD FAILED"
)


def build_went_on(hit: Hit) -> bool:
    """A rule with `checks: [fails-unless-went-on]` whose step went on: a success line or the
    next step's header follows the hit before any error line."""
    if CHECK not in hit.rule.checks:
        return False
    for line in hit.after:
        if _ERROR_AFTER.search(line):
            return False
        if STEP_HEADER.match(line) or _WENT_ON.search(line):
            return True
    return False
