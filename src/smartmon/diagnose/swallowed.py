"""A command whose exit status was thrown away: what it printed is no cause.

`cmd || true` (`|| :`, `|| exit 0`) as make or a script echoes it, `+ true` as `bash -x` traces what
ran after the failing command, make's `-` prefix ("make: [Makefile:12: lint] Error 1 (ignored)"),
and a step whose whole script is such commands (`run: flake8 . || true`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

_HEADER_SHELL = re.compile(r"^\s*shell: \S")

_SWALLOWED = re.compile(r"\|\|\s*(?:true|:|exit 0)\s*;?\s*$")
_TRACED_TRUE = re.compile(r"^\++ (?:true|:|exit 0)\s*$")
_MAKE_IGNORED = re.compile(r"^(?:g?make)(?:\[\d+\])?: \[.*\] Error \d+ \(ignored\)")
_TRACED = re.compile(r"^(?:\++|\$) \S")


def swallowed(hit: Hit) -> bool:
    """The command that printed the hit had its exit status thrown away."""
    for line in hit.after:
        if _MAKE_IGNORED.match(line) or _TRACED_TRUE.match(line):
            return True
        if _TRACED.match(line) or line.startswith("##["):
            break
    before = hit.before
    for i in range(len(before) - 1, -1, -1):
        line = before[i]
        if line.startswith("##[endgroup]") or _HEADER_SHELL.match(line):
            # The hit is the output of the step's script itself: swallowed only when every
            # command of that script is (`run: flake8 . || true`).
            start = next((j for j in range(i - 1, -1, -1) if STEP_HEADER.match(before[j])), None)
            return start is not None and script_swallowed(before[start + 1 : i])
        if STEP_HEADER.match(line):
            return False
        if _SWALLOWED.search(line):
            return True
        if _TRACED.match(line):
            return False  # the command that ran last before the hit kept its status
    return False


def script_swallowed(header: tuple[str, ...]) -> bool:
    """A step header's script (the lines before its `shell:`) is all swallowed commands."""
    commands: list[str] = []
    for line in header:
        if _HEADER_SHELL.match(line) or line.startswith("##[endgroup]"):
            break
        if line.strip():
            commands.append(line)
    return bool(commands) and all(_SWALLOWED.search(c) for c in commands)
