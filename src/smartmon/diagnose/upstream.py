"""Which earlier failure explains the cause: what an install that failed first leaves behind.

A tool never installed, a module missing, a test or lint run that needed them: when a download or a
resolver failed before it, that earlier failure is the cause to report (issue 12, item 9). A tool's
own banner over the problems it lists, and a service the job should have started itself, are not.
"""

from __future__ import annotations

import re

from smartmon.diagnose.fill_ins import continued_env_var, first_unset_variable, listed_env_var
from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STAMP_PREFIX
from smartmon.model import IssueType

# What a failed install leaves behind, and the failures that can leave it: a tool never installed
# (the download failed, or npm's resolver gave up first), a module missing for the same reasons, the
# package pip found no version of ("from versions: none" after its retries), the test or lint run
# that needed it (issue 12, item 9: a lint job that failed because a download failed).
LEFT_BEHIND: dict[IssueType, frozenset[IssueType]] = {
    IssueType.MISSING_TOOL: frozenset({IssueType.NETWORK_ERROR, IssueType.DEPENDENCY_CONFLICT}),
    IssueType.MISSING_DEPENDENCY: frozenset(
        {IssueType.NETWORK_ERROR, IssueType.DEPENDENCY_CONFLICT}
    ),
    IssueType.DEPENDENCY_CONFLICT: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.TEST_FAILURE: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.LINT_FAILURE: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.UNKNOWN: frozenset({IssueType.NETWORK_ERROR}),
    # A test or hook that timed out waiting on a connection the client had already reported failing
    # (Mocha's "Timeout of 30000ms exceeded" in a "before all" hook after "MongoNetworkError: failed
    # to connect to server", supercharge/mongodb-github-action #10).
    IssueType.TIMEOUT: frozenset({IssueType.NETWORK_ERROR}),
    # A job that asked for a retired image waits for a runner that never comes, then GitHub fails it
    # in the pool's words: "Requested labels: ubuntu-18.04" above "This request was automatically
    # failed because there were no enabled runners online to process the request for more than 1
    # days." (sstadick/perbase #89, volcano-sh/volcano #2768): the label is the fix.
    IssueType.RUNNER_FAILURE: frozenset({IssueType.RETIRED_RUNNER}),
}
# A resolver's banner over the problems it lists just under it: Composer prints "Your requirements could
# not be resolved to an installable set of packages." (`composer update`) or "Your lock file does not
# contain a compatible set of packages. Please run composer update." (`composer install`) above a
# missing PHP extension ("Problem 1" / "- Root composer.json requires PHP extension ext-gd * but it is
# missing from your system"), which is the cause, not something a failed install left behind.
# libmamba likewise: "Could not solve for environment specs" / "The following packages are
# incompatible" over "├─ pytorch does not exist (perhaps a typo or a missing channel);"
# (conda/conda-libmamba-solver #269); uv's "× Failed to build `x`" over the build's own stderr
# ("ModuleNotFoundError: No module named 'setuptools'", a compiler not found).
_BANNER = re.compile(
    r"could not be resolved to an installable set of packages"
    r"|lock file does not contain a compatible set of packages"
    r"|Could not solve for environment specs"
    r"|The following packages? (?:are incompatible|could not be installed)"
    r"|Failed to build `"
)
_BANNER_WITHIN = 40  # Composer lists each problem under it ("Problem 1", "Problem 2", …)
# A service the job itself should have started (a test's database, a dev server): not the network.
_LOCAL = re.compile(r"\blocalhost\b|\b127\.0\.0\.1\b|\b0\.0\.0\.0\b|\[::1\]|host='::1'")
# ... unless no test ran: the suite stopped while loading, before any example (RSpec's "An error
# occurred while loading rails_helper." and "0 examples, 0 failures, 1 error occurred outside of
# examples" under "ActiveRecord::ConnectionNotEstablished: connection to server at "::1", port 5432
# failed: Connection refused", enderahmetyurt/podiscover PR #159): then the unreachable database is
# the cause, as it is for any other command.
_NO_TEST_RAN = re.compile(
    r"^An error occurred while loading \S+\s*$"
    r"|^\s*0 examples, 0 failures(?:, \d+ pending)?, [1-9]\d* errors? occurred outside of examples"
)
# The same for Jest and Mocha, printed next to the failure rather than on its line: Jest's "● Test
# suite failed to run" just under the file's "FAIL" banner (the module threw while loading, before
# any test: "MongoServerSelectionError: connection timed out", supercharge/mongodb-github-action
# #30), Mocha's failed '"before all" hook in "Suite"' over the hook's error or timeout (#10).
_SUITE_NOT_RUN = re.compile(
    r'^\s*● Test suite failed to run\s*$|^\s*(?:\d+\) )?"before all" hook\b'
)
# How far below a test file's banner its suite's error may be: Jest prints the error and its stack.
_SUITE_WITHIN = 40


