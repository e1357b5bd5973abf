import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import smartmon
from smartmon import atomic
from smartmon.model import Edit, Finding, Fix, IssueType, Severity
from smartmon.report import (
    FINAL_REPORT,
    HTML_REPORT,
    Delivery,
    FixRecord,
    IssueRecord,
    MonitorLog,
    RerunRecord,
    WorkflowState,
)

SCHEMAS = Path(smartmon.__file__).parent / "report" / "schemas"
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
SECRET = "s3cr3t-webhook-value"

# --- a small JSON Schema checker for the keywords our schemas use (jsonschema is not a dependency)

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}
_META = {"$schema", "$id", "$defs", "title", "description"}
_KNOWN = _META | {
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minimum",
    "maximum",
    "enum",
    "const",
    "pattern",
    "$ref",
}


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _resolve(ref: str, doc: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    file, _, pointer = ref.partition("#")
    if file:
        doc = json.loads((SCHEMAS / file).read_text())
    node: Any = doc
    for part in pointer.strip("/").split("/") if pointer else []:
        node = node[part]
    return node, doc


def validate(value: Any, schema: Mapping[str, Any], doc: Mapping[str, Any], at: str = "$") -> None:
    """Raise AssertionError naming the first place where `value` breaks `schema`."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"schema keyword(s) {unknown} not supported by this checker"
    if "$ref" in schema:
        target, target_doc = _resolve(schema["$ref"], doc)
        validate(value, target, target_doc, at)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(_is(value, k) for k in kinds), f"{at}: {value!r} is not {kinds}"
    if "const" in schema:
        assert value == schema["const"], f"{at}: {value!r} != {schema['const']!r}"
    if "enum" in schema:
        assert value in schema["enum"], f"{at}: {value!r} not in {schema['enum']}"
    if "pattern" in schema and isinstance(value, str):
        assert re.search(schema["pattern"], value), f"{at}: {value!r} !~ {schema['pattern']}"
    if "minimum" in schema and _is(value, "number"):
        assert value >= schema["minimum"], f"{at}: {value} < {schema['minimum']}"
    if "maximum" in schema and _is(value, "number"):
        assert value <= schema["maximum"], f"{at}: {value} > {schema['maximum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{at}: missing {key!r}"
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                validate(item, props[key], doc, f"{at}.{key}")
            elif extra is False:
                raise AssertionError(f"{at}: unexpected {key!r}")
            elif isinstance(extra, dict):
                validate(item, extra, doc, f"{at}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], doc, f"{at}[{index}]")


def check(value: Any, schema_file: str) -> None:
    doc = json.loads((SCHEMAS / schema_file).read_text())
    validate(value, doc, doc)


# --- fixtures


class Clock:
    def __init__(self, step: timedelta = timedelta(seconds=61)) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def finding(
    kind: IssueType = IssueType.MISSING_DEPENDENCY,
    *,
    fixable: bool = True,
    text: str = "ModuleNotFoundError: No module named 'yaml'",
    job: str = "test",
    line: int = 42,
) -> Finding:
    return Finding(
        type=kind,
        severity=Severity.HIGH,
        auto_fixable=fixable,
        rule="python-module-not-found",
        job=job,
        step="Run pytest",
        line=line,
        text=text,
        data={"module": "yaml"},
        step_number=4,
        step_line=12,
        context=("collecting ...",),
    )


def fix(*, applied: bool = True, sha: str | None = "b" * 40, **kw: Any) -> FixRecord:
    fields: dict[str, Any] = {
        "fix": Fix(
            type=IssueType.MISSING_DEPENDENCY,
            file="requirements.txt",
            description=kw.pop("description", "add PyYAML to requirements.txt"),
            edits=(Edit(path="requirements.txt", content=b"PyYAML\n"),),
            reason=kw.pop("reason", None),
        ),
        "applied": applied,
        "delivery": Delivery.COMMIT if applied else Delivery.NONE,
        "workflow": "CI",
        "run_id": 10,
        "commit_sha": sha,
        "patch": "--- a/requirements.txt\n+++ b/requirements.txt\n+PyYAML\n",
    }
    fields.update(kw)
    return FixRecord(**fields)


def state(
    conclusion: str | None = "failure", run_id: int = 10, sha: str = "a" * 40
) -> WorkflowState:
    return WorkflowState(
        name="CI",
        path=".github/workflows/ci.yml",
        run_id=run_id,
        conclusion=conclusion,
        consecutive_passes=1 if conclusion == "success" else 0,
        branch="main",
        head_sha=sha,
        url=f"https://github.com/o/r/actions/runs/{run_id}",
    )


def iteration_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("continuous_monitoring_report_*.json"))


# --- the checker itself must be able to fail


def test_schema_checker_rejects_what_it_should(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    report = log.record_iteration(
        workflows=[state()], issues=[IssueRecord(finding=finding(), workflow="CI")]
    )
    check(report, "continuous_monitoring_report.schema.json")
    broken: list[dict[str, Any]] = []
    for mutate in (
        lambda r: r.pop("issues_by_type"),
        lambda r: r.update(total_issues_found="1"),
        lambda r: r.update(timestamp="2026-11-27 09:01:01"),
        lambda r: r["issues"][0].update(type="not_a_type"),
        lambda r: r["issues_by_type"].update(x=True),
        lambda r: r.update(iteration=0),
    ):
        copy = json.loads(json.dumps(report))
        mutate(copy)
        broken.append(copy)
    for copy in broken:
        with pytest.raises(AssertionError):
            check(copy, "continuous_monitoring_report.schema.json")
    with pytest.raises(AssertionError, match="not supported"):
        validate(1, {"oneOf": []}, {})


def test_schema_issue_types_match_the_model() -> None:
    common = json.loads((SCHEMAS / "common.schema.json").read_text())
    assert common["$defs"]["issue_type"]["enum"] == [t.value for t in IssueType]


# --- iteration reports


def test_iteration_report_has_the_specified_fields_and_name(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path / "reports", clock=Clock(), repository="octo/demo")
    report = log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10, run_attempt=1)],
        fixes=[fix()],
        rate_limit_remaining=4999,
    )
    (path,) = iteration_files(tmp_path / "reports")
    assert path == log.last_report_path
    assert re.fullmatch(r"continuous_monitoring_report_20261127T090202Z_0001\.json", path.name)
    assert json.loads(path.read_text()) == report
    check(report, "continuous_monitoring_report.schema.json")
    assert report["timestamp"] == "2026-11-27T09:02:02Z"
    assert report["monitoring_started"] == "2026-11-27T09:01:01Z"
    assert report["iteration"] == 1
    assert report["total_issues_found"] == 1
    assert report["total_fixes_applied"] == 1
    assert report["issues_by_type"] == {"missing_dependency": 1}
    assert report["fixes_by_type"] == {"missing_dependency": 1}
    assert report["state"] == "fixes_applied"
    assert report["rate_limit_remaining"] == 4999
    issue = report["issues"][0]
    assert issue["id"] == "issue-1"
    assert {k: issue[k] for k in ("workflow", "run_id", "run_attempt", "job", "line")} == {
        "workflow": "CI",
        "run_id": 10,
        "run_attempt": 1,
        "job": "test",
        "line": 42,
    }
    assert issue["context"] == ["collecting ..."]
    applied = report["fixes"][0]
    assert applied["id"] == "fix-1"
    assert applied["files"] == ["requirements.txt"]
    assert applied["delivery"] == "commit"
    assert applied["verified_by_run"] is None


def test_iterations_within_one_second_get_distinct_files(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock(step=timedelta(0)))
    for _ in range(3):
        log.record_iteration(workflows=[state("success")])
    names = [p.name for p in iteration_files(tmp_path)]
    assert [n[-9:] for n in names] == ["0001.json", "0002.json", "0003.json"]


def test_totals_are_cumulative_and_planned_fixes_are_listed_not_counted(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10)],
        fixes=[fix()],
    )
    second = log.record_iteration(
        workflows=[state(run_id=11)],
        issues=[
            IssueRecord(
                finding=finding(IssueType.TEST_FAILURE, fixable=False), workflow="CI", run_id=11
            ),
            IssueRecord(finding=finding(line=7), workflow="CI", run_id=11),
        ],
        fixes=[fix(applied=False, sha=None, reason="the package is not in the curated map")],
    )
    assert second["state"] == "failures"
    assert second["total_issues_found"] == 3
    assert second["iteration_issues_found"] == 2
    assert second["total_fixes_applied"] == 1
    assert second["iteration_fixes_applied"] == 0
    assert second["issues_by_type"] == {"missing_dependency": 2, "test_failure": 1}
    assert second["fixes_by_type"] == {"missing_dependency": 1}
    assert [f["id"] for f in second["fixes"]] == ["fix-2"]
    assert second["fixes"][0]["reason"] == "the package is not in the curated map"
    assert log.total_issues_found == 3
    assert log.total_fixes_applied == 1


def test_the_same_issue_of_the_same_run_is_counted_once(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    same = IssueRecord(finding=finding(), workflow="CI", run_id=10, run_attempt=1)
    first = log.record_iteration(workflows=[state()], issues=[same, same])
    again = log.record_iteration(workflows=[state()], issues=[same])
    retried = log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10, run_attempt=2)],
    )
    assert first["iteration_issues_found"] == 1
    assert again["iteration_issues_found"] == 0
    assert retried["iteration_issues_found"] == 1
    assert retried["total_issues_found"] == 2


def test_all_passing_iteration_state(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    report = log.record_iteration(
        workflows=[state("success"), WorkflowState(name="Docs", conclusion="skipped")]
    )
    assert report["state"] == "all_passing"
    # A run still queued or in progress is not a pass yet (issue 15).
    running = log.record_iteration(workflows=[state(None)])
    assert running["state"] == "running"
    done = log.record_iteration(workflows=[state(None), state("failure")])
    assert done["state"] == "failures"


# --- verification and success rate


def test_a_passing_run_on_the_fix_commit_verifies_the_fix(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10)],
        fixes=[fix(sha="c" * 40)],
    )
    other = log.record_iteration(workflows=[state("success", run_id=11, sha="d" * 40)])
    assert other["verified"] == []
    proof = log.record_iteration(workflows=[state("success", run_id=12, sha="c" * 40)])
    assert proof["verified"] == [{"id": "fix-1", "run_id": 12}]
    final = log.finalize("all_passing", 0)
    assert final["fixes"][0]["verified_by_run"] == 12
    assert final["success_rate_value"] == 1.0
    assert final["success_rate_basis"]["verified_fixes"] == 1


def test_explicit_verification_and_unknown_ids(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    first = log.record_iteration(
        workflows=[state()],
        issues=[
            IssueRecord(finding=finding(), workflow="CI", run_id=10),
            IssueRecord(finding=finding(line=9), workflow="CI", run_id=10),
        ],
        fixes=[
            fix(sha=None, delivery=Delivery.PULL_REQUEST, pr_url="https://x/pull/1"),
            fix(applied=False),
        ],
    )
    ids = [f["id"] for f in first["fixes"]]
    for bad in ("fix-99", ids[1]):
        with pytest.raises(ValueError, match=bad):
            log.record_iteration(workflows=[state()], verified={bad: 20})
    assert len(iteration_files(tmp_path)) == 1
    assert log.iteration == 1
    second = log.record_iteration(workflows=[state("success", run_id=20)], verified={ids[0]: 20})
    assert second["iteration"] == 2
    assert second["verified"] == [{"id": "fix-1", "run_id": 20}]
    final = log.finalize("max_iterations", 1)
    check(final, "continuous_monitoring_final_report.schema.json")
    assert final["success_rate_value"] == 0.5
    assert final["success_rate_basis"]["healable_issues"] == 2


def test_reruns_are_verified_by_a_passing_attempt_of_the_same_run(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    net = finding(IssueType.NETWORK_ERROR, fixable=False, text="Could not resolve host: pypi.org")
    log.record_iteration(
        workflows=[state(run_id=30)],
        issues=[IssueRecord(finding=net, workflow="CI", run_id=30)],
        reruns=[RerunRecord(workflow="CI", run_id=30, reason="network_error", attempt=2)],
    )
    report = log.record_iteration(workflows=[state("success", run_id=30)])
    assert report["verified"] == [{"id": "rerun-1", "run_id": 30}]
    final = log.finalize("all_passing", 0)
    assert final["total_reruns"] == 1
    assert final["total_fixes_applied"] == 0
    assert final["success_rate_value"] == 1.0
    assert final["success_rate_basis"] == {
        "healable_issues": 1,
        "verified_fixes": 0,
        "verified_reruns": 1,
        "definition": final["success_rate_basis"]["definition"],
    }


@pytest.mark.parametrize(
    ("fixable", "verified_fixes", "expected"),
    [
        ([], 0, 1.0),  # no issues
        ([False, False], 0, 1.0),  # nothing healable
        ([True, True, True, True], 1, 0.25),
        ([True, False], 0, 0.0),
        ([True], 2, 1.0),  # capped
    ],
)
def test_success_rate(
    tmp_path: Path, fixable: list[bool], verified_fixes: int, expected: float
) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    issues = [
        IssueRecord(finding=finding(fixable=f, line=n), workflow="CI", run_id=10)
        for n, f in enumerate(fixable)
    ]
    fixes = [fix(verified_by_run=11) for _ in range(verified_fixes)]
    log.record_iteration(workflows=[state()], issues=issues, fixes=fixes)
    final = log.finalize("done", 0)
    assert final["success_rate_value"] == expected
    assert 0.0 <= final["success_rate_value"] <= 1.0
    assert final["success_rate"] == f"{expected * 100:.1f}%"


def test_success_rate_is_printed_as_the_specification_prints_it(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    issues = [
        IssueRecord(finding=finding(fixable=True, line=n), workflow="CI", run_id=10)
        for n in range(6)
    ]
    fixes = [fix(verified_by_run=11) for _ in range(5)]
    log.record_iteration(workflows=[state()], issues=issues, fixes=fixes)
    final = log.finalize("done", 0)
    assert (final["success_rate"], final["success_rate_value"]) == ("83.3%", 0.8333)


# --- redaction, clock, final report


def test_tokens_and_secrets_never_reach_any_file(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock(), secrets=[SECRET, None], repository="octo/demo")
    log.mask("late-secret-123")
    leaky = f"push failed: https://x-access-token:{TOKEN}@github.com/o/r {SECRET} late-secret-123"
    report = log.record_iteration(
        workflows=[WorkflowState(name=f"CI {SECRET}", conclusion="failure", branch=TOKEN)],
        issues=[IssueRecord(finding=finding(text=leaky, job=f"job {TOKEN}"), workflow="CI")],
        fixes=[fix(patch=f"+TOKEN={TOKEN}\n", description=f"uses {SECRET}")],
        errors=[f"GET /repos failed: Authorization: Bearer {TOKEN}", RuntimeError(SECRET)],
    )
    assert "***" in report["issues"][0]["text"]
    log.finalize(f"stopped {SECRET}", 1)
    files = list(tmp_path.iterdir())
    assert {p.name for p in files} >= {FINAL_REPORT, HTML_REPORT}
    for path in files:
        content = path.read_text(encoding="utf-8")
        for value in (TOKEN, SECRET, "late-secret-123"):
            assert value not in content, path.name


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        MonitorLog(tmp_path, clock=lambda: datetime(2026, 1, 1))


def test_finalize_writes_json_and_html_and_closes_the_log(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock(), repository="octo/demo")
    log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10)],
        fixes=[fix()],
        errors=["rate limited; waited for the reset"],
    )
    log.record_iteration(workflows=[state("success", run_id=11, sha="b" * 40)])
    final = log.finalize("all_passing", 0)
    on_disk = json.loads((tmp_path / FINAL_REPORT).read_text())
    assert on_disk == final
    check(final, "continuous_monitoring_final_report.schema.json")
    assert final["monitoring_started"] == "2026-11-27T09:01:01Z"
    assert final["monitoring_ended"] == "2026-11-27T09:04:04Z"
    assert final["total_iterations"] == 2
    assert final["stop_reason"] == "all_passing"
    assert final["exit_code"] == 0
    assert [i["state"] for i in final["iterations"]] == ["fixes_applied", "all_passing"]
    assert final["workflows"][0]["run_id"] == 11
    assert final["errors"] == [{"iteration": 1, "message": "rate limited; waited for the reset"}]
    html = (tmp_path / HTML_REPORT).read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "add PyYAML to requirements.txt" in html
    with pytest.raises(RuntimeError, match="finalized"):
        log.record_iteration(workflows=[state()])
    with pytest.raises(RuntimeError, match="finalized"):
        log.finalize("again", 0)


def test_finalize_before_any_iteration(tmp_path: Path) -> None:
    final = MonitorLog(tmp_path / "r", clock=Clock()).finalize("signal SIGINT", 130)
    check(final, "continuous_monitoring_final_report.schema.json")
    assert final["total_iterations"] == 0
    assert final["success_rate_value"] == 1.0
    assert "No iterations recorded." in (tmp_path / "r" / HTML_REPORT).read_text()


def test_snapshot_writes_nothing_and_returned_reports_are_copies(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    report = log.record_iteration(workflows=[state()], fixes=[fix()])
    report["fixes"][0]["description"] = "changed by the caller"
    report["issues"].append({"junk": True})
    snap = log.snapshot()
    assert snap["fixes"][0]["description"] == "add PyYAML to requirements.txt"
    assert snap["total_issues_found"] == 0
    assert snap["stop_reason"] is None and snap["exit_code"] is None
    assert len(list(tmp_path.iterdir())) == 1
    snap["fixes"].clear()
    assert len(log.fixes) == 1


def test_a_failed_write_records_nothing_and_can_be_retried(tmp_path: Path) -> None:
    blocked = tmp_path / "reports"
    blocked.write_text("a file where the folder should be")
    log = MonitorLog(blocked, clock=Clock())
    with pytest.raises(OSError):
        log.record_iteration(
            workflows=[state()], issues=[IssueRecord(finding=finding(), workflow="CI")]
        )
    assert log.iteration == 0 and log.total_issues_found == 0
    blocked.unlink()
    report = log.record_iteration(
        workflows=[state()], issues=[IssueRecord(finding=finding(), workflow="CI")]
    )
    assert report["iteration"] == 1 and report["total_issues_found"] == 1


@pytest.mark.parametrize("after_rename", [False, True])
def test_an_interrupt_during_the_write_keeps_memory_and_disk_in_agreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_rename: bool
) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    log.record_iteration(workflows=[state()])

    def interrupt(*args: Any) -> None:
        raise KeyboardInterrupt

    if after_rename:
        monkeypatch.setattr(atomic, "fsync_directory", interrupt)
    else:
        monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        log.record_iteration(
            workflows=[state()], issues=[IssueRecord(finding=finding(), workflow="CI")]
        )
    monkeypatch.undo()
    expected = 2 if after_rename else 1
    assert log.iteration == expected
    assert len(iteration_files(tmp_path)) == expected
    assert not list(tmp_path.glob(".*"))
    resumed = MonitorLog.resume(tmp_path, clock=Clock())
    assert (resumed.iteration, resumed.total_issues_found) == (
        log.iteration,
        log.total_issues_found,
    )


# --- resume


def _three_iterations(folder: Path, clock: Clock) -> MonitorLog:
    log = MonitorLog(folder, clock=clock, repository="octo/demo")
    log.record_iteration(
        workflows=[state()],
        issues=[IssueRecord(finding=finding(), workflow="CI", run_id=10)],
        fixes=[fix(sha="c" * 40)],
    )
    log.record_iteration(
        workflows=[state(run_id=11)],
        issues=[
            IssueRecord(
                finding=finding(IssueType.TEST_FAILURE, fixable=False), workflow="CI", run_id=11
            )
        ],
        errors=["boom"],
    )
    log.record_iteration(
        workflows=[state("success", run_id=12, sha="c" * 40)], rate_limit_remaining=77
    )
    return log


def test_resume_continues_the_totals_and_numbering(tmp_path: Path) -> None:
    clock = Clock()
    before = _three_iterations(tmp_path, clock)
    (tmp_path / "continuous_monitoring_report_garbage.json").write_text("{not json")
    (tmp_path / "continuous_monitoring_report_other.json").write_text('{"kind": "iteration"}')
    resumed = MonitorLog.resume(tmp_path, clock=clock)
    assert resumed.session_id == before.session_id
    assert resumed.iteration == 3
    assert resumed.started == before.started
    assert resumed.repository == "octo/demo"
    assert resumed.snapshot()["issues"] == before.snapshot()["issues"]
    fourth = resumed.record_iteration(
        workflows=[state(run_id=13)],
        issues=[IssueRecord(finding=finding(line=1), workflow="CI", run_id=13)],
        fixes=[fix(sha="e" * 40)],
    )
    assert fourth["iteration"] == 4
    assert fourth["total_issues_found"] == 3
    assert fourth["total_fixes_applied"] == 2
    assert fourth["issues"][0]["id"] == "issue-3"
    assert fourth["fixes"][0]["id"] == "fix-2"
    assert fourth["issues_by_type"] == {"missing_dependency": 2, "test_failure": 1}
    final = resumed.finalize("max_iterations", 1)
    check(final, "continuous_monitoring_final_report.schema.json")
    assert final["total_iterations"] == 4
    assert final["fixes"][0]["verified_by_run"] == 12  # verified before the restart
    assert final["errors"] == [{"iteration": 2, "message": "boom"}]
    assert [i["iteration"] for i in final["iterations"]] == [1, 2, 3, 4]


def test_resume_after_a_finished_session_or_in_an_empty_folder_starts_fresh(tmp_path: Path) -> None:
    empty = MonitorLog.resume(tmp_path / "none", clock=Clock())
    assert empty.iteration == 0
    clock = Clock()
    done = _three_iterations(tmp_path, clock)
    done.finalize("all_passing", 0)
    again = MonitorLog.resume(tmp_path, clock=clock)
    assert again.iteration == 0
    assert again.session_id != done.session_id
    assert again.record_iteration(workflows=[state()])["total_issues_found"] == 0


def test_resume_warns_about_a_missing_iteration_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    _three_iterations(tmp_path, clock)
    iteration_files(tmp_path)[1].unlink()
    resumed = MonitorLog.resume(tmp_path, clock=clock)
    assert resumed.iteration == 3
    assert resumed.total_issues_found == 1  # iteration 2's issue went with its file
    assert "no report for iteration(s) 2 to 2" in caplog.text


def test_resume_does_not_continue_another_repositorys_session(tmp_path: Path) -> None:
    clock = Clock()
    _three_iterations(tmp_path, clock)
    assert MonitorLog.resume(tmp_path, clock=clock, repository="octo/other").iteration == 0
    assert MonitorLog.resume(tmp_path, clock=clock, repository="octo/demo").iteration == 3


def test_resume_picks_the_latest_session(tmp_path: Path) -> None:
    clock = Clock()
    _three_iterations(tmp_path, clock)  # abandoned without a final report
    newer = MonitorLog(tmp_path, clock=clock)
    newer.record_iteration(workflows=[state()])
    resumed = MonitorLog.resume(tmp_path, clock=clock)
    assert resumed.session_id == newer.session_id
    assert resumed.iteration == 1


@pytest.mark.parametrize("where", ["in_rename", "after_rename"])
def test_kill_9_mid_iteration_then_resume(tmp_path: Path, where: str) -> None:
    """A real monitor process is SIGKILLed while writing iteration 3; a restart continues."""
    script = textwrap.dedent(
        """
        import os, sys
        from datetime import datetime, timedelta, UTC
        from smartmon.model import Finding, IssueType, Severity
        from smartmon.report import IssueRecord, MonitorLog, WorkflowState
        from smartmon import atomic

        folder, where = sys.argv[1], sys.argv[2]
        t = [datetime(2026, 11, 27, 9, 0, tzinfo=UTC)]
        def clock():
            t[0] += timedelta(seconds=61)
            return t[0]
        log = MonitorLog(folder, clock=clock)
        for n in range(1, 4):
            if n == 3:
                real = os.replace
                def replace(src, dst):
                    if where == "after_rename":
                        real(src, dst)
                    print("iteration 3 being written", flush=True)
                    sys.stdin.read()
                os.replace = replace
            f = Finding(type=IssueType.IMPORT_ERROR, severity=Severity.HIGH, auto_fixable=False,
                        rule="r", job="j", step="s", line=n, text=f"failure {n}")
            log.record_iteration(workflows=[WorkflowState(name="CI", run_id=n, conclusion="failure")],
                                 issues=[IssueRecord(finding=f, workflow="CI", run_id=n)])
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path), where],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "iteration 3 being written"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    for path in tmp_path.iterdir():
        if path.name.startswith("continuous_monitoring_report_"):
            json.loads(path.read_text())  # every visible report is complete
    resumed = MonitorLog.resume(tmp_path, clock=Clock(step=timedelta(hours=1)))
    done = 3 if where == "after_rename" else 2
    assert resumed.iteration == done
    assert resumed.total_issues_found == done
    assert not list(tmp_path.glob(".*"))  # stale temp files are cleaned up
    nxt = resumed.record_iteration(workflows=[state()])
    assert nxt["iteration"] == done + 1
    assert nxt["total_issues_found"] == done


def test_a_failure_a_rerun_meets_again_is_not_counted_healable(tmp_path: Path) -> None:
    # Heal never re-runs a job killed for memory (exit 137) or one whose rule says a re-run meets
    # the same failure; the success rate's basis does not count them either.
    log = MonitorLog(tmp_path, clock=Clock())
    killed = replace(
        finding(
            IssueType.RUNNER_FAILURE, fixable=False, text="Process completed with exit code 137."
        ),
        rule="killed-exit-137",
    )
    net = finding(IssueType.NETWORK_ERROR, fixable=False, text="Could not resolve host: pypi.org")
    log.record_iteration(
        workflows=[state(run_id=30)],
        issues=[
            IssueRecord(finding=killed, workflow="CI", run_id=30),
            IssueRecord(finding=net, workflow="CI", run_id=30, run_attempt=1),
        ],
    )
    final = log.finalize("max_iterations", 1)
    assert final["success_rate_basis"]["healable_issues"] == 1
