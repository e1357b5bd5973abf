"""What a failed step's exit code says when no rule read its lines: a kill, a missing command, a
timeout, a silent curl's network failure, pytest finding no tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STAMP_PREFIX
from smartmon.diagnose.step_actions import step_script
from smartmon.model import IssueType

# Exit code 137 is SIGKILL: the kernel's OOM killer or the runner, even when nothing says so; 143 is
# SIGTERM, what a hosted runner's supervisor sends a step that exhausts the machine (actions/runner-
# images #6680, jackc/pgx #1934: "Process completed with exit code 143."); 127 is the shell's "command
# not found", pasted from the run page's annotations box alone; 124 is coreutils `timeout` (and
# wait-for-it, which runs it) giving up on its command.
_SILENT_EXITS = {
    "137": (IssueType.RUNNER_FAILURE, "killed-exit-137"),
    "143": (IssueType.RUNNER_FAILURE, "terminated-exit-143"),
    "127": (IssueType.MISSING_TOOL, "not-found-exit-127"),
    "124": (IssueType.TIMEOUT, "timed-out-exit-124"),
}


# curl run silent (-s without -S) prints nothing when it fails: its exit status alone says why
# (curl(1), EXIT CODES: 6 could not resolve the host, 7 could not connect, 28 timed out, 35 TLS
# handshake failed, 52 empty reply, 56 failure receiving data). Only when the failed step's own
# command runs curl: "Run docker run --rm appropriate/curl -s --retry 3 --retry-connrefused
# http://localhost:8080/" then "##[error]Process completed with exit code 7."
# (peter-evans/docker-compose-actions-workflow #2). A paste has no step marks: its last "Run" line.
# The curl may sit lower in the step's script, under a first line that sets variables:
# `failure=$(curl -s -H "Authorization: token …" …/jobs | jq …)` then "Error: Process completed with
# exit code 7." (martialonline/workflow-status #16; kentcdodds/kentcdodds.com #738 and
# heroku/heroku-buildpack-nodejs #680 on `-s` hiding curl's own "curl: (6) …" line).
# Only a curl that was silent without showing errors (`-s`, not `-sS`: that prints "curl: (7) …",
# read by its rule), in command position, not commented out, quoted or followed by `|| true`; a
# program's own exit 6 or 7 (golangci-lint's "no config" and "error logged") is not curl's.
_CURL_EXITS = frozenset({"6", "7", "28", "35", "52", "56"})
_CURL_CALL = re.compile(
    r"(?:^|[;&|(]\s*|\$\(\s*|\bsudo\s+|\bexec\s+|/)curl(?:\.exe)?\s+(?P<args>[^;&|)]*)"
)
_SILENT = re.compile(r"(?:^|\s)(?:-[a-zA-Z]*s[a-zA-Z]*|--silent)(?=\s|$)")
_SHOWS_ERRORS = re.compile(r"(?:^|\s)(?:-[a-zA-Z]*S[a-zA-Z]*|--show-error)(?=\s|$)")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_SWALLOWED = re.compile(r"\s*\|\|\s*(?:true|:)\b")


def _silent_curl_call(command: str) -> bool:
    """The command line runs curl silently (errors not shown) and does not throw its status away."""
    if command.lstrip().startswith("#"):
        return False
    text = _QUOTED.sub("''", command)
    for m in _CURL_CALL.finditer(text):
        args = m.group("args")
        if (
            _SILENT.search(args)
            and not _SHOWS_ERRORS.search(args)
            and not _SWALLOWED.match(text[m.end() :])
        ):
            return True
    return False


def _command(header: str) -> str | None:
    """The command a `Run …` step header shows, or None for any other step."""
    text = header.strip().removeprefix("##[group]")
    return text.removeprefix("Run ") if text.startswith("Run ") else None


def _silent_curl(header: str, code: str, above: Sequence[str]) -> bool:
    """The failed step (its header, or a line of its script) ran curl silently and exited with one
    of curl's network failures."""
    command = _command(header)
    if code not in _CURL_EXITS or command is None:
        return False
    script = step_script(above, header) or (command,)
    return any(_silent_curl_call(line) for line in script)