def _no_test_ran(first: Hit) -> bool:
    """The primary's run stopped before any test: said on its line, or by Jest or Mocha beside it."""
    near = (first.text, *first.before[-6:], *first.after[:3])
    return bool(_NO_TEST_RAN.search(first.text)) or any(_SUITE_NOT_RUN.search(s) for s in near)


def _under_banner(hit: Hit, first: Hit) -> bool:
    """The primary is a test file's banner over a suite that never ran, and the hit is its error."""
    return (
        first.rule.type is IssueType.TEST_FAILURE
        and hit.step.number == first.step.number
        and 0 < hit.line - first.line <= _SUITE_WITHIN
        and any(_SUITE_NOT_RUN.search(s) for s in first.after[:3])
    )


# pre-commit prints a failed hook's verdict ("uv-lock....Failed", "- hook id: uv-lock", "- exit code: 2")
# above the hook's own output; a download the hook could not make, printed there, is why it failed
# ("error: Request failed after 3 retries" / "  Caused by: dns error" under the uv-lock hook while every
# linter passed, pre-commit-ci/issues #256): the network is the cause, not the code. Only within that
# hook's output: the next hook's verdict line ends it.
_HOOK_VERDICT = re.compile(r"\.{3,}\s*(?:\(no files to check\))?(?:Passed|Failed|Skipped)\s*$")
_HOOK_OUTPUT_WITHIN = 40


def _listed_below(hit: Hit, first: Hit) -> bool:
    """The primary is a summary (`checks: [causes-below]`), and the hit a download that failed on
    its own line or among the rows it lists under it."""
    return (
        "causes-below" in first.rule.checks
        and hit.rule.type is IssueType.NETWORK_ERROR
        and hit.step.number == first.step.number
        and 0 <= hit.line - first.line <= _BANNER_WITHIN
    )


# The run page lists a queue's refusal and the image's deprecation as two annotations, the job's title
# over each ("Publish" / "This request was automatically failed …" / "Publish" / "The ubuntu-18.04
# environment is deprecated, …", maticzav/nookies PR #592; rogchap/v8go #399 quotes them with a blank
# line between): the retired label just under the refusal is what it waited for.
_LABEL_WITHIN = 4


def _label_below(hit: Hit, first: Hit) -> bool:
    """The primary is a queue that gave up on its runner (`checks: [label-below]`), and the hit a
    retired image's line just under it."""
    return (
        "label-below" in first.rule.checks
        and hit.rule.type is IssueType.RETIRED_RUNNER
        and 0 < hit.line - first.line <= _LABEL_WITHIN
    )


# libtest prints a failed test's captured output after the run, under the test's own header, so the
# request that failed it sits below its "test … FAILED" row: "---- fork::can_fork_mainnet_block stdout
# ----" over "thread 'fork::can_fork_mainnet_block' panicked at 'called `Result::unwrap()` on an `Err`
# value: JsonRpcClientError(… code: -32005, message: "daily request count exceeded, request rate
# limited" …)'" (foundry-rs/foundry #921, fork tests throttled on CI). Only under that test's header.
_TEST_OUTPUT = re.compile(r"(?:^|\s)---- (?P<test>\S+) stdout ----\s*$")


def _in_test_output(hit: Hit, first: Hit) -> bool:
    """The primary is a failed test, and the hit a network failure in that test's captured output."""
    test = first.data.get("test")
    if (
        first.rule.type is not IssueType.TEST_FAILURE
        or not test
        or hit.rule.type is not IssueType.NETWORK_ERROR
        or hit.step.number != first.step.number
        or hit.line <= first.line
    ):
        return False
    for line in reversed(hit.before):
        header = _TEST_OUTPUT.search(line)
        if header:
            return header.group("test") == test
    return False


def _in_hook_output(hit: Hit, first: Hit) -> bool:
    """The primary is a failed pre-commit hook, and the hit a network failure in that hook's output."""
    gap = hit.line - first.line
    if (
        "pre-commit-hook" not in first.rule.checks
        or hit.rule.type is not IssueType.NETWORK_ERROR
        or hit.step.number != first.step.number
        or not 0 < gap <= _HOOK_OUTPUT_WITHIN
    ):
        return False
    between = hit.before[-(gap - 1) :] if gap > 1 else ()
    return not any(_HOOK_VERDICT.search(line) for line in between)


