"""The sandbox workflow runner: runs a workflow's jobs locally with bash, logs like GitHub.

Jobs run one after another in ``needs`` order (matrix legs too), each in its own directory
under ``work_root`` with a fresh checkout, HOME, RUNNER_TEMP and tool cache.
"""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smartmon.sandbox import job_setup, python_env
from smartmon.sandbox.deprecations import deprecated_action_error, retired_label_error
from smartmon.sandbox.expressions import Evaluator, ExpressionError, to_str
from smartmon.sandbox.job_context import JobContext, Scope, Services
from smartmon.sandbox.joblog import Clock, JobLog, Masker
from smartmon.sandbox.matrix import MatrixError, expand, leg_name
from smartmon.sandbox.runtypes import (
    Annotation,
    JobConclusion,
    JobResult,
    RunRequest,
    RunResult,
    StepResult,
)
from smartmon.sandbox.step_exec import (
    BUILTINS,
    display_name,
    execute_step,
    read_action_metadata,
    split_uses,
)
from smartmon.sandbox.triggers import event_matches, workflow_on
from smartmon.sandbox.workflow_file import (
    WorkflowFile,
    git_output,
    list_workflow_paths,
    read_workflow,
)

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
        changed = _changed_files(repo_dir, sha, payload) if event == "push" else None
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
        order, problem = _job_order(jobs)
        if problem:
            return RunResult("startup_failure", [], [_annotation(wf.path, problem)])
        services = self.services()
        results: dict[str, list[JobResult]] = {}
        executed: list[JobResult] = []
        for key in order:
            if request.jobs_to_run is not None and key not in request.jobs_to_run:
                results[key] = list(request.previous_jobs.get(key, []))
                continue
            legs = self._run_job(request, services, wf, key, jobs[key], results)
            results[key] = legs
            executed.extend(legs)
        every = [j for legs in results.values() for j in legs]
        return RunResult(_run_conclusion(every, request), executed)

    # ------------------------------------------------------------------ jobs

    def _contexts(self, request: RunRequest, wf: WorkflowFile, key: str) -> dict[str, Any]:
        ref = request.ref
        ref_type = "tag" if ref.startswith("refs/tags/") else "branch"
        ref_name = ref.split("/", 2)[-1] if ref.startswith("refs/") else ref
        pull = request.payload.get("pull_request") or {}
        owner = request.repo_full_name.split("/")[0]
        github = {
            "token": request.token,
            "job": key,
            "ref": ref,
            "ref_name": ref_name,
            "ref_type": ref_type,
            "sha": request.sha,
            "repository": request.repo_full_name,
            "repository_owner": owner,
            "repository_id": str(request.payload.get("repository", {}).get("id", 1)),
            "run_id": str(request.run_id),
            "run_number": str(request.run_number),
            "run_attempt": str(request.run_attempt),
            "event_name": request.event,
            "event": request.payload,
            "actor": request.actor,
            "triggering_actor": request.triggering_actor,
            "server_url": request.server_url,
            "api_url": request.api_url,
            "graphql_url": f"{request.api_url.rstrip('/')}/graphql",
            "workflow": request.workflow_name or wf.name,
            "workflow_ref": f"{request.repo_full_name}/{wf.path}@{ref}",
            "workflow_sha": request.sha,
            "head_ref": str(pull.get("head", {}).get("ref", "")),
            "base_ref": str(pull.get("base", {}).get("ref", "")),
            "retention_days": "90",
            "action": "",
        }
        inputs = _dispatch_inputs(wf.data or {}, request)
        return {
            "github": github,
            "secrets": {**request.secrets, "GITHUB_TOKEN": request.token},
            "vars": dict(request.variables),
            "inputs": inputs,
            "needs": {},
            "matrix": {},
            "strategy": {},
            "runner": {"os": "Linux", "arch": "X64", "name": "GitHub Actions 1"},
            "job": {"status": "success"},
            "env": {},
            "steps": {},
        }

    def _run_job(
        self,
        request: RunRequest,
        services: Services,
        wf: WorkflowFile,
        key: str,
        job: Mapping[str, Any],
        results: Mapping[str, list[JobResult]],
    ) -> list[JobResult]:
        needs = (
            [job["needs"]] if isinstance(job.get("needs"), str) else list(job.get("needs") or [])
        )
        contexts = self._contexts(request, wf, key)
        contexts["needs"] = {n: _needs_entry(results.get(n, [])) for n in needs}
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
            return [self._failed_job(key, raw_name, needs, str(exc))]
        if not wanted:
            now = self.clock()
            return [JobResult(key, raw_name, "skipped", now, now, [], [], "", needs=tuple(needs))]
        if "uses" in job:
            return [
                self._failed_job(
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
                    self._failed_job(
                        key, raw_name, needs, f"smartmon sandbox cannot run jobs.{key}.{feature}"
                    )
                ]
        strategy = job.get("strategy") or {}
        try:
            combos = expand(base_eval.interpolate_value(strategy.get("matrix")))
        except (MatrixError, ExpressionError) as exc:
            return [self._failed_job(key, raw_name, needs, str(exc))]
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
            result = self._run_leg(request, services, wf, key, job, name, leg_contexts, needs)
            legs.append(result)
            stop = result.conclusion == "failure" and fail_fast != "false" and len(combos) > 1
        return legs

    def _failed_job(self, key: str, name: str, needs: list[str], message: str) -> JobResult:
        now = self.clock()
        joblog = JobLog(self.clock, Masker())
        joblog.error(message)
        text = joblog.text()
        step = StepResult(1, "Set up job", "failure", now, now, text)
        annotation = Annotation(level="failure", message=message)
        return JobResult(
            key, name, "failure", now, now, [], [step], text, [annotation], needs=tuple(needs)
        )

    def _run_leg(
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
            labels = [to_str(v) for v in _as_list(runs_on.get("labels"))]
        else:
            labels = [to_str(v) for v in _as_list(runs_on)]
        retired = retired_label_error(labels)
        if retired:
            joblog.error(retired)
            ctx.annotations.append(Annotation(level="failure", message=retired))
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
            ctx.annotations.append(Annotation(level="failure", message=problem))
            return self._finish(ctx, key, name, labels, needs, started, steps, {}, "failure")

        scope = Scope(steps={}, inputs=contexts["inputs"])
        for step in job.get("steps") or []:
            joblog.begin_step()
            step_start = self.clock()
            step_name = display_name(step, ctx.evaluator(scope, ctx.env))
            if ctx.timed_out or (ctx.request.cancel.is_set() and ctx.status != "cancelled"):
                ctx.status = "cancelled"
            outcome = execute_step(ctx, scope, step)
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
                conclusion = "success" if post.action(ctx) else "failure"
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
        perms = job_setup.token_permissions(data.get("permissions"), job.get("permissions"))
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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _annotation(path: str, message: str) -> Annotation:
    return Annotation(
        level="failure",
        message=f"The workflow is not valid. {path}: {message}",
        path=path,
        title=f"Invalid workflow file: {path}#L1",
    )


def _job_order(jobs: Mapping[str, Any]) -> tuple[list[str], str | None]:
    """Declaration order, moved only as far as ``needs`` requires; detects cycles."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(key: str, chain: list[str]) -> str | None:
        if key in done:
            return None
        if key in visiting:
            return (
                f"Job '{chain[-1]}' depends on job '{key}' which creates a cycle in the "
                "dependency graph."
            )
        visiting.add(key)
        job = jobs[key] if isinstance(jobs[key], dict) else {}
        needs = job.get("needs") or []
        for need in [needs] if isinstance(needs, str) else needs:
            problem = visit(str(need), [*chain, key])
            if problem:
                return problem
        visiting.discard(key)
        done.append(key)
        return None

    for key in jobs:
        problem = visit(key, [key])
        if problem:
            return [], problem
    return done, None


def _needs_entry(legs: list[JobResult]) -> dict[str, Any]:
    outputs: dict[str, str] = {}
    for leg in legs:
        outputs.update(leg.outputs)
    conclusions = [leg.conclusion for leg in legs]
    if not conclusions:
        result = "skipped"
    elif "failure" in conclusions or "timed_out" in conclusions:
        result = "failure"
    elif "cancelled" in conclusions:
        result = "cancelled"
    elif all(c == "skipped" for c in conclusions):
        result = "skipped"
    else:
        result = "success"
    return {"result": result, "outputs": outputs}


def _run_conclusion(jobs: list[JobResult], request: RunRequest) -> Any:
    conclusions = {j.conclusion for j in jobs}
    if "failure" in conclusions or "timed_out" in conclusions:
        return "failure"
    if "cancelled" in conclusions or request.cancel.is_set():
        return "cancelled"
    return "success"


def _dispatch_inputs(data: Mapping[str, Any], request: RunRequest) -> dict[str, Any]:
    on = workflow_on(data)
    declared = (on.get("workflow_dispatch") or {}).get("inputs") or {}
    given = request.payload.get("inputs") or {}
    inputs: dict[str, Any] = {}
    for name, spec in declared.items():
        spec = spec if isinstance(spec, dict) else {}
        value = given.get(name, spec.get("default", ""))
        if spec.get("type") == "boolean":
            value = str(value).lower() == "true"
        inputs[str(name)] = value
    for name, value in given.items():
        inputs.setdefault(str(name), value)
    return inputs


def _changed_files(repo_dir: Path, sha: str, payload: Mapping[str, Any]) -> list[str] | None:
    before = str(payload.get("before") or "")
    if not before or set(before) == {"0"}:
        return None
    try:
        out = git_output(repo_dir, "diff", "--name-only", before, sha)
    except subprocess.CalledProcessError:  # unknown base (force push): run everything
        return None
    return out.decode("utf-8", "replace").splitlines()
