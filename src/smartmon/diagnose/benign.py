"""Hits a tool printed without failing on them: a passing test's captured output (pytest -rP), a
release script's probe (`npm view` of a version not published yet), a bundler's warning, a report
(codecov-cli's logged rejection, a scanner's table when its step went on), an installed tool's own
assert read as a test's, a pytest INTERNALERROR that no plugin's own code raised. `settle` clears them.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.diagnose.traceback_end import FRAME, TRACEBACK_HEAD
from smartmon.model import IssueType

_PYTEST_BANNER = re.compile(r"^=+ (?P<name>PASSES|FAILURES|ERRORS) =+\s*$")
_NPM_VIEW_404 = re.compile(r"^\s*npm (?:ERR!|error) 404 No match found for version ")
# codecov-cli's log line ("error - <time> -- ...") and the older uploader's
# ("[2024-05-01T10:00:00.000Z] ['error'] There was an error running the uploader: …").
_LOGGED_ERROR = re.compile(r"^\s*(?:error\s+- |\[[\d\-T:.Z]+\] \['error'\] )")


def under_passes_banner(hit: Hit) -> bool:
    """pytest -rP prints a passing test's captured output under "= PASSES =" with the same
    "____ test_name ____" header a failure has."""
    if hit.rule.type is not IssueType.TEST_FAILURE:
        return False
    for line in reversed(hit.before):
        m = _PYTEST_BANNER.match(line)
        if m:
            return m.group("name") == "PASSES"
    return False


def npm_view_probe(hit: Hit) -> bool:
    """`npm view pkg@version` answers E404 "No match found for version" for a version not published
    yet: a release script's probe, not a missing dependency (install says ETARGET instead)."""
    return "npm-view-probe" in hit.rule.checks and any(
        _NPM_VIEW_404.match(line) for line in (*hit.before[-8:], hit.text)
    )


# The Haskell set-up actions try apt first and ignore its exit code to fall back to ghcup or
# chocolatey, announcing each next method (haskell-actions/setup installer.ts: "// Ignore the return
# code so we can fall back to ghcup"): apt's "E: Unable to locate package ghc-8.10.3" over "Attempting
# to install ghc 8.10.3 using ghcup" was only the first try (haskell-servant/servant-auth PR #183;
# "404  Not Found" for cabal-install-3.4 over the same fallback, haskell/actions #43).
_NEXT_METHOD = re.compile(r"^\s*Attempting to install \S+ \S+ using (?:ghcup|chocolatey)\b")


def _below(hit: Hit, check: str, line_re: re.Pattern[str], window: int = 20) -> bool:
    """The rule asks for `check`, and a line within `window` lines below the hit matches `line_re`
    (a tool saying it went on past the hit, or the cause the hit's error names)."""
    return check in hit.rule.checks and any(line_re.match(line) for line in hit.after[:window])


def method_fell_back(hit: Hit) -> bool:
    """A set-up action's install method that failed, when the action then tried its next one."""
    return _below(hit, "method-fallback", _NEXT_METHOD, 12)


# scorecard-action v2.4.4 and later fail open: after its three tries it logs "::warning::Unable to
# POST scorecard results to webapp: <error>. If this issue persists, …" and the step exits 0
# (ossf/scorecard-action #1625, signing/signing.go ProcessSignature); the run page shows
# "Warning: …", a downloaded log "##[warning]…".
_POSTED_FAIL_OPEN = re.compile(
    r"^\s*(?:##\[warning\]|::warning::|Warning: )Unable to POST scorecard results to webapp\b"
)


def results_post_failed_open(hit: Hit) -> bool:
    """A refused results upload that the action then logged as a warning and went on from."""
    return _below(hit, "posted-fail-open", _POSTED_FAIL_OPEN)


