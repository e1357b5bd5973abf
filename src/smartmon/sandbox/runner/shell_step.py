"""Run a ``run:`` step: script file, shell, streamed output, timeouts, file commands.

Shell templates from actions/runner ``ScriptHandlerHelpers.cs``: an unspecified shell on Linux is
``bash -e {0}``; ``shell: bash`` is ``bash --noprofile --norc -e -o pipefail {0}``; ``sh`` is
``sh -e {0}``; ``python`` is ``python {0}``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.job_context import JobContext, Scope, StepOutcome
from smartmon.sandbox.runner.step_commands import (
    CommandProcessor,
    FileCommandError,
    parse_key_value_file,
    parse_path_file,
)

_TEMPLATES = {
    "bash": ("bash", "--noprofile --norc -e -o pipefail {0}", ".sh"),
    "sh": ("sh", "-e {0}", ".sh"),
    "python": ("python", "{0}", ".py"),
}
_SUMMARY_LIMIT = 1024 * 1024
_ORPHAN_GRACE = 1.0  # seconds to keep reading after the shell exits


class ShellError(ValueError):
    """The shell cannot be used in the sandbox."""


@dataclass(frozen=True)
class ProcessResult:
    exit_code: int
    timed_out: bool
    cancelled: bool
    process_group: int


def resolve_shell(shell: str | None, path: str) -> tuple[list[str], str, str]:
    """(argv with ``{0}``, the ``shell:`` line GitHub prints, script extension)."""
    if shell is None:
        program, args, ext = "bash", "-e {0}", ".sh"
    elif shell in _TEMPLATES:
        program, args, ext = _TEMPLATES[shell]
    elif shell in ("pwsh", "powershell", "cmd"):
        raise ShellError(f"smartmon sandbox cannot run shell '{shell}' (Linux runner, no {shell})")
    else:
        parts = shlex.split(shell)
        if not parts:
            raise ShellError("shell must not be empty")
        program, args, ext = parts[0], " ".join(parts[1:]), ".sh"
        if "{0}" not in args:
            args = f"{args} {{0}}".strip()
    found = shutil.which(program, path=path)
    if found is None:
        raise ShellError(f"{program}: command not found")
    return [found, *shlex.split(args)], f"{found} {args}", ext


def run_process(
    argv: list[str],
    cwd: Path,
    env: Mapping[str, str],
    on_line: Callable[[str], None],
    seconds: float | None,
    cancel: threading.Event,
) -> ProcessResult:
    """Run ``argv`` streaming merged stdout/stderr lines; kill its group on timeout/cancel."""
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines: queue.Queue[bytes | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.put(raw)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = None if seconds is None else time.monotonic() + seconds
    timed_out = cancelled = eof = False
    exited_at: float | None = None
    while True:
        wait = 0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic()))
        try:
            item = lines.get(timeout=wait)
        except queue.Empty:
            if deadline is not None and time.monotonic() >= deadline:
                timed_out = True
            elif cancel.is_set():
                cancelled = True
            elif proc.poll() is not None:
                # The shell is gone but a background child still holds the pipe: stop reading
                # (the runner kills such orphans when the job completes).
                exited_at = exited_at or time.monotonic()
                if time.monotonic() - exited_at < _ORPHAN_GRACE:
                    continue
                break
            else:
                continue
            _kill_group(proc)
            break
        if item is None:
            eof = True
            break
        on_line(item.decode("utf-8", "replace").rstrip("\n").rstrip("\r"))
    code = proc.wait()
    if eof:
        reader.join()
    if not (timed_out or cancelled):
        while not lines.empty():
            item = lines.get_nowait()
            if item is not None:
                on_line(item.decode("utf-8", "replace").rstrip("\n").rstrip("\r"))
    return ProcessResult(code, timed_out, cancelled, proc.pid)


def kill_orphans(pgid: int) -> list[tuple[int, str]]:
    """Kill what is left of a step's process group; returns the (pid, name) it found."""
    found: list[tuple[int, str]] = []
    proc_root = Path("/proc")
    for entry in proc_root.iterdir() if proc_root.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            found.append((int(entry.name), name))
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    return sorted(found)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            continue


