"""Which hits are no cause, and whether the job failed at all (a job's hits, settled).

Lines a later success cleared are no cause: an error the tool retried past (`Retrying …`, then
`… finished successfully`), the output of a command whose status was swallowed (`cmd || true`,
make's `Error 1 (ignored)`), a probe or report in a step that ended without a failure marker while
another step failed, a passing test's output (pytest `-rP`), and a failure marker after which the
job went on into an ordinary step that reported success (`continue-on-error: true`). A job with
nothing left but such lines passed, unless the caller (the API) says it failed. Hits a tool printed
without failing on them (a probe, a warning, a report) are told apart in `benign.py`; errors a tool
retried past, in `retries.py`; which earlier failure explains the cause, in `upstream.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from smartmon.diagnose.benign import (
    build_went_on,
    bundler_warning,
    linter_tallied_none,
    loopback_cause,
    method_fell_back,
    no_numbered_block,
    not_plugin_raised,
    npm_view_probe,
    optional_build_skipped,
    reported_only,
    results_post_failed_open,
    token_request_sent,
    tool_assertion,
    under_passes_banner,
    warned_only,
)
from smartmon.diagnose.cache_paths import stronger_cause_below
from smartmon.diagnose.context_above import (
    engine_not_warned,
    julia_own_code,
    no_checkout_fallback,
    no_harness_run,
    no_pandoc_fallback,
    no_vagrant_download,
    not_a_missing_reporter,
    not_frail,
    not_under_script_tree,
    page_not_run,
    printed_in_a_step,
    r_check_passed_tests,
    setuptools_not_tried,
    stub_not_top_frame,
)
from smartmon.diagnose.crash_end import crash_ended_job, node_action_exit
from smartmon.diagnose.failed_step import (
    AFTER_FAILED_WHY,
    UNMARKED,
    after_failed_step,
    failing_step_first,
    passed_run_step_errors,
)
from smartmon.diagnose.flutter_pub_env import flutter_ran_pub
from smartmon.diagnose.jobstate import Hit, JobState, page_conclusion
from smartmon.diagnose.js_stacks import (
    announced_went_on,
    logged_with_stack,
    project_file_below,
    rejection_went_on,
)
from smartmon.diagnose.later_lines import (
    build_ended_green,
)
from smartmon.diagnose.logs import tail_lines
from smartmon.diagnose.loopback_statuses import loopback_answered
from smartmon.diagnose.narrowed import NARROWED_BY
from smartmon.diagnose.not_missing import (
    passphrase_unused,
    prose_behind_missing_tool,
    shell_word_as_program,
)
from smartmon.diagnose.passing_output import (
    marker_printed_by_passing_test,
    printed_by_passing_test,
)
from smartmon.diagnose.retried_tests import (
    finished_after_slow,
    panic_expected,
    passed_on_retry,
)
from smartmon.diagnose.retries import AFTER_FAILURE_STEP, retried, service_came_up, succeeded
from smartmon.diagnose.step_context import (
    lifecycle_script_done,
    no_electron_near,
    rate_limit_body_below,
    tests_reported_below,
)
from smartmon.diagnose.swallowed import swallowed
from smartmon.diagnose.traceback_end import exception_went_on
from smartmon.diagnose.unresolved_lookups import lookup_left_to_verify
from smartmon.diagnose.upstream import left_uninstalled
from smartmon.model import IssueType


def _output_after_last_marker(tail: bytes) -> list[str]:
    """What the job printed after its last failure marker, without the step headers (a script's
    own `echo "success"` says nothing)."""
    lines = tail_lines(tail)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("##[error]"):
            lines = lines[i + 1 :]
            break
    out: list[str] = []
    in_header = False
    for line in lines:
        if line.startswith("##[group]Run "):
            in_header = True
        elif line.startswith("##[endgroup]"):
            in_header = False
        elif not in_header:
            out.append(line)
    return out


def _went_on_structured(state: JobState) -> str:
    """A whole downloaded log: a failing job runs only `if: always()` steps and the post-job
    cleanup after its failure marker; ordinary steps that ran and passed mean continue-on-error."""
    lines = tail_lines(state.tail)
    last = max((i for i, line in enumerate(lines) if line.startswith("##[error]")), default=None)
    if last is None:
        return ""
    runs = [
        line[len("##[group]") :] for line in lines[last + 1 :] if line.startswith("##[group]Run ")
    ]
    if not runs or any(AFTER_FAILURE_STEP.search(r) for r in runs):
        return ""
    if not any(succeeded(line) for line in _output_after_last_marker(state.tail)):
        return ""
    return (
        f"the job went on into {runs[-1]!r} and reported success after its last failure marker "
        "(continue-on-error), and its log has no failing end"
    )


def _notice_marker(state: JobState) -> str:
    """The job's one failure marker is a notice an action printed as an error annotation and went
    on past (CodeQL Action v1's 2023 discontinuation, "##[error]This version of the CodeQL Action
    was deprecated …", then "Successfully uploaded results"; tenable/terrascan-action PR #92): no
    step's exit code, no other error line a rule knows."""
    if state.exit_codes or not state.last_line_no:
        return ""
    marker = state.last_line_no
    notice = any(h.rule.advisory and h.line == marker for h in state.hits.values())
    if not notice or any(
        not h.rule.advisory and h.line != marker and i not in state.cleared
        for i, h in state.hits.items()
    ):
        return ""
    return "its only failure marker is a notice the action printed as an error and went on past"


def _failure_cleared(state: JobState) -> str:
    """Why the job's last failure marker did not end it, or "" when it may have."""
    if not state.failed or state.verdict_from != "log" or not state.has_tags:
        return ""
    notice = _notice_marker(state)
    if notice:
        return notice
    if state.structured:
        return _went_on_structured(state)
    failed_in, end = state.last_step, state.end_step
    if failed_in is None or end is None or end.number <= failed_in.number:
        return ""
    if not end.name.startswith("Run ") or AFTER_FAILURE_STEP.search(end.name):
        return ""
    if not any(succeeded(line) for line in _output_after_last_marker(state.tail)):
        return ""
    return (
        f"the job went on into {end.name!r} and reported success after its last failure marker "
        "(retried, or continue-on-error), and its log has no failing end"
    )


# Gradle's variant mismatch and its explanation a few lines under it ("Incompatible because this
# component declares a component for use during runtime, compatible with Java 17 and the consumer
# needed a component for use during runtime, compatible with Java 11").
_VARIANT = re.compile(r"No matching variant of \S+ was found")
_JAVA_MISMATCH = re.compile(
    r"compatible with Java (?P<needs>\d+) and the consumer needed .*compatible with Java (?P<has>\d+)"
)
_EXPLAINED_WITHIN = 200


def _jdk_explains(hit: Hit, state: JobState) -> bool:
    """Gradle's "No matching variant of X was found", explained under it (in the same step) by a
    component built for a newer Java than the consumer's: the JDK's version is the cause, and the
    JDK rule's hit on that explanation (45-langs) is left to say so."""
    if not _VARIANT.search(hit.text):
        return False
    return any(
        other.rule.type is not IssueType.DEPENDENCY_CONFLICT
        and not other.rule.advisory
        and other.step.number == hit.step.number
        and 0 < other.line - hit.line <= _EXPLAINED_WITHIN
        and _newer_java(other.text)
        for other in state.hits.values()
    )


def _newer_java(text: str) -> bool:
    m = _JAVA_MISMATCH.search(text)
    return m is not None and int(m.group("needs")) > int(m.group("has"))


def _went_on_unmarked(hit: Hit, state: JobState) -> bool:
    """A downloaded excerpt with no failure marker at all: a step that fails ends with the runner's
    `##[error]` line before the next step's header, so a hit followed by a later step that ran and
    reported success came from a tool that printed an error and went on (reviewdog/action-rubocop
    #10, 10up/wp-scanner-action #11)."""
    end = state.end_step
    if state.verdict_from != "excerpt" or not state.has_tags or state.exit_codes or end is None:
        return False
    if end.number == hit.step.number and any(
        node_action_exit(line) == 0 for line in _last_step_output(state.tail)
    ):
        return True  # the JavaScript action that printed it exited 0
    if end.number <= hit.step.number or not end.name.startswith("Run "):
        return False
    return any(succeeded(line) for line in _last_step_output(state.tail))


def _last_step_output(tail: bytes) -> list[str]:
    """What the last step printed after its header (its script's `echo "done"` is not output)."""
    lines = tail_lines(tail)
    start = max((i for i, line in enumerate(lines) if line.startswith("##[group]Run ")), default=-1)
    if start < 0:
        return []
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("##[endgroup]"):
            return lines[i + 1 :]
    return []


_SWALLOWED_WHY = "cleared: its command's exit status was thrown away (|| true)"
_LOGGED_WHY = "cleared: the tool only logged it and its step did not fail"


def _restore_uninstalled(state: JobState) -> None:
    """An install whose failure the job went past (`|| true`, `continue-on-error`) is no cause by
    itself, but it is when a tool or module it would have provided is missing later in the job."""
    left = [h for i, h in state.hits.items() if not h.rule.advisory and i not in state.cleared]
    for i, hit in list(state.hits.items()):
        # A line counted only where the runner's error follows it (failure-follows) went on too.
        logged = _LOGGED_WHY if "failure-follows" in hit.rule.checks else UNMARKED
        if state.cleared.get(i) in (UNMARKED, _SWALLOWED_WHY, logged) and any(
            left_uninstalled(hit, later) and hit.line < later.line for later in left
        ):
            del state.cleared[i]


def _logged_line_for_all(state: JobState) -> None:
    """A line its most specific rule knows the tool only logged is no cause for a broader rule either
    (actions-rs/clippy-check's "Unable to create clippy annotations! Reason: HttpError: Resource not
    accessible by integration" on a fork, then clippy's output and a green step: unicode-org/icu4x
    PR #161)."""
    logged = {h.line: i for i, h in state.hits.items() if state.cleared.get(i) == _LOGGED_WHY}
    for index, hit in state.hits.items():
        if index not in state.cleared and logged.get(hit.line, index) < index:
            state.cleared[index] = _LOGGED_WHY


def _logged_exception(hit: Hit) -> bool:
    return exception_went_on(hit) or logged_with_stack(hit)


# What clears a hit by its own lines, in the order they are tried, with the reason `--explain` shows.
_CLEARED_BY: tuple[tuple[Callable[[Hit], bool], str], ...] = (
    (retried, "cleared: the tool retried after it and then succeeded"),
    (service_came_up, "cleared: the service it could not reach came up after it"),
    (swallowed, _SWALLOWED_WHY),
    (under_passes_banner, "cleared: pytest printed it under PASSES (-rP), a passing test's output"),
    (npm_view_probe, "cleared: npm view's answer for a version not published yet (a probe)"),
    (method_fell_back, "cleared: the set-up action went on to its next install method"),
    (optional_build_skipped, "cleared: the optional dependency whose build failed was skipped"),
    (results_post_failed_open, "cleared: the action warned that it gave up posting and went on"),
    (lookup_left_to_verify, "cleared: the action left the lookup to verify by hand and went on"),
    (tests_reported_below, "cleared: the reporter then failed its step on the tests it reported"),
    (lifecycle_script_done, "cleared: pnpm's install script that printed it then passed (Done)"),
    (rate_limit_body_below, "cleared: the GithubException at or below it names a rate limit"),
    (no_electron_near, "cleared: no Electron or VS Code line near the futex abort"),
    (reported_only, _LOGGED_WHY),
    (linter_tallied_none, "cleared: the linter that relayed it tallied 0 failed checks"),
    (bundler_warning, "cleared: the bundler printed it as a warning and went on"),
    (build_went_on, "cleared: a library logged it and the build still succeeded"),
    (julia_own_code, "cleared: Julia raised it in the project's code, not a package's"),
    (_logged_exception, "cleared: a logged exception, not one that ended its step"),
    (tool_assertion, "cleared: an installed tool's own assert failed, not a test"),
    (not_plugin_raised, "cleared: no pytest plugin's own code raised the INTERNALERROR"),
    (no_checkout_fallback, "cleared: no checkout fell back to the REST API above it"),
    (no_pandoc_fallback, "cleared: knitr did not fall back for want of pandoc above it"),
    (setuptools_not_tried, "cleared: no failed setuptools import is chained just above it"),
    (r_check_passed_tests, "cleared: R CMD check above it passed the tests (check OK)"),
    (no_vagrant_download, "cleared: no Vagrant box download failed above it"),
    (page_not_run, "cleared: no interpreter ran the 404 page as a script above it"),
    (stub_not_top_frame, "cleared: the stub is not the exception's top frame (a task's own throw)"),
    (not_under_script_tree, "cleared: not under a build script's failure (a plugin's or a test's)"),
    (not_a_missing_reporter, "cleared: no Jest reporter it could not resolve above it"),
    (project_file_below, "cleared: the file Jest could not parse is the project's own"),
    (warned_only, "cleared: the tool printed it as a warning and went on"),
    (no_numbered_block, "cleared: no numbered failure block follows the header"),
    (shell_word_as_program, "cleared: the missing program is a shell keyword or a prose word"),
    (passphrase_unused, "cleared: a blank passphrase no gpg, signing or decrypting line used"),
    (loopback_cause, "cleared: its cause below is a server on this machine, not the network"),
    (loopback_answered, "cleared: a server on this machine answered the status, not the network"),
    (flutter_ran_pub, "cleared: flutter itself ran pub, so the Flutter SDK is installed"),
    (token_request_sent, "cleared: the id-token request was sent and failed on its own"),
    (no_harness_run, "cleared: no cargo line ran a test or bench harness above it"),
    (not_frail, "cleared: remark reported warnings without --frail, which do not fail it"),
    (printed_in_a_step, "cleared: a step printed it, not the runner setting up the job"),
    (engine_not_warned, "cleared: npm warned of no engine mismatch for that package"),
    (rejection_went_on, "cleared: Node only warned about the rejection; setFailed was not called"),
    (announced_went_on, "cleared: the action warned it and said the job will continue"),
    (panic_expected, "cleared: the test whose thread panicked passed (should_panic)"),
    (printed_by_passing_test, "cleared: a test printed it and its runner then marked it passed"),
    (passed_on_retry, "cleared: its runner retried the test and it passed (flaky)"),
    (finished_after_slow, "cleared: the test its runner reported as slow then passed"),
    *NARROWED_BY,
)


def _cleared_why(hit: Hit, state: JobState) -> str | None:
    """Why a later line (or the job) cleared this hit, or None."""
    if hit.rule.type is IssueType.DEPENDENCY_CONFLICT and _jdk_explains(hit, state):
        return "cleared: Gradle says the variant needs a newer Java"
    for cleared, why in _CLEARED_BY:
        if cleared(hit):
            return why
    if not state.structured and build_ended_green(hit):
        return "cleared: the build that printed it ended BUILD SUCCESSFUL"
    if _went_on_unmarked(hit, state):
        return (
            "cleared: a later ordinary step ran and reported success, and the log has no "
            "failure marker"
        )
    return None


def settle(state: JobState) -> None:
    """Clear the hits a later success cleared and, when nothing failing is left, the job's failure."""
    for index, hit in state.hits.items():
        if hit.rule.advisory or index in state.cleared:
            continue
        why = _cleared_why(hit, state)
        if why:
            state.cleared[index] = why
    _logged_line_for_all(state)
    stronger_cause_below(state)
    prose_behind_missing_tool(state)
    failing_step_first(state)
    passed_run_step_errors(state)
    after_failed_step(state)
    _restore_uninstalled(state)
    if not state.failed and state.verdict is None and (state.has_tags or state.structured):
        crash_ended_job(state, UNMARKED)
    if not state.failed or state.verdict == "failure":
        return  # the API's word that the job failed stands; only its cause is left to find
    page = page_conclusion(state) if state.verdict is None else None
    if page == "success":
        # A paste from the run page whose job header says it passed: its error lines were from
        # a step that may fail (continue-on-error) or a tool that only reported.
        state.failed, state.cleared_job = False, "the pasted run page's job header says succeeded"
        return
    why = _failure_cleared(state)
    left = [i for i, h in state.hits.items() if not h.rule.advisory and i not in state.cleared]
    # A step that exited non-zero before the lines an `if: always()` step printed is a failure.
    after_failed = AFTER_FAILED_WHY in state.cleared.values()
    if (
        not why
        and not left
        and not after_failed
        and not (state.structured and state.has_tags)
        and page != "failure"
    ):
        # An excerpt's error lines, or a failure marker that is itself a line the tool retried past
        # (the web page shows `##[error]` as `Error: `; a whole job copied from it has no tags).
        last_cleared = max((state.hits[i].line for i in state.cleared), default=0)
        if state.verdict_from == "excerpt" or last_cleared >= state.last_line_no > 0:
            why = "every error line was cleared by a later success"
        elif marker_printed_by_passing_test(state):
            why = "its only failure line was printed by a test that its runner then marked passed"
    if why:
        state.failed, state.cleared_job = False, why
