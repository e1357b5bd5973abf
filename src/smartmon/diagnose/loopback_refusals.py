"""A database or cache on this machine that refused a client (`connect ECONNREFUSED 127.0.0.1:5432`)
is the cause only where that refusal ended the step: the last error before the step's exit, with
only its stack and error object below it. A client that then connected (a wait loop, a retry), a
later error of its own, Jest's console block of a test that passed, or Jest's "Attempted to log"
after the run leave it to the lines that failed the step (`checks: [refusal-ends-step]`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

# What Node prints under the error it threw: the stack ("    at TCPConnectWrap.afterConnect …"),
# the error object's fields ("{", "  errno: -111,", "  code: 'ECONNREFUSED',", "}"), its causes and
# aggregate members ("  [errors]: [", "  ]"), the version it ran ("Node.js v20.11.1"); then the
# package manager's trailer for the script that exited ("npm ERR! code 1", "npm error command
# failed", "error Command failed with exit code 1.", "info Visit https://yarnpkg.com/…",
# " ELIFECYCLE  Command failed with exit code 1.").
_BELOW_ERROR = re.compile(
    r"^(?:\s*$|\s*at \S|\s*[{}\[\]()]+[,;.]?\s*$|\s+\[?[\w$]+\]?: \S|\s*\.\.\. \d+ more"
    r"|Node\.js v\d|npm (?:ERR!|error)(?:\s|$)|error Command failed with exit code \d"
    r"|info Visit https://yarnpkg\.com/|\s*ELIFECYCLE\b)"
)
# The step's end: the runner's failure line (a copy of the run page shows `##[error]` as `Error: `,
# and the runner's own exit line there) or the next step's header.
_STEP_FAILED = re.compile(r"^(?:##\[error\]|Error: Process completed with exit code \d+)")
# Jest's console output of a test file: "  ● Console", then "    console.error" over each logged
# message, indented under it; and its log after the run was torn down: 'Attempted to log "Error: …'.
_JEST_CONSOLE = re.compile(r"^\s*(?:● Console|console\.(?:log|error|warn|info|debug|trace))\s*$")
_ATTEMPTED_TO_LOG = re.compile(r'\bAttempted to log "')


def _in_jest_console(hit: Hit) -> bool:
    """The hit is a message Jest's console block shows: an indented line under `console.error`."""
    if not hit.text[:1].isspace():
        return False
    for line in reversed(hit.before):
        if _JEST_CONSOLE.match(line):
            return True
        if line.strip() and not line[:1].isspace():
            return False
    return False


def refusal_not_last(hit: Hit) -> bool:
    """A rule with `checks: [refusal-ends-step]` whose refusal did not end its step: a line below it
    in the step that is no part of its error (the client connected, the service is up, another
    error), or a line Jest's console block or its "Attempted to log" shows."""
    if "refusal-ends-step" not in hit.rule.checks:
        return False
    if _ATTEMPTED_TO_LOG.search(hit.text) or _in_jest_console(hit):
        return True
    for line in hit.after:
        if _STEP_FAILED.match(line):
            return False
        if STEP_HEADER.match(line.strip()) or not _BELOW_ERROR.match(line):
            return True
    return False
