"""What the monitor hands the report: the state of each workflow, and the issues, fixes and reruns
of one iteration, as values; plus the clock and the timestamp format every report uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from smartmon.model import Finding, Fix

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a Z, to the second."""
    if moment.tzinfo is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Delivery(StrEnum):
    """How a fix reached the repository."""

    COMMIT = "commit"
    PULL_REQUEST = "pull_request"
    PATCH = "patch"  # report-only: the diff is in the report, nothing was pushed
    NONE = "none"  # planned but not delivered (see the fix's reason)


class IterationState(StrEnum):
    ALL_PASSING = "all_passing"
    FAILURES = "failures"
    FIXES_APPLIED = "fixes_applied"
    RUNNING = "running"  # nothing failed, but a run was still queued or in progress (issue 15)


@dataclass(frozen=True, kw_only=True)
class WorkflowState:
    """The latest run of one workflow as seen in an iteration."""

    name: str
    path: str = ""
    run_id: int | None = None
    run_attempt: int | None = None
    conclusion: str | None = None  # success, failure, cancelled, ...; None while running
    consecutive_passes: int = 0
    branch: str = ""
    head_sha: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class IssueRecord:
    """A finding in the run it came from."""

    finding: Finding
    workflow: str
    run_id: int | None = None
    run_attempt: int | None = None


@dataclass(frozen=True, kw_only=True)
class FixRecord:
    """A fix planned for a failed run, and what became of it."""

    fix: Fix
    applied: bool
    delivery: Delivery = Delivery.NONE
    workflow: str = ""
    run_id: int | None = None  # the failed run it answers
    commit_sha: str | None = None
    pr_url: str | None = None
    patch: str | None = None
    verified_by_run: int | None = None


@dataclass(frozen=True, kw_only=True)
class RerunRecord:
    """Failed jobs re-run for a transient failure."""

    workflow: str
    run_id: int
    reason: str  # usually the issue type, e.g. network_error
    attempt: int | None = None
    verified_by_run: int | None = None
