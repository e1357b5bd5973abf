"""The contract between the sandbox server and the workflow runner.

The server side (``runqueue.py``, ``events.py``) decides *when* a workflow runs and records the
results; the runner (``workflow_runner.py``) decides *which* workflows an event starts and executes
them. They meet only here.

Conventions:
- Times are timezone-aware UTC ``datetime`` values.
- ``JobResult.key`` is the workflow's YAML job id (``jobs.<key>``); matrix legs share it and
  differ by ``name`` (``build (ubuntu-latest, 3.12)``). ``needs`` lists the YAML job ids the job
  depends on.
- For a partial rerun (rerun-failed-jobs, rerun one job) the server passes ``jobs_to_run`` (YAML
  job ids: the failed jobs plus everything that transitively needs them) and ``previous_jobs``
  (YAML job id -> that job's results from the latest attempt, for ``needs.<id>.outputs`` and
  ``needs.<id>.result``). The runner returns results for the jobs it executed; the server keeps
  the rest from older attempts and ignores returned jobs whose key is not in ``jobs_to_run``.
- ``triggered_workflows`` is called with ``event`` one of ``push``, ``workflow_dispatch``,
  ``workflow_run`` (payload per GitHub's webhook schema; ``payload["workflow"]["name"]`` and
  ``payload["action"]`` decide ``on.workflow_run.workflows/types``), ``pull_request``.
- ``RunRequest.cancel`` is set when the run is cancelled through the API; the runner should stop
  at the next step boundary and report ``cancelled``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

RunConclusion = Literal["success", "failure", "cancelled", "startup_failure"]
JobConclusion = Literal["success", "failure", "cancelled", "skipped", "neutral", "timed_out"]
AnnotationLevel = Literal["failure", "warning", "notice"]


@dataclass(frozen=True)
class Annotation:
    """A check-run annotation; ``path`` is ``.github`` for annotations without a file."""

    level: AnnotationLevel
    message: str
    path: str = ".github"
    start_line: int = 1
    end_line: int = 1
    title: str = ""


@dataclass(frozen=True)
class StepResult:
    """One step of a job; post steps carry high, non-contiguous numbers like GitHub's."""

    number: int
    name: str
    conclusion: JobConclusion
    started_at: datetime
    completed_at: datetime
    log: str = ""


@dataclass(frozen=True)
class JobResult:
    """One executed job (one matrix leg); ``log`` is the whole job log in GitHub's format."""

    key: str
    name: str
    conclusion: JobConclusion
    started_at: datetime
    completed_at: datetime
    labels: list[str]
    steps: list[StepResult]
    log: str
    annotations: list[Annotation] = field(default_factory=list)
    needs: tuple[str, ...] = ()
    outputs: dict[str, str] = field(default_factory=dict)
    runner_name: str = "GitHub Actions 1"


@dataclass(frozen=True)
class RunResult:
    """One run attempt's outcome; ``annotations`` are run-level (e.g. invalid workflow file)."""

    conclusion: RunConclusion
    jobs: list[JobResult]
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class RunRequest:
    """Everything the runner needs to execute one attempt of one workflow run."""

    repo_full_name: str
    repo_dir: Path
    workflow_path: str
    sha: str
    ref: str
    event: str
    payload: dict[str, Any]
    run_id: int
    run_number: int
    run_attempt: int
    token: str
    api_url: str
    server_url: str
    git_url: str
    secrets: dict[str, str]
    variables: dict[str, str]
    jobs_to_run: set[str] | None = None
    previous_jobs: dict[str, list[JobResult]] = field(default_factory=dict)
    workflow_name: str = ""
    actor: str = "sandbox"
    triggering_actor: str = "sandbox"
    debug: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)
    # Job tokens: the server mints one per job for the scopes its `permissions:` grants
    # (workflow-syntax names); without it every job shares `token`.
    mint_token: Callable[[dict[str, str]], str] | None = None
    default_permissions: str = "write"  # the repository's default_workflow_permissions
    fork: bool = False  # a pull request from a fork: a read-only token and no secrets
    oidc_url: str = ""  # ACTIONS_ID_TOKEN_REQUEST_URL, only in jobs granted `id-token: write`


class RunnerProtocol(Protocol):
    """What the server needs from a workflow runner."""

    def triggered_workflows(
        self, repo_dir: Path, sha: str, event: str, ref: str, payload: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        """(workflow path, workflow name) of files at ``sha`` whose ``on:`` matches the event."""
        ...

    def run(self, request: RunRequest) -> RunResult:
        """Execute the workflow's jobs and return their results (never raises for job failures)."""
        ...
