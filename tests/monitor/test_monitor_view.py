"""The live view and the plain lines show workflows, states and the next check, without controls."""

from __future__ import annotations

import io

from rich.console import Console

from smartmon.monitor.view import LiveView, PlainView
from smartmon.report import WorkflowState

STATES = [
    WorkflowState(name="CI", branch="main", run_id=7, run_attempt=2, conclusion="success"),
    WorkflowState(name="Lint\x1b[2J", branch="evil\x07", run_id=8, conclusion=None),
]


def test_plain_lines() -> None:
    out = io.StringIO()
    view = PlainView(out, clock=lambda: 0.0)
    view.iteration(3, STATES)
    view.event("CI: healing run 8")
    view.waiting(60, "next check")  # not worth a line of its own
    view.waiting(3600, "rate-limit reset")
    lines = out.getvalue().splitlines()
    assert lines == [
        "00:00:00Z iteration 3: CI [main] success (0 in a row); Lint [evil] running (0 in a row)",
        "00:00:00Z CI: healing run 8",
        "00:00:00Z waiting 3600s: rate-limit reset",
    ]


def test_live_view_renders_the_table_and_the_next_check() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with LiveView("octo/app", console=console, needed=3, clock=lambda: 0.0) as view:
        view.iteration(2, STATES)
        view.event("CI: passing again (run 7)")
        view.waiting(30, "next check")
        console.print(view)
    text = out.getvalue()
    assert "smartmon monitor · octo/app" in text
    assert "CI" in text and "success" in text and "running" in text
    assert "7 #2" in text
    assert "iteration 2 · next check in" in text
    assert "passing again (run 7)" in text
    assert "\x07" not in text and "[2J" not in text
