"""workflow_file: which file a finding is about, local actions, and the crash guard around plans."""

from __future__ import annotations

from pathlib import Path

from smartmon.fixers import FixContext
from smartmon.fixers.target import finding_line, guarded, local_actions, target_workflow
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding, Fix, IssueType, Severity
from smartmon.workflows.text import parse


def _finding(**data: str) -> Finding:
    return Finding(
        type=IssueType.YAML_SYNTAX_ERROR,
        severity=Severity.CRITICAL,
        auto_fixable=True,
        rule="r",
        job="",
        step="",
        line=0,
        text="",
        data=data,
    )


def test_target_prefers_the_file_the_finding_names() -> None:
    ctx = FixContext(workflow=".github/workflows/ci.yml")
    assert target_workflow(_finding(file=".github/workflows/x.yaml"), ctx) == (
        ".github/workflows/x.yaml"
    )
    assert target_workflow(_finding(file="scripts/x.sh"), ctx) == ".github/workflows/ci.yml"
    assert target_workflow(_finding(), FixContext()) is None


def test_finding_line_only_for_the_workflow_itself() -> None:
    assert finding_line(_finding(file=".github/workflows/ci.yml", line="7")) == 6
    assert finding_line(_finding(file="scripts/x.sh", line="7")) is None
    assert finding_line(_finding(line="0")) is None


def test_local_actions_are_found_and_escapes_ignored(tmp_path: Path) -> None:
    (tmp_path / ".github/actions/a").mkdir(parents=True)
    (tmp_path / ".github/actions/a/action.yaml").write_text("runs: {using: composite, steps: []}\n")
    doc = parse(
        "jobs:\n  j:\n    steps:\n      - uses: ./.github/actions/a\n      - uses: ./../../x\n"
        "      - uses: ./missing\n      - uses: actions/checkout@v5\n"
    )
    assert local_actions(Workspace(tmp_path), doc) == [".github/actions/a/action.yaml"]


def test_a_planning_bug_becomes_a_refusal(tmp_path: Path) -> None:
    @guarded(IssueType.YAML_SYNTAX_ERROR)
    def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
        raise KeyError("merged")

    fix = plan(_finding(), Workspace(tmp_path), FixContext(workflow="w.yml"))
    assert fix is not None and not fix.applicable
    assert fix.reason is not None and "KeyError" in fix.reason
