"""turbo's crash ("Oops! Turbo has crashed.", uncaught-crash-main) does not outrank turbo's own failed
run or task line above it in its step (wrapper_exits.turbo_failed_above, rev55 t2); alone it stands.
patrol's "Flutter process exited unexpectedly" does not outrank its child's "Error: …" line (p5)."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import paste_top

_CRASH = [
    "Oops! Turbo has crashed.",
    "",
    "A report has been written to /tmp/report-4e1f.toml",
    "Error: Process completed with exit code 1.",
]
_TASK = (
    "web:build: ERROR: command finished with error: command (/home/runner/work/app/app/apps/web) "
    "/usr/local/bin/pnpm run build exited (1)"
)


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    top = paste_top(tmp_path, lines)
    assert top is not None
    return top.rule, top.text


def test_turbo_crash_alone_is_the_crash(tmp_path: Path) -> None:
    assert _top(tmp_path, ["Run npx turbo run test", *_CRASH])[0] == "uncaught-crash-main"


def test_turbo_run_failed_above_wins(tmp_path: Path) -> None:
    lines = [
        "Run pnpm turbo build",
        _TASK,
        " Tasks:    0 successful, 1 total",
        "Failed:    web#build",
        "",
        " ERROR  run failed: command  exited (1)",
        *_CRASH,
    ]
    assert _top(tmp_path, lines) == (
        "build-driver-gave-up",
        " ERROR  run failed: command  exited (1)",
    )


def test_turbo_task_error_above_clears_the_crash(tmp_path: Path) -> None:
    lines = ["Run pnpm turbo build", _TASK, *_CRASH]
    assert _top(tmp_path, lines)[0] != "uncaught-crash-main"


def test_patrol_child_error_line_wins(tmp_path: Path) -> None:
    lines = [
        "Run patrol test --device chrome",
        'Error: Could not find an option named "--web-port".',
        "Flutter process exited unexpectedly with code 64",
        "Error: Process completed with exit code 1.",
    ]
    assert _top(tmp_path, lines) == (
        "generic-error",
        'Error: Could not find an option named "--web-port".',
    )


def test_patrol_child_exit_alone_keeps_the_step_exit_code(tmp_path: Path) -> None:
    lines = [
        "Run patrol test --device chrome --web-headless true",
        "• Starting Playwright",
        "Playwright process exited unexpectedly with code 127",
        "Error: Process completed with exit code 1.",
    ]
    path = tmp_path / "job.txt"
    path.write_text("\n".join(lines) + "\n")
    top = analyze_paths([path]).findings[0]
    assert top.rule == "patrol-web-child-exited"
    assert top.data.get("exit_code") == "1"