# A package manager building an optional dependency's native addon goes on when the build fails:
# yarn 1 prints the build's whole output under "warning Error running install script for optional
# dependency: …" and then "info This module is OPTIONAL, you can safely ignore this error" (yarn's
# package-install-scripts, mscdex/cpu-features #1); npm 6 "npm WARN optional SKIPPING OPTIONAL
# DEPENDENCY: syspipe@0.1.4 install: `node-gyp rebuild`" (jpenalbae/r2-scripts #2). A setup.py with
# an optional C extension does the same: PyYAML's build_ext "Error compiling module, falling back to
# pure Python" (yaml/pyyaml setup.py), simplejson's and MarkupSafe's "WARNING: The C extension could
# not be compiled, speedups are not enabled." (simplejson/simplejson and pallets/markupsafe setup.py).
# The job's failure, if any, comes later.
_OPTIONAL_SKIPPED = re.compile(
    r"^\s*(?:info This module is OPTIONAL, you can safely ignore this error"
    # npm 6 names the failed build's script; its platform skips (fsevents on Linux) follow any
    # build's output and say nothing of it (review rev53)
    r"|npm WARN optional SKIPPING OPTIONAL DEPENDENCY: \S+@\S+ (?:pre|post)?install: `"
    r"|(?:WARNING: )?Error compiling module, falling back to pure Python"
    r"|(?:WARNING|Warning): The C extension could not be compiled, speedups are not enabled)"
)


def optional_build_skipped(hit: Hit) -> bool:
    """A native build's failure inside an optional dependency that the package manager skipped."""
    return _below(hit, "optional-build-skipped", _OPTIONAL_SKIPPED)


# webpack and the frameworks on it print an unresolved optional import as a warning and go on:
# Next.js "Compiled with warnings." (vercel/next.js #7621), "- warn Compiled with warnings"
# (diegomura/react-pdf #2290), "warn  - ./node_modules/node-fetch/lib/index.js" (wevm/wagmi #1432),
# " ⚠ Compiled with warnings" (14+); webpack "WARNING in ./node_modules/ws/lib/buffer-util.js"; old
# Next "> Emitted warnings from webpack". Then "Module not found: Can't resolve 'encoding' in …". The
# same line under "Failed to compile." or "ERROR in …" is the build's failure.
_BUNDLER_WARNING = re.compile(
    r"Compiled with warnings|^\s*(?:-\s+)?warn\s+(?:-\s+)?\S|^WARNING in \S|Emitted warnings from webpack"
)
_BUNDLER_ERROR = re.compile(
    r"Failed to compile|^ERROR in \S|^\s*(?:-\s+)?error\s+(?:-\s+)?\S|Build error occurred"
)


def bundler_warning(hit: Hit) -> bool:
    """A webpack "Module not found" printed under a warnings header, not under a failure."""
    if "bundler-warning" not in hit.rule.checks or "Module not found" not in hit.text:
        return False
    for line in reversed(hit.before):
        if _BUNDLER_ERROR.search(line):
            return False
        if _BUNDLER_WARNING.search(line):
            return True
        if STEP_HEADER.match(line):
            return False
    return False


def reported_only(hit: Hit) -> bool:
    """codecov-cli logs a rejected upload as "error - …"; with fail_ci_if_error false the action
    goes on and the step passes (the action prints an `Error:`/`##[error]` line when it fails).
    Scanners print their findings' tally and exit 0 without --exit-code (Trivy's table): a report
    when the next step's header follows without the runner's failure line."""
    checks = hit.rule.checks  # the rule's checks (diagnose/rules CHECKS)
    scanner = "reported-tally" in checks
    # A tally that counts infos and warnings too ("72 issues found.") is a failure only when the
    # runner's error line follows it; in a paste that stops there, it is only a report.
    strict = "failure-follows" in checks
    if (
        not scanner
        and not strict
        and ("logged-not-raised" not in checks or not _LOGGED_ERROR.match(hit.text))
    ):
        return False
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")):
            return False
        if STEP_HEADER.match(line):
            return True
    return strict or not scanner


# Lines a JVM build logs and goes on past: Testcontainers logs "ERROR … Could not find a valid Docker
# environment" even under @Testcontainers(disabledWithoutDocker = true), whose tests are then skipped
# (IT-Academy-BCN/ita-challenges-backend PR #1110); JaCoCo's check with haltOnFailure=false prints
# "[WARNING] Rule violated for bundle …" and does not fail. Either way the build ends green.
_BUILD_END = re.compile(
    r"(?:^|[\s\]])(?P<ok>BUILD SUCCESS(?:FUL)?\b)|(?:^|[\s\]])BUILD FAIL(?:URE|ED)\b|FAILURE: Build failed"
)


