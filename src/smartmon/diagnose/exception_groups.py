"""Python's report of an uncaught exception group, written as plain tracebacks.

Since Python 3.11 (PEP 654) an uncaught `ExceptionGroup` (asyncio's TaskGroup, anyio, trio,
`except*`) is printed as nested tracebacks drawn with bars, each sub-exception in its own box:

      + Exception Group Traceback (most recent call last):
      |   File "/home/runner/work/app/app/sync.py", line 8, in <module>
      | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)
      +-+---------------- 1 ----------------
        | Traceback (most recent call last):
        |   File "/home/runner/work/app/app/sync.py", line 3, in fetch
        | RuntimeError: upstream returned 500
        +---------------- 2 ----------------
        | KeyError: 'API_TOKEN'
        +------------------------------------

(CPython's traceback.py, `TracebackException.format`: `_ctx.emit` indents each level and puts
"| " before its lines, "+-+---…" and "+----…" between sub-exceptions; checked with CPython 3.11.7.)
With the bars the exception lines are not at the margin and the frames are not indented the way a
plain traceback's are, so no rule read them and the job ended on `unknown` with a box's border as
its last line. Here each box's lines lose their bar ("| " and what is left of it), so a box reads
as the plain traceback it is: "Traceback (most recent call last):", its frames, its exception at the
margin. The borders stay (indented, as printed), and the line count and every other line are kept.

Only lines inside a group's report change: from its "+ Exception Group Traceback" line through the
last line that is a bar or a border. A "|" elsewhere (a Rust diagnostic's gutter, a table, tree
output) is never touched. A group cut by a read block's end is read up to the cut.
"""

from __future__ import annotations

import re

MARK = b"Exception Group Traceback (most recent call last):"
_TS = rb"(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ?)?"
# A group's report: its head line, then every line that is a bar or a border (a downloaded log
# stamps each line, so the stamp may come first).
_GROUP = re.compile(
    rb"(?m)^" + _TS + rb"[ \t]*\+ " + re.escape(MARK) + rb"[ \t]*\n"
    rb"(?:" + _TS + rb"[ \t]*[|+].*(?:\n|\Z))*"
)
# A bar and its own spaces: "  | " before a frame keeps the frame's indent of two. Past fifteen
# sub-exceptions CPython prints "| and 5 more exceptions" in a box of its own: that line keeps its bar
# (it is no exception of the program's, and at the margin it would read as output after the last one).
_BAR = re.compile(rb"(?m)^(" + _TS + rb")[ \t]*\| ?(?!and \d+ more exceptions?[ \t\r]*$)")


def _unbar(match: re.Match[bytes]) -> bytes:
    return _BAR.sub(rb"\1", match.group(0))


def unbarred(data: bytes) -> bytes:
    """`data` with every exception group's boxes written as plain tracebacks (same lines)."""
    if MARK not in data:
        return data
    return _GROUP.sub(_unbar, data)
