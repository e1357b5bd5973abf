"""The organisation's final report: the repositories' final reports summed, schema-checked."""

from __future__ import annotations

import json
from pathlib import Path

from smartmon.report import FINAL_REPORT, IssueRecord, MonitorLog, org_final_report, write_org_final
from tests.report.test_report import Clock, check, finding, fix, state


def _session(folder: Path, repository: str, fixable: int, verified: int) -> dict[str, object]:
    log = MonitorLog(folder, clock=Clock(), repository=repository)
    issues = [
        IssueRecord(finding=finding(fixable=True, line=n), workflow="CI", run_id=10)
        for n in range(fixable)
    ]
    fixes = [fix(verified_by_run=11) for _ in range(verified)]
    log.record_iteration(workflows=[state()], issues=issues, fixes=fixes)
    return log.finalize("all workflows passed", 0)


def test_totals_are_summed_and_the_schema_holds(tmp_path: Path) -> None:
    finals = [
        ("o/a", str(tmp_path / "o/a"), _session(tmp_path / "o/a", "o/a", 3, 2)),
        ("o/b", str(tmp_path / "o/b"), _session(tmp_path / "o/b", "o/b", 3, 3)),
        ("o/c", str(tmp_path / "o/c"), _session(tmp_path / "o/c", "o/c", 0, 0)),
    ]
    report = org_final_report(
        organisation="o",
        started="2026-11-27T09:00:00Z",
        ended="2026-11-27T10:00:00Z",
        total_iterations=4,
        finals=finals,
        notes=["o/d: no longer watched: HTTP 404"],
        stop_reason="all repositories passed 3 checks in a row",
        exit_code=0,
        rate_limit_remaining=4900,
    )
    check(report, "continuous_monitoring_org_final_report.schema.json")
    assert report["total_issues_found"] == 6 and report["total_fixes_applied"] == 5
    assert (report["success_rate"], report["success_rate_value"]) == ("83.3%", 0.8333)
    assert report["issues_by_type"] == {"missing_dependency": 6}
    assert {i["repository"] for i in report["issues"]} == {"o/a", "o/b"}
    assert [r["repository"] for r in report["repositories"]] == ["o/a", "o/b", "o/c"]
    assert all(r["passing"] for r in report["repositories"])
    path = write_org_final(tmp_path, report)
    assert path == tmp_path / FINAL_REPORT and json.loads(path.read_text()) == report
