"""What the monitor shows while it runs: a rich live table on a terminal, plain lines otherwise.

Workflow names, branches and messages can come from the repository, so terminal controls are
stripped before anything is shown.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from smartmon.report import WorkflowState, strip_controls

_STYLE = {"success": "green", "failure": "red", "timed_out": "red", "startup_failure": "red"}


def _state(w: WorkflowState) -> str:
    return w.conclusion or ("running" if w.run_id is not None else "no runs")


def _stamp(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), UTC).strftime("%H:%M:%SZ")


class PlainView:
    """One line per event, for logs and pipes."""

    def __init__(self, stream: IO[str], *, clock: Callable[[], float] = time.time) -> None:
        self.stream = stream
        self.clock = clock

    def _line(self, text: str) -> None:
        self.stream.write(f"{_stamp(self.clock)} {strip_controls(text)}\n")
        self.stream.flush()

    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None:
        states = "; ".join(
            f"{w.name} [{w.branch}] {_state(w)} ({w.consecutive_passes} in a row)"
            for w in workflows
        )
        self._line(f"iteration {number}: {states or 'no active workflows'}")

    def event(self, message: str) -> None:
        self._line(message)

    def waiting(self, seconds: float, reason: str) -> None:
        if reason != "next check" and seconds >= 1:
            self._line(f"waiting {seconds:.0f}s: {reason}")


class LiveView:
    """A live table of workflows, their states and the next check (a context manager)."""

    def __init__(
        self,
        repo: str,
        *,
        console: Console | None = None,
        needed: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.repo = repo
        self.needed = needed
        self.clock = clock
        self.console = console or Console(stderr=False)
        self.number = 0
        self.workflows: list[WorkflowState] = []
        self.events: deque[str] = deque(maxlen=8)
        self.deadline: float | None = None
        self.reason = ""
        self._live = Live(self, console=self.console, refresh_per_second=4, transient=False)

    def __enter__(self) -> LiveView:
        self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.deadline = None
        self._live.__exit__(exc_type, exc, tb)

    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None:
        self.number, self.workflows, self.deadline = number, list(workflows), None
        self._live.refresh()

    def event(self, message: str) -> None:
        self.events.append(f"{_stamp(self.clock)} {strip_controls(message)}")
        self._live.refresh()

    def waiting(self, seconds: float, reason: str) -> None:
        self.deadline, self.reason = time.monotonic() + seconds, reason
        self._live.refresh()

    def __rich__(self) -> RenderableType:
        table = Table(title=f"smartmon monitor · {strip_controls(self.repo)}", expand=False)
        for column in ("workflow", "branch", "state", "passes", "run"):
            table.add_column(column)
        for w in self.workflows:
            state = _state(w)
            table.add_row(
                strip_controls(w.name),
                strip_controls(w.branch),
                Text(state, style=_STYLE.get(state, "yellow")),
                f"{w.consecutive_passes}/{self.needed}",
                f"{w.run_id or '-'} #{w.run_attempt or 1}" if w.run_id else "-",
            )
        if self.deadline is not None:
            left = max(0.0, self.deadline - time.monotonic())
            footer = f"iteration {self.number} · {self.reason} in {left:.0f}s"
        else:
            footer = f"iteration {self.number} · checking"
        return Group(table, Text(footer, style="bold"), *(Text(e) for e in self.events))
