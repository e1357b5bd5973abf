"""A job log in GitHub's downloaded format: one timestamped record per line, secrets masked.

The runner writes each record as ``DateTime.UtcNow.ToString("O") + " " + message``
(actions/runner ``PagingLogger``), so a line looks like ``2025-04-07T12:57:33.2904078Z text``.
We write multi-line messages as one record per physical line so every line is timestamped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from smartmon.sandbox.runner.runtypes import Annotation

Clock = Callable[[], datetime]
CYAN = "\x1b[36;1m"
RESET = "\x1b[0m"


def timestamp(moment: datetime) -> str:
    """The runner's round-trip ("O") format: seven fractional digits and ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


class Masker:
    """Replaces registered secret values (and each of their lines) with ``***``."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        for part in [value, *value.splitlines()]:
            part = part.strip("\r")
            if part.strip():
                self._values.add(part)

    @property
    def values(self) -> frozenset[str]:
        return frozenset(self._values)

    def mask(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, "***")
        return text


class JobLog:
    """Accumulates the job log; ``step_text()`` returns the records since ``begin_step()``."""

    def __init__(self, clock: Clock, masker: Masker) -> None:
        self._clock = clock
        self.masker = masker
        self._records: list[str] = []
        self._step_start = 0
        self._depth = 0

    def write(self, message: str) -> None:
        """Write a message; each physical line becomes its own timestamped record."""
        message = message.replace("\r\n", "\n").replace("\r", "\n")
        for line in message.split("\n"):
            self._records.append(f"{timestamp(self._clock())} {self.masker.mask(line)}")

    @property
    def line_count(self) -> int:
        """Records written so far: the line number of the last one."""
        return len(self._records)

    def error_annotation(self, message: str) -> Annotation:
        """Log ``##[error]message`` and return its annotation (line = that log line, as GitHub)."""
        self.error(message)
        line = self.line_count
        return Annotation(
            level="failure", message=self.masker.mask(message), start_line=line, end_line=line
        )

    def group(self, title: str) -> None:
        if self._depth:  # GitHub's viewer does not nest groups; close the open one first
            self.endgroup()
        self._depth = 1
        self.write(f"##[group]{title}")

    def endgroup(self) -> None:
        if self._depth:
            self._depth = 0
            self.write("##[endgroup]")

    def error(self, message: str) -> None:
        self.write(f"##[error]{message}")

    def warning(self, message: str) -> None:
        self.write(f"##[warning]{message}")

    def notice(self, message: str) -> None:
        self.write(f"##[notice]{message}")

    def script_lines(self, script: str) -> None:
        for line in script.rstrip("\n").split("\n"):
            self.write(f"{CYAN}{line}{RESET}")

    def begin_step(self) -> None:
        self.endgroup()
        self._step_start = len(self._records)

    def step_text(self) -> str:
        self.endgroup()
        records = self._records[self._step_start :]
        return "".join(f"{r}\n" for r in records)

    def text(self) -> str:
        self.endgroup()
        return "".join(f"{r}\n" for r in self._records)
