"""An error a JavaScript action caught, logged with its stack, and went on past.

Actions built on @actions/toolkit that treat a failure as optional log the whole error object with
`core.error` and carry on: Swatinem/rust-cache's restore, run where no Cargo.toml is, prints "Error:
The process '/home/runner/.cargo/bin/cargo' failed with exit code 101" then its stack ("    at
ExecState._setResult (/home/runner/work/_actions/Swatinem/rust-cache/v2/dist/restore/index.js:7784:25)")
and a `commandFailed: {…}` dump, and the job goes on into its next step (actions-rust-lang/
setup-rust-toolchain PR #29). An action that fails its step prints the message alone (`setFailed`),
and a failed step is followed only by cleanup steps. So an error line whose next line is a frame inside
an action's own code, followed by an ordinary step before any other error line, did not end its step.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.diagnose.retries import AFTER_FAILURE_STEP

_ACTION_FRAME = re.compile(
    r"^\s*at (?:.+ \()?(?:[A-Za-z]:)?\S*[/\\]_actions[/\\][\w.-]+[/\\][\w.-]+[/\\]"
)
_ERROR_LINE = re.compile(r"^(?:##\[error\]|Error: )|Process completed with exit code")


def logged_with_stack(hit: Hit) -> bool:
    """The hit is an action's caught error, its stack logged, and an ordinary step ran after it."""
    if not hit.text.startswith(("Error: ", "##[error]")) or not hit.after:
        return False
    if not _ACTION_FRAME.match(hit.after[0]):
        return False
    for line in hit.after[1:]:
        if _ERROR_LINE.search(line):
            return False
        if STEP_HEADER.match(line):
            return not AFTER_FAILURE_STEP.search(line)
    return False
