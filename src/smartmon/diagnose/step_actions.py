"""The action a step ran: from its header (`Run owner/name@ref`), when the log has no headers from
the set-up lines (`Download action repository 'owner/name@ref'`), or from the runner's folder of
downloaded actions when a message names a path inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import takewhile

from smartmon.diagnose.logs import POST_STEP, SETUP_STEP, STAMP_PREFIX, STEP_HEADER

# The API's and the run page's step names: "Run actions/cache@v4" and its post step's "Post Run
# actions/cache@v4" (`gh run watch` listings, the API's steps; "Post actions/cache@v4" kept too).
_STEP_USES = re.compile(
    r"^(?:Post )?(?:Run )?(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$"
)
_DOWNLOAD = re.compile(
    r"Download action repository '(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[^']+)'"
)
# A post step's title is "Post Run owner/name@ref" (the API's step name, the run page's title, a
# `gh run watch` listing): a copy of the run page that ends in one is in that action's post step, not
# in the step whose "Run …" line came before it.
_RUN_LINE = re.compile(
    r"^(?:##\[group\])?(?:Post )?Run (?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$"
)
# The runner unpacks each action it downloads to `<work>/_actions/<owner>/<repo>/<ref>/`: hosted
# "/home/runner/work/_actions/…", self-hosted "/tmp/actions-runner/_work/_actions/…" (dailymotion-oss/
# octopilot #137) or "/tmp/github/_actions/…" (cycjimmy/semantic-release-action #55), Windows
# "D:\a\_actions\…". "Can't find 'action.yml' … under '…/_actions/AnuragAnalog/AnuragAnalog/main'"
# (lowlighter/metrics #449) names the action and its ref by that folder, not by a step header.
_ACTIONS_DIR = re.compile(
    r"(?:^|[/\\])_actions[/\\](?P<owner>[\w.-]+)[/\\](?P<repo>[\w.-]+)[/\\](?P<ref>[^/\\\s'\"]+)"
    r"(?:[/\\](?P<rest>[^\s'\"]*))?"
)


def step_action(step_name: str) -> tuple[str, str] | None:
    """(action, version) when the step's header names an action: `Run actions/cache@v2`."""
    m = _STEP_USES.match(step_name.strip())
    if m and not m.group("action").startswith("./"):
        return m.group("action"), m.group("version")
    return None


def last_run_line(lines: Sequence[str]) -> str | None:
    """The last `Run …` (or `Post Run …`) step header among pasted lines (a copy of the run page has
    no step marks).

    A shell step's header ("Run make") above an action's header ends an action's search: the
    action's is an earlier step's (dailymotion-oss/octopilot #137).
    """
    return next((t.strip() for t in reversed(lines) if _is_header(t.strip())), None)


# A downloaded log's lines carry the runner's timestamp; the header's group holds the script, then the
# runner's `shell:` line and `env:` block at the margin. A copy of the run page indents the script
# under "Run …" down to an indented `shell:` line; the step's output below is not indented.
_STAMP = re.compile("^" + STAMP_PREFIX)
_GROUP_END = "##[endgroup]"
_MARGIN_SHELL = re.compile(r"^shell: \S")
_PASTED_SHELL = re.compile(r"^\s+shell: \S")


def step_script(lines: Sequence[str], step_name: str) -> tuple[str, ...]:
    """The script lines the runner echoes under the step's `Run …` header: in a downloaded log the
    group's body above its last margin `shell:` line, in a copy of the run page the indented block
    above its `shell:` line. Empty when the header is not among `lines` or the script's end is not
    shown (a paste without the expanded block runs straight into the step's output)."""
    plain = [_STAMP.sub("", line, count=1) for line in lines]
    header = step_name.strip().removeprefix("##[group]")
    for index in range(len(plain) - 1, -1, -1):
        if plain[index].strip().removeprefix("##[group]") != header:
            continue
        below = plain[index + 1 :]
        if plain[index].lstrip().startswith("##[group]"):
            if _GROUP_END not in (t.strip() for t in below):
                return ()
            group = list(takewhile(lambda t: t.strip() != _GROUP_END, below))
            ends = [i for i, t in enumerate(group) if _MARGIN_SHELL.match(t)]
            return tuple(t.strip() for t in group[: ends[-1] if ends else len(group)])
        body: list[str] = []
        for text in below:
            if _PASTED_SHELL.match(text):
                return tuple(body)
            if not text[:1].isspace():
                return ()
            body.append(text.strip())
        return ()
    return ()


# A shell's trace of the commands it ran (`set -x`, bash -x): "+ curl -fsSL -o tq https://…".
_XTRACE = re.compile(r"^\s*\++ \S")


