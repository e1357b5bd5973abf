"""Execute one step: its ``if``, ``env``, ``timeout-minutes``, ``continue-on-error``, and either
a ``run:`` script or a ``uses:`` action (built-in emulation, local or mapped composite action).

Anything the sandbox cannot run fails the step with a message saying so, never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.app_token import APP_TOKEN_DEFAULTS, create_app_token
from smartmon.sandbox.runner.builtin_actions import (
    CHECKOUT_DEFAULTS,
    SETUP_PYTHON_DEFAULTS,
    ActionCall,
    Builtin,
    checkout,
    fail,
    setup_python,
)
from smartmon.sandbox.runner.builtin_storage import (
    CACHE_DEFAULTS,
    DOWNLOAD_DEFAULTS,
    UPLOAD_DEFAULTS,
    cache,
    download_artifact,
    upload_artifact,
)
from smartmon.sandbox.runner.expressions import Evaluator, ExpressionError, to_str, truthy
from smartmon.sandbox.runner.job_context import JobContext, Scope, StepOutcome
from smartmon.sandbox.runner.shell_step import run_script_step
from smartmon.sandbox.runner.workflow_file import load_yaml

BUILTINS: dict[str, tuple[dict[str, str | None], Builtin]] = {
    "actions/checkout": (CHECKOUT_DEFAULTS, checkout),
    "actions/setup-python": (SETUP_PYTHON_DEFAULTS, setup_python),
    "actions/upload-artifact": (UPLOAD_DEFAULTS, upload_artifact),
    "actions/download-artifact": (DOWNLOAD_DEFAULTS, download_artifact),
    "actions/cache": (CACHE_DEFAULTS, cache),
    "actions/create-github-app-token": (APP_TOKEN_DEFAULTS, create_app_token),
}
MAX_COMPOSITE_DEPTH = 9  # actions/runner CompositeActionsMaxDepth


def display_name(step: Mapping[str, Any], ev: Evaluator | None = None) -> str:
    """The step's name as GitHub shows it (``Run <first line>`` or ``Run owner/repo@ref``)."""
    if step.get("name") is not None:
        name = str(step["name"])
        if ev is not None:
            try:
                return ev.interpolate(name)
            except ExpressionError:
                return name
        return name
    if "run" in step:
        return "Run " + str(step["run"]).strip("\n").split("\n")[0]
    return f"Run {step.get('uses', '')}"


def split_uses(uses: str) -> tuple[str, str, str]:
    """``owner/repo/path@ref`` -> (``owner/repo``, ``path``, ``ref``)."""
    target, _, ref = uses.partition("@")
    parts = target.split("/")
    return "/".join(parts[:2]).lower(), "/".join(parts[2:]), ref


def execute_step(ctx: JobContext, scope: Scope, step: Mapping[str, Any]) -> StepOutcome:
    """Run one step and record it in ``scope.steps`` when it has an ``id``."""
    before = ctx.status
    env = {**ctx.env, **scope.env}
    ev = ctx.evaluator(scope, env)
    outcome = _guarded(ctx, scope, step, env, ev)
    conclusion = outcome.outcome
    if conclusion == "failure" and _continue_on_error(step, ev):
        conclusion = "success"
    result = StepOutcome(outcome.outcome, conclusion, outcome.outputs)
    if conclusion == "failure":
        ctx.status = "failure"
    elif conclusion == "cancelled" or ctx.request.cancel.is_set():
        ctx.status = "cancelled"
    else:
        ctx.status = before
    if step.get("id"):
        scope.steps[str(step["id"])] = {
            "outputs": dict(result.outputs),
            "outcome": result.outcome,
            "conclusion": result.conclusion,
        }
    return result


def _continue_on_error(step: Mapping[str, Any], ev: Evaluator) -> bool:
    value = step.get("continue-on-error", False)
    try:
        return truthy(ev.interpolate_value(value)) and to_str(
            ev.interpolate_value(value)
        ).lower() not in ("false", "0")
    except ExpressionError:
        return False


def _guarded(
    ctx: JobContext, scope: Scope, step: Mapping[str, Any], env: dict[str, str], ev: Evaluator
) -> StepOutcome:
    try:
        wanted = ev.condition(step.get("if"))
        if ctx.debug:
            condition = step.get("if")
            shown = "success()" if condition is None else str(condition)
            ctx.log.write(f"##[debug]Evaluating condition for step: '{display_name(step, ev)}'")
            ctx.log.write(f"##[debug]Evaluating: {shown}")
            ctx.log.write(f"##[debug]Result: {str(wanted).lower()}")
        if not wanted:
            return StepOutcome("skipped", "skipped")
    except ExpressionError as exc:
        return fail(ctx, f"The step's 'if' condition is invalid: {exc}")
    try:
        for key, value in (step.get("env") or {}).items():
            env[str(key)] = to_str(ev.interpolate_value(value))
        ev = ctx.evaluator(scope, env)
        timeout = step.get("timeout-minutes")
        minutes = float(to_str(ev.interpolate_value(timeout))) if timeout is not None else None
        if "run" in step:
            if scope.depth and not step.get("shell"):
                return fail(ctx, "Required property is missing: shell")
            script = ev.interpolate(str(step["run"]))
            resolved = dict(step)
            for key in ("shell", "working-directory"):
                if step.get(key) is not None:
                    resolved[key] = ev.interpolate(str(step[key]))
            if scope.action_path is not None and "working-directory" not in step:
                # composite steps run in the workspace unless told otherwise, like GitHub
                resolved["working-directory"] = str(ctx.workspace)
            name = display_name(step, ev)
            return run_script_step(ctx, scope, resolved, script, env, name, minutes)
        if "uses" in step:
            return _run_action(ctx, scope, step, str(step["uses"]).strip(), env, ev)
    except ExpressionError as exc:
        return fail(ctx, str(exc))
    return fail(ctx, "Every step must define a `uses` or `run` key")


