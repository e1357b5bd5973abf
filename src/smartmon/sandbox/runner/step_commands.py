"""What a step tells the runner: ``::workflow commands::`` in its output and the file commands.

Rules from actions/runner (``ActionCommandManager.cs``, ``FileCommandManager.cs``,
``EnvFileKeyValuePairs``) as summarized in research/github-api.md §4.1.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from smartmon.sandbox.runner.joblog import JobLog
from smartmon.sandbox.runner.runtypes import Annotation, AnnotationLevel

SET_OUTPUT_DEPRECATED = (
    "The `{0}` command is deprecated and will be disabled soon. Please upgrade to using "
    "Environment Files. For more information see: "
    "https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/"
)
COMMAND_DISABLED = (
    "The `{0}` command is disabled. Please upgrade to using Environment Files or opt into "
    "unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment "
    "variable to `true`. For more information see: "
    "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"
)
STOP_TOKEN_INVALID = (
    "You cannot use a endToken that is an empty string, the string 'pause-logging', or another "
    "workflow command. For more information see: https://docs.github.com/actions/learn-github-"
    "actions/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands"
)
_KNOWN = {
    "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher",
    "remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup", "echo",
    "stop-commands",
}  # fmt: skip
_LEVELS: dict[str, AnnotationLevel] = {"error": "failure", "warning": "warning", "notice": "notice"}
_MAX_PER_LEVEL = 10


class FileCommandError(ValueError):
    """A malformed GITHUB_OUTPUT/ENV/STATE file (the runner fails the step)."""


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_key_value_file(path: Path) -> dict[str, str]:
    """Parse ``name=value`` and ``name<<DELIM`` … ``DELIM`` records (GITHUB_OUTPUT/ENV/STATE)."""
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    result: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip():
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line[:eq], line[eq + 1 :]
            if not name:
                raise FileCommandError(f"Invalid format '{line}'. Name must not be empty")
            result[name] = value
            continue
        if heredoc < 0:
            raise FileCommandError(f"Invalid format '{line}'")
        name, delimiter = line[:heredoc], line[heredoc + 2 :]
        if not name or not delimiter:
            raise FileCommandError(f"Invalid format '{line}'")
        value_lines: list[str] = []
        while True:
            if i >= len(lines):
                raise FileCommandError(f"Invalid value. Matching delimiter not found '{delimiter}'")
            candidate = lines[i].rstrip("\r")
            i += 1
            if candidate == delimiter:
                break
            value_lines.append(candidate)
        result[name] = "\n".join(value_lines)
    return result


def parse_path_file(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class CommandProcessor:
    """Consumes one step's output lines, writing them to the log and acting on commands."""

    log: JobLog
    workspace: Path
    debug: bool = False
    allow_unsecure: bool = False
    annotations: list[Annotation] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    failed: bool = False
    _stop_token: str | None = None
    _echo: bool = False
    _counts: dict[str, int] = field(default_factory=dict)

    def line(self, text: str) -> None:
        stripped = text.lstrip()
        if self._stop_token is not None:
            if stripped == f"::{self._stop_token}::":
                self._stop_token = None
            else:
                self.log.write(text)
            return
        if not stripped.startswith("::"):
            self.log.write(text)
            return
        end = stripped.find("::", 2)
        if end < 0:
            self.log.write(text)
            return
        head, data = stripped[2:end], stripped[end + 2 :]
        name, _, props_text = head.partition(" ")
        if name not in _KNOWN:
            self.log.write(text)
            return
        props: dict[str, str] = {}
        for item in props_text.split(","):
            key, sep, value = item.partition("=")
            if sep and key.strip():
                props[key.strip().lower()] = unescape_property(value)
        if self._echo and name not in ("group", "endgroup"):
            self.log.write(f"##[command]{text}")
        self._dispatch(name, props, unescape_data(data), text)

    def _dispatch(self, name: str, props: dict[str, str], data: str, raw: str) -> None:
        if name in _LEVELS:
            self.log.write(f"##[{name}]{data}")
            self._annotate(_LEVELS[name], data, props)
        elif name == "debug":
            if self.debug:
                self.log.write(f"##[debug]{data}")
        elif name == "group":
            self.log.group(data)
        elif name == "endgroup":
            self.log.endgroup()
        elif name == "add-mask":
            if data.strip():
                self.log.masker.add(data)
            else:
                self.log.warning("Can't add secret mask for empty string in ##[add-mask] command.")
        elif name == "echo":
            self._echo = data.strip().lower() == "on"
        elif name == "stop-commands":
            if not data or data == "pause-logging" or data in _KNOWN:
                self._fail_command(raw, STOP_TOKEN_INVALID)
            else:
                if len(data) > 6:
                    self.log.masker.add(data)
                self._stop_token = data
        elif name in ("set-output", "save-state"):
            self.log.warning(SET_OUTPUT_DEPRECATED.format(name))
            self._annotate("warning", SET_OUTPUT_DEPRECATED.format(name), {})
            target = self.outputs if name == "set-output" else self.state
            if props.get("name"):
                target[props["name"]] = data
        elif name in ("set-env", "add-path"):
            if not self.allow_unsecure:
                self._fail_command(raw, COMMAND_DISABLED.format(name))
            elif name == "set-env" and props.get("name"):
                self.env[props["name"]] = data
            elif name == "add-path":
                self.paths.append(data)
        # add-matcher / remove-matcher: accepted; problem matchers are not emulated

    def _fail_command(self, raw: str, reason: str) -> None:
        self.log.error(f"Unable to process command '{raw.strip()}' successfully.")
        self.log.error(reason)
        self._annotate("failure", reason, {})
        self.failed = True

    def _annotate(self, level: AnnotationLevel, message: str, props: dict[str, str]) -> None:
        self._counts[level] = self._counts.get(level, 0) + 1
        if self._counts[level] > _MAX_PER_LEVEL:
            return
        path = props.get("file", "").strip()
        if path:
            candidate = Path(path)
            if candidate.is_absolute():
                with contextlib.suppress(ValueError):
                    path = candidate.relative_to(self.workspace).as_posix()
        line = _int(props.get("line")) or (0 if path else self.log.line_count)
        end_line = _int(props.get("endline")) or line
        if end_line and line and end_line < line:
            line = end_line = 0
        self.annotations.append(
            Annotation(
                level=level,
                message=self.log.masker.mask(message[:4096]),
                path=path or ".github",
                start_line=line or 1,
                end_line=end_line or line or 1,
                title=self.log.masker.mask(props.get("title", "")),
            )
        )


def _int(text: str | None) -> int:
    try:
        return int(text) if text else 0
    except ValueError:
        return 0
