"""A JavaScript error line with V8's stack frames under it: a crash that ended its process, or an
error an action caught, logged and went on past.

Node prints an uncaught error as its own line at the margin ("TypeError: Cannot read properties of
undefined (reading 'split')", "WebExtError: The extension could not be signed") with the frames
under it, each "    at fn (file:line:col)" (V8's Error.stack format), sometimes the error's own
properties in braces, then exits 1: npm or yarn relay the exit ("npm ERR! code ELIFECYCLE", "error
Command failed with exit code 1."), Node 18+ prints its version ("Node.js v18.17.0"), the runner its
failure line. Python's tracebacks put their frames above the line instead, so the check that clears a
logged Python exception (`traceback_end.exception_went_on`) asks `node_crash` first. A program that
logs an error and goes on prints something else at the margin after the frames.

Actions built on @actions/toolkit that treat a failure as optional log the whole error object with
`core.error` and carry on: Swatinem/rust-cache's restore, run where no Cargo.toml is, prints "Error:
The process '/home/runner/.cargo/bin/cargo' failed with exit code 101" then its stack ("    at
ExecState._setResult (/home/runner/work/_actions/Swatinem/rust-cache/v2/dist/restore/index.js:7784:25)")
and a `commandFailed: {…}` dump, and the job goes on into its next step (actions-rust-lang/
setup-rust-toolchain PR #29). An action that fails its step prints the message alone (`setFailed`),
and a failed step is followed only by cleanup steps. So an error line whose next line is a frame inside
an action's own code, followed by an ordinary step before any other error line, did not end its step
(`logged_with_stack`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.diagnose.retries import AFTER_FAILURE_STEP

# V8's frame line: "    at fn (/path/x.js:1:2)", "    at /path/x.js:1:2", "    at async Program.execute
# (file:///…)", "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)".
V8_FRAME = re.compile(r"^\s+at \S")
# A frame inside an action's own code: "    at ExecState._setResult (/home/runner/work/_actions/…".
_ACTION_FRAME = re.compile(
    r"^\s*at (?:.+ \()?(?:[A-Za-z]:)?\S*[/\\]_actions[/\\][\w.-]+[/\\][\w.-]+[/\\]"
)
# What ends a crash's output: a relaying wrapper's failure line, Node's version, the runner's line.
_CRASH_END = re.compile(
    r"^(?:Node\.js v\d+|npm (?:ERR!|error) |error Command failed|\s*ELIFECYCLE|##\[error\]"
    r"|Error: Process completed with exit code|make(?:\[\d+\])?: \*\*\*|\s*\[?ERR_PNPM_)"
)
_ERROR_LINE = re.compile(r"^(?:##\[error\]|Error: )|Process completed with exit code")
# What a person put in a paste for the lines they left out: "...", "....", "…", "[...]".
_ELISION = re.compile(r"^\s*(?:\.{3,}|…|\[(?:\.{3}|…)\])\s*$")
# Node prints an uncaught error under the place it was thrown, a line only a crash has: the file and
# line ("/home/runner/work/_actions/acme/notify/main/dist/index.js:5909"), the source line, a caret
# under the column, a blank line, then "TypeError: …" and its frames (nhevia/discord-styled-releases
# #9; "file:///home/runner/work/app/app/scripts/build.mjs:12" for an ES module).
_THROWN_AT = re.compile(r"^(?:file://)?(?:[A-Za-z]:)?[/\\][^\s:]*\.[cm]?[jt]sx?:\d+\s*$")
_CARET = re.compile(r"^\s*\^+\s*$")


def node_crash(hit: Hit) -> bool:
    """The hit's line is followed by V8 stack frames, and nothing after them says the program went
    on: a paste that ends there, or a wrapper's or the runner's failure line."""
    after = hit.after
    if not after or not V8_FRAME.match(after[0]):
        return False
    if _thrown_at(hit.before):
        return True
    for line in after[1:]:
        if not line.strip() or line.startswith((" ", "\t", "}")) or _ELISION.match(line):
            continue  # more frames, the error's properties ("  code: 'ENOENT'"), their brace
        return _CRASH_END.match(line) is not None
    return True


def _thrown_at(before: tuple[str, ...]) -> bool:
    """Node's uncaught-error header just above the error line: file:line, source, caret."""
    lines = [t for t in before[-5:] if t.strip()]
    return len(lines) >= 3 and bool(_CARET.match(lines[-1])) and bool(_THROWN_AT.match(lines[-3]))


def logged_with_stack(hit: Hit) -> bool:
    """The hit is an action's caught error, its stack logged, and an ordinary step ran after it."""
    if not hit.text.startswith(("Error: ", "##[error]")) or not hit.after:
        return False
    if not _ACTION_FRAME.match(hit.after[0]):
        return False
    for line in hit.after[1:]:
        if _ERROR_LINE.search(line):
            return False
        if STEP_HEADER.match(line):
            return not AFTER_FAILURE_STEP.search(line)
    return False


