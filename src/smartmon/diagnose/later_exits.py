"""A last resort's line is no answer where the job went past its step and a later step failed too.

A step with `continue-on-error: true` ends with the runner's "##[error]Process completed with exit
code N." like any failed step, and the job goes on; where a later step then fails with its own exit
line, that later step ended the job. A rule that only says a step failed without naming a cause
(`type: unknown`, twine's "Error during upload", git's "not a repository") is then no better than the
later step's own lines: the earlier step's line wins only by its rule's place above the catch-all,
and a reader wants the step that ended the job (review rev56: a twine upload to TestPyPI allowed to
fail above a smoke test's 502; `git describe` outside a checkout above a refused deployment). A rule
that lists `later-exit-wins` in its `checks:` is cleared there. Only where its own step exited
non-zero: a script's own "::group::Run …" looks like a step's header (logs.StepMark.script_group),
and a hit under one, below which the real step's exit line sits, keeps its place.
"""

from __future__ import annotations

from smartmon.diagnose.jobstate import JobState

LATER_EXIT_WHY = "cleared: the job went past its step, and a later step failed with its own exit"


def later_exit_wins(state: JobState) -> None:
    """Clear a `later-exit-wins` rule's hit in a step that exited non-zero where a later step of
    the job exited non-zero too."""
    if not state.exit_codes:
        return
    last = max(state.exit_codes)
    for i, h in state.hits.items():
        if "later-exit-wins" not in h.rule.checks or i in state.cleared:
            continue
        if h.step.number in state.exit_codes and h.step.number < last:
            state.cleared[i] = LATER_EXIT_WHY


__all__ = ["LATER_EXIT_WHY", "later_exit_wins"]
