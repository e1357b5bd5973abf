"""A local GitHub for the demo and the tests: REST API, git hosting and a workflow runner.

``app`` (``Sandbox``: state, tokens, rate budgets, blobs, faults, the run queue) is what every
part takes; ``server`` (``SandboxServer``) serves it over HTTP: versions, auth, injected faults,
rate limits and ETags in front of ``api/`` (one route module per REST area, JSON ``shapes``,
run-log zips, the /_sandbox/ ``admin`` routes) and ``git/`` (bare repositories over smart HTTP).
``events`` and ``runqueue`` decide what starts a run and record its results; ``runner/`` runs it,
meeting the rest only through the values of ``runner.runtypes``. ``process`` starts
``smartmon sandbox serve`` as a child; ``scenarios`` are ready-made broken repositories.
"""

from smartmon.sandbox import scenarios
from smartmon.sandbox.api import AdminError, create_repo
from smartmon.sandbox.faults import FaultSpecError
from smartmon.sandbox.faults import parse as parse_faults
from smartmon.sandbox.process import SandboxProcess, SandboxStartError
from smartmon.sandbox.runner import (
    Annotation,
    JobResult,
    Runner,
    RunnerProtocol,
    RunRequest,
    RunResult,
    StepResult,
    python_env,
)
from smartmon.sandbox.server import SandboxServer

__all__ = [
    "AdminError",
    "Annotation",
    "FaultSpecError",
    "JobResult",
    "RunRequest",
    "RunResult",
    "Runner",
    "RunnerProtocol",
    "SandboxProcess",
    "SandboxServer",
    "SandboxStartError",
    "StepResult",
    "create_repo",
    "parse_faults",
    "python_env",
    "scenarios",
]
