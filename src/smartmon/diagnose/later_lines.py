"""Rule hits whose own step says they are no cause: a line further on (or the step itself) shows the
tool went on, printed the real failure, or was not the tool the line's shape suggests.

Each function but the JVM build's end answers for the rule's `checks:` name (diagnose/rules CHECKS)
and is tried by `settle`; a rule without that name is never cleared by it.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_below, up_to_header
from smartmon.diagnose.logs import STEP_HEADER

# Flutter's bin/internal/shared.sh retries its own `pub upgrade` of flutter_tools ("Unable to 'pub
# upgrade' flutter tool. Retrying in five seconds... (9 tries left)"), and a solve that then fails
# for the project names the project, not flutter_tools.
_PUB_RETRY = re.compile(r"Unable to 'pub upgrade' flutter tool\. Retrying")
_SOLVE_FAILED = re.compile(r"version solving failed\.")


def pub_retried(hit: Hit) -> bool:
    """`pub-retried-below`: flutter_tools' pin line followed by Flutter's retry or another solve."""
    if "pub-retried-below" not in hit.rule.checks:
        return False
    for line in step_below(hit):
        if _PUB_RETRY.search(line):
            return True
        if _SOLVE_FAILED.search(line) and "flutter_tools" not in line:
            return True
    return False


# helm lint's tally (pkg/action/lint.go via cmd/helm/lint.go): "1 chart(s) linted, 0 chart(s) failed".
_HELM_PASSED = re.compile(r"^\s*\d+ chart\(s\) linted, 0 chart\(s\) failed")


def helm_lint_passed(hit: Hit) -> bool:
    """`lint-passed-below`: helm lint's own tally below the warning says no chart failed."""
    if "lint-passed-below" not in hit.rule.checks:
        return False
    return any(_HELM_PASSED.match(line) for line in step_below(hit))


# Zig prints a compile step's errors under its step tree: placed ("src/main.zig:3:5: error: …") for
# the code, placeless ("error: unable to find dynamic system library 'ssl' …", "error: ld.lld:
# undefined symbol: …") for the link and the system libraries. Its own closing "error: the following
# command failed with N compilation errors:" says neither.
_PLACED_ERROR = re.compile(r"^\s*\S+:\d+:\d+: error: ")
_PLACELESS_ERROR = re.compile(r"^\s*error: (?!the following command failed\b)")


def placeless_error_below(hit: Hit) -> bool:
    """`placeless-error-below`: the first error under Zig's tree line has no place in the code."""
    if "placeless-error-below" not in hit.rule.checks:
        return False
    for line in step_below(hit):
        if _PLACED_ERROR.match(line):
            return False
        if _PLACELESS_ERROR.match(line):
            return True
    return False


# golangci-lint's place for a bare annotation row: the file on the row below ("internal/x_test.go:519")
# or the run page's "Check failure on line 4 in pkg/x.go" above; or golangci-lint in the step.
_GO_PLACE_BELOW = re.compile(r"^\s*\S+\.go:\d+(?::\d+)?\s*$")
_CHECK_FAILURE = re.compile(r"^\s*Check failure on line \d+\b")


def not_golangci(hit: Hit) -> bool:
    """`golangci-context`: no file row below, no "Check failure" row just above, and no golangci-lint
    (the binary or its action) in the hit's step."""
    if "golangci-context" not in hit.rule.checks:
        return False
    if hit.after and _GO_PLACE_BELOW.match(hit.after[0]):
        return False
    if any(_CHECK_FAILURE.match(line) for line in hit.before[-3:]):
        return False
    if "golangci" in hit.step.name.lower():
        return False
    return not any("golangci" in line.lower() for line in up_to_header(hit.before))


def circular_wrap_below(hit: Hit) -> bool:
    """`circular-wrap-below`: "cannot import name 'X' from" whose wrapped rest below is "partially
    initialized module 'm' (most likely due to a circular import)"."""
    if "circular-wrap-below" not in hit.rule.checks:
        return False
    return bool(hit.after) and hit.after[0].lstrip().startswith("partially initialized module")


# A JVM build that ended green after the hit: Gradle's test-retry plugin reruns a failed test and, when
# the rerun passes, the build says "BUILD SUCCESSFUL" under the first attempt's "FAILED" row and its
# exception ("2 tests completed, 1 failed" stays in the tally; gradle/test-retry-gradle-plugin #65,
# #205); Maven's "BUILD SUCCESS" likewise, and Ant's. A "BUILD FAILED" first is the build failing.
# Only for a paste: in a whole log the step's own end says it, and a build that ignored its test
# failures (-Dmaven.test.failure.ignore) may leave them to a later step that fails on the report.
_JVM_BUILD_END = re.compile(
    r"(?:^|[\s\]])(?:(?P<ok>BUILD SUCCESS(?:FUL)?\b)|BUILD FAIL(?:URE|ED)\b)|FAILURE: Build failed"
)


def build_ended_green(hit: Hit) -> bool:
    """The Gradle, Maven or Ant build that printed the hit ended with BUILD SUCCESS(FUL)."""
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")) or STEP_HEADER.match(line):
            return False
        m = _JVM_BUILD_END.search(line)
        if m:
            return m.group("ok") is not None
    return False


# git's 408 is a request timeout worth a re-run on a fetch or clone; on a push it is as often the pack
# upload the server gave up on (too large for one request: http.postBuffer, fewer commits a push),
# which a re-run meets again. git's send-pack names the push just below ("send-pack: unexpected
# disconnect while reading sideband packet"); a script's `git push` above it says the same.
_HTTP_408 = re.compile(r"\b(?:HTTP 408|returned error: 408)\b")
_SEND_PACK = re.compile(r"^\s*send-pack: ")
_GIT_PUSH = re.compile(r"\bgit (?:-C \S+ )?push\b")


def push_timeout(hit: Hit) -> bool:
    """`timeout-not-push`: git's HTTP 408 where the step was pushing (send-pack below, or a
    `git push` above in its step)."""
    if "timeout-not-push" not in hit.rule.checks or not _HTTP_408.search(hit.text):
        return False
    if any(_SEND_PACK.match(line) for line in list(step_below(hit))[:5]):
        return True
    # Only what the step printed: its header's group echoes the whole script, where a later
    # `git push` says nothing about this fetch (review rev54); a paste has no group to tell by.
    printed: list[str] = []  # nearest first, down to the header group's end
    for line in up_to_header(hit.before):
        if line.startswith("##[endgroup]"):
            return any(_GIT_PUSH.search(out) for out in printed)
        printed.append(line)
    return False