def step_command(step_name: str, before: Sequence[str]) -> tuple[str, ...]:
    """The step's command as the log shows it above a line: its `Run …` header (a paste's last one),
    the script echoed under it and the shell's trace of the commands it ran (`+ cmd …`)."""
    name = step_name.strip()
    if name == SETUP_STEP:
        name = last_run_line(before) or ""
    traced: list[str] = []
    for line in reversed(before):
        if STEP_HEADER.match(line.strip()):
            break
        if _XTRACE.match(line):
            traced.append(line.strip())
    script = step_script(before, name) if name else ()
    return (*((name,) if name else ()), *script, *reversed(traced))


def _is_header(text: str) -> bool:
    """A step's header, its post step's title ("Post Run acme/tool@v1") too."""
    return bool(STEP_HEADER.match(text.removeprefix("##[group]").removeprefix("Post ")))


def action_in_lines(lines: Sequence[str]) -> tuple[str, str] | None:
    """The last `Run owner/name@ref` header among pasted lines (no step structure to lean on).

    A nearer `Run <command>` header ends the search: the error is in that shell step, not in the
    action an earlier step ran.
    """
    header = last_run_line(lines)
    m = _RUN_LINE.match(header) if header is not None else None
    return (m.group("action"), m.group("version")) if m else None


# A copy of the run page nests a composite action's own steps under its header: "Run snok/install-
# poetry@v1.1.1" then, with only the action's indented `with:`/`env:` rows between, "Run curl -O -sSL
# https://raw.githubusercontent.com/sdispater/poetry/master/get-poetry.py" (Sage-Bionetworks/schematic
# PR #1299; the runner's composite steps, actions/runner docs/adrs/1144-composite-actions.md). A
# paste that kept only an earlier action's header and inputs above the workflow's next step looks
# the same (74 tuning pastes have the shape, many of them that), so only verdict's
# `action-step-only` check asks this, for a refusal an outdated action's own command meets. Only in
# a copy of the page: a downloaded job log puts an action that printed nothing (github-script)
# straight above the next step's group the same way.
_PASTED_ROW = re.compile(r"^\s+\S")
# A workflow's step with no `shell:` runs the runner's default and echoes it bare: "shell: /usr/bin/bash
# -e {0}". A composite action's `run` step must name its shell, and `bash` then echoes the explicit
# form ("… --noprofile --norc -e -o pipefail {0}"): the default bash echo under an action's header is
# the workflow's own step (a list of step titles above it). An explicit `sh` or `pwsh` echoes exactly
# as the default does ("sh -e {0}", "pwsh -command \". '{0}'\""), so those prove nothing (rev58).
_DEFAULT_SHELL = re.compile(r"^\s+shell: (?:\S*[/\\])?bash(?:\.exe)? -e \{0\}\s*$", re.IGNORECASE)
# Titles the run page lists for the runner's own steps.
_RUNNER_TITLES = frozenset({SETUP_STEP, "Initialize containers", "Stop containers", "Complete job"})


def composite_action_above(lines: Sequence[str]) -> tuple[str, str] | None:
    """(action, ref) when the pasted lines' last `Run …` header is a shell step's and sits directly
    under an action's `Run owner/name@ref` header (only that header's indented rows between): the
    step is one of that composite action's own. None where the step echoes the runner's default
    shell (a workflow's step) or a step title sits right above the action's header (a list of
    titles, rev55 a1-a5)."""
    index = len(lines) - 1
    while index >= 0 and not _is_header(lines[index].strip()):
        index -= 1
    if index < 1 or lines[index].lstrip().startswith("##[group]"):
        return None
    if _STAMP.match(lines[index]) or _RUN_LINE.match(lines[index].strip()):
        return None
    above = index - 1
    while above >= 0 and _PASTED_ROW.match(lines[above]):
        above -= 1
    m = _RUN_LINE.match(lines[above].strip()) if above >= 0 else None
    if m is None or lines[above].lstrip().startswith(("##[group]", "Post ")):
        return None
    if any(_DEFAULT_SHELL.match(line) for line in lines[index + 1 :]):
        return None  # the runner's default shell: a workflow's own step
    title = lines[above - 1].strip() if above >= 1 else ""
    if title in _RUNNER_TITLES or _is_header(title) or title.startswith(POST_STEP):
        return None  # a list of step titles: the action's header is one of them
    return m.group("action"), m.group("version")


def action_in_own_step(lines: Sequence[str], step_name: str = "") -> tuple[str, str] | None:
    r"""(action, ref) when the step's `Run …` header runs a file from an action's own folder.

    A composite action's steps run its files through `${{ github.action_path }}`: cibuildwheel's
    Windows step is `Run pipx run … --spec "D:\a\_actions\pypa\cibuildwheel\v2.16.4" cibuildwheel …`
    (OpenAstronomy/github-actions-workflows #183), and a paste often keeps that header only.
    """
    name = step_name.strip()
    header = name if _is_header(name) else last_run_line(lines)
    m = _ACTIONS_DIR.search(header) if header is not None else None
    if m is None or m.group("owner").startswith("_"):
        return None
    return f"{m.group('owner')}/{m.group('repo')}", m.group("ref")


