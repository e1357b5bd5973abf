"""Where a Python traceback ends: its exception's line (and the lines of a message that spans
several), and whether the program went on after it. A rule with `checks: [traceback-end]` is a cause
only where its line closes a traceback and nothing after it says the program went on; `settle`
clears it otherwise.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.js_stacks import node_crash
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.diagnose.step_actions import step_action

# Python reports an uncaught exception as "Traceback (most recent call last):", its frames (indented:
# '  File "x.py", line 4, in main', the source line, carets) and the exception's own line at the
# margin, then exits 1. A handled exception that a program logs looks the same, so the line is a
# cause only where it closes a traceback and nothing after it says the program went on: the next
# step's header before the runner's failure line, or a line of its own at the margin that is no
# wrapper's failure line. A paste may start inside the frames, without the header.
# An exception group's report (Python 3.11+) heads its boxes "  + Exception Group Traceback (most
# recent call last):" (a nested group's, once exception_groups.unbarred took its bar, at the margin)
# and opens each sub-exception's box with a numbered border ("+-+------ 1 ------", "+------ 2 ------"); a
# sub-exception that was never raised has no frames of its own, its box is its traceback.
TRACEBACK_HEAD = re.compile(
    r"^(?:[ \t]*\+ )?(?:Exception Group )?Traceback \(most recent call last\):\s*$"
)
GROUP_BORDER = re.compile(r"^[ \t]*\+(?:-\+)?-+ \d+ -+\s*$")  # numbered only: not a table's border
FRAME = re.compile(r'^\s+File "(?P<path>[^"]+)", line \d+')
# What a wrapper prints under a crash it relays (make's "Error 2", tox's "exit 1", npm's "ERR!").
_FAILED_AFTER = re.compile(
    r"(?i)\b(?:error|errors|failed|failure|fatal|aborted|non-zero|exit(?:ed)? (?:code|status|with)"
    r"|exit \d+)\b|ERR!"
)
# The end of the step's own header (the runner's "##[endgroup]" under its script and env, or a
# paste's "Run …" line): frames or an exception line right under it are the first thing the step
# printed, and a paste that keeps only the report's last line (homeassistant.loader.
# IntegrationNotFound under pytest's step) has no frames to show. It still counts only where nothing
# after it says the step went on. Not under an action's header ("Run owner/name@v1"): an action's
# own code may log a traceback it handled and decide its step's outcome itself (tuf-on-ci's
# signing-event logs a failed inner git clone and passes, theupdateframework/tuf-on-ci #564).
_STEP_OUTPUT_START = re.compile(r"^##\[endgroup\]\s*$")
# A message of several lines: pydantic's ValidationError says how many errors follow, each as its
# location at the margin ("paramtype", "body -> items -> 0") over the indented message ("  field
# required (type=value_error.missing)"; v2: "  Field required [type=missing, …]" and "    For
# further information visit https://errors.pydantic.dev/…"). pydantic 1's error_wrappers.py
# (ValidationError.__str__, display_errors) and pydantic-core's ValidationError print them so;
# Hdl21 #151 pasted one that ended its test run.
_COUNTED_ERRORS = re.compile(r": \d+ validation errors? for \S+\s*$")
# SQLAlchemy's errors end their message with a link to its error page, under the statement and its
# parameters when there was one ("[SQL: INSERT INTO …]", "[parameters: (1, 2)]", the statement's own
# lines between): "(Background on this error at: https://sqlalche.me/e/20/e3q8)" (sqlalchemy/exc.py,
# SQLAlchemyError._code_str and StatementError._sql_message; doc/build/errors.rst).
_SQLALCHEMY_LINK = re.compile(r"^\(Background on this error at: https?://sqlalche\.me/")


def _message_rows(hit: Hit) -> int:
    """How many lines below the exception's line still belong to its message."""
    for index, line in enumerate(hit.after if hit.text.startswith("sqlalchemy.") else ()):
        if STEP_HEADER.match(line) or TRACEBACK_HEAD.match(line) or line.startswith("##["):
            break
        if _SQLALCHEMY_LINK.match(line):
            return index + 1
    if not _COUNTED_ERRORS.search(hit.text):
        return 0
    rows = 0
    after = hit.after
    while (
        rows + 1 < len(after)
        and after[rows][:1].strip()
        and not after[rows].startswith("##[")
        and after[rows + 1][:1] in (" ", "\t")
    ):
        rows += 1  # the location at the margin, then its indented message lines
        while rows < len(after) and after[rows][:1] in (" ", "\t") and after[rows].strip():
            rows += 1
    return rows


def _under_action(above: tuple[str, ...]) -> bool:
    """The nearest step header in `above` (its last line included) runs an action."""
    header = next((line for line in reversed(above) if STEP_HEADER.match(line)), None)
    return header is not None and step_action(header.removeprefix("##[group]")) is not None


def exception_went_on(hit: Hit) -> bool:
    """A rule with `checks: [traceback-end]` whose line does not close a traceback, or whose step
    went on after it: a logged exception, no failure. Node prints the same line with its frames
    below it: a Node crash (`js_stacks.node_crash`) is no logged exception."""
    if "traceback-end" not in hit.rule.checks or node_crash(hit):
        return False
    frames = step_first = False
    for index in range(len(hit.before) - 1, -1, -1):
        line = hit.before[index]
        if TRACEBACK_HEAD.match(line):
            break
        if GROUP_BORDER.match(line):
            frames = True
            break
        if _STEP_OUTPUT_START.match(line) or STEP_HEADER.match(line):
            if _under_action(hit.before[: index + 1]):
                return True
            step_first = not frames
            break
        if not line.strip():
            continue  # a paste (or a wrapped terminal) may leave a blank line between two frames
        if not line.startswith((" ", "\t")):
            return True  # a line at the margin between: not this traceback's last line
        frames = frames or FRAME.match(line) is not None
    else:
        if not frames:
            return True  # no traceback within reach (a paste may start inside its frames)
    rest = hit.after[_message_rows(hit) :]
    if step_first:
        # No frames, only the step's header above: the line is an exception only where the step
        # ended on it (a logger's "app.deploy.Uploader: uploading 3 files" is followed by more).
        last = next((line for line in rest if line.strip()), None)
        return last is not None and not last.startswith(("##[error]", "Error: "))
    for line in rest:
        if line.startswith(("##[error]", "Error: ")) or _FAILED_AFTER.search(line):
            return False
        if STEP_HEADER.match(line) or line[:1].strip():
            return True  # the step went on, or the program printed on at the margin ("Synced 12")
    return False