# A program the job's own build should have produced, run by a relative path ("The term '.\\test.exe'
# is not recognized" after "fatal error C1083: Cannot open include file: 'sdb.h'", radareorg/radare2
# PR #17568; "./build/app: No such file or directory", cmd's "'build\\Release\\app.exe' is not recognized"
# after a compile error): the earlier build failure in the same step is the cause. Not a script the
# repository ships (.ps1, .sh, .py, .bat, .cmd).
_BUILT_PROGRAM = re.compile(
    r"^(?:\.{1,2}[\\/]|[\w.-]+[\\/])(?!.*\.(?:ps1|psm1|sh|bash|py|bat|cmd|pl|rb|js)$)", re.I
)
_BUILD_FAILURES = frozenset({IssueType.SYNTAX_ERROR, IssueType.MISSING_DEPENDENCY})


def _built_by(hit: Hit, first: Hit) -> bool:
    """The primary is a built program not found, and the hit is the failed build before it."""
    return (
        first.rule.type is IssueType.MISSING_TOOL
        and hit.rule.type in _BUILD_FAILURES
        and hit.step.number == first.step.number
        and hit.line < first.line
        and bool(_BUILT_PROGRAM.search(first.data.get("command") or ""))
    )


# pip's own summary of a build it ran in a subprocess, "ERROR: Failed building wheel for x" or "error:
# metadata-generation-failed", sits under that subprocess's output ("╰─> [40 lines of output]" …
# "[end of output]"), which says why: a header or module missing, a compiler or interpreter not found,
# a build dependency with no version for this Python ("../meson.build:216:9: ERROR: Dependency
# "OpenBLAS" not found, tried pkgconfig and cmake" in scipy's meson-python build). A cause found
# there, whatever its type, outranks the summary; the catalog's order cannot say so for every rule.
# The box that ends with "╰─> See above for output." has its output above it: pip repeats the box so
# at the top level after the subprocess's own one, and prints only that one when the output was
# streamed (-v) ("[end of output]" … "error: subprocess-exited-with-error" / "× Getting requirements
# to build wheel did not run successfully." / "╰─> See above for output.", OpenBMB/AgentVerse #142,
# k4yt3x/video2x #773).
_BUILD_OUTPUT_WITHIN = 200
_OUTPUT_ABOVE = re.compile(r"^\s*╰─> See above for output\.")
# RubyGems' box is "Gem::Ext::BuildError: ERROR: Failed to build gem native extension." over the
# extension's build output; the rule keeps its last match, which is Bundler's summary under that
# output when Bundler ran the install: "An error occurred while installing pg (1.5.4), and Bundler
# cannot continue." (a box line with its output above it).
_SUMMARY_UNDER_OUTPUT = re.compile(r"An error occurred while installing \S+ \([^)]*\), and Bundler")
# Where a box's output below it ends: RubyGems' "Gem files will remain installed in … for
# inspection." and "Results logged to …/gem_make.out", pip's "[end of output]". A cause after it (a
# LoadError of the gem the build left out) is no line of the build's (review rev51).
_OUTPUT_ENDS = re.compile(
    r"^\s*(?:Gem files will remain installed|Results logged to|\[end of output\])"
)


def _inside_output_below(hit: Hit, first: Hit) -> bool:
    """`hit` is printed within the box's output below it: no end-of-output line between them."""
    gap = hit.line - first.line
    return not any(_OUTPUT_ENDS.match(line) for line in first.after[: max(gap - 1, 0)])


def _explains_build(hit: Hit, first: Hit) -> bool:
    """The primary is pip's summary of a failed build (or its box over the build's output), and the
    hit is a cause printed in that output."""
    box = "build-box" in first.rule.checks
    below = (
        box
        and not any(_OUTPUT_ABOVE.match(line) for line in first.after[:3])
        and not _SUMMARY_UNDER_OUTPUT.search(first.text)
    )
    return (
        ("build-summary" in first.rule.checks or box)
        and not {"build-summary", "build-box"} & hit.rule.checks
        and hit.rule.type is not IssueType.UNKNOWN
        # a build that failed ran no test: xcodebuild's "** TEST FAILED **" above its build summary
        and hit.rule.type is not IssueType.TEST_FAILURE
        and hit.step.number == first.step.number
        and 0 < (hit.line - first.line if below else first.line - hit.line) <= _BUILD_OUTPUT_WITHIN
        and (not below or _inside_output_below(hit, first))
    )


