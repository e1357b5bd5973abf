"""A summary that says its run passed is a failure only where the step's exit line comes next.

`swift test` runs the XCTest tests first and Swift Testing's after them (migueldeicaza/SwiftGodot PR
#598; swiftlang/swift-package-manager #8529), and Swift Testing's closing summary "✔ Test run with 500
tests in 39 suites passed after 11.687 seconds." counts only its own @Test functions (swift-testing's
Event.HumanReadableOutputRecorder): an XCTest failure above it still fails the command, which then
exits 1 under the passing summary. Where the runner's "Process completed with exit code N." is the
very next line, nothing after the summary failed, so the tests did; anything printed between them is
another command's. Where the step shows XCTest's own summary passing above it ("Test Suite 'All
tests' passed at …", "Executed 20 tests, with 0 failures"), both runs passed and what exited 1 is
another command's with no output (`swift test && swift build …`), not the tests.

Two looser forms for lines that end a command on their own: `exit-or-paste-end` also counts a paste
that stops at the line (nothing printed after it) and docker's own failure lines just below it (a
`RUN` in a docker build fails the build, not the runner: BuildKit's "ERROR: process … did not
complete successfully", the classic builder's "The command '/bin/sh -c …' returned a non-zero code");
`git-lines-to-exit` lets git's own lines around a refused push (`hint:`, `To …`, ` ! […]`, `error:`,
`remote:`) sit between the line and the exit line (or a wrapper's report of git's exit code) or the
paste's end.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_above

_EXIT_LINE = re.compile(r"^(?:##\[error\]|Error: )Process completed with exit code [1-9]\d*\.?\s*$")
_XCTEST_PASSED = re.compile(
    r"Test Suite 'All tests' passed\b|\bExecuted \d+ tests?, with 0 failures\b"
)


def exit_not_next(hit: Hit) -> bool:
    """A rule with `checks: [runner-exit-next]` whose next printed line is not the runner's exit
    line for a failed step, or whose step shows XCTest's summary passing above it."""
    if "runner-exit-next" not in hit.rule.checks:
        return False
    following = _first_printed(hit.after) or ""
    return not _EXIT_LINE.match(following) or any(
        _XCTEST_PASSED.search(line) for line in step_above(hit)
    )


# Docker's own lines for a failed RUN, just below the command's last output.
_DOCKER_FAILED = re.compile(
    r"^#\d+ ERROR:|^ERROR: (?:process \"|failed to solve)|^-{6}\s*$"
    r"|^The command '.*' returned a non-zero code: \d+"
    r"|^(?:##\[error\]|Error: )buildx failed with"
)
# git's own lines around a refused push ("To <remote>", " ! [rejected] …", hints, remote's words), and
# the second line of setup.c's "not a git repository (or any parent up to mount point %s)" message.
_GIT_OWN = re.compile(
    r"^(?:hint:|To \S|! |error:|remote:|fatal:"
    r"|Stopping at filesystem boundary \(GIT_DISCOVERY_ACROSS_FILESYSTEM not set\))"
)
# What ends a refused push besides the runner's exit line: a wrapper's report of git's exit
# (@actions/exec's "The process '/usr/bin/git' failed with exit code 1", actions-js/push's "Invalid
# status code: 1", npm's "npm error code 1" for a `git push` in a script), and the runner's own line
# for an action whose process exited: a Docker action's "##[error]Docker run failed with exit code
# 128" (git's 128 as the container's entrypoint exit, rickstaa/action-create-tag without a checkout)
# and, from older runners, a JavaScript action's "##[error]Node run failed with exit code 1"
# (actions/create-release #36; today's runner only debug-logs both, ContainerActionHandler.cs and
# NodeScriptActionHandler.cs).
_GIT_EXIT = re.compile(
    r"^(?:##\[error\]|Error: )(?:The process '[^']*git(?:\.exe)?' failed with exit code \d+"
    r"|Invalid (?:status|exit) code: \d+)|^npm (?:ERR!|error) code \d+\s*$"
    r"|^(?:##\[error\]|\[error\]|Error: )?(?:Docker|Node) run failed with exit code \d+\.?\s*$"
)


def _first_printed(after: tuple[str, ...]) -> str | None:
    """The first non-blank line below the hit, or None when nothing is printed after it."""
    return next((line.strip() for line in after if line.strip()), None)


def not_exit_or_paste_end(hit: Hit) -> bool:
    """`exit-or-paste-end`: another line than the runner's exit line or docker's failure lines
    comes next (a paste that stops at the hit keeps it)."""
    if "exit-or-paste-end" not in hit.rule.checks:
        return False
    following = _first_printed(hit.after)
    if following is None:
        return False
    return not (_EXIT_LINE.match(following) or _DOCKER_FAILED.match(following))


def not_git_lines_to_exit(hit: Hit) -> bool:
    """`git-lines-to-exit`: something other than git's own lines sits between the hit and the
    runner's exit line (or the end of a paste)."""
    if "git-lines-to-exit" not in hit.rule.checks:
        return False
    for raw in hit.after:
        line = raw.strip()
        if not line or _GIT_OWN.match(line):
            continue
        return not (_EXIT_LINE.match(line) or _GIT_EXIT.match(line))
    return False
