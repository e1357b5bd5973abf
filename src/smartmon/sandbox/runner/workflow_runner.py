"""The sandbox workflow runner: runs a workflow's jobs locally with bash, logs like GitHub.

Jobs run one after another in ``needs`` order (matrix legs too), each in its own directory
under ``work_root`` with a fresh checkout, HOME, RUNNER_TEMP and tool cache.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner import job_setup, python_env
from smartmon.sandbox.runner.expressions import Evaluator, ExpressionError, truthy
from smartmon.sandbox.runner.job_context import Services
from smartmon.sandbox.runner.job_runner import JobRunner
from smartmon.sandbox.runner.joblog import Clock
from smartmon.sandbox.runner.matrix import MatrixError, expand, leg_name
from smartmon.sandbox.runner.run_contexts import (
    base_contexts,
    changed_files,
    invalid_workflow,
    job_order,
    needs_entry,
    run_conclusion,
)
from smartmon.sandbox.runner.runtypes import Annotation, JobResult, RunRequest, RunResult
from smartmon.sandbox.runner.triggers import event_matches, workflow_on
from smartmon.sandbox.runner.workflow_file import WorkflowFile, list_workflow_paths, read_workflow

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Runner:
    """Implements ``RunnerProtocol`` for the sandbox server and tests."""

    def __init__(
        self,
        action_map: Mapping[str, Path] | None = None,
        python: str = sys.executable,
        work_root: Path | None = None,
        clock: Clock | None = None,
        *,
        tool_cache: Path | None = None,
        wheelhouse: Path | None = None,
        keep_work: bool = False,
    ) -> None:
        self.action_map = dict(action_map or {})
        self.python = python
        if work_root is None:
            work_root = Path(tempfile.mkdtemp(prefix="smartmon-runner-"))
            atexit.register(shutil.rmtree, work_root, True)
        self.work_root = Path(work_root)
        self.clock: Clock = clock or _utcnow
        self.tool_cache = tool_cache or self.work_root / "toolcache"
        self._wheelhouse = wheelhouse
        self.keep_work = keep_work
        self._jobs = JobRunner(self.clock, self.work_root, keep_work, self.action_map)

    def services(self) -> Services:
        wheelhouse = self._wheelhouse or python_env.ensure_wheelhouse(
            self.tool_cache / "wheelhouse"
        )
        return Services(
            interpreter=python_env.probe(self.python),
            wheelhouse=wheelhouse,
            artifacts_root=self.work_root / "artifacts",
            cache_root=self.work_root / "cache",
            action_map=self.action_map,
        )

    def triggered_workflows(
        self, repo_dir: Path, sha: str, event: str, ref: str, payload: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        changed = changed_files(repo_dir, sha, payload) if event == "push" else None
        for path in list_workflow_paths(repo_dir, sha):
            wf = read_workflow(repo_dir, sha, path)
            if wf.data is None:
                if event == "push":  # GitHub reports broken files as failed push runs
                    found.append((wf.path, wf.name))
                continue
            if event_matches(workflow_on(wf.data), event, ref, payload, changed):
                found.append((wf.path, wf.name))
        return found

    def run(self, request: RunRequest) -> RunResult:
        wf = read_workflow(request.repo_dir, request.sha, request.workflow_path)
        if wf.data is None:
            assert wf.error is not None
            return RunResult("startup_failure", [], [wf.error])
        jobs: dict[str, Any] = wf.data["jobs"]
        order, problem = job_order(jobs)
        if problem:
            return RunResult("startup_failure", [], [invalid_workflow(wf.path, problem)])
        try:
            services = self.services()
        except (OSError, subprocess.CalledProcessError) as exc:
            message = f"smartmon sandbox cannot start jobs: {exc}"
            log.error("%s", message)
            return RunResult("failure", [], [Annotation("failure", message)])
        results: dict[str, list[JobResult]] = {}
        executed: list[JobResult] = []
        tolerated: list[JobResult] = []  # failed legs with jobs.<id>.continue-on-error
        for key in order:
            if request.jobs_to_run is not None and key not in request.jobs_to_run:
                results[key] = list(request.previous_jobs.get(key, []))
                continue
            legs = self._run_job(request, services, wf, key, jobs[key], results, tolerated)
            results[key] = legs
            executed.extend(legs)
        counted = [j for legs in results.values() for j in legs if j not in tolerated]
        return RunResult(run_conclusion(counted, request), executed)

    # ------------------------------------------------------------------ jobs

    def _run_job(
        self,
        request: RunRequest,
        services: Services,
        wf: WorkflowFile,
        key: str,
        job: Mapping[str, Any],
        results: Mapping[str, list[JobResult]],
        tolerated: list[JobResult],
    ) -> list[JobResult]:
        needs = (
            [job["needs"]] if isinstance(job.get("needs"), str) else list(job.get("needs") or [])
        )
        request = job_setup.job_request(
            request, (wf.data or {}).get("permissions"), job.get("permissions")
        )
        contexts = base_contexts(request, wf, key)
        contexts["needs"] = {n: needs_entry(results.get(n, [])) for n in needs}
        need_results = [contexts["needs"][n]["result"] for n in needs]
        if request.cancel.is_set():
            status = "cancelled"
        elif any(r in ("failure", "cancelled") for r in need_results):
            status = "failure"
        elif any(r != "success" for r in need_results):
            status = "skipped"  # success() and failure() are both false
        else:
            status = "success"
        raw_name = str(job.get("name") or key)
        base_eval = Evaluator(contexts, status=status)
        try:
            wanted = base_eval.condition(job.get("if"))
        except ExpressionError as exc:
            return [self._jobs.failed_job(key, raw_name, needs, str(exc))]
        if not wanted:
            now = self.clock()
            return [JobResult(key, raw_name, "skipped", now, now, [], [], "", needs=tuple(needs))]
        if "uses" in job:
            return [
                self._jobs.failed_job(
                    key,
                    raw_name,
                    needs,
                    f"smartmon sandbox cannot run reusable workflows (jobs.{key}.uses: "
                    f"{job['uses']})",
                )
            ]
        for feature in ("container", "services"):
            if feature in job:
                return [
                    self._jobs.failed_job(
                        key, raw_name, needs, f"smartmon sandbox cannot run jobs.{key}.{feature}"
                    )
                ]
        strategy = job.get("strategy") or {}
        try:
            combos = expand(base_eval.interpolate_value(strategy.get("matrix")))
        except (MatrixError, ExpressionError) as exc:
            return [self._jobs.failed_job(key, raw_name, needs, str(exc))]
        fail_fast = str(base_eval.interpolate_value(strategy.get("fail-fast", True))).lower()
        legs: list[JobResult] = []
        stop = False
        for index, combo in enumerate(combos):
            leg_contexts = dict(contexts)
            leg_contexts["matrix"] = combo
            leg_contexts["strategy"] = {
                "fail-fast": fail_fast != "false",
                "job-index": index,
                "job-total": len(combos),
                "max-parallel": len(combos),
            }
            ev = Evaluator(leg_contexts, status=status)
            try:
                name = leg_name(ev.interpolate(raw_name), combo, "${{" in raw_name)
            except ExpressionError:
                name = leg_name(raw_name, combo, False)
            if stop:
                now = self.clock()
                legs.append(
                    JobResult(key, name, "cancelled", now, now, [], [], "", needs=tuple(needs))
                )
                continue
            try:
                result = self._jobs.run_leg(
                    request, services, wf, key, job, name, leg_contexts, needs
                )
            except Exception as exc:  # a sandbox bug fails the job, never the server thread
                log.exception("job %r of run %s crashed", name, request.run_id)
                result = self._jobs.failed_job(key, name, needs, f"smartmon sandbox error: {exc}")
            legs.append(result)
            try:
                allowed = truthy(ev.interpolate_value(job.get("continue-on-error", False)))
            except ExpressionError:
                allowed = False
            if result.conclusion == "failure" and allowed:
                tolerated.append(result)  # neither fails the run nor cancels the other legs
                continue
            stop = result.conclusion == "failure" and fail_fast != "false" and len(combos) > 1
        return legs
