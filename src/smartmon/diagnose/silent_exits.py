"""What a failed step's exit code says when no rule read its lines: a kill, a missing command, a
timeout, a silent curl's network failure, pytest finding no tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
_CURL_EXITS = frozenset({"6", "7", "28", "35", "52", "56"})
_CURL_RUN = re.compile(r"^(?:##\[group\])?Run (?:.*[\s/;&|(])?curl(?:\.exe)? ")
_CURL_CALL = re.compile(r"(?:^|[\s/;&|(])curl(?:\.exe)? -")


def _silent_curl(header: str, code: str, above: Sequence[str]) -> bool:
    """The failed step (its header, or a line of its script) ran curl and exited with one of curl's
    network failures."""
    if code not in _CURL_EXITS:
        return False
    script = step_script(above, header)
    return bool(_CURL_RUN.match(header)) or any(_CURL_CALL.search(t) for t in script)


# pytest exits 5 when it collected no test (pytest's ExitCode.NO_TESTS_COLLECTED): a new repository's
# "Run pytest" then "Process completed with exit code 5." (wuhan2020/api-server #21), a new package's
# job with nothing to run yet (PennyLaneAI/pennylane #6441). Only when pytest is the step's one command:
# after "&&", ";" or a pipe the status may be another program's.
_PYTEST_RUN = re.compile(
    r"^(?:##\[group\])?Run (?:[^&|;]*[\s/])?(?:py\.test|pytest)(?:\s[^&|;]*)?$"
)


def _silent_pytest(header: str, code: str) -> bool:
    """The failed step (its header) ran pytest alone and it collected nothing."""
    return code == "5" and bool(_PYTEST_RUN.match(header.rstrip()))


def silent_exit(code: str, step_name: str, above: Sequence[str]) -> tuple[IssueType, str]:
    """(type, rule id) for a failed step whose lines no rule read, from its exit code and command."""
    if _silent_curl(step_name, code, above):
        return IssueType.NETWORK_ERROR, f"curl-exit-{code}"
    if _silent_pytest(step_name, code):
        return IssueType.TEST_FAILURE, "pytest-exit-5"
    return _SILENT_EXITS.get(code, (IssueType.UNKNOWN, "unknown-last-lines"))


__all__ = ["silent_exit"]
