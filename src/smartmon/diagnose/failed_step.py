"""Which step's lines are a downloaded log's cause: the step that failed, not one that only reported.

The runner ends a step that failed with "##[error]Process completed with exit code N." (a `run:`
step); the steps after it run only under `if: always()` / `failure()` (uploads of the failed tests'
reports, notifications, clean-ups) or after a step with `continue-on-error`. A hit in a step that
ended without a failure marker is no cause while a step that failed has one, and an error in a
step that ran after the first failed step and ended without an exit code is that later step's own.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import JobState
from smartmon.diagnose.retries import AFTER_FAILURE_STEP
from smartmon.diagnose.step_actions import step_action
from smartmon.diagnose.upstream import LEFT_BEHIND
from smartmon.model import IssueType

UNMARKED = "cleared: its step ended without a failure marker"


def failing_step_first(state: JobState) -> None:
    """In a downloaded log, a hit in a step that ended without a failure marker (a probe, a retry
    that worked, an `if: always()` upload) is no cause while a step that failed has one."""
    if not (state.failed and state.has_tags and state.exit_codes):
        return
    left = {i: h for i, h in state.hits.items() if not h.rule.advisory and i not in state.cleared}
    if not any(h.step.number in state.exit_codes for h in left.values()):
        return
    failing = {h.rule.type for h in left.values() if h.step.number in state.exit_codes}
    upstream = frozenset().union(*(LEFT_BEHIND.get(t, frozenset()) for t in failing))
    for i, h in left.items():
        if h.step.number not in state.exit_codes and h.rule.type not in upstream:
            state.cleared[i] = UNMARKED


PASSED_RUN_STEP = (
    "cleared: a program's own error line in a run step that ended without a failure marker"
)
# A local action's header is its directory ("Run ./.github/actions/setup", "Run ./"), which a
# script's header can look like ("Run ./gradlew"): a lone path without a file extension is taken
# for an action ("Run ./configure.sh" or "Run ./gradlew build" is a script).
_LOCAL_ACTION = re.compile(r"^Run \./(?:\.github/\S*|(?:[\w.-]+/)*[\w-]*/?)\s*$")
# The catch-all's reading of a program's own "Error: …" line (stdout, not the runner's annotation).
_CATCH_ALL = "generic-error"


def passed_run_step_errors(state: JobState) -> None:
    """In a downloaded log, the catch-all's "Error: …" line that a program printed in a `run:` step
    which ended without the runner's exit-code line (the step passed: the runner ends every failed or
    `continue-on-error` run step with "##[error]Process completed with exit code N.") is no cause
    while another step did exit non-zero, even where no rule reads that step ("Error: optional config
    .ci.yml not found, using defaults" in a configure step, above a test step's own tally; review
    rev50): the failed step's last lines are the better answer. Only plain lines (the runner writes
    an annotation as `##[error]…`), and only under a `run:` step's header: an action fails through
    `##[error]` lines or "Docker run failed", without that exit-code line, and a local action's or a
    post step's header is left alone too. A script's own `::group::Run …` looks like a step's header
    (logs.StepMark.script_group): where the hit or the first exit line sits under one, which step
    exited is not known, and nothing is cleared (review rev52)."""
    if not (state.failed and state.downloaded and state.exit_codes and state.first_exit):
        return
    if state.first_exit[0].script_group:
        return  # the exit line sits under a script's own "::group::Run …": its step is unknown
    for i, h in state.hits.items():
        if h.rule.id != _CATCH_ALL or i in state.cleared or h.step.number in state.exit_codes:
            continue
        name = h.step.name
        if (
            h.step.script_group
            or h.text.lstrip().startswith("##[")
            or not name.startswith("Run ")
            or step_action(name) is not None
            or name.startswith("Run docker://")
            or _LOCAL_ACTION.match(name)
        ):
            continue
        state.cleared[i] = PASSED_RUN_STEP


AFTER_FAILED_WHY = "cleared: its step ran after the job's first failed step and only reported"
# Causes that belong to the job, not to one step: a time limit or a lost runner still counts after it.
_JOB_WIDE = frozenset({IssueType.TIMEOUT, IssueType.RUNNER_FAILURE})


def after_failed_step(state: JobState) -> None:
    """In a downloaded log, an error in a step that ran after the job's first failed step, ended
    without an exit code of its own and is named as a step that runs after a failure by design (an
    upload of the failed tests' reports, a notification: `retries.AFTER_FAILURE_STEP`) is that
    step's own: the step that failed first is the cause, even where no rule reads it, and the job's
    last lines become that step's. A later action that is no such step (a build after a
    `continue-on-error` step that exited 1) keeps its hit, and a hit before the failed step, or in a
    later step that also exited non-zero, is left alone. (A step that failed first and had a hit is
    settled by `failing_step_first` already.)"""
    if not (state.failed and state.has_tags and state.first_exit):
        return
    mark, lines, line_no = state.first_exit
    after = [
        i
        for i, h in state.hits.items()
        if not h.rule.advisory
        and i not in state.cleared
        and h.rule.type not in _JOB_WIDE
        and h.step.number > mark.number
        and h.step.number not in state.exit_codes
        and AFTER_FAILURE_STEP.search(h.step.name)
    ]
    if not after:
        return
    for i in after:
        state.cleared[i] = AFTER_FAILED_WHY
    # The job's last lines move back only past steps that did not exit non-zero themselves (a later
    # run step that did is where the job ended), by step: a run's per-step files number lines anew.
    later_exit = any(number > mark.number for number in state.exit_codes)
    if not later_exit and (state.last_step is None or state.last_step.number > mark.number):
        state.last_step, state.last_lines, state.last_line_no = mark, lines, line_no


__all__ = [
    "AFTER_FAILED_WHY",
    "PASSED_RUN_STEP",
    "UNMARKED",
    "after_failed_step",
    "failing_step_first",
    "passed_run_step_errors",
]
