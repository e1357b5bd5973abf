"""The Actions runner's interfaces for the composite action, over `github-action-utils`.

Inputs, outputs, the job summary, annotations, masking and log groups. Everything written is
redacted first; untrusted text reaches the log only between `::stop-commands::<random>` and
`::<random>::`, so no workflow command inside it runs (autofix.md §2.6).

`github-action-utils` prints to `sys.stdout` and reads `os.environ`: its stdout commands run
under `redirect_stdout(self.out)`; what it can only do through `os.environ` (file commands,
summary, inputs, the event payload) is done here against `self.env`, reusing its serializer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, TextIO

import github_action_utils as gau
from github_action_utils import _files as gau_files  # the file-command serializer

from smartmon.errors import InputError
from smartmon.redact import redact
from smartmon.report import code_span, escape_markdown, inside_workspace

log = logging.getLogger(__name__)

# RUNNER FileCommandManager.cs: AttachmentSizeLimit = 1024 * 1024 (github-api.md §4.1).
SUMMARY_LIMIT = 1024 * 1024
# RUNNER ExecutionContext.cs: _maxCountPerIssueType = 10, per step (github-api.md §0.5).
ANNOTATION_LIMIT = 10
INPUT_PREFIX = "SMARTMON_"

AnnotationKind = Literal["error", "warning", "notice"]
_TRUE = frozenset({"true", "True", "TRUE"})  # YAML 1.2 core schema, as the toolkit reads them
_FALSE = frozenset({"false", "False", "FALSE"})
# The runner reads lines the way .NET's ReadLine does: CR, LF or CRLF end a line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(rb"^ {0,3}(?:```|~~~)", re.MULTILINE)
_TRUNCATED_NOTE = (
    "\n> **Summary truncated:** the rest did not fit the 1 MiB limit of a step summary; "
    "the full report is in the workflow artifact.\n"
)


class _Where(NamedTuple):
    """Annotation properties, in github-action-utils' keyword names."""

    file: str | None
    line: int | None
    end_line: int | None
    col: int | None
    end_column: int | None
    title: str | None


