"""Verdicts the security-scanner sweep relies on beyond single rules: a secret scanner's finding
block as the place, and a scanner's findings table in a step that passed as a report, not the cause.

Texts are the tools' real formats with names changed; the threads are named in rules/70-lint.yaml
and diagnose/location_search.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, top_finding


def _gitleaks_block(path: str, line: str) -> list[str]:
    return [
        'Finding:     "token": "REDACTED",',
        "Secret:      REDACTED",
        "RuleID:      generic-api-key",
        f"File:        {path}",
        f"Line:        {line}",
        "Commit:      5c1f9e0a4d7b2c3e8f6a1b0d9e7c5a3b2f4d6e8a",
        f"Fingerprint: 5c1f9e0a4d7b2c3e8f6a1b0d9e7c5a3b2f4d6e8a:{path}:generic-api-key:{line}",
        "",
    ]


def test_gitleaks_first_finding_is_the_place(tmp_path: Path) -> None:
    lines = [
        "##[group]Run gitleaks detect -v",
        "##[endgroup]",
        *_gitleaks_block("config/dev.env", "3"),
        *_gitleaks_block("deploy/values.yaml", "41"),
        "9:02AM INF 12 commits scanned.",
        "9:02AM WRN leaks found: 2",
        FAILED,
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "lint_failure"
    assert (facts["tool"], facts["file"], facts["line"]) == ("gitleaks", "config/dev.env", "3")


def test_gitleaks_finding_under_the_workspace_path(tmp_path: Path) -> None:
    # `gitleaks dir` on a runner prints the absolute path; the finding's file is repository-relative.
    lines = [
        "##[group]Run gitleaks dir . -v",
        "##[endgroup]",
        *_gitleaks_block("/home/runner/work/app/app/scripts/seed.py", "12"),
        "9:02AM WRN leaks found: 1",
        FAILED,
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "lint_failure"
    assert (facts.get("file"), facts.get("line")) == ("scripts/seed.py", "12")


@pytest.mark.parametrize("failed", [True, False])
def test_trivy_table_counts_only_in_the_failing_step(tmp_path: Path, failed: bool) -> None:
    scan = [
        "##[group]Run aquasecurity/trivy-action@0.24.0",
        "##[endgroup]",
        "acme/app:1.0 (alpine 3.20.3)",
        "Total: 2 (HIGH: 2, CRITICAL: 0)",
    ]
    if failed:
        lines = [*scan, FAILED]
    else:
        lines = [
            *scan,
            "##[group]Run ./deploy.sh",
            "##[endgroup]",
            "deploy: release quota reached for environment prod",
            "##[error]Process completed with exit code 3.",
        ]
    kind, facts = top_finding(tmp_path, lines)
    if failed:
        assert (kind, facts.get("tool")) == ("lint_failure", "trivy")
    else:
        assert kind == "unknown"


def test_npm_audit_report_in_a_passing_step_is_no_cause(tmp_path: Path) -> None:
    # `npm audit` below --audit-level exits 0 after printing its report; the later failure is the cause.
    lines = [
        "##[group]Run npm audit --audit-level=critical",
        "##[endgroup]",
        "# npm audit report",
        "axios  1.0.0 - 1.11.0",
        "Severity: high",
        "1 high severity vulnerability",
        "##[group]Run npm test",
        "##[endgroup]",
        "sh: 1: mocha: Permission denied",
        FAILED,
    ]
    kind, _ = top_finding(tmp_path, lines)
    assert kind != "lint_failure"