def run_script_step(
    ctx: JobContext,
    scope: Scope,
    step: Mapping[str, Any],
    script: str,
    step_env: dict[str, str],
    display_name: str,
    timeout_minutes: float | None,
) -> StepOutcome:
    """Execute one ``run:`` step (``script`` already interpolated) and apply its file commands."""
    log = ctx.log
    env = ctx.process_env(step_env, scope)
    shell = step.get("shell") or ctx.defaults.get("shell")
    first = script.strip("\n").split("\n")[0] if script.strip() else ""
    log.group(f"Run {first}")
    log.script_lines(script)
    try:
        argv, shell_line, ext = resolve_shell(str(shell) if shell else None, env["PATH"])
    except ShellError as exc:
        log.endgroup()
        return _fail(ctx, str(exc))
    log.write(f"shell: {shell_line}")
    _env_block(ctx, step_env)
    log.endgroup()

    workdir = step.get("working-directory") or ctx.defaults.get("working-directory")
    cwd = ctx.workspace / str(workdir) if workdir else ctx.workspace
    if not cwd.is_dir():
        return _fail(
            ctx,
            f"An error occurred trying to start process '{argv[0]}' with working directory "
            f"'{cwd}'. No such file or directory",
        )
    script_path = ctx.temp / f"{uuid.uuid4()}{ext}"
    script_path.write_text(script, encoding="utf-8")
    files = {
        name: ctx.temp / "_runner_file_commands" / f"{name.lower()}_{uuid.uuid4()}"
        for name in (
            "GITHUB_OUTPUT",
            "GITHUB_ENV",
            "GITHUB_PATH",
            "GITHUB_STATE",
            "GITHUB_STEP_SUMMARY",
        )
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    env.update({name: str(path) for name, path in files.items()})
    commands = CommandProcessor(
        log,
        ctx.workspace,
        debug=ctx.debug,
        allow_unsecure=env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS", "").lower() == "true",
    )
    limits = [s for s in (ctx.seconds_left(), _minutes(timeout_minutes)) if s is not None]
    seconds = min(limits) if limits else None
    result = run_process(
        [a.replace("{0}", str(script_path)) for a in argv],
        cwd,
        env,
        commands.line,
        seconds,
        ctx.request.cancel,
    )
    ctx.process_groups.append(result.process_group)
    ctx.annotations.extend(commands.annotations)
    ctx.env.update(commands.env)
    ctx.paths[:0] = reversed(commands.paths)
    outputs = dict(commands.outputs)
    try:
        outputs.update(parse_key_value_file(files["GITHUB_OUTPUT"]))
        ctx.env.update(parse_key_value_file(files["GITHUB_ENV"]))
        ctx.paths[:0] = reversed(parse_path_file(files["GITHUB_PATH"]))
        _summary(ctx, files["GITHUB_STEP_SUMMARY"])
    except FileCommandError as exc:
        return _fail(ctx, str(exc), outputs)
    if result.cancelled:
        log.error("The operation was canceled.")
        return StepOutcome("cancelled", "cancelled", outputs)
    if result.timed_out:
        ctx_seconds = ctx.seconds_left()
        if ctx_seconds is not None and ctx_seconds <= 0:
            ctx.timed_out = True
            log.error(
                f"The job running on runner GitHub Actions 1 has exceeded the maximum execution "
                f"time of {_fmt_minutes(ctx.timeout_minutes)} minutes."
            )
            log.error("The operation was canceled.")
            return StepOutcome("cancelled", "cancelled", outputs)
        log.error(
            f"The action '{display_name}' has timed out after "
            f"{_fmt_minutes(timeout_minutes or 0)} minutes."
        )
        return StepOutcome("failure", "failure", outputs)
    if result.exit_code != 0:
        code = result.exit_code if result.exit_code >= 0 else 128 - result.exit_code
        return _fail(ctx, f"Process completed with exit code {code}.", outputs)
    if commands.failed:
        return StepOutcome("failure", "failure", outputs)
    return StepOutcome("success", "success", outputs)


def _fail(ctx: JobContext, message: str, outputs: dict[str, str] | None = None) -> StepOutcome:
    ctx.annotations.append(ctx.log.error_annotation(message))
    return StepOutcome("failure", "failure", outputs or {})


def _env_block(ctx: JobContext, env: Mapping[str, str]) -> None:
    if env:
        ctx.log.write("env:")
        for key, value in env.items():
            ctx.log.write(f"  {key}: {value}")


def _summary(ctx: JobContext, path: Path) -> None:
    size = path.stat().st_size if path.exists() else 0
    if size > _SUMMARY_LIMIT:
        message = (
            f"$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of "
            f"{_SUMMARY_LIMIT // 1024}k, got {size // 1024}k. For more information see: "
            "https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions"
            "#adding-a-markdown-summary"
        )
        ctx.annotations.append(ctx.log.error_annotation(message))
    elif size:
        ctx.summaries.append(ctx.log.masker.mask(path.read_text("utf-8", "replace")))


def _minutes(value: float | None) -> float | None:
    return None if value is None else value * 60


def _fmt_minutes(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
