"""Heal one failed run, end to end: guards → logs → classify → plan fixes → deliver → verify.

Used by the composite action (one `workflow_run` event) and by the monitor (each failed run it
sees). Transient failures get a rerun of the failed jobs (with backoff and the attempt cap), never
an edit; a run with any non-transient finding is never rerun. Every skip has a one-line reason.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from smartmon.diagnose import rerun_helps
from smartmon.fixers import FixContext, Workspace, WorkspaceError, plan_fixes
from smartmon.github import GitHubClient
from smartmon.github import git as gitops
from smartmon.heal import delivery, failing_commit, optout, verify
from smartmon.heal import guards as heal_guards
from smartmon.heal import secrets as missing_secrets
from smartmon.heal.action_lookups import known_actions
from smartmon.heal.failed_jobs import diagnose
from smartmon.heal.result import HealOptions, HealResult, result_of
from smartmon.heal.tracking_issue import default_branch as find_default_branch
from smartmon.model import Finding, Fix
from smartmon.report import next_step

__all__ = ["heal", "render_summary"]

log = logging.getLogger(__name__)


def heal(
    client: GitHubClient,
    run: int | Mapping[str, Any],
    *,
    workspace: Path,
    options: HealOptions,
    token: str | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    action_cache: Path | None = None,
) -> HealResult:
    """Heal one failed run; `workspace` is a git checkout of the repository (remote `origin`).

    A deprecated action the dataset cannot answer for is looked up with `token`; the answers'
    ETags are kept in `action_cache` (default: under `$RUNNER_TEMP`, else the user's cache).
    """
    if options.mode not in delivery.MODES:
        raise ValueError(f"mode {options.mode!r}: expected one of {', '.join(delivery.MODES)}")
    data = _run_data(client, run)
    run_id = int(data["id"])
    reason = heal_guards.run_skip_reason(data, options.max_attempts)
    if reason:
        return result_of(run_id, skipped=reason, run=data)
    head_sha = str(data["head_sha"])
    fork = _is_fork(data)
    notes: list[str] = []
    checked_out = failing_commit.check_out(workspace, head_sha, token, notes)
    workflow_path = str(data.get("path") or "").partition("@")[0] or None
    workflow_text = failing_commit.read_file(workspace, workflow_path) if checked_out else None
    if heal_guards.is_own_workflow(workflow_text):
        return result_of(run_id, skipped=f"{workflow_path} runs smartmon itself", run=data)
    pull = optout.pull_for_run(client, data)
    opted_out = optout.opt_out_reason(
        client, data, pull, skip_label=options.skip_label, workspace=workspace
    )
    if opted_out:
        options = replace(options, mode="report")  # the delivery and the rerun both honour it
        notes.append(f"report only, nothing pushed: {opted_out}")
    history_reason = None
    if checked_out:
        tip = failing_commit.branch_tip(workspace, data, fork, token)
        history_reason = heal_guards.history_skip_reason(workspace, head_sha, tip)
    diag = diagnose(client, data)
    notes += diag.notes
    analysis = diag.analysis
    common: dict[str, Any] = {"analysis": analysis, "run": data, "job_ids": diag.job_ids}
    common |= {"opted_out": opted_out, "pull_number": _number(pull)}
    if not analysis.findings:
        if history_reason:
            return result_of(run_id, skipped=history_reason, run=data)
        nothing = ("no failure cause found in the logs; read the failed jobs' logs",)
        return result_of(run_id, next_steps=nothing, notes=tuple(notes), **common)
    lasting = [f for f in analysis.findings if not _transient(f)]
    if not lasting:
        # A re-run edits nothing, and run_attempt caps it, so it is allowed on our own commits too:
        # a fix commit whose run then hits a network error must not stay red.
        return _rerun(client, data, options, fork, sleep, notes, common)
    if history_reason:
        return result_of(run_id, skipped=history_reason, run=data)
    if not checked_out:
        steps = tuple(_advice(lasting, ()))
        return result_of(run_id, next_steps=steps, notes=tuple(notes), **common)
    return _fix(
        client,
        data,
        options,
        workspace,
        workflow_path,
        workflow_text,
        lasting,
        fork,
        token,
        clock,
        sleep,
        notes,
        common,
        action_cache,
    )


def _fix(
    client: GitHubClient,
    data: Mapping[str, Any],
    options: HealOptions,
    workspace: Path,
    workflow_path: str | None,
    workflow_text: str | None,
    lasting: Sequence[Finding],
    fork: bool,
    token: str | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    notes: list[str],
    common: dict[str, Any],
    action_cache: Path | None,
) -> HealResult:
    run_id = int(data["id"])
    wanted = [f for f in lasting if options.fix_types is None or f.type in options.fix_types]
    ws = Workspace(workspace)
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    # Read-only lookups, so a fork run gets them too (its report then names the right versions),
    # but of public repositories only, or the run's own owner's: the token is the base's.
    owner = str(((data.get("repository") or {}).get("owner") or {}).get("login") or "")
    actions = known_actions(
        client, wanted, ws, token=token, cache=action_cache, fork=fork, owner=owner or None
    )
    ctx = FixContext(workflow=workflow_path, server_url=server, fork=fork, actions=actions)
    fixes = plan_fixes(wanted, ws, ctx)
    edits = list(ws.staged())
    steps = _advice(lasting, fixes)
    if not edits:
        return result_of(
            run_id,
            fixes=tuple((f, False) for f in fixes),
            next_steps=tuple(steps),
            notes=tuple(notes),
            **common,
        )
    default_branch = find_default_branch(client, data)
    plan = delivery.choose(
        mode=options.mode,
        fork=fork,
        branch=data.get("head_branch"),
        default_branch=default_branch,
        fixes=fixes,
        edits=edits,
        can_push_workflows=options.can_push_workflows,
    )
    if options.dry_run:
        notes.append(f"dry run: would deliver as {plan.kind} ({plan.reason})")
        return result_of(
            run_id,
            fixes=tuple((f, False) for f in fixes),
            patch=ws.diff(edits),  # nothing applied: the diff against the disk is the plan
            next_steps=tuple(steps),
            notes=tuple(notes),
            **common,
        )
    planned = ws.diff(edits)  # before delivering: applying makes the disk equal to the edits
    try:
        outcome = delivery.deliver(
            plan,
            client=client,
            ws=ws,
            edits=edits,
            fixes=fixes,
            run=data,
            default_branch=default_branch,
            token=token,
        )
    except (gitops.GitError, WorkspaceError) as exc:
        notes.append(f"delivering the fix failed: {exc}")
        outcome = delivery.Outcome(delivery="patch", patch=planned)
    notes += outcome.notes
    steps += outcome.next_steps
    if outcome.stale:
        return result_of(
            run_id,
            skipped=outcome.notes[0],
            fixes=tuple((f, False) for f in fixes),
            patch=outcome.patch,
            notes=tuple(notes),
            **common,
        )
    pushed = outcome.delivery in ("commit", "pull-request") and outcome.commit_sha is not None
    create = options.create_secrets and pushed  # a secret for a fix nobody pushed is noise
    created, missing = missing_secrets.settle(client, fixes, wanted, create=create, fork=fork)
    if created:
        steps.append(
            f"smartmon created the secret(s) {', '.join(created)} with a random value: set the "
            "real value under Settings → Secrets and variables → Actions"
        )
    for name in missing:
        steps.append(
            f"make sure the repository secret {name} exists "
            "(Settings → Secrets and variables → Actions)"
        )
    if outcome.delivery == "patch":
        steps.append("apply the patch (job summary or report artifact) and push it")
    check = verify.Verification(status="not needed")
    if pushed and outcome.commit_sha and outcome.branch:
        check = verify.verify_push(
            client,
            run=data,
            sha=outcome.commit_sha,
            branch=outcome.branch,
            workflow_text=workflow_text,
            token_starts_runs=options.token_starts_runs,
            timeout=options.verify_timeout,
            clock=clock,
            sleep=sleep,
        )
        steps += check.next_steps
    applied = pushed
    return result_of(
        run_id,
        fixes=tuple((f, applied and f.applicable) for f in fixes),
        delivery=outcome.delivery,
        commit_sha=outcome.commit_sha,
        pull_request_url=outcome.pull_request_url,
        patch=outcome.patch,
        verification=check.status,
        verification_run_id=check.run_id,
        secrets_created=tuple(created),
        secrets_missing=tuple(missing),
        next_steps=tuple(dict.fromkeys(steps)),
        notes=tuple(notes),
        **common,
    )


def _rerun(
    client: GitHubClient,
    data: Mapping[str, Any],
    options: HealOptions,
    fork: bool,
    sleep: Callable[[float], None],
    notes: list[str],
    common: dict[str, Any],
) -> HealResult:
    run_id = int(data["id"])
    attempt = int(data.get("run_attempt") or 1)
    steps = ["transient failure: re-run the failed jobs"]
    if fork:
        notes.append("the run came from a fork: not re-run automatically")
    elif options.mode == "report" or options.dry_run:
        notes.append("report only: a re-run would be the fix")
    elif attempt >= options.max_attempts:
        notes.append(f"attempt cap: the run has had {attempt} of {options.max_attempts} attempts")
        steps = ["the failure persisted over re-runs: look for an outage or a real cause"]
    else:
        new_attempt, why_not = verify.rerun_failed(client, data, sleep=sleep)
        if new_attempt is not None:
            return result_of(
                run_id,
                delivery="rerun",
                rerun_attempt=new_attempt,
                verification="pending",
                verification_run_id=run_id,
                notes=tuple(notes),
                **common,
            )
        notes.append(str(why_not))
    return result_of(run_id, next_steps=tuple(steps), notes=tuple(notes), **common)


def _advice(findings: Sequence[Finding], fixes: Sequence[Fix]) -> list[str]:
    fixed = {f.type for f in fixes if f.applicable}
    steps: list[str] = []
    for fix in fixes:
        if not fix.applicable and fix.reason:
            steps.append(f"{fix.type.value}: no safe automatic fix: {fix.reason}")
    for finding in findings:
        if finding.type not in fixed:
            steps.append(f"{finding.type.value}: {next_step(finding)}")
    return list(dict.fromkeys(steps))


def _transient(finding: Finding) -> bool:
    # Transient by type, but some causes meet a re-run again (memory, quotas, a stale apt index):
    # their rules say so (`checks: [same-on-rerun]`).
    return finding.transient and rerun_helps(finding.rule)


def _number(pull: Mapping[str, Any] | None) -> int | None:
    return int(pull["number"]) if pull is not None and "number" in pull else None


def _is_fork(run: Mapping[str, Any]) -> bool:
    head = (run.get("head_repository") or {}).get("id")
    base = (run.get("repository") or {}).get("id")
    return head is not None and base is not None and head != base


def _run_data(client: GitHubClient, run: int | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(run, Mapping):
        data = run.get("workflow_run", run)  # a workflow_run event payload or a run object
        if isinstance(data, Mapping) and "id" in data and "head_sha" in data:
            return data
        raise ValueError("run: expected a workflow run object or a workflow_run event payload")
    return client.get_run(int(run))


def render_summary(result: HealResult, *, server_url: str, repo: str) -> str:
    """The job summary for one heal (Markdown, escaped, redacted)."""
    from smartmon.heal.summary import render

    return render(result, server_url=server_url, repo=repo)