# What an install or build that could not run leaves missing: a compiler or a build helper not found,
# a system package the package manager does not know, a set-up action that found no such version
# (rules with `checks: [leaves-uninstalled]`; settle keeps them when the job went past them).
# Printed before the primary, anywhere in the job, it is the cause of a tool or module missing later
# (apt's "E: Unable to locate package shellchek" under `|| true`, then "shellcheck: command not
# found"; npm's "Package pangocairo was not found in the pkg-config search path." from node-canvas's
# build, then "sh: 1: jest: not found"). A test that builds an extension and imports it prints the
# compiler's refusal under pytest's "Captured stderr" banner below the collection error ("No module
# named '_module2'" above "error: Microsoft Visual C++ 14.0 or greater is required",
# scientific-python/pytest-doctestplus #177): in the same step, just below, it is the cause too.
_LEFT_UNINSTALLED = frozenset(
    {IssueType.MISSING_TOOL, IssueType.MISSING_DEPENDENCY, IssueType.IMPORT_ERROR}
)
_MODULE_MISSING = frozenset({IssueType.MISSING_DEPENDENCY, IssueType.IMPORT_ERROR})
_CAPTURED_WITHIN = 40


def left_uninstalled(hit: Hit, first: Hit) -> bool:
    """The primary is a tool or module missing, and the hit the install or build that could not run."""
    if "leaves-uninstalled" not in hit.rule.checks or first.rule.type not in _LEFT_UNINSTALLED:
        return False
    if hit.line < first.line:
        return True
    return (
        first.rule.type in _MODULE_MISSING
        and "leaves-uninstalled" not in first.rule.checks
        and hit.step.number == first.step.number
        and hit.line - first.line <= _CAPTURED_WITHIN
    )


# Composer retries a package whose dist archive failed the lock file's checksum from its source ("Now
# trying to download from source"); a private repository then refuses the runner's clone
# ("git@github.com: Permission denied (publickey).", laravel/nova-issues #3846; "fatal: Authentication
# failed", #3852): the refusal is the fallback's, the stale lock entry above it is the cause.
_FALLBACK_WITHIN = 30


def _fallback_of(hit: Hit, first: Hit) -> bool:
    """The hit announced a fallback (`checks: [source-fallback]`), and the primary is its refusal."""
    return (
        "source-fallback" in hit.rule.checks
        and first.rule.type is IssueType.AUTH_ERROR
        and hit.step.number == first.step.number
        and 0 < first.line - hit.line <= _FALLBACK_WITHIN
    )


# The one runtime template error an earlier failure causes: fromJSON of an output the failed step left
# empty (actions/runner #1722); "Unrecognized named-value" and the like are the file's own.
_FROM_EMPTY = re.compile(
    r"Error reading JToken from JsonReader|Unexpected character encountered while parsing value"
    r"|Error parsing fromJson"
)
_TEMPLATE_REASON = re.compile(r"\(Line: \d+, Col: \d+\):\s*(\S.*)")


def _evaluated_after(hit: Hit, first: Hit) -> bool:
    """The primary is what a step left behind after the hit's failure above it (`checks:
    [cause-above]`: a template's fromJSON of an empty output, a setup action's post step with
    nothing to cache); a hint names no cause of its own."""
    if "cause-above" not in first.rule.checks or "hint-only" in hit.rule.checks:
        return False
    if hit.line >= first.line:
        return False
    if "template is not valid" not in first.text:
        return True
    # the reason after the place, when shown, must be an empty output's (a run page may cut it)
    reason = _TEMPLATE_REASON.search(first.text)
    return reason is None or bool(_FROM_EMPTY.search(reason.group(1)))


def _names_variable(hit: Hit) -> bool:
    """The missing-variable hit names its variable: captured, fixed by its rule, or listed or
    continued below it (diagnose/facts.py fills those into the finding)."""
    return (
        "var" in hit.data
        or "var" in hit.rule.data
        or "settings-fields-below" in hit.rule.checks
        or listed_env_var(hit.text, hit.after) is not None
        or continued_env_var(hit.after) is not None
        or first_unset_variable(hit.text, hit.before) is not None
    )


# An entry of a step header's env block ("    NPM_CONFIG_USERCONFIG: /home/runner/work/_temp/.npmrc").
_ENV_ENTRY = re.compile(r"^(?:" + STAMP_PREFIX + r")?\s+[A-Z][A-Z0-9_]*: ")


