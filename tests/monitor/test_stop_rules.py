"""When the loop stops and with which exit code (monitor/stop_rules.py), from the watches alone.

A run still going at the last iteration, for a workflow this session never saw pass, is no pass:
the session cannot say "passing" about it (tests/reliability/test_fault_matrix.py met it when a
loaded machine left the sandbox's new run unfinished at the third check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.stop_rules import EXIT_FAILURES, EXIT_PASSING, after_check
from smartmon.monitor.watch import Watch


def _watch(run: dict[str, Any] | None, passes: int = 0) -> Watch:
    return Watch(
        workflow_id=1,
        name="ci",
        path=".github/workflows/ci.yml",
        branch="main",
        run=run,  # type: ignore[arg-type]
        passes=passes,
    )


def _stop(tmp_path: Path, *watches: Watch) -> tuple[int, str]:
    config = MonitorConfig(reports_dir=tmp_path, max_iterations=3)
    stop = after_check(config, list(watches), iteration=3, streak=0)
    assert stop is not None
    return stop.code, stop.reason


def test_a_run_still_going_that_never_passed_is_not_a_pass(tmp_path: Path) -> None:
    running = _watch({"id": 7, "status": "in_progress", "conclusion": None})
    code, reason = _stop(tmp_path, running)
    assert code == EXIT_FAILURES
    assert reason == "stopped after 3 iteration(s) with 0 workflow(s) failing, 1 still running"


def test_a_new_run_of_a_workflow_seen_passing_keeps_its_pass(tmp_path: Path) -> None:
    running = _watch({"id": 8, "status": "queued", "conclusion": None}, passes=2)
    assert _stop(tmp_path, running) == (
        EXIT_PASSING,
        "stopped after 3 iteration(s) with 0 workflow(s) failing",
    )


def test_a_failing_run_is_a_failure(tmp_path: Path) -> None:
    failed = _watch({"id": 9, "status": "completed", "conclusion": "failure"})
    passed = _watch({"id": 10, "status": "completed", "conclusion": "success"}, passes=1)
    assert _stop(tmp_path, failed, passed) == (
        EXIT_FAILURES,
        "stopped after 3 iteration(s) with 1 workflow(s) failing",
    )
