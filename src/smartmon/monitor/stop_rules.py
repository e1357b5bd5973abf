"""When the loop stops, and with which exit code.

Every workflow passed `consecutive_passes` checks in a row: exit 0. After `max_iterations`: exit 1
if a workflow still fails, or nothing is known of one (the last poll failed, or its only run this
session is still running), else 0. Asked to stop by
a signal: 128 + the signal's number. An error that ends the session: 2.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from typing import NamedTuple

from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.watch import Watch

EXIT_PASSING = 0
EXIT_FAILURES = 1
EXIT_ERROR = 2


class Stop(NamedTuple):
    code: int
    reason: str


def describe_rules(config: MonitorConfig) -> str:
    """The rules in one phrase, for the line that starts a session."""
    c = config
    limit = f", at most {c.max_iterations} iteration(s)" if c.max_iterations else ""
    return f"every {c.interval:g}s until {c.consecutive_passes} passing checks in a row{limit}"


def after_check(
    config: MonitorConfig, watches: Sequence[Watch], *, iteration: int, streak: int
) -> Stop | None:
    """The stop after check number `iteration`, or None to go on.

    `streak` counts the checks in a row that saw every workflow passing (0 after a failed poll).
    """
    need = config.consecutive_passes
    if streak >= need and all(w.passes >= need for w in watches):
        return Stop(EXIT_PASSING, f"all workflows passed {need} checks in a row")
    if config.max_iterations is not None and iteration >= config.max_iterations:
        failing = [w for w in watches if w.failing]
        # A run still going that this session never saw pass says nothing yet: not a pass.
        running = [
            w for w in watches if w.run is not None and w.conclusion is None and not w.passes
        ]
        reason = f"stopped after {iteration} iteration(s) with {len(failing)} workflow(s) failing"
        if running:
            reason += f", {len(running)} still running"
        # Nothing is known when the last poll failed, or when a run is still going.
        unknown = (streak == 0 and not watches) or bool(running)
        return Stop(EXIT_FAILURES if failing or unknown else EXIT_PASSING, reason)
    return None


def by_signal(signum: int) -> Stop:
    return Stop(128 + int(signum), f"stopped by {signal.Signals(signum).name}")
