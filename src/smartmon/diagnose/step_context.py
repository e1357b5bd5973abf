"""Hits that the lines around them in their step explain away: the reporter went on to fail on the
tests it reported, pnpm's install script that printed it then passed, the 403 was a rate limit after
all, glibc's futex abort came from no Electron (each a rule's `checks:` name, rules/entries.py); a
JVM build that ended green, a should_panic test that passed. `settle` clears them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER


def _same_step(hit: Hit, window: int = 20) -> Iterator[str]:
    """The lines below the hit, up to `window` of them, until the next step's header."""
    for line in hit.after[:window]:
        if STEP_HEADER.match(line):
            return
        yield line


# mikepenz/action-junit-report's check run is refused, and with fail_on_failure it then fails the
# step on the tests it read: "##[error]❌ Tests reported 1 failures" (src/main.ts). The step failed on
# its tests, not on the token: the test rule (60-tests) reads that line.
_TESTS_REPORTED = re.compile(r"^\s*(?:##\[error\]|Error: )?❌ Tests reported [1-9]\d* failures?\b")


def tests_reported_below(hit: Hit) -> bool:
    """The reporter that printed the hit then failed its step on the failed tests it reported."""
    return "tests-reported-below" in hit.rule.checks and any(
        _TESTS_REPORTED.match(line) for line in _same_step(hit)
    )


# pnpm's streamed lifecycle output puts "<package> <stage>: " in front of each line a script prints
# (a path in node_modules/.pnpm or the bare name, "." for the project's own), and ends a script that
# passed with "<prefix>: Done", one that failed with "<prefix>: Failed" (pnpm/pnpm cli/default-
# reporter reportLifecycleScripts.ts). `is-ci || husky install` prints "sh: 1: is-ci: not found"
# and then passes: the missing program was a probe.
_LIFECYCLE_PREFIX = re.compile(
    r"^(?P<prefix>(?:\S*/)?(?P<name>(?:@[\w.-]+/)?[\w.-]+) (?P<stage>[A-Za-z][\w:-]*)): "
)


def lifecycle_script_done(hit: Hit) -> bool:
    """pnpm's install script that printed the hit then said `<prefix>: Done` (it passed)."""
    if "lifecycle-done-below" not in hit.rule.checks:
        return False
    m = _LIFECYCLE_PREFIX.match(hit.text)
    if not m:
        return False
    done = re.compile(
        r"^(?:\S*/)?" + re.escape(f"{m.group('name')} {m.group('stage')}") + r": Done\s*$"
    )
    for line in _same_step(hit):
        if done.match(line):
            return True
        if line.startswith(f"{m.group('prefix')}: Failed"):
            return False
    return False


# PyGithub's GithubRetry and publish-unit-test-result-action's copy of it (v2.7.0 and older) know
# only some of GitHub's rate-limit wordings: for the others they log "Response message does not
# indicate retry-able error" and raise, and the exception's body a few lines below says it was a
# rate limit ("GithubException: 403 {"message": "You have exceeded a secondary rate limit …"}"):
# the rate-limit rule (80-network) reads that line, not a 403 rule.
_RATE_LIMIT_BODY = re.compile(
    r"GithubException\b.*(?:secondary rate limit|rate limit exceeded)", re.IGNORECASE
)


def rate_limit_body_below(hit: Hit) -> bool:
    """The GithubException on the hit's line, or raised a few lines below it, names a rate limit."""
    return "rate-limit-body-below" in hit.rule.checks and any(
        _RATE_LIMIT_BODY.search(line) for line in (hit.text, *_same_step(hit, 8))
    )


# glibc's futex abort is Electron's with no display only where Electron or VS Code's test runner is
# in sight: run on into vscode-test's "Exit code:" or the shell's "Aborted … electron-mocha", or a
# line near it that names Electron, vscode-test's "Exit code:   SIGABRT" or its "Downloading VS
# Code". rustc (rust-lang/rust #93228), QEMU user emulation and gVisor abort with the same words.
_ELECTRON = re.compile(
    r"\belectron\b|Exit code:\s+(?:SIGABRT|null)|Download(?:ing|ed) VS Code\b|vscode-test\b",
    re.IGNORECASE,
)


def no_electron_near(hit: Hit) -> bool:
    """The futex abort with nothing around it in its step that names Electron or VS Code."""
    if "electron-near" not in hit.rule.checks:
        return False
    above: list[str] = []
    for line in reversed(hit.before[-12:]):
        if STEP_HEADER.match(line):
            break
        above.append(line)
    return not any(_ELECTRON.search(line) for line in (hit.text, *above, *_same_step(hit, 6)))
