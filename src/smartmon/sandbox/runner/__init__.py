"""The workflow runner: runs a workflow's jobs locally with bash and logs them in GitHub's format.

`Runner` implements `RunnerProtocol`; the rest of the sandbox meets it only through the values of
`runtypes` re-exported here. Expressions, matrices, built-in actions, step commands and the
platform's deprecation refusals live in the modules beside it.
"""

from smartmon.sandbox.runner import python_env
from smartmon.sandbox.runner.runtypes import (
    Annotation,
    JobResult,
    RunnerProtocol,
    RunRequest,
    RunResult,
    StepResult,
)
from smartmon.sandbox.runner.workflow_runner import Runner

__all__ = [
    "Annotation",
    "JobResult",
    "RunRequest",
    "RunResult",
    "Runner",
    "RunnerProtocol",
    "StepResult",
    "python_env",
]
