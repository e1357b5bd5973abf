"""smartmon's only way to talk to GitHub: typed calls over `github_http.Transport`.

The client is bound to one repository (`repo=` or `GITHUB_REPOSITORY`); `for_repo()` returns a
client for another repository that shares the session, ETag cache and rate budget.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from typing import Any, TypedDict, cast
from urllib.parse import quote

import requests

from smartmon.diagnose import job_text_from_zip
from smartmon.errors import InputError
from smartmon.github.errors import (
    AuthenticationFailed,
    Conflict,
    ConnectionFailed,
    GitHubError,
    LogsExpired,
    LogsUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnsupportedApiVersion,
    ValidationFailed,
)
from smartmon.github.http import Clock, RateInfo, Transport

__all__ = [
    "AuthenticationFailed",
    "Clock",
    "Conflict",
    "ConnectionFailed",
    "GitHubClient",
    "GitHubError",
    "Job",
    "LogsExpired",
    "LogsUnavailable",
    "NotFound",
    "PermissionDenied",
    "RateInfo",
    "RateLimited",
    "ServerError",
    "UnsupportedApiVersion",
    "ValidationFailed",
    "Workflow",
    "WorkflowRun",
]

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
_REPO_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_MAX_BYTES = 48 * 1024
ZIP_DOWNLOADS = 3  # downloads of a run's logs zip before a corrupt archive is an error
# gh caps its per-job log calls at 25 (cli/cli PR #11172); beyond that we read the run zip.
MAX_JOB_LOG_CALLS = 25


class Workflow(TypedDict, total=False):
    id: int
    name: str
    path: str
    state: str


class WorkflowRun(TypedDict, total=False):
    id: int
    name: str | None
    head_branch: str | None
    head_sha: str
    path: str
    event: str
    status: str | None
    conclusion: str | None
    workflow_id: int
    run_number: int
    run_attempt: int
    html_url: str
    created_at: str
    head_repository: dict[str, Any]
    repository: dict[str, Any]


class Step(TypedDict, total=False):
    name: str
    status: str
    conclusion: str | None
    number: int


class Job(TypedDict, total=False):
    id: int
    run_id: int
    run_attempt: int
    name: str
    status: str
    conclusion: str | None
    head_sha: str
    steps: list[Step]
    check_run_url: str


class GitHubClient:
    """Typed GitHub REST calls for one repository (`owner/name`)."""

    def __init__(
        self,
        token: str | None = None,
        *,
        repo: str | None = None,
        api_url: str | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        max_retries: int = 5,
        timeout: float = 30,
        max_wait: float = 900.0,
    ) -> None:
        self.http = Transport(
            token,
            api_url=api_url,
            session=session,
            clock=clock,
            sleep=sleep,
            max_retries=max_retries,
            timeout=timeout,
            max_wait=max_wait,
        )
        self._repo = repo or os.environ.get("GITHUB_REPOSITORY") or None

    def for_repo(self, repo: str) -> GitHubClient:
        """A client for another repository sharing this one's session, cache and rate budget."""
        other = object.__new__(GitHubClient)
        other.http = self.http
        other._repo = repo
        return other

    def __repr__(self) -> str:
        return f"<GitHubClient {self._repo or '(no repo)'} via {self.http!r}>"

    @property
    def repo(self) -> str:
        if not self._repo or not _REPO_NAME.fullmatch(self._repo):
            raise InputError(
                f"repository {self._repo!r}: expected OWNER/NAME; pass repo= or set GITHUB_REPOSITORY"
            )
        return self._repo

    @property
    def rate(self) -> RateInfo | None:
        """The primary rate limit as last reported by GitHub (None before the first call)."""
        return self.http.rate

    def on_rate(self, hook: Callable[[RateInfo], None] | None) -> None:
        """Call `hook` after every response that reports the rate limit."""
        self.http.on_rate = hook

    def wait_for_budget(self, min_remaining: int) -> float:
        """Sleep until the reset when fewer than `min_remaining` calls are left; return the wait."""
        return self.http.wait_for_budget(min_remaining)

    # -- plumbing -------------------------------------------------------------------------------

    def _path(self, tail: str) -> str:
        return f"/repos/{self.repo}{tail}"

    def _get(self, tail: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.http.request("GET", self._path(tail), params=params).json()

    def _list(
        self,
        tail: str,
        params: Mapping[str, Any] | None = None,
        *,
        key: str | None = None,
        max_items: int | None = None,
    ) -> list[Any]:
        return list(
            self.http.paginate(self._path(tail), params=params, key=key, max_items=max_items)
        )

    # -- repository, workflows, runs, jobs ------------------------------------------------------

    def get_repo(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(""))

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

    # -- contents, pulls, refs, commits ---------------------------------------------------------

    def get_contents(self, path: str, ref: str | None = None) -> tuple[bytes, str]:
        """A file's bytes and blob sha at `ref` (the default branch when None)."""
        tail = f"/contents/{quote(path.lstrip('/'), safe='/')}"
        data = self._get(tail, {"ref": ref})
        if not isinstance(data, dict) or data.get("type") != "file":
            raise InputError(f"{path}: not a file in {self.repo} at {ref or 'the default branch'}")
        sha = str(data["sha"])
        if data.get("encoding") == "base64":
            return base64.b64decode("".join(str(data.get("content", "")).split())), sha
        # 1-100 MB files come without content; the raw media type returns the bytes.
        raw = self.http.request(
            "GET", self._path(tail), params={"ref": ref}, accept="application/vnd.github.raw+json"
        )
        return raw.content, sha

    def put_contents(
        self, path: str, content: bytes | str, message: str, branch: str, sha: str | None = None
    ) -> dict[str, Any]:
        """Create (sha=None) or update a file; a stale `sha` raises Conflict."""
        raw = content.encode() if isinstance(content, str) else content
        body = {"message": message, "content": base64.b64encode(raw).decode(), "branch": branch}
        if sha is not None:
            body["sha"] = sha
        tail = f"/contents/{quote(path.lstrip('/'), safe='/')}"
        return cast(
            dict[str, Any], self.http.request("PUT", self._path(tail), json_body=body).json()
        )

    def list_pulls(
        self, head: str | None = None, base: str | None = None, state: str = "open"
    ) -> list[dict[str, Any]]:
        """Pull requests; a bare `head` branch is qualified with the repository owner."""
        if head is not None and ":" not in head:
            head = f"{self.repo.split('/')[0]}:{head}"
        params = {"head": head, "base": base, "state": state, "per_page": 100}
        return self._list("/pulls", params)

    def create_pull(
        self, head: str, base: str, title: str, body: str = "", *, draft: bool = False
    ) -> dict[str, Any]:
        payload = {"head": head, "base": base, "title": title, "body": body, "draft": draft}
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path("/pulls"), json_body=payload).json(),
        )

    def get_ref(self, branch: str) -> dict[str, Any]:
        """`{ref, node_id, url, object: {sha, type, url}}` for `refs/heads/<branch>`."""
        return cast(dict[str, Any], self._get(f"/git/ref/heads/{quote(branch, safe='/')}"))

    def create_ref(self, branch: str, sha: str) -> dict[str, Any]:
        body = {"ref": f"refs/heads/{branch}", "sha": sha}
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path("/git/refs"), json_body=body).json(),
        )

    def update_ref(
        self, branch: str, sha: str, force: bool = False, *, expected: str | None = None
    ) -> dict[str, Any]:
        """Move a branch to `sha`; with `expected`, only if the branch still points there.

        The REST API has no compare-and-swap for refs, so the check is a read before the
        write: a push landing between the two (one round trip) is not seen. With force=False
        GitHub still refuses a non-fast-forward move (422), so that race can only overwrite
        history when force=True. For a true atomic check push with git's --force-with-lease.
        """
        if expected is not None:
            current = str(self.get_ref(branch)["object"]["sha"])
            if current != expected:
                raise Conflict(
                    409,
                    f"branch {branch} moved: expected {expected[:12]}, found {current[:12]}; "
                    "fetch and rebuild the change on the new tip",
                    method="PATCH",
                    url=self.http.url(self._path(f"/git/refs/heads/{branch}")),
                )
        tail = f"/git/refs/heads/{quote(branch, safe='/')}"
        body = {"sha": sha, "force": force}
        return cast(
            dict[str, Any], self.http.request("PATCH", self._path(tail), json_body=body).json()
        )

    def compare(self, base: str, head: str) -> dict[str, Any]:
        tail = f"/compare/{quote(base, safe='/:')}...{quote(head, safe='/:')}"
        return cast(dict[str, Any], self._get(tail))

    def list_commits(
        self, sha: str | None = None, per_page: int = 30, max_items: int | None = None
    ) -> list[dict[str, Any]]:
        return self._list("/commits", {"sha": sha, "per_page": per_page}, max_items=max_items)

    def get_commit(self, ref: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(f"/commits/{quote(ref, safe='/')}"))

    # -- secrets and rate limit -----------------------------------------------------------------

    def public_key(self) -> dict[str, str]:
        """The repository's Actions secrets public key: `{key_id, key}` (key in Base64)."""
        return cast(dict[str, str], self._get("/actions/secrets/public-key"))

    def put_secret(self, name: str, value: str) -> bool:
        """Create or update an Actions secret (sealed box); True when it was created.

        PUT of the same sealed value is idempotent, so unlike other writes it is retried on 5xx.
        """
        if not _SECRET_NAME.fullmatch(name) or name.upper().startswith("GITHUB_"):
            raise InputError(
                f"secret name {name!r}: use letters, digits and _, not starting with a digit "
                "or GITHUB_"
            )
        if len(value.encode()) > _SECRET_MAX_BYTES:
            raise InputError(f"secret {name}: value is larger than GitHub's 48 KB limit")
        from nacl.encoding import Base64Encoder
        from nacl.public import PublicKey, SealedBox

        key = self.public_key()
        box = SealedBox(PublicKey(key["key"].encode(), Base64Encoder))
        sealed = base64.b64encode(bytes(box.encrypt(value.encode()))).decode()
        body = {"encrypted_value": sealed, "key_id": key["key_id"]}
        reply = self.http.request(
            "PUT", self._path(f"/actions/secrets/{name}"), json_body=body, idempotent=True
        )
        return reply.status == 201

    def rate_limit(self) -> dict[str, Any]:
        """`GET /rate_limit` (free for the primary limit); read `resources.core`."""
        return cast(dict[str, Any], self.http.request("GET", "/rate_limit").json())