def downloaded_actions(text: str) -> tuple[str, str] | None:
    """(action, version) of a set-up line: `Download action repository 'owner/name@ref'`."""
    m = _DOWNLOAD.search(text)
    return (m.group("action"), m.group("version")) if m else None


# A paste can lose a runner path's leading slash: "home/runner/work/kafe/kafe/./.github/actions/x/
# action.yaml (Line: 12, Col: 7): Required property is missing: shell" (TheBuilderDAO/kafe PR #217).
# The runner's work folders on hosted runners (/home/runner/work, /Users/runner/work), in container
# jobs (/__w), under actions-runner-controller (/runner/_work, actions/actions-runner-controller
# PR #185) and on self-hosted machines (/home/<user>/actions-runner/_work, ubicloud/ubicloud #1037;
# /opt/actions-runner/_work):
# no repository holds such a folder of its own, so the slash is put back (repo_paths) and the path is
# never an action's `{owner}/{repo}/{ref}/` layout.
CUT_RUNNER_ROOT = re.compile(
    r"^(?:(?:home|Users)/runner/_?work|__w|_work|(?:[^/\s]+/){0,2}[^/\s]*runner[^/\s]*/_work)/"
)
# The layout of the runner's folder of downloaded actions, `{owner}/{repo}/{ref}/{path}`, as its
# messages name a remote action's file without the folder: "acme/tool/v1/action.yml (Line: 10, Col:
# 5)", "Failed to load acme/reporter/v1.5.3/action.yml" (actions/runner #1283). The ref is a tag, a
# branch or a SHA, whatever the workflow's `uses:` said.
_LAYOUT = re.compile(
    r"(?P<action>[\w-][\w.-]*/[\w.-]+)/(?P<ref>[^/\s]+)/(?P<path>[^/\s]+(?:/[^/\s]+)*)$"
)


def action_layout(path: str, action: str = "", ref: str = "") -> tuple[str, str, str] | None:
    """(owner/repo, ref, path inside the action) of a path in the `{owner}/{repo}/{ref}/{path}` layout.

    The shape alone does not make `owner/repo` an action: callers settle that with what they know
    (a download line, the step header, the runner's manifest wording). A known `action` (perhaps
    `owner/repo/folder`) must be the path's; a known `ref` too, and it may hold slashes
    (`releases/v2`), which the shape alone would read as part of the path.
    """
    if action and ref:
        prefix = f"{action}/{ref}/"
        if len(path) > len(prefix) and path[: len(prefix)].lower() == prefix.lower():
            return path[: len(action)], path[len(action) + 1 : len(prefix) - 1], path[len(prefix) :]
        return None
    m = None if CUT_RUNNER_ROOT.match(path) else _LAYOUT.match(path)
    if m is None or (action and m["action"].lower() != "/".join(action.split("/")[:2]).lower()):
        return None
    return m["action"], m["ref"], m["path"]


def action_in_path(path: str) -> tuple[str, str, str] | None:
    """(owner/repo, ref, path inside the action) of a path in the runner's `_actions` folder."""
    m = _ACTIONS_DIR.search(path)
    if not m:
        return None
    rest = (m.group("rest") or "").replace("\\", "/").strip("/")
    return f"{m.group('owner')}/{m.group('repo')}", m.group("ref"), rest


# A JavaScript action's own stack or exit line names the file it ran from the runner's folder of
# downloaded actions: "Error: Codecov: Failed to properly upload: The process '/home/runner/work/
# _actions/codecov/codecov-action/v3/dist/codecov' failed with exit code 255" (jupytext/jupytext
# #1349), "    at /home/runner/work/_actions/acme/size-label-action/v0.4.3/dist/index.js:2582:23"
# under "RequestError [HttpError]: …" (pascalgn/size-label-action #33), the source line node prints
# above an uncaught error (peter-evans/create-or-update-comment #188). A paste that kept no step header
# still names the action and its ref there. The runner's download folder (`_actions/_temp_…`) is none,
# and under a shell step's header such a path is data (perl's @INC listing setup-perl's own lib), not
# the step's action.
_TRACE_LINES_AFTER = 8
_TRACE_LINES_BEFORE = 4


def action_in_trace(
    text: str, before: Sequence[str] = (), after: Sequence[str] = (), step_name: str = ""
) -> tuple[str, str] | None:
    """(action, ref) of an `_actions/{owner}/{repo}/{ref}/…` path in the message, else in the stack
    lines just below it, else just above it; None in a shell step."""
    if _is_header(step_name.strip()) or last_run_line(before):
        return None
    nearby = (text, *after[:_TRACE_LINES_AFTER], *reversed(before[-_TRACE_LINES_BEFORE:]))
    for line in nearby:
        if "_actions" not in line:
            continue
        m = _ACTIONS_DIR.search(line)
        if m and not m.group("owner").startswith("_"):
            return f"{m.group('owner')}/{m.group('repo')}", m.group("ref")
    return None