# Node 12 and 14 only warn on a rejected promise nothing awaited, "(node:2452)
# UnhandledPromiseRejectionWarning: Error: Invalid status code: 128" and its frames, and an action
# that dropped one exits 0 (gautamkrishnar/blog-post-workflow #40: "The workflow succeeds";
# githubocto/repo-visualizer PR #32). @actions/core's setFailed sets `process.exitCode = 1` before it
# logs the message (actions/toolkit packages/core/src/core.ts), so a rejection thrown from inside it,
# "at Object.setFailed (…/dist/index.js:486:5)" or minified "at Object.n.setFailed (…)", failed its
# step: @actions/core before 1.2.4 could not print a non-string error (tanaka-takayoshi/
# nuget-publish-to-github-packages-action #2, andoshin11/typescript-error-reporter-action PR #8).
_SET_FAILED_FRAME = re.compile(r"^\s*at (?:[\w$.]+\.)?setFailed \(")


def rejection_went_on(hit: Hit) -> bool:
    """A rule with `checks: [set-failed-below]` whose frames do not pass through setFailed: an
    unhandled rejection Node only warned about."""
    if "set-failed-below" not in hit.rule.checks:
        return False
    for line in hit.after:
        if _SET_FAILED_FRAME.match(line):
            return False
        if not V8_FRAME.match(line):
            break
    return True


# An action that catches an error in its post step can say the job goes on and log the stack as
# info: gradle-build-action's (and setup-gradle's) post step warns "Unhandled error in Gradle
# post-action - job will continue: <error>" and prints the error's stack under it ("Warning: … - job
# will continue: Error: ENOENT: no such file or directory, realpath '…/kotlin-dsl/accessors/…'" over
# "Error: ENOENT: …", gradle/gradle-build-action #858, #814; "…: Error: Unable to find environment
# variable for $GITHUB_STEP_SUMMARY. …", #319; "…: SyntaxError: Unexpected token { in JSON at position
# 310" over "SyntaxError: …" and its frames, #441). Their cache cleanup warns the same way,
# "Cache cleanup failed. Will continue. <error>" (gradle/actions' caches.ts), which a paste can lose
# its "Warning:" for and split before the error ("Cache cleanup failed. Will continue." over "Error:
# The process '/usr/bin/gradle' failed with exit code 1", rsicarelli/fakt #75).
_WENT_ON_WARNING = re.compile(
    r"^(?:(?:##\[warning\]|Warning: ?)\s*.* - job will continue:\s*"
    r"|(?:##\[warning\]|Warning: ?)?\s*Cache cleanup failed\. Will continue\.(?: |$))"
    r"(?P<error>\S.*?)?\s*$"
)


def announced_went_on(hit: Hit) -> bool:
    """The hit is an action's "… - job will continue: <error>" warning, or that error logged under it."""
    if _WENT_ON_WARNING.match(hit.text):
        return True
    m = _WENT_ON_WARNING.match(hit.before[-1]) if hit.before else None
    if m is None:
        return False
    # A warning that ends at "will continue:" (a paste split it) announces the line under it.
    error = m.group("error")
    return error is None or hit.text.strip() == error


# Jest's "Jest encountered an unexpected token" wraps any SyntaxError it meets (jest-transform's
# enhanceUnexpectedTokenMessage): a dependency or an asset it left untransformed, or the project's
# own file that does not parse. Its "Details:" name the file, Babel's "SyntaxError: /…/src/utils.js:
# Unexpected token (12:4)" or the path alone on a line ("/…/node_modules/uuid/dist/esm-browser/
# index.js:1"). A file of the project's own, not under node_modules and no asset, is a syntax error.
_JEST_DETAIL_PATH = re.compile(
    r"^\s*(?:SyntaxError: )?(?P<path>(?:[A-Za-z]:)?[^\s:]*[\\/][^\s:]+\.[A-Za-z]+)(?::\d+|: )"
)
_DEPENDENCY_OR_ASSET = re.compile(
    r"[\\/]node_modules[\\/]|\.(?:css|s[ac]ss|less|styl|svg|png|jpe?g|gif|webp|woff2?)$"
)


def project_file_below(hit: Hit) -> bool:
    """A rule with `checks: [dependency-source-below]` whose Details name the project's own file."""
    if "dependency-source-below" not in hit.rule.checks:
        return False
    for line in hit.after:
        if line.lstrip().startswith("●"):
            return False
        m = _JEST_DETAIL_PATH.match(line)
        if m:
            return not _DEPENDENCY_OR_ASSET.search(m.group("path"))
    return False