def _tool_of(var: str) -> str:
    """The tool an env credential is for: its name's first word, Gradle for a project property
    passed as ORG_GRADLE_PROJECT_<name> (mobile-dev-inc/dadb PR #104), or npm for setup-node's
    NODE_AUTH_TOKEN, which the .npmrc it writes reads (gastownhall/gastown #1490: empty, then npm's
    ENEEDAUTH)."""
    if var.startswith("ORG_GRADLE_PROJECT_"):
        return "gradle"
    if var == "NODE_AUTH_TOKEN":
        return "npm"
    return var.split("_")[0].lower()


def _unset_credential(hit: Hit, first: Hit) -> bool:
    """The primary is a refused login, and the hit the token its own step's env block left empty,
    under the name of the tool that was refused ("  env:" / "    SNYK_TOKEN: ", then Snyk's
    "Authentication error (SNYK-0005)" / "Status:  401 Unauthorized", open-telemetry/community #2856):
    the secret to add is the fix, not the token's rights. Another tool's empty input says nothing.
    A primary that says credentials are missing without naming one (the AWS SDK's "Missing
    credentials in config" under "    AWS_SECRET_ACCESS_KEY: ", remix-run/grunge-stack #155) is
    the empty one, whichever tool reads it."""
    if (
        "empty-secret" not in hit.rule.checks
        or hit.step.number != first.step.number
        or hit.line >= first.line
    ):
        return False
    if first.rule.type is IssueType.MISSING_ENV_VARS:
        return not _names_variable(first)
    if first.rule.type is not IssueType.AUTH_ERROR:
        return False
    tool = _tool_of(hit.data.get("var", ""))
    if len(tool) < 3 or not tool.isalpha():
        return False
    # The step's header and command just above its env block, or the refusal itself; not the env
    # block's other entries (setup-node's "NPM_CONFIG_USERCONFIG: …/.npmrc" sits above every step's
    # NODE_AUTH_TOKEN, whatever tool the step runs: semantic-release's refused GITHUB_TOKEN, a
    # docker login).
    above = [line for line in hit.before[-12:] if not _ENV_ENTRY.match(line)]
    return any(tool in line.lower() for line in (first.text, *above))


def _banner_of(hit: Hit, first: Hit) -> bool:
    """The hit is the tool's banner over the primary's own report, not an earlier failure."""
    return (
        bool(_BANNER.search(hit.text))
        and hit.step.number == first.step.number
        and first.line - hit.line <= _BANNER_WITHIN
    )


def upstream(causes: list[Hit]) -> Hit:
    """The highest-priority cause, unless it is what an install that failed before it left behind:
    then the highest-priority of those earlier failures."""
    first = causes[0]
    upstream = LEFT_BEHIND.get(first.rule.type, frozenset())
    for hit in causes[1:]:
        # A build's box (pip's, RubyGems' native extension) over the output that printed the primary:
        # the primary says why the build failed, the build did not leave it behind.
        if "build-box" in hit.rule.checks and _explains_build(first, hit):
            continue
        if (
            _built_by(hit, first)
            or _explains_build(hit, first)
            or _unset_credential(hit, first)
            or left_uninstalled(hit, first)
            or _fallback_of(hit, first)
            or _evaluated_after(hit, first)
        ):
            return hit
        if "hint-only" in hit.rule.checks:
            continue  # a hint (rustup keeping a toolchain) is no failure that left this behind
        if hit.rule.type not in upstream or (
            hit.line > first.line
            and not _under_banner(hit, first)
            and not _in_hook_output(hit, first)
            and not _in_test_output(hit, first)
            and not _listed_below(hit, first)
            and not _label_below(hit, first)
        ):
            continue
        # The same line only for a named test: pytest's summary names the error that ended it, and a
        # rule keeps its last match, which is that line ("ERROR tests/t.py::test_x -
        # requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url:
        # https://huggingface.co/…", brainglobe/cellfinder #651; "ERROR t.py::test_x -
        # django.db.utils.OperationalError: (2005, "Unknown MySQL server host 'mysql' (-3)")",
        # testcontainers/testcontainers-python #791); elsewhere two rules on one line read one
        # message (pub's "version solving failed" for a missing Flutter SDK, a JSON parse error that
        # is also an HTML page).
        if hit.line == first.line and not (
            (first.rule.type is IssueType.TEST_FAILURE and first.data.get("test"))
            or _listed_below(hit, first)
        ):
            continue
        if _banner_of(hit, first):
            continue
        if (
            hit.rule.type is IssueType.NETWORK_ERROR
            and _LOCAL.search(hit.text)
            and not _no_test_ran(first)
        ):
            continue
        return hit
    return first
