"""The monitor's settings, its stop request, and the observer interface for what it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from smartmon.errors import SmartmonError
from smartmon.report import WorkflowState

MODES = ("auto", "commit", "pull-request", "report")
MIN_RATE_REMAINING = 50  # below this many calls left, wait for the reset before polling


class StopRequested(BaseException):
    """Raised from a sleep once a stop was requested, so a waiting heal is abandoned.

    A BaseException, like KeyboardInterrupt, so that `except Exception` in a heal step does not
    swallow it.
    """


class Observer(Protocol):
    """Receives progress: the rich live view, plain log lines, or nothing."""

    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None: ...

    def event(self, message: str) -> None: ...

    def waiting(self, seconds: float, reason: str) -> None: ...


class Quiet:
    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None:
        return None

    def event(self, message: str) -> None:
        return None

    def waiting(self, seconds: float, reason: str) -> None:
        return None


@dataclass(frozen=True, kw_only=True)
class MonitorConfig:
    """What to watch and when to stop; the CLI options map one to one onto these fields."""

    interval: float = 60.0
    max_retries: int = 5
    consecutive_passes: int = 3
    mode: str = "auto"
    max_iterations: int | None = None  # `--once` is max_iterations=1
    all_branches: bool = False
    webhook: str | None = None
    reports_dir: Path = Path("reports")
    retry_backoff: float | None = None  # first wait between heal attempts; None: max(1, interval)
    min_rate_remaining: int = MIN_RATE_REMAINING
    verify_timeout: float = 600.0
    dry_run: bool = False
    create_secrets: bool = False
    can_push_workflows: bool | None = None  # None: unknown, workflow edits become a patch
    token_starts_runs: bool = True  # a PAT's push starts runs; GITHUB_TOKEN's does not
    track_issues: bool = False  # close a workflow's ci-failure issue once it passes again

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise SmartmonError(f"--mode {self.mode}: choose one of {', '.join(MODES)}")
        if self.interval < 0 or self.max_retries < 0 or self.consecutive_passes < 1:
            raise SmartmonError(
                "--interval and --max-retries must be >= 0 and --consecutive-passes >= 1"
            )
        if self.max_iterations is not None and self.max_iterations < 1:
            raise SmartmonError("--max-iterations must be at least 1")

    @property
    def first_backoff(self) -> float:
        return self.retry_backoff if self.retry_backoff is not None else max(1.0, self.interval)
