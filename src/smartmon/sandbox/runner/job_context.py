"""The mutable state of one running job: directories, env, contexts, log, step results."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.expressions import Evaluator
from smartmon.sandbox.runner.joblog import JobLog
from smartmon.sandbox.runner.python_env import Interpreter
from smartmon.sandbox.runner.runtypes import Annotation, JobConclusion, RunRequest

RUNNER_NAME = "GitHub Actions 1"
# Host variables that would leak the developer's environment into a job.
_HOST_PREFIXES = ("GITHUB_", "RUNNER_", "ACTIONS_", "PIP_", "INPUT_", "STATE_", "PYTEST_")
_HOST_NAMES = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CI", "HOME", "COV_CORE_SOURCE"}


@dataclass(frozen=True)
class Services:
    """What the runner offers every job (shared across jobs of all runs)."""

    interpreter: Interpreter
    wheelhouse: Path
    artifacts_root: Path  # <root>/<owner>/<name>/<run_id>/<artifact>
    cache_root: Path  # <root>/<owner>/<name>/<key hash>
    action_map: Mapping[str, Path]


@dataclass
class Scope:
    """Step-level namespace: the job's steps, or a composite action's own steps and inputs."""

    steps: dict[str, dict[str, Any]]
    inputs: dict[str, Any]
    action_path: Path | None = None
    action_name: str = ""
    depth: int = 0
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class StepOutcome:
    """How a step ended: ``outcome`` before continue-on-error, ``conclusion`` after."""

    outcome: JobConclusion
    conclusion: JobConclusion
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class PostStep:
    name: str
    action: Callable[[JobContext], bool]  # returns True on success
    condition: str = "always()"


@dataclass
class JobContext:
    request: RunRequest
    services: Services
    key: str
    name: str
    log: JobLog
    root: Path  # per-job directory holding workspace, temp, home and tool cache
    contexts: dict[str, Any]
    env: dict[str, str] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    post_steps: list[PostStep] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    process_groups: list[int] = field(default_factory=list)
    status: str = "success"
    deadline: float | None = None  # time.monotonic() value
    timeout_minutes: float = 360
    timed_out: bool = False

    @property
    def workspace(self) -> Path:
        owner_name = self.request.repo_full_name.split("/")[-1]
        return self.root / "work" / owner_name / owner_name

    @property
    def temp(self) -> Path:
        return self.root / "_temp"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tool_cache(self) -> Path:
        return self.root / "hostedtoolcache"

    def make_dirs(self) -> None:
        for path in (self.workspace, self.temp, self.home, self.tool_cache):
            path.mkdir(parents=True, exist_ok=True)

    @property
    def debug(self) -> bool:
        """Step debug logging: a debug re-run, or ACTIONS_STEP_DEBUG as a secret or variable."""
        req = self.request
        flags = (req.secrets.get("ACTIONS_STEP_DEBUG"), req.variables.get("ACTIONS_STEP_DEBUG"))
        return req.debug or any(str(f).lower() == "true" for f in flags if f is not None)

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def evaluator(self, scope: Scope, env: Mapping[str, str]) -> Evaluator:
        contexts = dict(self.contexts)
        github = dict(contexts["github"])
        if scope.action_path is not None:
            github["action_path"] = str(scope.action_path)
        github["action"] = scope.action_name or github.get("action", "")
        contexts.update(
            github=github,
            env=dict(env),
            steps=scope.steps,
            inputs=scope.inputs,
            job={"status": self.status},
        )
        return Evaluator(contexts, status=self.status, workspace=self.workspace)

    def process_env(self, step_env: Mapping[str, str], scope: Scope) -> dict[str, str]:
        """The full environment of a step's process: host basics + GitHub's variables + env."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(_HOST_PREFIXES) and k not in _HOST_NAMES
        }
        env["PATH"] = os.pathsep.join([*self.paths, *_clean_path(os.environ.get("PATH", ""))])
        env.update(self.github_env(scope))
        env.update(step_env)
        return env

    def github_env(self, scope: Scope) -> dict[str, str]:
        req = self.request
        github = self.contexts["github"]
        env = {
            "CI": "true",
            "HOME": str(self.home),
            "GITHUB_ACTIONS": "true",
            "GITHUB_API_URL": req.api_url,
            "GITHUB_SERVER_URL": req.server_url,
            "GITHUB_GRAPHQL_URL": f"{req.api_url.rstrip('/')}/graphql",
            "GITHUB_REPOSITORY": req.repo_full_name,
            "GITHUB_REPOSITORY_OWNER": req.repo_full_name.split("/")[0],
            "GITHUB_REPOSITORY_ID": str(github.get("repository_id", "1")),
            "GITHUB_EVENT_NAME": req.event,
            "GITHUB_EVENT_PATH": str(self.temp / "_github_workflow" / "event.json"),
            "GITHUB_SHA": req.sha,
            "GITHUB_REF": req.ref,
            "GITHUB_REF_NAME": github["ref_name"],
            "GITHUB_REF_TYPE": github["ref_type"],
            "GITHUB_HEAD_REF": github.get("head_ref", ""),
            "GITHUB_BASE_REF": github.get("base_ref", ""),
            "GITHUB_RUN_ID": str(req.run_id),
            "GITHUB_RUN_NUMBER": str(req.run_number),
            "GITHUB_RUN_ATTEMPT": str(req.run_attempt),
            "GITHUB_JOB": self.key,
            "GITHUB_WORKFLOW": github["workflow"],
            "GITHUB_WORKFLOW_REF": github["workflow_ref"],
            "GITHUB_WORKFLOW_SHA": req.sha,
            "GITHUB_ACTOR": req.actor,
            "GITHUB_TRIGGERING_ACTOR": req.triggering_actor,
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION": scope.action_name or "__run",
            "GITHUB_RETENTION_DAYS": "90",
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_NAME": RUNNER_NAME,
            "RUNNER_ENVIRONMENT": "github-hosted",
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_TOOL_CACHE": str(self.tool_cache),
            "RUNNER_WORKSPACE": str(self.workspace.parent),
            "AGENT_TOOLSDIRECTORY": str(self.tool_cache),
            # Offline installs: see python_env.py.
            "PIP_CONFIG_FILE": os.devnull,
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(self.services.wheelhouse),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "SMARTMON_WHEELHOUSE": str(self.services.wheelhouse),
        }
        if req.oidc_url:  # the runner sets these only when the job may ask for an OIDC token
            env["ACTIONS_ID_TOKEN_REQUEST_URL"] = req.oidc_url
            env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = req.token
        if self.debug:
            env["RUNNER_DEBUG"] = "1"
        if scope.action_path is not None:
            env["GITHUB_ACTION_PATH"] = str(scope.action_path)
        return env


def _clean_path(path: str) -> list[str]:
    """Host PATH without virtualenv bin directories (the job must not see smartmon's venv)."""
    kept = []
    for entry in path.split(os.pathsep):
        if entry and not (Path(entry).parent / "pyvenv.cfg").exists():
            kept.append(entry)
    return kept
