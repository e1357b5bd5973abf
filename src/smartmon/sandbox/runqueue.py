"""Run attempts waiting for the runner, executed by worker threads, and their recorded results."""

from __future__ import annotations

import logging
import queue
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from smartmon.sandbox import events
from smartmon.sandbox import permissions as token_model
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.runner import Annotation, JobResult, RunRequest, RunResult
from smartmon.sandbox.state import Attempt, Job, Run, iso

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

log = logging.getLogger(__name__)

# "A workflow run can be re-run a maximum of 50 times" (docs: re-running workflows and jobs):
# attempts 2..51 are re-runs.
MAX_RERUNS = 50


class RunQueue:
    """One FIFO of (run id, attempt number); `workers` threads execute them one by one."""

    def __init__(self, app: Sandbox, *, workers: int = 1) -> None:
        self.app = app
        self._queue: queue.Queue[tuple[int, int] | None] = queue.Queue()
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._idle = threading.Condition()
        self._pending = 0
        self.cancels: dict[int, threading.Event] = {}
        self._stopping = threading.Event()

    def start(self) -> None:
        for number in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"sandbox-run-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Cancel the running and the waiting attempts, then end the workers."""
        self._stopping.set()
        for event in list(self.cancels.values()):
            event.set()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()

    def submit(self, run_id: int, attempt: int) -> None:
        with self._idle:
            self._pending += 1
        self.cancels[run_id] = threading.Event()
        self._queue.put((run_id, attempt))

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is queued or running; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self._execute(*item)
            except Exception:
                log.exception("sandbox: run %s attempt %s crashed", *item)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _now(self) -> str:
        return iso(datetime.fromtimestamp(self.app.clock(), UTC))

    def _execute(self, run_id: int, attempt_no: int) -> None:
        app, st = self.app, self.app.state
        with st.lock:
            run = st.runs[run_id]
            attempt = run.attempts[attempt_no - 1]
            if attempt.status != "queued":  # cancelled while waiting
                return
            if self._stopping.is_set():
                attempt.status, attempt.conclusion = "completed", "cancelled"
                return
            repo = st.repo_by_id(run.repo_id)
            now = self._now()
            attempt.status = "in_progress"
            attempt.run_started_at = now
            attempt.updated_at = now
            previous = _previous_results(st.latest_jobs(run)) if attempt_no > 1 else {}
            # A pull request from a fork: a read-only token and no secrets (pull_request_target
            # runs in the base repository's context and keeps both).
            fork = run.head_repository is not None and run.event == "pull_request"
            default = repo.default_workflow_permissions
            workflow_perms = _workflow_permissions(
                Path(repo.git_dir), run.workflow_path, run.head_sha
            )
            run_perms = token_model.job_permissions(
                workflow_perms, None, default=default, fork=fork
            )
            token = st.new_token(
                "github_token",
                permissions=token_model.token_permissions(run_perms),
                repo=repo.full_name,
            )
            minted = [token]

            def mint(perms: dict[str, str], name: str = repo.full_name) -> str:
                job_token = st.new_token(
                    "github_token", permissions=token_model.token_permissions(perms), repo=name
                )
                minted.append(job_token)
                return job_token.value

            request = RunRequest(
                repo_full_name=repo.full_name,
                repo_dir=Path(repo.git_dir),
                workflow_path=run.workflow_path,
                sha=run.head_sha,
                ref=run.ref,
                event=run.event,
                payload=dict(run.payload),
                run_id=run.id,
                run_number=run.run_number,
                run_attempt=attempt_no,
                token=token.value,
                api_url=app.api_url,
                server_url=app.api_url,
                git_url=f"{app.api_url}/{repo.full_name}.git",
                secrets={} if fork else dict(repo.secrets),
                variables=dict(repo.variables),
                jobs_to_run=None if attempt.jobs_to_run is None else set(attempt.jobs_to_run),
                previous_jobs=previous,
                workflow_name=run.name,
                actor=run.actor,
                triggering_actor=attempt.triggering_actor,
                debug=attempt.debug,
                cancel=self.cancels.setdefault(run_id, threading.Event()),
                mint_token=mint,
                default_permissions=default,
                fork=fork,
            )
        st.save()
        events.fire_workflow_run(app, run, "in_progress")
        try:
            result = app.runner.run(request)
        except Exception as exc:
            log.exception("sandbox: the runner failed on run %s", run_id)
            message = f"The sandbox runner failed: {type(exc).__name__}: {exc}"
            result = RunResult("failure", [], [Annotation("failure", message)])
        finally:
            with st.lock:
                for used in minted:
                    used.expired = True
        self._record(run, attempt, result)
        st.save()
        events.fire_workflow_run(app, run)

    def _record(self, run: Run, attempt: Attempt, result: RunResult) -> None:
        st = self.app.state
        with st.lock:
            wanted = None if attempt.jobs_to_run is None else set(attempt.jobs_to_run)
            for jr in result.jobs:
                if wanted is not None and jr.key not in wanted:
                    continue
                job = _job_from_result(st.next_id(), run, attempt.number, jr)
                st.jobs[job.id] = job
                attempt.job_ids.append(job.id)
            attempt.annotations = [_annotation(a) for a in result.annotations]
            attempt.check_run_id = st.next_id()
            cancelled = self.cancels.get(run.id)
            attempt.status = "completed"
            attempt.conclusion = result.conclusion
            if cancelled is not None and cancelled.is_set():
                attempt.conclusion = "cancelled"
            elif attempt.number > 1 and wanted is not None:
                # A partial rerun: the run's outcome is that of the latest execution of each job.
                bad = {"failure", "cancelled", "timed_out"}
                latest = st.latest_jobs(run)
                if result.conclusion == "success" and any(j.conclusion in bad for j in latest):
                    attempt.conclusion = "failure"
            attempt.updated_at = self._now()
            self.cancels.pop(run.id, None)


