"""Planning a run: job order, the contexts jobs start from, ``needs`` roll-ups, conclusions."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.runtypes import Annotation, JobResult, RunConclusion, RunRequest
from smartmon.sandbox.runner.triggers import workflow_on
from smartmon.sandbox.runner.workflow_file import WorkflowFile, git_output


def base_contexts(request: RunRequest, wf: WorkflowFile, key: str) -> dict[str, Any]:
    """The expression contexts every job starts from (``needs``/``matrix`` filled in later)."""
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
    inputs = dispatch_inputs(wf.data or {}, request)
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


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def invalid_workflow(path: str, message: str) -> Annotation:
    return Annotation(
        level="failure",
        message=f"The workflow is not valid. {path}: {message}",
        path=path,
        title=f"Invalid workflow file: {path}#L1",
    )


def job_order(jobs: Mapping[str, Any]) -> tuple[list[str], str | None]:
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


def needs_entry(legs: list[JobResult]) -> dict[str, Any]:
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


def run_conclusion(jobs: list[JobResult], request: RunRequest) -> RunConclusion:
    conclusions = {j.conclusion for j in jobs}
    if "failure" in conclusions or "timed_out" in conclusions:
        return "failure"
    if "cancelled" in conclusions or request.cancel.is_set():
        return "cancelled"
    return "success"


def dispatch_inputs(data: Mapping[str, Any], request: RunRequest) -> dict[str, Any]:
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


def changed_files(repo_dir: Path, sha: str, payload: Mapping[str, Any]) -> list[str] | None:
    before = str(payload.get("before") or "")
    if not before or set(before) == {"0"}:
        return None
    try:
        out = git_output(repo_dir, "diff", "--name-only", before, sha)
    except subprocess.CalledProcessError:  # unknown base (force push): run everything
        return None
    return out.decode("utf-8", "replace").splitlines()
