"""Wire a missing environment variable to a repository secret: `NAME: ${{ secrets.NAME }}`.

The entry goes into the failing step's `env:` when that step already has one, else into the job's
`env:` (created if absent). Never a value: creating the secret itself is the API's business.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartmon.fixers.action_inputs import input_name
from smartmon.fixers.target import (
    edit_fix,
    guarded,
    load_target,
    reason,
)
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import EditError, Path, add_entries, find_job, find_step

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.MISSING_ENV_VARS

# Secret names: letters, digits, underscores; not starting with a digit; no GITHUB_ prefix
# (docs.github.com "Using secrets in GitHub Actions", naming your secrets).
_SECRET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# The token GitHub creates for every run: wired from the run itself, never a repository secret
# (docs.github.com "Using GitHub CLI in workflows": `GH_TOKEN: ${{ github.token }}`).
_BUILT_IN = {
    "GH_TOKEN": "${{ github.token }}",
    "GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
}


# Variables that say where a tool or the display is on this machine: the runner or a setup action sets
# them, and a wrong one is mended there ("go: cannot find GOROOT directory" wants GOROOT unset or
# pointed at the Go setup-go installed, golang/go #68107), never by a repository secret.
_MACHINE = frozenset(
    {
        "ANDROID_HOME",
        "ANDROID_NDK_HOME",
        "ANDROID_SDK_ROOT",
        "DISPLAY",
        "GOPATH",
        "GOROOT",
        "HOME",
        "JAVA_HOME",
        "PATH",
    }
)


def _defined(node: Any, name: str) -> bool:
    env = node.get("env") if isinstance(node, dict) else None
    return isinstance(env, dict) and name in env


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    if input_name(finding) is not None:
        return None  # an action input, not a variable: action_inputs answers it
    name = finding.data.get("var", "").strip()
    if not name:
        given = finding.data.get("name", "").strip()
        if not given:
            return None
        why = f"{given!r} is an action input: pass it under the step's `with:`, not env"
        return reason(HANDLES, ctx.workflow or "", f"set input {given}", why)
    value = _BUILT_IN.get(name, f"${{{{ secrets.{name} }}}}")
    title = f"add {name}: {value}"
    if name not in _BUILT_IN and (
        not _SECRET_NAME.match(name) or name.upper().startswith("GITHUB_")
    ):
        return reason(
            HANDLES, ctx.workflow or "", title, f"{name!r} is not a valid secret name; not wired"
        )
    if name in _MACHINE:
        why = (
            f"{name} says where a tool or the display is on the runner, not a secret: set it in "
            "the step that installs the tool (or unset it); not wired"
        )
        return reason(HANDLES, ctx.workflow or "", title, why)
    loaded = load_target(finding, ws, ctx, HANDLES, title)
    if isinstance(loaded, Fix):
        return loaded
    path = loaded.path
    doc = loaded.doc
    job_id = find_job(doc, finding.job)
    if job_id is None:
        return reason(
            HANDLES,
            path,
            title,
            f"{path}: cannot add env var: the job {finding.job!r} was not found in this workflow",
        )
    job = doc["jobs"][job_id]
    if "uses" in job:
        return reason(
            HANDLES,
            path,
            title,
            f"{path}: job {job_id!r} calls a reusable workflow; pass {name} as a secret there "
            f"(secrets: {name}: ${{{{ secrets.{name} }}}})",
        )
    step = find_step(doc, job_id, finding.step)
    scopes = [doc, job] + ([step.node] if step is not None else [])
    if any(_defined(node, name) for node in scopes):
        return reason(
            HANDLES,
            path,
            title,
            f"{path}: {name} is already set in this job's env; create the repository secret "
            f"{name} (or check its value)",
        )
    targets: list[tuple[Path, str]] = [(("jobs", job_id), f"job {job_id!r}")]
    if step is not None and isinstance(step.node.get("env"), dict):
        targets.insert(0, (step.path, f"step {step.name!r}"))
    failures: list[str] = []
    for target, where in targets:  # the step's env first; the job's if the step's is flow style
        try:
            new_text = add_entries(
                loaded.text, doc, target, "env", [(name, value)], before=("steps",)
            )
            break
        except EditError as exc:
            failures.append(f"cannot add env var to {where}: {exc}")
    else:
        return reason(HANDLES, path, title, f"{path}: " + "; ".join(failures))
    description = f"add {name}: {value} to the env of {where}"
    if name not in _BUILT_IN:
        description += (
            f"; create the repository secret {name} (Settings > Secrets and variables > Actions)"
        )
    return edit_fix(HANDLES, loaded, new_text, description)