def cancel(app: Sandbox, run: Run) -> bool:
    """Cancel the latest attempt; False when it has already completed."""
    with app.state.lock:
        attempt = run.latest
        if attempt.status == "completed":
            return False
        if attempt.status == "queued":
            attempt.status = "completed"
            attempt.conclusion = "cancelled"
            attempt.updated_at = iso(datetime.fromtimestamp(app.clock(), UTC))
        event = app.queue.cancels.get(run.id)
    if event is not None:
        event.set()
    return True


def _job_from_result(job_id: int, run: Run, attempt_no: int, jr: JobResult) -> Job:
    steps = [
        {
            "name": s.name,
            "status": "completed",
            "conclusion": s.conclusion,
            "number": s.number,
            "started_at": iso(s.started_at),
            "completed_at": iso(s.completed_at),
        }
        for s in jr.steps
    ]
    return Job(
        id=job_id,
        run_id=run.id,
        run_attempt=attempt_no,
        key=jr.key,
        name=jr.name,
        status="completed",
        conclusion=jr.conclusion,
        created_at=iso(jr.started_at),
        started_at=iso(jr.started_at),
        completed_at=iso(jr.completed_at),
        labels=list(jr.labels),
        steps=steps,
        runner_name=jr.runner_name,
        log=jr.log,
        annotations=[_annotation(a) for a in jr.annotations],
        needs=list(jr.needs),
        outputs=dict(jr.outputs),
        step_logs={str(s.number): s.log for s in jr.steps},
    )


def _annotation(a: Annotation) -> dict[str, object]:
    return {
        "level": a.level,
        "message": a.message,
        "path": a.path,
        "start_line": a.start_line,
        "end_line": a.end_line,
        "title": a.title,
    }


def _previous_results(jobs: list[Job]) -> dict[str, list[JobResult]]:
    out: dict[str, list[JobResult]] = {}
    for job in jobs:
        started = datetime.fromisoformat(job.started_at)
        completed = datetime.fromisoformat(job.completed_at or job.started_at)
        result = JobResult(
            key=job.key,
            name=job.name,
            conclusion=job.conclusion or "failure",  # type: ignore[arg-type]
            started_at=started,
            completed_at=completed,
            labels=list(job.labels),
            steps=[],
            log="",
            needs=tuple(job.needs),
            outputs=dict(job.outputs),
            runner_name=job.runner_name or "",
        )
        out.setdefault(job.key, []).append(result)
    return out


def _workflow_permissions(git_dir: Path, path: str, sha: str) -> Any:
    """The workflow's top-level `permissions:` as written (None when absent or unreadable)."""
    blob = gitrepo.read_blob(git_dir, sha, path)
    if blob is None:
        return None
    try:
        doc = yaml.safe_load(blob[1])
    except yaml.YAMLError:
        return None
    return doc.get("permissions") if isinstance(doc, dict) else None


def new_attempt(
    app: Sandbox, run: Run, *, jobs: set[str] | None, actor: str, debug: bool
) -> Attempt:
    """Queue a rerun attempt of `run` (caller checked the 50-attempt cap and completion)."""
    now = iso(datetime.fromtimestamp(app.clock(), UTC))
    with app.state.lock:
        attempt = Attempt(
            number=len(run.attempts) + 1,
            status="queued",
            conclusion=None,
            created_at=now,
            updated_at=now,
            run_started_at=now,
            triggering_actor=actor,
            jobs_to_run=None if jobs is None else sorted(jobs),
            debug=debug,
        )
        run.attempts.append(attempt)
    app.queue.submit(run.id, attempt.number)
    return attempt
