"""The JSON shapes of the Actions answers smartmon reads (only the fields it uses)."""

from __future__ import annotations

from typing import Any, TypedDict


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
