"""Events that start runs: pushes, dispatches and `workflow_run` chains, with GitHub's rules."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from smartmon.sandbox.api import shapes
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Attempt, Repo, Run, TokenKind, Workflow, iso

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

log = logging.getLogger(__name__)

MAX_CHAIN = 3  # workflow_run chains stop after three levels (A→B→C→D; E never runs)


def _now(app: Sandbox) -> str:
    return iso(datetime.fromtimestamp(app.clock(), UTC))


def workflow_name(git_dir: Path, sha: str, path: str) -> str:
    blob = gitrepo.read_blob(git_dir, sha, path)
    if blob is not None:
        try:
            doc = yaml.safe_load(blob[1])
        except yaml.YAMLError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("name"), str):
            return str(doc["name"])
    return path


def register_workflow(app: Sandbox, repo: Repo, path: str, name: str) -> Workflow:
    with app.state.lock:
        wf = repo.workflows.get(path)
        now = _now(app)
        if wf is None:
            wf = Workflow(app.state.next_id(), name, path, "active", now, now)
            repo.workflows[path] = wf
        elif wf.name != name or wf.state != "active":
            wf.name, wf.state, wf.updated_at = name, "active", now
        return wf


def sync_workflows(app: Sandbox, repo: Repo) -> None:
    """Match the workflow list to `.github/workflows/*.y(a)ml` on the default branch."""
    git_dir = Path(repo.git_dir)
    sha = gitrepo.rev_parse(git_dir, f"refs/heads/{repo.default_branch}")
    if sha is None:
        return
    entries = gitrepo.list_tree(git_dir, sha, ".github/workflows") or []
    present = set()
    for _mode, kind, _sha, name in entries:
        if kind == "blob" and name.endswith((".yml", ".yaml")):
            path = f".github/workflows/{name}"
            present.add(path)
            register_workflow(app, repo, path, workflow_name(git_dir, sha, path))
    with app.state.lock:
        for path, wf in repo.workflows.items():
            if path not in present and wf.state == "active":
                wf.state, wf.updated_at = "deleted", _now(app)


def create_run(
    app: Sandbox,
    repo: Repo,
    *,
    path: str,
    name: str,
    sha: str,
    ref: str,
    event: str,
    payload: dict[str, Any],
    actor: str,
    chain_depth: int = 0,
    head_branch: str | None = None,
    needs_approval: bool = False,
    pull_requests: list[dict[str, Any]] | None = None,
) -> Run:
    """Record a queued run (attempt 1) and hand it to the run queue.

    With `needs_approval` the run waits for an approval that never comes in the sandbox: it is
    recorded as completed with conclusion `action_required` and never executed."""
    wf = register_workflow(app, repo, path, name)
    info = gitrepo.commit_info(repo.git_dir, sha)
    now = _now(app)
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else head_branch
    with app.state.lock:
        repo.run_numbers[path] = repo.run_numbers.get(path, 0) + 1
        fork, repo.next_head_repository = repo.next_head_repository, None
        run = Run(
            id=app.state.next_id(),
            repo_id=repo.id,
            workflow_id=wf.id,
            workflow_path=path,
            name=name,
            run_number=repo.run_numbers[path],
            event=event,
            head_branch=branch,
            head_sha=sha,
            ref=ref,
            actor=actor,
            head_repository=fork,
            payload=payload,
            head_commit=shapes.head_commit(info),
            created_at=now,
            check_suite_id=app.state.next_id(),
            chain_depth=chain_depth,
            pull_requests=list(pull_requests or []),
        )
        if needs_approval:
            run.attempts.append(Attempt(1, "completed", "action_required", now, now, now, actor))
        else:
            run.attempts.append(Attempt(1, "queued", None, now, now, now, actor))
        app.state.runs[run.id] = run
    app.state.save()
    if not needs_approval:
        fire_workflow_run(app, run, "requested")
        app.queue.submit(run.id, 1)
    log.info("sandbox: queued run %s (%s, %s) for %s", run.id, path, event, repo.full_name)
    return run


def on_push(
    app: Sandbox, repo: Repo, ref: str, before: str, after: str, kind: TokenKind, actor: str
) -> list[Run]:
    """A ref moved. Pushes made with a workflow's own GITHUB_TOKEN start no run (GitHub's rule)."""
    if ref == f"refs/heads/{repo.default_branch}":
        sync_workflows(app, repo)
    if after == gitrepo.ZERO_SHA or not ref.startswith(("refs/heads/", "refs/tags/")):
        return []
    if kind == "github_token":
        log.info("sandbox: push to %s by GITHUB_TOKEN starts no workflow run", ref)
        return []
    info = gitrepo.commit_info(repo.git_dir, after)
    payload = {
        "ref": ref,
        "before": before,
        "after": after,
        "created": before == gitrepo.ZERO_SHA,
        "deleted": False,
        "forced": before != gitrepo.ZERO_SHA
        and not gitrepo.is_ancestor(repo.git_dir, before, after),
        "base_ref": None,
        "compare": f"{app.api_url}/{repo.full_name}/compare/{before[:12]}...{after[:12]}",
        "commits": [],
        "head_commit": shapes.head_commit(info) | {"url": "", "distinct": True},
        "pusher": {"name": actor, "email": None},
        "repository": shapes.repository(app.api_url, repo),
        "sender": shapes.user(app.api_url, actor),
    }
    found = app.runner.triggered_workflows(Path(repo.git_dir), after, "push", ref, payload)
    return [
        create_run(
            app,
            repo,
            path=p,
            name=n,
            sha=after,
            ref=ref,
            event="push",
            payload=payload,
            actor=actor,
        )
        for p, n in found
    ]


def fire_workflow_run(app: Sandbox, run: Run, action: str = "completed") -> list[Run]:
    """Start the default branch's workflows that listen for this run's `action`.

    GitHub sends `workflow_run` when a run is `requested` (created), `in_progress` (started) and
    `completed`; a listener without `types:` hears all three (docs: "Events that trigger
    workflows", workflow_run).
    """
    if run.chain_depth >= MAX_CHAIN:
        return []
    with app.state.lock:
        repo = app.state.repo_by_id(run.repo_id)
        wf = next((w for w in repo.workflows.values() if w.id == run.workflow_id), None)
        run_json = shapes.workflow_run(app.api_url, repo, run)
    default_ref = f"refs/heads/{repo.default_branch}"
    sha = gitrepo.rev_parse(repo.git_dir, default_ref)
    if sha is None:
        return []
    payload = {
        "action": action,
        "workflow_run": run_json,
        "workflow": shapes.workflow(app.api_url, repo, wf) if wf else None,
        "repository": shapes.repository(app.api_url, repo),
        "sender": shapes.user(app.api_url, run.actor),
    }
    found = app.runner.triggered_workflows(
        Path(repo.git_dir), sha, "workflow_run", default_ref, payload
    )
    return [
        create_run(
            app,
            repo,
            path=p,
            name=n,
            sha=sha,
            ref=default_ref,
            event="workflow_run",
            payload=payload,
            actor=run.actor,
            chain_depth=run.chain_depth + 1,
        )
        for p, n in found
        if p != run.workflow_path
    ]


def on_pull_request(
    app: Sandbox, repo: Repo, pull: dict[str, Any], kind: TokenKind, actor: str
) -> list[Run]:
    """A pull request was opened. One opened with a GITHUB_TOKEN gets runs that need approval.

    The sandbox runs `pull_request` workflows on the head commit (GitHub uses a merge commit)."""
    number = int(pull["number"])
    head_sha = str(pull["head"]["sha"])
    ref = f"refs/pull/{number}/merge"
    payload = {
        "action": "opened",
        "number": number,
        "pull_request": pull,
        "repository": shapes.repository(app.api_url, repo),
        "sender": shapes.user(app.api_url, actor),
    }
    found = app.runner.triggered_workflows(
        Path(repo.git_dir), head_sha, "pull_request", ref, payload
    )
    return [
        create_run(
            app,
            repo,
            path=p,
            name=n,
            sha=head_sha,
            ref=ref,
            event="pull_request",
            payload=payload,
            actor=actor,
            head_branch=str(pull["head"]["ref"]),
            needs_approval=kind == "github_token",
            pull_requests=[_minimal_pull(pull)],
        )
        for p, n in found
    ]


def _minimal_pull(pull: dict[str, Any]) -> dict[str, Any]:
    """`pull-request-minimal`, as listed in a run's `pull_requests`."""

    def side(part: dict[str, Any]) -> dict[str, Any]:
        repo = part["repo"]
        ref = {"id": repo["id"], "url": repo["url"], "name": repo["name"]}
        return {"ref": part["ref"], "sha": part["sha"], "repo": ref}

    return {
        "id": pull["id"],
        "number": pull["number"],
        "url": pull["url"],
        "head": side(pull["head"]),
        "base": side(pull["base"]),
    }
