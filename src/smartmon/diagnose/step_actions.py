"""The action a step ran: from its header (`Run owner/name@ref`), when the log has no headers from
the set-up lines (`Download action repository 'owner/name@ref'`), or from the runner's folder of
downloaded actions when a message names a path inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STEP_HEADER

_STEP_USES = re.compile(r"^(?:Run |Post )?(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$")
_DOWNLOAD = re.compile(
    r"Download action repository '(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[^']+)'"
)
_RUN_LINE = re.compile(
    r"^(?:##\[group\])?Run (?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$"
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
    """The last `Run …` step header among pasted lines (a copy of the run page has no step marks).

    A shell step's header ("Run make") above an action's header ends an action's search: the
    action's is an earlier step's (dailymotion-oss/octopilot #137).
    """
    return next((t.strip() for t in reversed(lines) if STEP_HEADER.match(t.strip())), None)


def action_in_lines(lines: Sequence[str]) -> tuple[str, str] | None:
    """The last `Run owner/name@ref` header among pasted lines (no step structure to lean on).

    A nearer `Run <command>` header ends the search: the error is in that shell step, not in the
    action an earlier step ran.
    """
    header = last_run_line(lines)
    m = _RUN_LINE.match(header) if header is not None else None
    return (m.group("action"), m.group("version")) if m else None


def downloaded_actions(text: str) -> tuple[str, str] | None:
    """(action, version) of a set-up line: `Download action repository 'owner/name@ref'`."""
    m = _DOWNLOAD.search(text)
    return (m.group("action"), m.group("version")) if m else None


# The layout of the runner's folder of downloaded actions, `{owner}/{repo}/{ref}/{path}`, as its
# messages name a remote action's file without the folder: "acme/tool/v1/action.yml (Line: 10, Col:
# 5)", "Failed to load acme/reporter/v1.5.3/action.yml" (actions/runner #1283). The ref is a tag, a
# branch or a SHA, whatever the workflow's `uses:` said.
_LAYOUT = re.compile(
    r"^(?P<action>[\w-][\w.-]*/[\w.-]+)/(?P<ref>[^/\s]+)/(?P<path>[^/\s]+(?:/[^/\s]+)*)$"
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
    m = _LAYOUT.match(path)
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
