"""A cause whose remedy is not its type's usual one says so: a cloud IAM denial or git's dubious
ownership is a permission_error, but no workflow `permissions:` entry fixes it."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import classify
from smartmon.diagnose.rules import load_rules
from smartmon.report import NEXT_STEPS, RULE_NEXT_STEPS, next_step
from smartmon.report.render import render_text


def test_every_rule_with_its_own_remedy_exists() -> None:
    ids = {rule.id for rule in load_rules()}
    assert set(RULE_NEXT_STEPS) <= ids, set(RULE_NEXT_STEPS) - ids


def test_a_cloud_iam_denial_is_not_sent_to_the_workflow_permissions(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run gcloud run deploy web --source .\n"
        "ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission 'run.services.get' denied on"
        " resource 'namespaces/acme/services/web' (or resource may not exist).\n"
        "Error: Process completed with exit code 1.\n"
    )
    analysis = classify.analyze_paths([log])
    [top, *_] = analysis.findings
    assert top.type.value == "permission_error"
    assert next_step(top) == RULE_NEXT_STEPS[top.rule] != NEXT_STEPS[top.type]
    assert "service account" in render_text(analysis)
