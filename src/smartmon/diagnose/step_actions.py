"""The action a step ran: from its header (`Run owner/name@ref`) or, when the log has no headers,
from the set-up lines (`Download action repository 'owner/name@ref'`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_STEP_USES = re.compile(r"^(?:Run |Post )?(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$")
_DOWNLOAD = re.compile(
    r"Download action repository '(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[^']+)'"
)
_RUN_LINE = re.compile(
    r"^(?:##\[group\])?Run (?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$"
)
_SHELL_RUN = re.compile(r"^##\[group\]Run \S")


def step_action(step_name: str) -> tuple[str, str] | None:
    """(action, version) when the step's header names an action: `Run actions/cache@v2`."""
    m = _STEP_USES.match(step_name.strip())
    if m and not m.group("action").startswith("./"):
        return m.group("action"), m.group("version")
    return None


def action_in_lines(lines: Sequence[str]) -> tuple[str, str] | None:
    """The last `Run owner/name@ref` header among pasted lines (no step structure to lean on).

    A nearer `Run <command>` header ends the search: the error is in that shell step, not in the
    action an earlier step ran.
    """
    for text in reversed(lines):
        m = _RUN_LINE.match(text.strip())
        if m:
            return m.group("action"), m.group("version")
        if _SHELL_RUN.match(text.strip()):
            return None
    return None


def downloaded_actions(text: str) -> tuple[str, str] | None:
    """(action, version) of a set-up line: `Download action repository 'owner/name@ref'`."""
    m = _DOWNLOAD.search(text)
    return (m.group("action"), m.group("version")) if m else None
