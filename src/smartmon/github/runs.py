"""The Actions endpoints of one repository: workflows, runs, jobs, their logs, reruns, dispatch."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import quote

from smartmon.diagnose import job_text_from_zip
from smartmon.errors import InputError
from smartmon.github.errors import (
    ConnectionFailed,
    GitHubError,
    LogsUnavailable,
    NotFound,
    ServerError,
)
from smartmon.github.repo_scope import RepoScope
from smartmon.github.shapes import Job, Workflow, WorkflowRun

log = logging.getLogger(__name__)

# Accepted by the `status` filter of the runs list (github-api.md §1.3); `startup_failure` is not.
RUN_STATUS_FILTERS = frozenset(
    [
        "completed",
        "action_required",
        "cancelled",
        "failure",
        "neutral",
        "skipped",
        "stale",
        "success",
        "timed_out",
        "in_progress",
        "queued",
        "requested",
        "waiting",
        "pending",
    ]
)
FAILED_JOB_CONCLUSIONS = frozenset({"failure", "timed_out"})
ZIP_DOWNLOADS = 3  # downloads of a run's logs zip before a corrupt archive is an error
# gh caps its per-job log calls at 25 (cli/cli PR #11172); beyond that we read the run zip.
MAX_JOB_LOG_CALLS = 25


class RunEndpoints(RepoScope):
    """Workflows, runs, jobs and logs (`/repos/OWNER/NAME/actions/...`)."""

    def list_workflows(self) -> list[Workflow]:
        return self._list("/actions/workflows", {"per_page": 100}, key="workflows")

    def list_runs(
        self,
        *,
        workflow: int | str | None = None,
        branch: str | None = None,
        event: str | None = None,
        status: str | None = None,
        head_sha: str | None = None,
        created: str | None = None,
        per_page: int = 100,
        max_items: int | None = None,
    ) -> list[WorkflowRun]:
        """Runs, newest first; `workflow` is a numeric id or a file name such as `ci.yml`."""
        if status is not None and status not in RUN_STATUS_FILTERS:
            raise InputError(
                f"run status filter {status!r}: GitHub accepts only {', '.join(sorted(RUN_STATUS_FILTERS))}"
            )
        tail = "/actions/runs"
        if workflow is not None:
            tail = f"/actions/workflows/{quote(str(workflow), safe='')}/runs"
        params = {
            "branch": branch,
            "event": event,
            "status": status,
            "head_sha": head_sha,
            "created": created,
            "per_page": per_page,
        }
        return self._list(tail, params, key="workflow_runs", max_items=max_items)

    def get_run(self, run_id: int) -> WorkflowRun:
        return cast(WorkflowRun, self._get(f"/actions/runs/{int(run_id)}"))

    def get_run_attempt(self, run_id: int, attempt: int) -> WorkflowRun:
        return cast(WorkflowRun, self._get(f"/actions/runs/{int(run_id)}/attempts/{int(attempt)}"))

    def list_jobs(
        self, run_id: int, attempt: int | None = None, filter: str = "latest"
    ) -> list[Job]:
        """Jobs of the latest attempt (`filter="all"` adds older ones), or of one attempt."""
        if attempt is not None:
            tail = f"/actions/runs/{int(run_id)}/attempts/{int(attempt)}/jobs"
            return self._list(tail, {"per_page": 100}, key="jobs")
        if filter not in ("latest", "all"):
            raise InputError(f"jobs filter {filter!r}: expected 'latest' or 'all'")
        return self._list(
            f"/actions/runs/{int(run_id)}/jobs", {"filter": filter, "per_page": 100}, key="jobs"
        )

    def get_job(self, job_id: int) -> Job:
        return cast(Job, self._get(f"/actions/jobs/{int(job_id)}"))

    # -- logs ----------------------------------------------------------------------------------

    def job_log(self, job_id: int) -> str:
        """The whole job's log text (the 302 is followed without the token)."""
        reply = self.http.request("GET", self._path(f"/actions/jobs/{int(job_id)}/logs"))
        return reply.content.decode("utf-8", "replace").removeprefix("\ufeff")

    def run_logs_zip(self, run_id: int, attempt: int | None = None) -> bytes:
        """The run's (or one attempt's) logs archive; checked to be a readable zip."""
        tail = f"/actions/runs/{int(run_id)}"
        tail += f"/attempts/{int(attempt)}/logs" if attempt is not None else "/logs"
        # A corrupt archive is a broken transfer, not a lasting state: download it again (each
        # try gets a fresh signed URL) before giving up, instead of losing this heal.
        for download in range(1, ZIP_DOWNLOADS + 1):
            reply = self.http.request("GET", self._path(tail))
            try:
                with zipfile.ZipFile(io.BytesIO(reply.content)) as archive:
                    bad = archive.testzip()
            except zipfile.BadZipFile:
                bad = "(archive)"
            if bad is None:
                return reply.content
            log.warning(
                "run %s: logs zip corrupt at %s (download %d of %d)",
                run_id,
                bad,
                download,
                ZIP_DOWNLOADS,
            )
        raise LogsUnavailable(
            reply.status,
            f"logs zip is corrupt at {bad} after {ZIP_DOWNLOADS} downloads "
            "(truncated download?); try again later",
            method="GET",
            url=self.http.redact(reply.url),
        )

    def failed_job_logs(self, run_id: int, attempt: int | None = None) -> dict[int, str]:
        """Log text of each failed job: per-job downloads first, the run zip as fallback.

        Since 2025 the zip may lack step folders or whole jobs (github-api.md §1.4), so the
        per-job endpoint is preferred, as GitHub staff recommend for the GitHub CLI.
        """
        jobs = [
            j
            for j in self.list_jobs(run_id, attempt)
            if j.get("conclusion") in FAILED_JOB_CONCLUSIONS
        ]
        logs: dict[int, str] = {}
        missing: list[Job] = []
        last_error: GitHubError | None = None
        for index, job in enumerate(jobs):
            if index >= MAX_JOB_LOG_CALLS:
                missing.append(job)
                continue
            try:
                logs[job["id"]] = self.job_log(job["id"])
            except (NotFound, LogsUnavailable, ServerError, ConnectionFailed) as exc:
                log.info("job %s log unavailable (%s); trying the run zip", job["id"], exc)
                missing.append(job)
                last_error = exc
        if not missing:
            return logs
        try:
            archive = self.run_logs_zip(run_id, attempt)
        except (NotFound, LogsUnavailable, ServerError, ConnectionFailed) as exc:
            if not logs:
                raise
            log.warning(
                "run %s: logs of %d failed job(s) unavailable: %s", run_id, len(missing), exc
            )
            return logs
        for job in missing:
            text = job_text_from_zip(archive, job.get("name", ""))
            if text is not None:
                logs[job["id"]] = text
            else:
                log.warning("run %s: job %r is missing from the logs zip", run_id, job.get("name"))
        if not logs and last_error is not None:
            raise last_error
        return logs

    def annotations(self, check_run_id: int) -> list[dict[str, Any]]:
        """Check-run annotations (a job's id is its check-run id)."""
        path = f"/repos/{self.repo}/check-runs/{int(check_run_id)}/annotations"
        return list(self.http.paginate(path, params={"per_page": 100}))

    # -- reruns and dispatch ------------------------------------------------------------------

    def rerun(self, run_id: int, *, debug: bool = False) -> int:
        """Re-run the whole run; return the attempt number the rerun gets."""
        return self._rerun(run_id, f"/actions/runs/{int(run_id)}/rerun", debug)

    def rerun_failed_jobs(self, run_id: int, *, debug: bool = False) -> int:
        """Re-run the failed jobs and their dependents; return the new attempt number."""
        return self._rerun(run_id, f"/actions/runs/{int(run_id)}/rerun-failed-jobs", debug)

    def rerun_job(self, job_id: int, *, debug: bool = False) -> int:
        """Re-run one job and its dependents; return the new attempt number of its run."""
        run_id = int(self.get_job(job_id)["run_id"])
        return self._rerun(run_id, f"/actions/jobs/{int(job_id)}/rerun", debug)

    def _rerun(self, run_id: int, tail: str, debug: bool) -> int:
        """POST a rerun, retrying an ambiguous failure only after checking it did not take effect.

        A 5xx or a dropped connection leaves us not knowing whether GitHub started the rerun, so
        before sending it again we read the run: a grown `run_attempt` means it did. Residual
        risk: if GitHub accepted the rerun but has not yet bumped `run_attempt` when we look, a
        second POST goes out; GitHub refuses to rerun a run that is in progress, so that one
        fails, and we then look once more before reporting the failure.
        """
        before = int(self.get_run(run_id).get("run_attempt") or 1)
        body = {"enable_debug_logging": True} if debug else None
        retries = 0
        while True:
            try:
                self.http.request("POST", self._path(tail), json_body=body)
                return before + 1
            except GitHubError as exc:
                ambiguous = isinstance(exc, (ServerError, ConnectionFailed))
                if not ambiguous and retries == 0:
                    raise
                now = int(self.get_run(run_id).get("run_attempt") or 1)
                if now > before:
                    log.info("run %s: rerun took effect despite %s", run_id, type(exc).__name__)
                    return now
                if not ambiguous or retries >= self.http.max_retries:
                    raise
                retries += 1
                self.http.sleep(self.http.backoff(retries))

    def dispatch(
        self, workflow: int | str, ref: str, inputs: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """Start a `workflow_dispatch` run; API version 2026-03-10 answers with the run details."""
        body = {"ref": ref, "inputs": dict(inputs or {})}
        tail = f"/actions/workflows/{quote(str(workflow), safe='')}/dispatches"
        reply = self.http.request("POST", self._path(tail), json_body=body)
        data = reply.json()
        return cast(dict[str, Any], data) if isinstance(data, dict) else None