def build_went_on(hit: Hit) -> bool:
    """The build that printed the library's error line ended with BUILD SUCCESS(FUL)."""
    if "build-went-on" not in hit.rule.checks:
        return False
    for line in hit.after:
        m = _BUILD_END.search(line)
        if m:
            return m.group("ok") is not None
    return False


# cpp-linter (cpp-linter/cpp-linter-action) runs clang-tidy itself and, at debug verbosity, relays its
# output under "DEBUG:CPP Linter:Output from clang-tidy:" (rich's handler: "DEBUG    CPP Linter:
# Output from clang-tidy:"); it counts only the checks it could read, logs "0 clang-tidy-checks-failed"
# / "0 checks-failed" (rest_api set_exit_code) and the step passes. A header clang-tidy could not
# find ("error: 'x.h' file not found [clang-diagnostic-error]") is no check: the run went green
# (cpp-linter/cpp-linter #38, before compiler errors were counted).
_CPP_LINTER_RELAY = re.compile(r"CPP Linter: ?(?:Output from clang-tidy:|Running \"clang-tidy)")
_CPP_LINTER_TALLY = re.compile(r"CPP Linter: ?(?P<n>\d+) checks-failed\s*$")


def linter_tallied_none(hit: Hit) -> bool:
    """clang-tidy output cpp-linter relayed, then its own tally of 0 failed checks."""
    if not any(_CPP_LINTER_RELAY.search(line) for line in hit.before):
        return False
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")) or STEP_HEADER.match(line):
            return False
        m = _CPP_LINTER_TALLY.search(line)
        if m:
            return m.group("n") == "0"
    return False


# An installed package's frame: "site-packages" (pip, venvs, Windows' "Lib\\site-packages") or Debian's
# "dist-packages".
_INSTALLED_FRAME = re.compile(r'^\s+File "[^"]*[/\\](?:site|dist)-packages[/\\]', re.IGNORECASE)


# The bottom frame of a program run as a script ("File "…/build/doc/translator.py", line 2062, in
# <module>"); unittest and pytest start a test's report at the test, not at a module's top level. A
# test file's name or folder keeps it a test: test_x.py, x_test.py, a runner script (runtests.py,
# run_tests.py, selftest.py), conftest.py (but not latest.py or contest.py), a tests/, testing/ or
# testsuite/ folder, an examples/ script run as a check, and `python -c` / stdin ("<string>",
# "<stdin>"), a workflow's own assert.
_SCRIPT_FRAME = re.compile(r'^\s+File "[^"]+", line \d+, in <module>\s*$')
_TEST_PATH = re.compile(
    r"(?:^|[/\\])(?:tests?|testing|testsuite|examples?)[/\\]"
    r"|(?:^|[/\\_.-]|run|self|unit)tests?[^/\\]*\.py$|_test\.py$"
    r"|(?:^|[/\\])conftest\.py$|^<(?:string|stdin)>$",
    re.IGNORECASE,
)
# A test runner's tally just above the traceback (a runner script asserting on its own result after
# unittest's "Ran 2 tests in 0.001s", doctest's "***Test Failed*** 1 failures.", unittest's "FAILED
# (failures=1)"): the assert is the tests' verdict, whatever the script is called.
_RUNNER_TALLY = re.compile(
    r"^\s*(?:\*\*\*Test Failed\*\*\* \d+ failures?\.|FAILED \((?:failures|errors)=\d+|Ran \d+ tests? in )"
)
_TALLY_REACH = 4  # non-blank lines above "Traceback (most recent call last):"


def _tally_above(before: tuple[str, ...], head: int) -> bool:
    """A runner's tally among the few non-blank lines just above the traceback's head."""
    seen = 0
    for line in reversed(before[:head]):
        if not line.strip():
            continue
        if _RUNNER_TALLY.match(line):
            return True
        seen += 1
        if seen >= _TALLY_REACH or STEP_HEADER.match(line):
            return False
    return False


