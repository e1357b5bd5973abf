"""Diagnose one failed run through the API: its failed jobs' logs, and annotations when a job or the
whole run has no log (a startup failure), all classified by the same rules.

An annotation text becomes a `##[error]<message>` line of a synthetic job log, so an invalid
workflow file reported only as an annotation is classified exactly like a log line saying it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from smartmon.diagnose import Analysis, JobSource, analyze_sources
from smartmon.github import GitHubClient, GitHubError

log = logging.getLogger(__name__)

FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
_STAMP = "2000-01-01T00:00:00.0000000Z"  # synthetic logs: the parser wants a timestamp shape


@dataclass(frozen=True)
class Diagnosis:
    analysis: Analysis
    job_ids: Mapping[str, int]  # job name (as findings name it) -> job id, for log links
    notes: tuple[str, ...]  # what could not be read, one line each


def diagnose(client: GitHubClient, run: Mapping[str, Any]) -> Diagnosis:
    """Classify the failed jobs of the run's attempt (per-job logs, zip fallback, annotations)."""
    run_id = int(run["id"])
    attempt = int(run.get("run_attempt") or 1)
    notes: list[str] = []
    try:
        jobs = client.list_jobs(run_id, attempt)
    except GitHubError as exc:
        notes.append(f"jobs of run {run_id} could not be listed: {exc}")
        jobs = []
    failed = [j for j in jobs if j.get("conclusion") in FAILED_CONCLUSIONS]
    texts: dict[int, str] = {}
    if failed:
        try:
            texts = client.failed_job_logs(run_id, attempt)
        except GitHubError as exc:
            notes.append(f"logs of run {run_id} could not be downloaded: {exc}")
    sources: list[JobSource] = []
    job_ids: dict[str, int] = {}
    for job in failed:
        name = str(job.get("name", job["id"]))
        job_ids[name] = int(job["id"])
        text = texts.get(int(job["id"]))
        if text is None:
            # A job that never started (or whose log expired) still has its annotations.
            text = _annotation_log(client, int(job["id"]), notes)
        if text:
            # The API's conclusion is the verdict: a job cancelled, killed or timed out without
            # the runner's trailer still gets a cause, never "passed".
            sources.append(_source(name, f"job {job['id']}", text, verdict="failure"))
    if not failed:
        suite = run.get("check_suite_id")
        text = _suite_annotation_log(client, int(suite), notes) if suite else ""
        if text:
            name = str(run.get("name") or run.get("path") or "workflow")
            sources.append(_source(name, f"run {run_id} annotations", text))
    return Diagnosis(analysis=analyze_sources(sources), job_ids=job_ids, notes=tuple(notes))


def _source(name: str, origin: str, text: str, *, verdict: str | None = None) -> JobSource:
    data = text.encode("utf-8", "replace")

    def opener() -> IO[bytes]:
        return io.BytesIO(data)

    return JobSource(name=name, origin=origin, parts=(("", None, opener),), verdict=verdict)


def _annotation_log(client: GitHubClient, check_run_id: int, notes: list[str]) -> str:
    try:
        found = client.annotations(check_run_id)
    except GitHubError as exc:
        notes.append(f"annotations of job {check_run_id} could not be read: {exc}")
        return ""
    return _as_log(found)


def _suite_annotation_log(client: GitHubClient, suite_id: int, notes: list[str]) -> str:
    """Run-level annotations: a startup failure hangs them on a check run of the run's suite."""
    path = f"/repos/{client.repo}/check-suites/{suite_id}/check-runs"
    chunks: list[str] = []
    try:
        for check in client.http.paginate(path, params={"per_page": 100}, key="check_runs"):
            count = (check.get("output") or {}).get("annotations_count", 0)
            if count:
                chunks.append(_annotation_log(client, int(check["id"]), notes))
    except GitHubError as exc:
        notes.append(f"check runs of suite {suite_id} could not be read: {exc}")
    return "".join(chunks)


def _as_log(annotations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for note in annotations:
        if note.get("annotation_level") not in ("failure", "error", None):
            continue
        title = " ".join(str(note.get("title") or "").split())
        path = str(note.get("path") or "").strip()
        line = note.get("start_line")
        if title and path and path != ".github" and path not in title:
            # "Invalid workflow file: .github/workflows/ci.yml#L7", as GitHub words it in logs.
            lines.append(f"{_STAMP} ##[error]{title}: {path}{f'#L{line}' if line else ''}\n")
        elif title and path in title:
            lines.append(f"{_STAMP} ##[error]{title}\n")
        for text in str(note.get("message") or "").splitlines():
            if text.strip():
                lines.append(f"{_STAMP} ##[error]{text.strip()}\n")
    return "".join(lines)