def _header(ctx: JobContext, uses: str, inputs: Mapping[str, str], env: Mapping[str, str]) -> None:
    ctx.log.group(f"Run {uses}")
    if inputs:
        ctx.log.write("with:")
        for key, value in inputs.items():
            ctx.log.write(f"  {key}: {value}")
    if env:
        ctx.log.write("env:")
        for key, value in env.items():
            ctx.log.write(f"  {key}: {value}")
    ctx.log.endgroup()


def resolve_action_dir(ctx: JobContext, uses: str) -> Path | None:
    """The folder of a local (``./x``) or mapped (``owner/repo@ref``) action, if any."""
    if uses.startswith("./"):
        return ctx.workspace / uses[2:]
    action_map = ctx.services.action_map
    for key in (uses, uses.partition("@")[0]):
        if key in action_map:
            return Path(action_map[key])
    return None


def read_action_metadata(folder: Path) -> dict[str, Any] | None:
    for name in ("action.yml", "action.yaml"):
        path = folder / name
        if path.is_file():
            data = load_yaml(path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else None
    return None


def _run_action(
    ctx: JobContext,
    scope: Scope,
    step: Mapping[str, Any],
    uses: str,
    env: dict[str, str],
    ev: Evaluator,
) -> StepOutcome:
    given = {str(k): to_str(ev.interpolate_value(v)) for k, v in (step.get("with") or {}).items()}
    if uses.startswith("docker://"):
        _header(ctx, uses, given, env)
        return fail(ctx, f"smartmon sandbox cannot run Docker container actions ({uses})")
    folder = resolve_action_dir(ctx, uses)
    if folder is not None:
        return _run_folder_action(ctx, scope, step, uses, folder, given, env, ev)
    repo, path, ref = split_uses(uses)
    if repo in BUILTINS and not path:
        defaults, builtin = BUILTINS[repo]
        inputs: dict[str, str] = {}
        for key, default in defaults.items():
            if key in given:
                inputs[key] = given[key]
            elif default is not None:
                inputs[key] = to_str(ev.interpolate_value(default))
        inputs.update({k: v for k, v in given.items() if k not in inputs})
        _header(ctx, uses, inputs, env)
        call = ActionCall(ctx, scope, repo, ref, inputs, env, display_name(step, ev))
        return builtin(call)
    _header(ctx, uses, given, env)
    return fail(
        ctx,
        f"smartmon sandbox cannot run action {uses}: it is not one of the emulated actions "
        f"({', '.join(sorted(BUILTINS))}), a local ./ action, or in the sandbox action map",
    )


def _run_folder_action(
    ctx: JobContext,
    scope: Scope,
    step: Mapping[str, Any],
    uses: str,
    folder: Path,
    given: dict[str, str],
    env: dict[str, str],
    ev: Evaluator,
) -> StepOutcome:
    meta = read_action_metadata(folder)
    if meta is None:
        _header(ctx, uses, given, env)
        return fail(
            ctx,
            f"Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '{folder}'. "
            "Did you forget to run actions/checkout before running your local action?",
        )
    inputs: dict[str, str] = {}
    for key, spec in (meta.get("inputs") or {}).items():
        if isinstance(spec, dict) and "default" in spec:
            inputs[str(key)] = to_str(ev.interpolate_value(spec["default"]))
    inputs.update(given)
    _header(ctx, uses, inputs, env)
    runs = meta.get("runs") or {}
    using = str(runs.get("using", "")).lower()
    if using != "composite":
        return fail(ctx, f"smartmon sandbox cannot run {using or 'unknown'} action {uses}")
    if scope.depth + 1 > MAX_COMPOSITE_DEPTH:
        return fail(ctx, f"Composite action depth exceeded max depth {MAX_COMPOSITE_DEPTH}")
    inner = Scope(
        steps={},
        inputs=dict(inputs),
        action_path=folder,
        action_name=str(step.get("id") or uses),
        depth=scope.depth + 1,
        env={k: v for k, v in env.items() if k not in ctx.env or ctx.env[k] != v},
    )
    failed = False
    saved = ctx.status
    for inner_step in runs.get("steps") or []:
        result = execute_step(ctx, inner, inner_step)
        failed = failed or result.conclusion == "failure"
    ctx.status = saved
    outputs: dict[str, str] = {}
    out_ev = ctx.evaluator(inner, env)
    for key, spec in (meta.get("outputs") or {}).items():
        value = spec.get("value", "") if isinstance(spec, dict) else ""
        try:
            outputs[str(key)] = to_str(out_ev.interpolate_value(value))
        except ExpressionError as exc:
            return fail(ctx, str(exc))
    if failed:
        return StepOutcome("failure", "failure", outputs)
    return StepOutcome("success", "success", outputs)