def tool_assertion(hit: Hit) -> bool:
    """A rule with `checks: [tool-assertion]` on a bare `AssertionError` whose traceback's last frame
    is inside an installed package: the tool asserted on its own state ("assert os.path.exists(…
    'pip.exe'))" in cibuildwheel's windows.py, pypa/cibuildwheel #244; nbclient's asserts without a
    message, jupyter/nbclient #324), not a test. A test's assert is in the project's files, and
    pytest marks its line "E   AssertionError". Nor is a script's own assert a test, in a traceback
    that starts at a non-test script's top level and passes no test file: doxygen's doc/translator.py
    generating language.dox (doxygen/doxygen #11444), docca.py writing Boost's reference
    (boostorg/docca #191), m.css's dox2html5.py (mosra/m.css #57)."""
    if "tool-assertion" not in hit.rule.checks or hit.text.strip() != "AssertionError":
        return False
    paths: list[str] = []
    bottom = ""
    for index in range(len(hit.before) - 1, -1, -1):
        line = hit.before[index]
        frame = FRAME.match(line)
        if frame:
            if not paths and _INSTALLED_FRAME.match(line):
                return True
            paths.append(frame.group("path"))
            bottom = line
        if TRACEBACK_HEAD.match(line):
            return (
                bool(paths)
                and _SCRIPT_FRAME.match(bottom) is not None
                and not any(_TEST_PATH.search(path) for path in paths)
                and not _tally_above(hit.before, index)
            )
    return False


# pytest prints a crash in its own machinery, a plugin's hook included, as "INTERNALERROR>" lines
# (xdist's relay adds "E"): the last frame names the file that raised. A plugin is an installed
# "pytest_<name>" package or module; a hook wrapper's frame ("result = yield") only passed it on.
_INTERNAL_FRAME = re.compile(r'^INTERNALERROR>\s+(?:E\s+)?File "(?P<path>[^"]+)", line \d+')
_PLUGIN_PATH = re.compile(
    r"[/\\](?:site|dist)-packages[/\\]pytest_\w+(?:[/\\]|\.py$)", re.IGNORECASE
)
_YIELDED = re.compile(r"^INTERNALERROR>\s+(?:E\s+)?(?:\w+ = )?yield\b")


def not_plugin_raised(hit: Hit) -> bool:
    """A rule with `checks: [plugin-frame-above]` whose INTERNALERROR traceback's last frame is not
    an installed pytest plugin's own code (pytest-github-actions-annotate-failures #67: its
    makereport hook reading `reprfileloc.lineno` of None after a release)."""
    if "plugin-frame-above" not in hit.rule.checks:
        return False
    source = ""
    for line in reversed(hit.before[-6:]):
        m = _INTERNAL_FRAME.match(line)
        if m:
            return not _PLUGIN_PATH.search(m.group("path")) or bool(_YIELDED.match(source))
        source = line
    return True


# A tool that reports a refused write as a warning and goes on: npm's "npm WARN logfile error creating
# log file Error: EROFS: …" (npm/cli #5183), matplotlib's "WARNING:matplotlib:mkdir -p failed for path
# …: [Errno 30] Read-only file system" before it falls back to a temporary folder. A tool may put its
# name first ("zk: warning: yaml: line 4: …", zk-org/zk #33) or log in logrus' fields ("level=warning
# msg=…", golangci-lint's config reader). Compose v2's progress puts the service first: " ! app
# Warning pull access denied for myapp, repository does not exist or may require 'docker login'" (it
# then builds the image; jajm/koha-docker #14, dunglas/symfony-docker #788).
_WARNING_LINE = re.compile(
    r"^\s*(?:npm WARN|WARNING\b|Warning\b|warning:|##\[warning\]|\[WARN|[\w.-]+: warning: "
    r"|!\s+[\w.-]+\s+Warning\b|.*\blevel=warn(?:ing)?\b)"
)


def warned_only(hit: Hit) -> bool:
    """A rule with `checks: [not-a-warning]` whose line is a warning the tool went on past."""
    return "not-a-warning" in hit.rule.checks and bool(_WARNING_LINE.match(hit.text))


