"""A cause whose remedy is not its type's usual one says so (the rule's `next:`): a cloud IAM denial
or git's dubious ownership is a permission_error, but no workflow `permissions:` entry fixes it.
A rule's `checks:` ask the engine to read the lines around its hit (diagnose/rules CHECKS)."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import classify
from smartmon.diagnose.rules import CHECKS, load_rules, rule_next_step
from smartmon.report import NEXT_STEPS, next_step
from smartmon.report.render import render_text

ENGINE = Path(classify.__file__).parent


def test_every_check_is_asked_for_and_read() -> None:
    """A rule's `checks:` name something the engine does (verdict, benign, settle, retries,
    upstream read them; heal asks the rules which failures a re-run meets again); none is dead."""
    asked = {name for rule in load_rules() for name in rule.checks}
    assert asked == set(CHECKS)
    code = "".join(
        path.read_text() for path in sorted(ENGINE.rglob("*.py")) if path.name != "entries.py"
    )
    assert [name for name in CHECKS if f'"{name}"' not in code] == []


def test_a_rule_without_its_own_remedy_gets_its_type_s() -> None:
    assert rule_next_step("no-such-rule") is None
    plain = next(rule for rule in load_rules() if rule.next_step is None and not rule.advisory)
    assert rule_next_step(plain.id) is None


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
    assert next_step(top) == rule_next_step(top.rule) != NEXT_STEPS[top.type]
    assert "service account" in render_text(analysis)


def test_a_concurrency_cancel_is_no_timeout(tmp_path: Path) -> None:
    """A newer run in the same concurrency group cancelled the job: a longer timeout cannot help."""
    log = tmp_path / "paste.txt"
    log.write_text(
        "Canceling since a higher priority waiting request for 'pages' exists\n"
        "The operation was canceled.\n"
    )
    [top, *_] = classify.analyze_paths([log]).findings
    assert top.rule == "concurrency-cancelled" and top.type.value == "unknown"
    assert "concurrency" in next_step(top)


def test_a_rule_says_when_a_rerun_meets_the_same_failure() -> None:
    from smartmon.diagnose import rerun_helps

    assert rerun_helps("runner-lost-communication")  # the machine went away: try another
    assert rerun_helps("terminated-exit-143")
    assert rerun_helps("no-such-rule")
    for rule_id in ("git-lfs-quota-exceeded", "process-killed-oom", "apt-fetch-not-found"):
        assert not rerun_helps(rule_id), rule_id
    assert not rerun_helps("killed-exit-137")  # a silent SIGKILL: the OOM killer, most often


def test_a_failure_a_rerun_meets_again_is_not_sent_to_a_rerun(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run npm run build\n"
        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
        "Error: Process completed with exit code 134.\n"
    )
    finding = classify.analyze_paths([log]).findings[0]
    assert finding.type.value == "runner_failure"
    assert "re-run the failed jobs" not in next_step(finding)
    assert "a re-run meets the same failure" in next_step(finding)
    lost = tmp_path / "lost.txt"
    lost.write_text(
        "##[error]The runner has received a shutdown signal. This can happen when the runner"
        " service is stopped, or a manually started runner is canceled.\n"
    )
    transient = classify.analyze_paths([lost]).findings[0]
    assert transient.type.value == "runner_failure"
    assert "re-run" in next_step(transient)
