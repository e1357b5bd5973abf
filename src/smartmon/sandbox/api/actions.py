"""REST routes under /repos/{owner}/{repo}/actions: workflows, runs, jobs, logs, reruns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from smartmon.sandbox import events, runqueue
from smartmon.sandbox.api import logzip, shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate, validation
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Job, Repo, Run, Workflow

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_RUN = _R + r"/actions/runs/(?P<run>\d+)"
_STATUSES = {"queued", "in_progress", "completed", "requested", "waiting", "pending"}
_FAILED = {"failure", "cancelled", "timed_out"}


def _run(app: Sandbox, repo: Repo, run_id: str) -> Run:
    with app.state.lock:
        run = app.state.runs.get(int(run_id))
    if run is None or run.repo_id != repo.id:
        raise ApiError(404, "Not Found")
    return run


def _job(app: Sandbox, repo: Repo, job_id: str) -> tuple[Run, Job]:
    with app.state.lock:
        job = app.state.jobs.get(int(job_id))
        run = app.state.runs.get(job.run_id) if job else None
    if job is None or run is None or run.repo_id != repo.id:
        raise ApiError(404, "Not Found")
    return run, job


def _workflow(repo: Repo, ident: str) -> Workflow:
    for wf in repo.workflows.values():
        if str(wf.id) == ident or wf.path.rsplit("/", 1)[-1] == ident:
            return wf
    raise ApiError(404, "Not Found")


@route(ROUTES, "GET", _R + r"/actions/workflows")
def list_workflows(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    with app.state.lock:
        items = [shapes.workflow(app.api_url, repo, wf) for wf in repo.workflows.values()]
    page, links = paginate(req, sorted(items, key=lambda w: w["id"]))
    return Response.json(200, {"total_count": len(items), "workflows": page}, links)


@route(ROUTES, "GET", _R + r"/actions/workflows/(?P<wf>[^/]+)")
def get_workflow(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    with app.state.lock:
        return Response.json(200, shapes.workflow(app.api_url, repo, _workflow(repo, m["wf"])))


def _created_filter(text: str) -> tuple[datetime, datetime]:
    """GitHub search date syntax: `>=D`, `>D`, `<=D`, `<D`, `D..D`, `D` (a day or an instant)."""

    def parse(value: str, end: bool) -> datetime:
        value = value.strip()
        if value == "*":
            return datetime.max.replace(tzinfo=UTC) if end else datetime.min.replace(tzinfo=UTC)
        try:
            if len(value) == 10:
                day = datetime.fromisoformat(value).replace(tzinfo=UTC)
                return day + timedelta(days=1) - timedelta(microseconds=1) if end else day
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise validation(
                [{"resource": "Search", "field": "created", "code": "invalid"}]
            ) from exc
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    low, high = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    tiny = timedelta(microseconds=1)
    if text.startswith(">="):
        return parse(text[2:], False), high
    if text.startswith(">"):
        return parse(text[1:], True) + tiny, high
    if text.startswith("<="):
        return low, parse(text[2:], True)
    if text.startswith("<"):
        return low, parse(text[1:], False) - tiny
    if ".." in text:
        first, last = text.split("..", 1)
        return parse(first, False), parse(last, True)
    return parse(text, False), parse(text, True)


def _list_runs(app: Sandbox, req: Request, repo: Repo, wf: Workflow | None) -> Response:
    status = req.arg("status")
    created = _created_filter(req.arg("created") or "") if req.arg("created") else None
    with app.state.lock:
        runs = [r for r in app.state.runs.values() if r.repo_id == repo.id]
        if wf is not None:
            runs = [r for r in runs if r.workflow_id == wf.id]
        for field, value in (
            ("head_branch", req.arg("branch")),
            ("event", req.arg("event")),
            ("head_sha", req.arg("head_sha")),
            ("actor", req.arg("actor")),
            ("check_suite_id", req.arg("check_suite_id")),
        ):
            if value:
                runs = [r for r in runs if str(getattr(r, field)) == value]
        if status in _STATUSES:
            runs = [r for r in runs if r.latest.status == status]
        elif status:
            runs = [r for r in runs if r.latest.conclusion == status]
        if created is not None:
            low, high = created
            runs = [r for r in runs if low <= datetime.fromisoformat(r.created_at) <= high]
        runs.sort(key=lambda r: r.id, reverse=True)
        page, links = paginate(req, runs)
        body = [shapes.workflow_run(app.api_url, repo, r) for r in page]
    return Response.json(200, {"total_count": len(runs), "workflow_runs": body}, links)


@route(ROUTES, "GET", _R + r"/actions/runs")
def list_runs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    return _list_runs(app, req, repo, None)


@route(ROUTES, "GET", _R + r"/actions/workflows/(?P<wf>[^/]+)/runs")
def list_workflow_runs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    with app.state.lock:
        wf = _workflow(repo, m["wf"])
    return _list_runs(app, req, repo, wf)


@route(ROUTES, "GET", _RUN)
def get_run(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        return Response.json(200, shapes.workflow_run(app.api_url, repo, run))


def _attempt_no(run: Run, text: str) -> int:
    number = int(text)
    if not 1 <= number <= len(run.attempts):
        raise ApiError(404, "Not Found")
    return number


@route(ROUTES, "GET", _RUN + r"/attempts/(?P<n>\d+)")
def get_attempt(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        number = _attempt_no(run, m["n"])
        return Response.json(200, shapes.workflow_run(app.api_url, repo, run, number))


def _jobs_response(app: Sandbox, req: Request, repo: Repo, run: Run, jobs: list[Job]) -> Response:
    page, links = paginate(req, jobs)
    body = [shapes.job(app.api_url, repo, run, j) for j in page]
    return Response.json(200, {"total_count": len(jobs), "jobs": body}, links)


@route(ROUTES, "GET", _RUN + r"/jobs")
def list_jobs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    which = req.arg("filter", "latest")
    if which not in ("latest", "all"):
        raise validation([{"resource": "Job", "field": "filter", "code": "invalid"}])
    with app.state.lock:
        if which == "latest":
            jobs = app.state.latest_jobs(run)
        else:
            jobs = [j for a in run.attempts for j in app.state.jobs_of(a)]
        return _jobs_response(app, req, repo, run, jobs)


@route(ROUTES, "GET", _RUN + r"/attempts/(?P<n>\d+)/jobs")
def list_attempt_jobs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        attempt = run.attempts[_attempt_no(run, m["n"]) - 1]
        return _jobs_response(app, req, repo, run, app.state.jobs_of(attempt))


@route(ROUTES, "GET", _R + r"/actions/jobs/(?P<job>\d+)")
def get_job(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run, job = _job(app, repo, m["job"])
    with app.state.lock:
        return Response.json(200, shapes.job(app.api_url, repo, run, job))


def _redirect(url: str) -> Response:
    return Response(302, b"", {"Location": url}, content_type="")


@route(ROUTES, "GET", _R + r"/actions/jobs/(?P<job>\d+)/logs")
def job_logs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run, job = _job(app, repo, m["job"])
    if run.logs_deleted:
        raise ApiError(410, "Server Error")
    if job.status != "completed":
        raise ApiError(404, "Not Found")
    return _redirect(app.make_blob(job.log.encode("utf-8"), "text/plain; charset=utf-8"))


def _zip(app: Sandbox, req: Request, repo: Repo, run: Run, attempt_no: int) -> Response:
    if run.logs_deleted:
        raise ApiError(410, "Server Error")
    with app.state.lock:
        attempt = run.attempts[attempt_no - 1]
        if attempt.status != "completed":
            raise ApiError(404, "Not Found")
        jobs = app.state.jobs_of(attempt)
        data = logzip.build(jobs, layout=repo.zip_layout, legacy=repo.zip_legacy)
    if app.faults.take(("truncated-zip",), req.method, req.path) is not None:
        data = data[: len(data) // 2]
    return _redirect(app.make_blob(data, "application/zip"))


@route(ROUTES, "GET", _RUN + r"/logs")
def run_logs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    return _zip(app, req, repo, run, len(run.attempts))


@route(ROUTES, "GET", _RUN + r"/attempts/(?P<n>\d+)/logs")
def attempt_logs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "read")
    run = _run(app, repo, m["run"])
    return _zip(app, req, repo, run, _attempt_no(run, m["n"]))


@route(ROUTES, "DELETE", _RUN + r"/logs")
def delete_logs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        run.logs_deleted = True
    app.state.save()
    return Response.empty(204)


def _check_rerunnable(app: Sandbox, run: Run) -> None:
    # GitHub answers 403 "This workflow run cannot be rerun" for a run that is still going
    # (cli/cli #9221) and for one older than the 30-day window (observed: vscode-azure... #279).
    age = datetime.fromtimestamp(app.clock(), UTC) - datetime.fromisoformat(run.created_at)
    if run.latest.status != "completed" or age > timedelta(days=30) or run.logs_deleted:
        raise ApiError(403, "This workflow run cannot be rerun")
    if len(run.attempts) - 1 >= runqueue.MAX_RERUNS:
        # Limit announced 2026-04-10; GitHub's exact wording is not documented.
        raise ApiError(
            403, f"This workflow run cannot be re-run more than {runqueue.MAX_RERUNS} times."
        )


def _dependents(jobs: list[Job], keys: set[str]) -> set[str]:
    wanted = set(keys)
    changed = True
    while changed:
        changed = False
        for job in jobs:
            if job.key not in wanted and wanted.intersection(job.needs):
                wanted.add(job.key)
                changed = True
    return wanted


def _rerun(app: Sandbox, req: Request, run: Run, keys: set[str] | None) -> Response:
    actor = req.token.login if req.token else "sandbox-user"
    debug = bool(req.json().get("enable_debug_logging", False))
    runqueue.new_attempt(app, run, jobs=keys, actor=actor, debug=debug)
    app.state.save()
    return Response.json(201, {})


@route(ROUTES, "POST", _RUN + r"/rerun")
def rerun(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        _check_rerunnable(app, run)
    return _rerun(app, req, run, None)


@route(ROUTES, "POST", _RUN + r"/rerun-failed-jobs")
def rerun_failed(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    run = _run(app, repo, m["run"])
    with app.state.lock:
        _check_rerunnable(app, run)
        latest = app.state.latest_jobs(run)
        failed = {j.key for j in latest if j.conclusion in _FAILED}
        if not failed:
            raise ApiError(403, "There are no failed jobs in this workflow run to re-run.")
        keys = _dependents(latest, failed)
    return _rerun(app, req, run, keys)


@route(ROUTES, "POST", _R + r"/actions/jobs/(?P<job>\d+)/rerun")
def rerun_job(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    run, job = _job(app, repo, m["job"])
    with app.state.lock:
        _check_rerunnable(app, run)
        keys = _dependents(app.state.latest_jobs(run), {job.key})
    return _rerun(app, req, run, keys)


@route(ROUTES, "POST", _RUN + r"/cancel")
def cancel(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    run = _run(app, repo, m["run"])
    if not runqueue.cancel(app, run):
        raise ApiError(409, "Cannot cancel a workflow run that is completed.")
    app.state.save()
    return Response.json(202, {})


@route(ROUTES, "POST", _R + r"/actions/workflows/(?P<wf>[^/]+)/dispatches")
def dispatch(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "actions", "write")
    body = req.json()
    ref = body.get("ref")
    inputs = body.get("inputs") or {}
    if not isinstance(ref, str) or not isinstance(inputs, dict):
        raise validation(
            [{"resource": "WorkflowDispatch", "field": "ref", "code": "missing_field"}]
        )
    with app.state.lock:
        wf = _workflow(repo, m["wf"])
    full_ref = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
    sha = gitrepo.rev_parse(repo.git_dir, full_ref) or gitrepo.rev_parse(repo.git_dir, ref)
    if sha is None:
        raise ApiError(422, f"No ref found for: {ref}")
    actor = req.token.login if req.token else "sandbox-user"
    payload = {
        "inputs": {str(k): str(v) for k, v in inputs.items()},
        "ref": full_ref,
        "repository": shapes.repository(app.api_url, repo),
        "sender": shapes.user(app.api_url, actor),
        "workflow": wf.path,
    }
    found = app.runner.triggered_workflows(
        Path(repo.git_dir), sha, "workflow_dispatch", full_ref, payload
    )
    match = next(((p, n) for p, n in found if p == wf.path), None)
    if match is None:
        raise ApiError(422, "Workflow does not have 'workflow_dispatch' trigger")
    run = events.create_run(
        app,
        repo,
        path=wf.path,
        name=match[1],
        sha=sha,
        ref=full_ref,
        event="workflow_dispatch",
        payload=payload,
        actor=actor,
    )
    if req.version == "2026-03-10" or body.get("return_run_details"):
        url = f"{app.api_url}/repos/{repo.full_name}/actions/runs/{run.id}"
        html = f"{app.api_url}/{repo.full_name}/actions/runs/{run.id}"
        return Response.json(200, {"workflow_run_id": run.id, "run_url": url, "html_url": html})
    return Response.empty(204)