# The "Failures:" header of RSpec, Jasmine, Hspec and Crystal is followed by numbered blocks ("  1)
# users API …"; Hspec puts the block's location first); a script's own "Failures:" over its list
# ("- protoc: download failed: HTTP 503") is no test runner's.
_FIRST_BLOCK = re.compile(r"^\s*1\) \S")


def no_numbered_block(hit: Hit) -> bool:
    """A rule with `checks: [numbered-block-below]` without "1) …" in the first lines below it."""
    if "numbered-block-below" not in hit.rule.checks:
        return False
    filled = [line for line in hit.after if line.strip()][:3]
    return not any(_FIRST_BLOCK.match(line) for line in filled)


# undici's "fetch failed" names its cause on a later line ("  [cause]: Error: connect ECONNREFUSED
# 127.0.0.1:3000"): a server of the job's own that was not up yet, not the network, which the
# connection rules leave out for loopback too.
_LOOPBACK_CAUSE = re.compile(r"^\s*\[cause\]:.*(?:\b127\.\d+\.\d+\.\d+|\blocalhost\b|\[?::1\]?:\d)")


def loopback_cause(hit: Hit) -> bool:
    """A rule with `checks: [loopback-cause-below]` whose error's cause below is this machine."""
    return _below(hit, "loopback-cause-below", _LOOPBACK_CAUSE, 12)


# RSpec loads rails_helper with each spec file, and `maintain_test_schema!` there connects first: a
# spec that "did not load" over "PG::ConnectionBad:" / "  could not connect to server: No such file
# or directory" (Harmon758/postgresql-action #4, a server in a container read over the Unix socket)
# failed for want of its database, which the connection rule (80-network) reads from the lines below.
_CONNECTION_CAUSE = re.compile(
    r"^\s*(?:#\s+)?(?:could not connect to server: (?:Connection refused|No such file or directory)"
    r'|connection to server (?:at "[^"]*"(?: \([^)]*\))?, port \d+|on socket "[^"]*") failed: '
    r"(?:Connection refused|No such file or directory)"
    r"|(?:Mysql2::Error::ConnectionError: )?Can't connect to (?:local )?(?:MySQL )?server (?:on|through) "
    r"|Error connecting to Redis on \S+ \(Errno::ECONNREFUSED\)"
    # Rails 7's wrapper when the driver's message names the configured host (postgresql_adapter.rb)
    r"|There is an issue connecting with your hostname: \S"
    # redis-client's "RedisClient::CannotConnectError:" over its reason
    r"|Connection refused - connect\(2\) for \S+:\d+)"
)


def connection_cause(hit: Hit) -> bool:
    """A rule with `checks: [connection-cause-below]` whose error below is a refused database."""
    return _below(hit, "connection-cause-below", _CONNECTION_CAUSE)


# Azure/login and OctopusDeploy/login say "please make sure to give write permissions to id-token" in
# the catch around any failed getIDToken(). @actions/core sends its token request only where the
# runner gave the job ACTIONS_ID_TOKEN_REQUEST_URL, that is where the permission is granted, and words
# that request's failure "Failed to get ID Token. … Error Code : 500"; with no answer at all its
# message itself throws "Cannot read properties of undefined (reading 'message')" (Azure/login #302,
# #477, where id-token was already write); Entra ID's own refusal names an AADSTS code.
_TOKEN_REQUEST_SENT = re.compile(
    r"Failed to get ID Token|Error Code : \d{3}|Cannot read properties of undefined \(reading "
    r"'message'\)|\bAADSTS\d+"
)


def token_request_sent(hit: Hit) -> bool:
    """A rule with `checks: [id-token-request-not-sent]` whose hint about id-token comes with the
    token request's own failure (sent, so the permission was there), on its line or just below."""
    if "id-token-request-not-sent" not in hit.rule.checks or "ACTIONS_ID_TOKEN_REQUEST" in hit.text:
        return False
    return any(_TOKEN_REQUEST_SENT.search(line) for line in (hit.text, *hit.after[:6]))
