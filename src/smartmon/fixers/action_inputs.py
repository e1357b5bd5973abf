"""An action's required input left out: "Input required and not supplied: X".

A token input (`github-token`, `token`, `repo-token` …, or the one the action table names) is wired
under the step's `with:` as `${{ secrets.GITHUB_TOKEN }}`, or as the secret the workflow already
passes to the same action elsewhere. Any other input is reported, never wired: it is not an
environment variable, so `env_vars` must not turn it into `X: ${{ secrets.X }}` (this fixer runs
first and answers for every action-input finding).

The action's inputs come from the action dataset (`workflows.action_inputs`), or from its
`action.yml` in the repository for a local action (`uses: ./path`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from smartmon.errors import SmartmonError
from smartmon.fixers.target import edit_fix, guarded, load_target, reason
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    EditError,
    StepRef,
    action_inputs,
    action_token_input,
    add_entries,
    find_job,
    find_step,
    token_input_names,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.MISSING_ENV_VARS

# actions/toolkit core.getInput(name, {required: true}): "Input required and not supplied: X";
# peter-evans/create-pull-request: "Input 'token' not supplied. Unable to continue."
_NOT_SUPPLIED = re.compile(
    r"Input (?:required and not supplied: (?P<a>[\w-]+)|'(?P<b>[\w-]+)' not supplied\.)"
)
GITHUB_TOKEN = "${{ secrets.GITHUB_TOKEN }}"
_SECRET_REF = re.compile(r"^\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")


# Inputs are named in lower case, words joined by `-` or `_` (`github-token`, `private-key`,
# `repo_token`); environment variables and secrets by convention in upper case.
_INPUT_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_STEP_USES = re.compile(r"^(?:Run |Post )?[\w.-]+/[\w./-]+@\S+$")


def input_name(finding: Finding) -> str | None:
    """The action input a missing_env_vars finding is about, or None for an environment variable.

    Said outright ("Input required and not supplied: x"), or a lower-case name (`private-key`,
    `token`) that an action's own error gave in a step that runs that action.
    """
    var = finding.data.get("var", "").strip()
    if finding.rule == "action-input-not-supplied" and var:
        return var
    m = _NOT_SUPPLIED.search(finding.text)
    if m:
        return m["a"] or m["b"]
    in_action = bool(finding.data.get("action")) or bool(_STEP_USES.match(finding.step))
    return var if var and in_action and _INPUT_NAME.match(var) else None


def _slug(uses: str) -> str:
    return uses.split("@", 1)[0].strip().lower()


def _failing_step(doc: Any, job_id: str, finding: Finding) -> StepRef | None:
    step = find_step(doc, job_id, finding.step)
    if step is not None and step.node.get("uses"):
        return step
    action = finding.data.get("action", "")
    candidates = [
        StepRef(job=job_id, path=("jobs", job_id, "steps", i), node=s, name="")
        for i, s in enumerate(doc["jobs"][job_id].get("steps") or [])
        if isinstance(s, dict) and isinstance(s.get("uses"), str)
        and (not action or _slug(s["uses"]) == action.lower())
    ]  # fmt: skip
    return candidates[0] if len(candidates) == 1 else None


def _local_inputs(ws: Workspace, uses: str) -> set[str] | None:
    folder = uses.removeprefix("./").rstrip("/")
    for name in ("action.yml", "action.yaml"):
        path = f"{folder}/{name}" if folder else name
        try:
            if ws.exists(path):
                meta = yaml.safe_load(ws.read_text(path))
                inputs = meta.get("inputs") if isinstance(meta, dict) else None
                return {str(k) for k in inputs} if isinstance(inputs, dict) else set()
        except (SmartmonError, yaml.YAMLError):
            return None
    return None


def _known_inputs(ws: Workspace, uses: str) -> set[str] | None:
    if uses.startswith("./"):
        return _local_inputs(ws, uses)
    inputs = action_inputs(uses)
    return set(inputs) if inputs is not None else None


def _is_token_input(uses: str, name: str) -> bool:
    return name in token_input_names() or action_token_input(uses) == name


def _secret_used_elsewhere(doc: Any, uses: str, name: str) -> str | None:
    """The `${{ secrets.X }}` another step of the same action passes for this input."""
    for job in (doc.get("jobs") or {}).values():
        for step in (job.get("steps") or []) if isinstance(job, dict) else []:
            if not isinstance(step, dict) or _slug(str(step.get("uses", ""))) != _slug(uses):
                continue
            with_ = step.get("with")
            value = str(with_.get(name, "")).strip() if isinstance(with_, dict) else ""
            if _SECRET_REF.match(value):
                return value
    return None


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    name = input_name(finding)
    if name is None:
        return None  # an environment variable: env_vars' business
    title = f"supply the input {name}"
    loaded = load_target(finding, ws, ctx, HANDLES, title)
    if isinstance(loaded, Fix):
        return loaded
    path, doc = loaded.path, loaded.doc
    job_id = find_job(doc, finding.job)
    step = _failing_step(doc, job_id, finding) if job_id is not None else None
    if step is None:
        why = f"{path}: {name!r} is an action input: pass it under the failing step's `with:`"
        return reason(HANDLES, path, title, why)
    uses = str(step.node["uses"])
    with_ = step.node.get("with")
    given = str(with_.get(name, "")).strip() if isinstance(with_, dict) else ""
    if given:
        secret = _SECRET_REF.match(given)
        why = f"{path}: step {step.name or uses!r} passes {name}: {given}, which was empty"
        if secret:
            why += f"; create the repository secret {secret[1]} (or pass {GITHUB_TOKEN})"
        return reason(HANDLES, path, title, why)
    known = _known_inputs(ws, uses)
    if known is not None and name not in known:
        why = f"{path}: {uses} declares no input {name!r}; check the action's documentation"
        return reason(HANDLES, path, title, why)
    if not _is_token_input(uses, name):
        why = (
            f"{path}: {name!r} is a required input of {uses}: set it under the step's `with:` "
            f"(if it is a secret: {name}: ${{{{ secrets.<NAME> }}}}); it is not an env variable"
        )
        return reason(HANDLES, path, title, why)
    value = _secret_used_elsewhere(doc, uses, name) or GITHUB_TOKEN
    title = f"pass {name}: {value} to {uses}"
    try:
        new_text = add_entries(loaded.text, doc, step.path, "with", [(name, value)])
    except EditError as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}")
    return edit_fix(HANDLES, loaded, new_text, title)
