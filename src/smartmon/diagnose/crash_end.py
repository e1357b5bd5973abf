"""A job whose log ends in a crash and no failure marker: Node's uncaught exception, the runner's own
.NET exception, the runner's Node that cannot start in a job container, a JavaScript action's non-zero
exit, an action that died inside a group it had opened. The crash is where the job failed (`settle`
asks when nothing else failed it).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import JobState
from smartmon.diagnose.js_stacks import V8_FRAME
from smartmon.diagnose.logs import StepMark, tail_lines
from smartmon.diagnose.step_actions import step_action
from smartmon.diagnose.swallowed import script_swallowed

# A JavaScript action (or `node script.js`) that died of an uncaught exception: Node prints the
# error, its stack ("    at Object.<anonymous> (/home/runner/work/_actions/…/dist/index.js:12:9)"),
# a blank line, then "Node.js v24.15.0" (tests/data/real/cases/import_error-node-esm-minimatch-named-
# export-glob.log), and exits 1. A downloaded log may end the
# step there without the runner's `##[error]` line. `node --version` prints "v20.11.0", never
# "Node.js v…", and is no crash.
_NODE_CRASH = re.compile(r"^Node\.js v\d+\.\d+\.\d+\s*$")
# The runner's own worker dying on a .NET exception (a full disk as it writes its _diag log, most
# often) prints the exception over its stack and ends the job with no failure marker: "System.IO.
# IOException: No space left on device : '/home/runner/runners/2.314.1/_diag/Worker_….log'", or
# "Unhandled exception. System.IO.IOException: …", over "   at System.IO.RandomAccess.…" and
# "   at GitHub.Runner.Worker.Worker.RunAsync(…)" (actions/runner-images #9494, #10699;
# amplication/amplication #1285; axonweb3/axon #1472).
_RUNNER_CRASH = re.compile(r"^(?:Unhandled exception\. )?System\.[\w.]*Exception: \S")
# Its stack names the runner (or the trace listener it writes its _diag log with): a .NET program of
# the job's own that logs an exception is not the runner dying.
_RUNNER_FRAME = re.compile(
    r"^\s+at (?:GitHub\.Runner\.|System\.Diagnostics\.TextWriterTraceListener\.)"
)
_RUNNER_FRAMES = 12
# The runner's own Node failing to start in the job container (a C library older than it needs,
# the externals not mounted there) fails the action's step with no `##[error]` line after it: the
# step ends on the loader's or Docker's line (actions/checkout #1590, vgc/vgc #1804, CloudSnorkel/
# cdk-github-runners #342, actions/upload-artifact #361).
_CONTAINER_NODE = re.compile(
    r"^(?:/__e|\S*[/\\]externals)[/\\]node\d+(?:_alpine)?[/\\]bin[/\\]node: "
    r"\S+: version [`'][\w.]+' not found"
    r"|^OCI runtime exec failed: .*\bexec: \\?\"/__e/node\d+(?:_alpine)?/bin/node\\?\"?: stat /__e/"
    r"|^exec /__e/node\d+(?:_alpine)?/bin/node: no such file or directory"
)
# A JavaScript action that exited non-zero without an error annotation fails its step with no
# `##[error]` line; with step debug logging on, the runner says so: "##[debug]Node Action run
# completed with exit code 1" (github/update-project-action #170: a minified bundle's crash printed
# its source and the message was cut off). Exit code 0 there is an action that went on (settle).
_NODE_ACTION_EXIT = re.compile(
    r"^##\[debug\]Node Action run completed with exit code (?P<code>0|[1-9]\d*)\s*$"
)


def node_action_exit(line: str) -> int | None:
    """The exit code of a JavaScript action's process, from the runner's debug line about it."""
    m = _NODE_ACTION_EXIT.match(line)
    return int(m.group("code")) if m else None


# A JavaScript action that died inside a group it had just opened: the runner closes nothing and
# prints no error, and the job goes straight to its post steps ("##[group]Downloading MSYS2..." then
# "Post job cleanup.", msys2/setup-msys2 #621). An action that goes on closes its group or prints
# into it, and a later step starts with "##[group]Run ". Which headers run an action is
# step_actions' to say.
_POST_JOB = "Post job cleanup."

_DEBUG = "##[debug]"
_FRAMES_WITHIN = 30  # the error's own properties ("{ code: 'ENOENT', … }") may follow the stack
_STEP_START = ("##[group]Run ", "Post job cleanup.", "Cleaning up orphan processes")


def _crash_at(lines: list[str], *, node_too: bool) -> tuple[int, int] | None:
    """Where the last crash that may have ended the job is: (its last line, the error's own line).
    Node's uncaught exception (only in a downloaded log: `node_too`) ends with "Node.js vX" under its
    stack; the runner's own exception comes over its stack; the runner's Node that cannot start in
    the job container is one line; a JavaScript action's non-zero exit is the runner's debug line,
    its error the last line the action printed above it; an action that died in its own group is
    that group's line."""
    node = -1
    if node_too:
        node = max((i for i, line in enumerate(lines) if _NODE_CRASH.match(line)), default=-1)
    frames = [i for i in range(max(0, node - _FRAMES_WITHIN), node) if V8_FRAME.match(lines[i])]
    found = (node, frames[0] - 1 if frames[0] > 0 else node) if node >= 0 and frames else None
    runner = max(
        (
            i
            for i, line in enumerate(lines[:-1])
            if _RUNNER_CRASH.match(line)
            and any(_RUNNER_FRAME.match(f) for f in lines[i + 1 : i + 1 + _RUNNER_FRAMES])
        ),
        default=-1,
    )
    container = (i for i, line in enumerate(lines) if _CONTAINER_NODE.match(line))
    runner = max(runner, max(container, default=-1))
    if runner >= 0 and (found is None or runner > found[0]):
        found = (runner, runner)
    group = _died_in_group(lines) if node_too else -1
    if group >= 0 and (found is None or group > found[0]):
        found = (group, group)
    exited = -1
    if node_too:
        exited = max((i for i, line in enumerate(lines) if node_action_exit(line)), default=-1)
    if exited >= 0 and (found is None or exited > found[0]):
        said = [i for i in range(exited) if lines[i].strip() and not lines[i].startswith(_DEBUG)]
        found = (exited, said[-1] if said and said[-1] > exited - _FRAMES_WITHIN else exited)
    return found


def _died_in_group(lines: list[str]) -> int:
    """The group line an action opened and died in, when the post-job steps come right after it."""
    post = next((i for i, line in enumerate(lines) if line.strip() == _POST_JOB), -1)
    said = [i for i in range(post) if lines[i].strip()]
    if not said:
        return -1
    last = said[-1]
    if not lines[last].startswith("##[group]") or lines[last].startswith("##[group]Run "):
        return -1
    header = max((i for i in said if lines[i].startswith("##[group]Run ")), default=-1)
    runs_action = header >= 0 and step_action(lines[header].removeprefix("##[group]"))
    return last if runs_action else -1


def crash_ended_job(state: JobState, why: str) -> None:
    """A log without a failure marker whose last ordinary step ended in a crash (Node's uncaught
    exception report, the runner's own exception) failed there: its lines become the job's failure
    marker, and hits in other steps are cleared for `why`."""
    lines = tail_lines(state.tail)
    if lines and not lines[-1]:
        lines.pop()
    at = _crash_at(lines, node_too=state.has_tags)
    if at is None:
        return
    crash, error = at
    later = [line for line in lines[crash + 1 :] if line.startswith(_STEP_START)]
    if any(line.startswith("##[group]Run ") for line in later):
        return  # an ordinary step ran after it: the crash did not end the job
    header = max(
        (i for i, line in enumerate(lines[:crash]) if line.startswith("##[group]Run ")),
        default=None,
    )
    if header is not None and script_swallowed(tuple(lines[header + 1 : crash])):
        return  # `node probe.js || true`: the step threw the status away
    if header is not None and any(line.startswith(_STEP_START[1:]) for line in lines[header:crash]):
        header = None  # the crash came in the post-job steps, after the last ordinary one
    end = state.end_step
    number = (end.number if end else 1) - len(later)
    line_no = state.lines - (len(lines) - 1 - crash)
    if header is not None:
        name = "Run " + lines[header][len("##[group]Run ") :].strip()
        step = StepMark(0, line_no - (crash - header), name, number)
    elif end is not None and not later:
        step = end
    else:
        step = StepMark(0, line_no, end.name if end else "", number)
    state.failed, state.verdict_from = True, "log"
    state.last_step, state.last_line_no = step, line_no - (crash - error)
    meaningful = [line for line in lines[max(0, error - 8) : error] if line.strip()]
    state.last_lines = (*meaningful[-4:], lines[error])
    for i, hit in state.hits.items():
        if not hit.rule.advisory and i not in state.cleared and hit.step.number != number:
            state.cleared[i] = why