# pytest exits 5 when it collected no test (pytest's ExitCode.NO_TESTS_COLLECTED): a new repository's
# "Run pytest" then "Process completed with exit code 5." (wuhan2020/api-server #21), a new package's
# job with nothing to run yet (PennyLaneAI/pennylane #6441). Only when every command of the step is a
# pytest run (jq exits 5 on a runtime error; after "&&", ";" or a pipe the status may be another's).
_PYTEST_CALL = re.compile(
    r"^(?:cd \S+ && )?(?:(?:python[\d.]*|py) -m |(?:poetry|uv|pdm|pipenv|hatch) run "
    r"(?:python -m )?|coverage run -m )?(?:py\.test|pytest)(?:\s[^&|;]*)?$"
)


def _silent_pytest(header: str, code: str, above: Sequence[str]) -> bool:
    """The failed step ran pytest alone and it collected nothing."""
    command = _command(header)
    if code != "5" or command is None:
        return False
    script = [t for t in step_script(above, header) if t and not t.startswith("#")]
    return all(_PYTEST_CALL.match(t) for t in script or [command])


# A shell that cannot find a command says so on stderr ("bash: line 3: codecov: command not found"),
# which the log shows just above the runner's exit line. When the line there is instead pytest's
# closing tally with nothing failed ("==== 2639 passed, 38 skipped in 1969.23s (0:32:49) ====",
# pytest's terminal summary; "in 0.12 seconds" before pytest 5), pytest ran and finished clean and no
# lookup failed after it: the 127 came from elsewhere (partcad/partcad PR #599 on Windows: read
# pytest's own verdict instead of the exit code). Its exit code alone then says nothing. Only where
# pytest is the step's last command: a command after it (`pytest && codecov …`, the script's next line
# `coverage xml`) may be the one the shell did not find, its message not kept in the log, and the 127
# is then that command's "command not found".
_STAMP = re.compile(r"^" + STAMP_PREFIX)
_EXIT_LINE = re.compile(r"^(?:##\[error\]|Error: )?Process completed with exit code \d+\.\s*$")
_PYTEST_TALLY = re.compile(
    r"^=+ (?P<counts>\d+ \w+(?:, \d+ \w+)*) in [\d.]+ ?s(?:econds)?(?: \([\d:]+\))? =+\s*$"
)
_BAD_COUNT = re.compile(r"\b(?:failed|errors?)\b")


def _pytest_last(header: str, above: Sequence[str]) -> bool:
    """The failed step's last command (its script's last line, else its header's) is a pytest run."""
    command = _command(header)
    if command is None:
        return False
    script = [t for t in step_script(above, header) if t and not t.startswith("#")]
    return bool(_PYTEST_CALL.match((script or [command])[-1]))


def _clean_pytest_end(header: str, above: Sequence[str]) -> bool:
    """The failed step ends with a pytest run, and the last line the step printed above its exit line
    (the job's last, when the post-job steps follow it) is pytest's tally with nothing failed."""
    if not _pytest_last(header, above):
        return False
    lines = [_STAMP.sub("", raw).strip() for raw in above]
    exits = [i for i, line in enumerate(lines) if _EXIT_LINE.match(line)]
    for line in reversed(lines[: exits[-1]] if exits else lines):
        if line:
            m = _PYTEST_TALLY.match(line)
            return m is not None and not _BAD_COUNT.search(m["counts"])
    return False


def silent_exit(code: str, step_name: str, above: Sequence[str]) -> tuple[IssueType, str]:
    """(type, rule id) for a failed step whose lines no rule read, from its exit code and command."""
    if _silent_curl(step_name, code, above):
        return IssueType.NETWORK_ERROR, f"curl-exit-{code}"
    if _silent_pytest(step_name, code, above):
        return IssueType.TEST_FAILURE, "pytest-exit-5"
    if code == "127" and _clean_pytest_end(step_name, above):
        return IssueType.UNKNOWN, "unknown-last-lines"
    return _SILENT_EXITS.get(code, (IssueType.UNKNOWN, "unknown-last-lines"))


__all__ = ["silent_exit"]
