"""A JavaScript error that ended its process: the error's line, then V8's stack frames below it.

Node prints an uncaught error as its own line at the margin ("TypeError: Cannot read properties of
undefined (reading 'split')", "WebExtError: The extension could not be signed") with the frames
under it, each "    at fn (file:line:col)" (V8's Error.stack format), sometimes the error's own
properties in braces, then exits 1: npm or yarn relay the exit ("npm ERR! code ELIFECYCLE", "error
Command failed with exit code 1."), Node 18+ prints its version ("Node.js v18.17.0"), the runner its
failure line. Python's tracebacks put their frames above the line instead, so the check that clears a
logged Python exception (`benign.exception_went_on`) finds none and clears a Node crash too. A
program that logs an error and goes on prints something else at the margin after the frames.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit

# V8's frame line: "    at fn (/path/x.js:1:2)", "    at /path/x.js:1:2", "    at async Program.execute
# (file:///…)", "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)".
_FRAME = re.compile(r"^\s+at (?:async )?\S")
# What ends a crash's output: a relaying wrapper's failure line, Node's version, the runner's line.
_CRASH_END = re.compile(
    r"^(?:Node\.js v\d+|npm (?:ERR!|error) |error Command failed|\s*ELIFECYCLE|##\[error\]"
    r"|Error: Process completed with exit code|make(?:\[\d+\])?: \*\*\*|\s*\[?ERR_PNPM_)"
)


def node_crash(hit: Hit) -> bool:
    """The hit's line is followed by V8 stack frames, and nothing after them says the program went
    on: a paste that ends there, or a wrapper's or the runner's failure line."""
    after = hit.after
    if not after or not _FRAME.match(after[0]):
        return False
    for line in after[1:]:
        if not line.strip() or line.startswith((" ", "\t", "}")):
            continue  # more frames, the error's properties ("  code: 'ENOENT'"), their brace
        return _CRASH_END.match(line) is not None
    return True
