"""`smartmon demo` end to end: a real sandbox process, the real heal pipeline, the story, exit 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.report import FINAL_REPORT


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["NO_COLOR"] = "1"
    return env


def _sandboxes_alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.add(pid)
    return alive


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.add(int(entry.name))
    return found


@pytest.mark.slow
def test_demo_heals_every_failure_and_tells_the_story(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "demo"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for issue in (
        "missing_dependency",
        "deprecated_action",
        "missing_env_vars",
        "permission_error",
        "network_error",
    ):
        assert issue in out.split("What smartmon did")[0], issue
    assert "No module named 'yaml'" in out
    assert "add PyYAML to requirements.txt" in out
    assert "re-ran the failed jobs" in out
    assert "the reviewer merged" in out
    assert "3 passing checks in a row" in out
    assert "the sandbox is stopped" in out
    people = out.split("Where people look")[1]  # issue 16: the comment and the tracking issue
    assert "one smartmon comment" in people and "then updated for run" in people
    assert "│ **What failed**" in people and "#issuecomment-" in people
    assert "tracking issue #2 'CI failing: CI on main'" in people and "closed when run" in people
    assert "│ ### Failed runs, newest first" in people and " ! " not in people
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["exit_code"] == 0
    assert final["total_fixes_applied"] == 4
    assert all(f["verified_by_run"] for f in final["fixes"] if f["applied"])
    assert all(r["verified_by_run"] for r in final["reruns"])
    assert (tmp_path / "reports" / "continuous_monitoring_report.html").is_file()
    logged = (tmp_path / "logs" / "continuous_workflow_monitor.log").read_text()
    assert "ghp_" not in logged.replace("ghp_***", "")


@pytest.mark.slow
def test_ctrl_c_stops_the_demo_and_its_sandbox(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartmon", "demo"],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "iteration 1:" in line:
                break
        sandboxes = _children(proc.pid)
        assert sandboxes, "the demo should run the sandbox as a child process"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "the sandbox is stopped" in out
    assert not _sandboxes_alive(sandboxes)
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["stop_reason"] == "stopped by SIGINT"
