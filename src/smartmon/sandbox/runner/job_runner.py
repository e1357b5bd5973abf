"""Run one job (one matrix leg): "Set up job", its steps, post steps and "Complete job"."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner import job_setup
from smartmon.sandbox.runner.deprecations import deprecated_action_error, retired_label_error
from smartmon.sandbox.runner.expressions import Evaluator, ExpressionError, to_str
from smartmon.sandbox.runner.job_context import JobContext, Scope, Services, StepOutcome
from smartmon.sandbox.runner.joblog import Clock, JobLog, Masker
from smartmon.sandbox.runner.run_contexts import as_list
from smartmon.sandbox.runner.runtypes import (
    Annotation,
    JobConclusion,
    JobResult,
    RunRequest,
    StepResult,
)
from smartmon.sandbox.runner.shell_step import kill_orphans
from smartmon.sandbox.runner.step_exec import (
    BUILTINS,
    display_name,
    execute_step,
    read_action_metadata,
    split_uses,
)
from smartmon.sandbox.runner.workflow_file import WorkflowFile

log = logging.getLogger(__name__)


@dataclass
class JobRunner:
    """Executes jobs in per-job directories under ``work_root``."""

    clock: Clock
    work_root: Path
    keep_work: bool = False
    action_map: Mapping[str, Path] = field(default_factory=dict)

    def failed_job(self, key: str, name: str, needs: list[str], message: str) -> JobResult:
        now = self.clock()
        joblog = JobLog(self.clock, Masker())
        annotation = joblog.error_annotation(message)
        text = joblog.text()
        step = StepResult(1, "Set up job", "failure", now, now, text)
        return JobResult(
            key, name, "failure", now, now, [], [step], text, [annotation], needs=tuple(needs)
        )

    def run_leg(
        self,
        request: RunRequest,
        services: Services,
        wf: WorkflowFile,
        key: str,
        job: Mapping[str, Any],
        name: str,
        contexts: dict[str, Any],
        needs: list[str],
    ) -> JobResult:
        masker = Masker([*request.secrets.values(), request.token])
        joblog = JobLog(self.clock, masker)
        started = self.clock()
        root = (
            self.work_root
            / "jobs"
            / f"{request.run_id}-{request.run_attempt}-{key}-{time.monotonic_ns()}"
        )
        ctx = JobContext(request, services, key, name, joblog, root, contexts)
        ev = Evaluator(contexts)
        runs_on = ev.interpolate_value(job.get("runs-on", "ubuntu-latest"))
        if isinstance(runs_on, dict):
            labels = [to_str(v) for v in as_list(runs_on.get("labels"))]
        else:
            labels = [to_str(v) for v in as_list(runs_on)]
        retired = retired_label_error(labels)
        if retired:
            ctx.annotations.append(joblog.error_annotation(retired))
            return self._finish(ctx, key, name, labels, needs, started, [], {}, "failure")

        steps: list[StepResult] = []
        joblog.begin_step()
        setup_start = self.clock()
        problem = self._set_up(ctx, wf, job, labels)
        steps.append(
            StepResult(
                1,
                "Set up job",
                "failure" if problem else "success",
                setup_start,
                self.clock(),
                joblog.step_text(),
            )
        )
        if problem:
            line = joblog.line_count  # the ##[error] line _set_up wrote last
            ctx.annotations.append(Annotation("failure", problem, start_line=line, end_line=line))
            return self._finish(ctx, key, name, labels, needs, started, steps, {}, "failure")

        scope = Scope(steps={}, inputs=contexts["inputs"])
        for step in job.get("steps") or []:
            joblog.begin_step()
            step_start = self.clock()
            step_name = display_name(step, ctx.evaluator(scope, ctx.env))
            if ctx.timed_out or (ctx.request.cancel.is_set() and ctx.status != "cancelled"):
                ctx.status = "cancelled"
            try:
                outcome = execute_step(ctx, scope, step)
            except Exception as exc:  # a sandbox bug must fail the step, not the server
                log.exception("step %r of job %r crashed", step_name, key)
                ctx.annotations.append(joblog.error_annotation(f"smartmon sandbox error: {exc}"))
                ctx.status = "failure"
                outcome = StepOutcome("failure", "failure")
            steps.append(
                StepResult(
                    len(steps) + 1,
                    step_name,
                    outcome.conclusion,
                    step_start,
                    self.clock(),
                    joblog.step_text(),
                )
            )
        for post in reversed(ctx.post_steps):
            joblog.begin_step()
            post_start = self.clock()
            run_it = ctx.evaluator(scope, ctx.env).condition(post.condition)
            conclusion: JobConclusion = "skipped"
            if run_it:
                joblog.write("Post job cleanup.")
                try:
                    conclusion = "success" if post.action(ctx) else "failure"
                except Exception as exc:  # as above: report, never crash the run
                    log.exception("post step %r of job %r crashed", post.name, key)
                    joblog.error(f"smartmon sandbox error: {exc}")
                    conclusion = "failure"
            steps.append(
                StepResult(
                    len(steps) + 1, post.name, conclusion, post_start, self.clock(),
                    joblog.step_text(),
                )
            )  # fmt: skip
        joblog.begin_step()
        complete_start = self.clock()
        outputs = self._job_outputs(ctx, scope, job)
        joblog.write("Cleaning up orphan processes")
        for group in ctx.process_groups:
            for pid, process in kill_orphans(group):
                joblog.write(f"Terminate orphan process: pid ({pid}) ({process})")
        steps.append(
            StepResult(
                len(steps) + 1, "Complete job", "success", complete_start, self.clock(),
                joblog.step_text(),
            )
        )  # fmt: skip
        if ctx.timed_out or ctx.status == "cancelled":
            conclusion = "cancelled"
        else:
            conclusion = "failure" if ctx.status == "failure" else "success"
        return self._finish(ctx, key, name, labels, needs, started, steps, outputs, conclusion)

    def _set_up(
        self, ctx: JobContext, wf: WorkflowFile, job: Mapping[str, Any], labels: list[str]
    ) -> str | None:
        """Write the "Set up job" log; return GitHub's error text when the job cannot start."""
        data = wf.data or {}
        try:
            image = job_setup.image_for(labels)
        except job_setup.UnsupportedLabel as exc:
            ctx.log.error(str(exc))
            return str(exc)
        perms = job_setup.token_permissions(
            data.get("permissions"),
            job.get("permissions"),
            default=ctx.request.default_permissions,
            fork=ctx.request.fork,
        )
        job_setup.write_preamble(ctx.log, image, perms)
        remote: list[str] = []
        for step in job.get("steps") or []:
            uses = str(step.get("uses", "")) if isinstance(step, dict) else ""
            if uses and not uses.startswith(("./", "docker://")):
                remote.append(uses)
                remote.extend(self._nested_uses(uses))
        ctx.log.write("Getting action download info")
        for uses in dict.fromkeys(remote):
            repo, _, ref = split_uses(uses)
            error = deprecated_action_error(repo, ref)
            if error:
                ctx.log.error(error)
                return error
            ctx.log.write(f"Download action repository '{uses}' (SHA:{job_setup.action_sha(uses)})")
        try:
            ctx.make_dirs()
            event_path = ctx.temp / "_github_workflow" / "event.json"
            event_path.parent.mkdir(parents=True, exist_ok=True)
            event_path.write_text(json.dumps(ctx.request.payload, indent=2), encoding="utf-8")
            ev = Evaluator(ctx.contexts)
            for level in (data, job):
                for k, v in (level.get("env") or {}).items():
                    ctx.env[str(k)] = to_str(ev.interpolate_value(v))
                    ev = Evaluator({**ctx.contexts, "env": dict(ctx.env)})
                run_defaults = (level.get("defaults") or {}).get("run") or {}
                ctx.defaults.update({str(k): to_str(v) for k, v in run_defaults.items()})
            minutes = job.get("timeout-minutes", 360)
            ctx.timeout_minutes = float(to_str(ev.interpolate_value(minutes)))
            ctx.deadline = time.monotonic() + ctx.timeout_minutes * 60
        except (ExpressionError, ValueError) as exc:
            ctx.log.error(str(exc))
            return str(exc)
        ctx.log.write(f"Complete job name: {ctx.name}")
        return None

    def _nested_uses(self, uses: str) -> list[str]:
        """``uses:`` inside a mapped composite action (the runner resolves them at set-up too)."""
        folder = self.action_map.get(uses) or self.action_map.get(uses.partition("@")[0])
        if folder is None or split_uses(uses)[0] in BUILTINS:
            return []
        meta = read_action_metadata(Path(folder)) or {}
        steps = (meta.get("runs") or {}).get("steps") or []
        return [
            str(s["uses"])
            for s in steps
            if isinstance(s, dict) and "uses" in s and not str(s["uses"]).startswith("./")
        ]

    def _job_outputs(self, ctx: JobContext, scope: Scope, job: Mapping[str, Any]) -> dict[str, str]:
        spec = job.get("outputs") or {}
        if not spec:
            return {}
        ctx.log.write("Evaluate and set job outputs")
        ev = ctx.evaluator(scope, ctx.env)
        outputs: dict[str, str] = {}
        for k, v in spec.items():
            try:
                value = to_str(ev.interpolate_value(v))
            except ExpressionError as exc:
                ctx.log.warning(str(exc))
                continue
            if "***" in ctx.log.masker.mask(value) and value != "***":
                ctx.log.warning(f"Skip output '{k}' since it may contain secret.")
                continue
            ctx.log.write(f"Set output '{k}'")
            outputs[str(k)] = value
        return outputs

    def _finish(
        self,
        ctx: JobContext,
        key: str,
        name: str,
        labels: list[str],
        needs: list[str],
        started: datetime,
        steps: list[StepResult],
        outputs: dict[str, str],
        conclusion: JobConclusion,
    ) -> JobResult:
        if not self.keep_work:
            shutil.rmtree(ctx.root, ignore_errors=True)
        return JobResult(
            key=key,
            name=name,
            conclusion=conclusion,
            started_at=started,
            completed_at=self.clock(),
            labels=labels,
            steps=steps,
            log=ctx.log.text(),
            annotations=list(ctx.annotations),
            needs=tuple(needs),
            outputs=outputs,
        )