class Runtime:
    """One action step's view of the runner: its environment, its stdout and what to redact."""

    def __init__(
        self,
        env: Mapping[str, str] = os.environ,
        out: TextIO = sys.stdout,
        secrets: Sequence[str] = (),
    ) -> None:
        self.env = env
        self.out = out
        self._secrets: list[str] = [s for s in secrets if s]
        self._counts: dict[str, int] = {"error": 0, "warning": 0, "notice": 0}
        self._dropped: dict[str, int] = {"error": 0, "warning": 0, "notice": 0}
        self._drop_noted = False
        self._summary_full = False

    # -- environment -----------------------------------------------------------------------

    def is_actions(self) -> bool:
        return self.env.get("GITHUB_ACTIONS") == "true"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self._secrets)

    def add_secret(self, value: str | None) -> None:
        """Redact `value` from everything written from now on (without printing it)."""
        if value and value not in self._secrets:
            self._secrets.append(value)

    def redact(self, text: str) -> str:
        # Summaries escape Markdown before they get here (`my_secret` is `my\_secret` there,
        # `my&#95;secret` in a code cell): mask those forms of each secret too.
        forms = [
            f for s in self._secrets for f in (s, escape_markdown(s), code_span(s, len(s) * 8))
        ]
        return redact(text, [f.removeprefix("<code>").removesuffix("</code>") for f in forms])

    def input(self, name: str, default: str = "", *, secret: bool = False) -> str:
        """An action input: `SMARTMON_<NAME>` (what action.yml passes through `env:`), else
        `INPUT_<NAME>` as the runner sets for node actions; empty counts as unset."""
        upper = name.upper().replace(" ", "_")
        for key in (INPUT_PREFIX + upper.replace("-", "_"), "INPUT_" + upper):
            value = self.env.get(key, "").strip()
            if value:
                break
        else:
            value = default
        if secret:
            self.add_secret(value)
        return value

    def bool_input(self, name: str, default: bool = False) -> bool:
        value = self.input(name)
        if not value:
            return default
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        raise InputError(f"input {name}: {value!r} is not a boolean; use true or false")

    def int_input(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.input(name)
        if not value:
            return default
        try:
            number = int(value, 10)
        except ValueError:
            raise InputError(f"input {name}: {value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise InputError(f"input {name}: {number} is below the minimum of {minimum}")
        return number

    def list_input(self, name: str) -> list[str]:
        """Items separated by commas or newlines, blanks dropped."""
        return [item.strip() for item in re.split(r"[,\n]", self.input(name)) if item.strip()]

    def event_payload(self) -> dict[str, Any]:
        """The webhook payload at GITHUB_EVENT_PATH."""
        path = self.env.get("GITHUB_EVENT_PATH")
        if not path:
            raise InputError("GITHUB_EVENT_PATH is not set; run inside Actions or pass a run id")
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"{path}: cannot read the event payload: {exc.strerror}") from exc
        except ValueError as exc:
            raise InputError(f"{path}: the event payload is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise InputError(f"{path}: the event payload is not a JSON object")
        return data

    # -- file commands ---------------------------------------------------------------------

    def set_output(self, name: str, value: str) -> bool:
        """Append `name` to GITHUB_OUTPUT (redacted, any number of lines); False outside Actions."""
        path = self.env.get("GITHUB_OUTPUT")
        if not path:
            log.debug("no GITHUB_OUTPUT; output %s not set", name)
            return False
        # The library writes only to os.environ's path; its serializer picks a random
        # `ghadelimiter_<uuid4>` absent from the value and validates the name.
        record = gau_files._build_file_input(name, self.redact(str(value)))
        with open(path, "ab") as fh:
            fh.write(record)
        return True

    def append_summary(self, markdown: str) -> bool:
        """Append redacted Markdown to GITHUB_STEP_SUMMARY without ever passing 1 MiB.

        What does not fit is cut at a line boundary, followed by a note; later calls write
        nothing. Returns whether all of `markdown` was written.
        """
        path = self.env.get("GITHUB_STEP_SUMMARY")
        if not path:
            log.debug("no GITHUB_STEP_SUMMARY; summary not written")
            return False
        if self._summary_full:
            return False
        text = self.redact(markdown)
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
        try:
            used = os.stat(path).st_size
        except FileNotFoundError:
            used = 0
        if used + len(data) <= SUMMARY_LIMIT:
            with open(path, "ab") as fh:
                fh.write(data)
            return True
        self._summary_full = True
        note = _TRUNCATED_NOTE.encode("utf-8")
        closing = b"```\n"
        budget = SUMMARY_LIMIT - used - len(note) - len(closing)
        if budget < 0:
            log.warning("step summary is full (%d bytes); %d bytes dropped", used, len(data))
            return False
        # Cutting after a newline byte never splits a UTF-8 sequence.
        kept = data[: data.rfind(b"\n", 0, budget) + 1]
        if len(_FENCE.findall(kept)) % 2:
            kept += closing  # close a code block we cut in half, or the note renders inside it
        with open(path, "ab") as fh:
            fh.write(kept + note)
        log.warning("step summary truncated: %d of %d bytes written", len(kept), len(data))
        return False

    # -- stdout commands -------------------------------------------------------------------

    def error(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        end_line: int | None = None,
        col: int | None = None,
        end_column: int | None = None,
        title: str | None = None,
    ) -> bool:
        """An error annotation (at `file`:`line` when known); False when over the cap."""
        where = _Where(file, line, end_line, col, end_column, title)
        return self._annotate("error", message, where)

    def warning(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        end_line: int | None = None,
        col: int | None = None,
        end_column: int | None = None,
        title: str | None = None,
    ) -> bool:
        where = _Where(file, line, end_line, col, end_column, title)
        return self._annotate("warning", message, where)

    def notice(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        end_line: int | None = None,
        col: int | None = None,
        end_column: int | None = None,
        title: str | None = None,
    ) -> bool:
        where = _Where(file, line, end_line, col, end_column, title)
        return self._annotate("notice", message, where)

    @property
    def dropped(self) -> Mapping[str, int]:
        """Annotations not printed because the runner would not show them."""
        return dict(self._dropped)

    def _annotate(self, kind: AnnotationKind, message: str, where: _Where) -> bool:
        if self._counts[kind] >= ANNOTATION_LIMIT:
            self._dropped[kind] += 1
            self._note_drop()
            return False
        self._counts[kind] += 1
        if where.file is not None and not inside_workspace(where.file):
            # `../../etc/passwd` from a log is not a place in the repository: annotate the run.
            where = _Where(None, None, None, None, None, where.title)
        props = {
            key: (self.redact(value) if isinstance(value, str) else value)
            for key, value in where._asdict().items()
            if value is not None
        }
        command: Callable[..., None] = getattr(gau, kind)
        self._print(command, self.redact(message), **props)
        return True

    def _note_drop(self) -> None:
        if self._drop_noted:
            return
        self._drop_noted = True
        text = (
            f"smartmon: more annotations than the runner shows ({ANNOTATION_LIMIT} per type per "
            "step); the job summary lists every finding."
        )
        if self._counts["notice"] < ANNOTATION_LIMIT:
            self._counts["notice"] += 1
            self._print(gau.notice, text)
        else:
            self._print(gau.echo, text)

    def add_mask(self, value: str) -> None:
        """Ask the runner to mask `value` (and each of its lines) and redact it here too."""
        if not value:
            return
        self.add_secret(value)
        self._print(gau.add_mask, value)

    def debug(self, message: str) -> None:
        self._print(gau.debug, self.redact(message))

    def info(self, message: str) -> None:
        """Print our own line(s); any line that could read as a command is printed inert."""
        text = self.redact(message)
        lines = _LINE_BREAK.split(text)
        if any(_command_like(line) for line in lines):
            self._inert(lines)
        else:
            for line in lines:
                self._print(gau.echo, line)

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        """A collapsible log group (the title is escaped and redacted)."""
        self._print(gau.start_group, self.redact(title))
        try:
            yield
        finally:
            self._print(gau.end_group)

    def log_block(self, title: str, text: str) -> None:
        """Print untrusted `text` in a group, between stop-commands markers: nothing in it runs."""
        with self.group(title):
            self._inert(_LINE_BREAK.split(self.redact(text)))

    def _inert(self, lines: Sequence[str]) -> None:
        # Random per block (the runner auto-masks tokens over 6 characters); never one that
        # the text itself contains, which could end the block early.
        token = uuid.uuid4().hex
        while any(token in line for line in lines):
            token = uuid.uuid4().hex
        self._print(gau.begin_stop_commands, token)
        try:
            for line in lines:
                self._print(gau.echo, line)
        finally:
            self._print(gau.end_stop_commands, token)

    def _print(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        with contextlib.redirect_stdout(self.out):
            command(*args, **kwargs)


def _command_like(line: str) -> bool:
    """What the runner would parse: `::` at the start (after whitespace) or `##[` anywhere."""
    return line.lstrip().startswith("::") or "##[" in line
