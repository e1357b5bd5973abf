"""Check runs and their annotations. A job's id is its check-run id, as on GitHub.

Run-level annotations (a startup failure such as an invalid workflow file, when no job ran) hang
on one extra check run per attempt, listed in the run's check suite
(`GET /repos/{o}/{r}/check-suites/{run.check_suite_id}/check-runs`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartmon.sandbox.api import shapes
from smartmon.sandbox.api.core import ApiError, Request, Response, paginate
from smartmon.sandbox.api.routing import Route, route
from smartmon.sandbox.state import Attempt, Job, Repo, Run

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
_R = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


def _find(app: Sandbox, check_id: int) -> tuple[Run, Job | None, Attempt | None]:
    job = app.state.jobs.get(check_id)
    if job is not None:
        return app.state.runs[job.run_id], job, None
    for run in app.state.runs.values():
        for attempt in run.attempts:
            if attempt.check_run_id == check_id:
                return run, None, attempt
    raise ApiError(404, "Not Found")


def _check_run(
    app: Sandbox, repo: Repo, run: Run, job: Job | None, attempt: Attempt | None
) -> dict[str, Any]:
    u = f"{app.api_url}/repos/{repo.full_name}"
    if job is not None:
        ident, name, status, conclusion = job.id, job.name, job.status, job.conclusion
        started, completed, notes = job.started_at, job.completed_at, job.annotations
        html = f"{app.api_url}/{repo.full_name}/actions/runs/{run.id}/job/{job.id}"
    else:
        assert attempt is not None
        ident, name, status, conclusion = (
            attempt.check_run_id,
            run.name,
            attempt.status,
            attempt.conclusion,
        )
        started, completed, notes = attempt.run_started_at, attempt.updated_at, attempt.annotations
        html = f"{app.api_url}/{repo.full_name}/actions/runs/{run.id}"
    return {
        "id": ident,
        "head_sha": run.head_sha,
        "node_id": shapes.node_id("CR", ident),
        "external_id": "",
        "url": f"{u}/check-runs/{ident}",
        "html_url": html,
        "details_url": html,
        "status": status,
        "conclusion": conclusion,
        "started_at": started,
        "completed_at": completed,
        "output": {
            "title": None,
            "summary": None,
            "text": None,
            "annotations_count": len(notes),
            "annotations_url": f"{u}/check-runs/{ident}/annotations",
        },
        "name": name,
        "check_suite": {"id": run.check_suite_id},
        "app": None,
        "pull_requests": [],
    }


@route(ROUTES, "GET", _R + r"/check-runs/(?P<check>\d+)")
def get_check_run(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "checks", "read")
    with app.state.lock:
        run, job, attempt = _find(app, int(m["check"]))
        if run.repo_id != repo.id:
            raise ApiError(404, "Not Found")
        return Response.json(200, _check_run(app, repo, run, job, attempt))


@route(ROUTES, "GET", _R + r"/check-suites/(?P<suite>\d+)/check-runs")
def list_suite_check_runs(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "checks", "read")
    with app.state.lock:
        run = next(
            (
                r
                for r in app.state.runs.values()
                if r.repo_id == repo.id and r.check_suite_id == int(m["suite"])
            ),
            None,
        )
        if run is None:
            raise ApiError(404, "Not Found")
        items = [_check_run(app, repo, run, j, None) for j in app.state.latest_jobs(run)]
        attempt = run.latest
        if attempt.annotations:
            items.append(_check_run(app, repo, run, None, attempt))
    page, links = paginate(req, items)
    return Response.json(200, {"total_count": len(items), "check_runs": page}, links)


@route(ROUTES, "GET", _R + r"/check-runs/(?P<check>\d+)/annotations")
def list_annotations(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    repo = app.repo(req, m["owner"], m["name"], "checks", "read")
    with app.state.lock:
        run, job, attempt = _find(app, int(m["check"]))
        if run.repo_id != repo.id:
            raise ApiError(404, "Not Found")
        notes = job.annotations if job is not None else attempt.annotations if attempt else []
        body = [shapes.annotation(app.api_url, repo, run.head_sha, a) for a in notes]
    page, links = paginate(req, body)
    return Response.json(200, page, links)
