"""Rules whose line is a cause only with a certain line above it: a missing git only under
actions/checkout's REST API fallback, knitr's pandoc error only where it fell back, an R test tally
only where R CMD check did not pass the tests, a Rust harness message only under cargo's "Running",
remark's warnings only under --frail, a set-up line only where the runner printed it, an engine
error only under npm's EBADENGINE warning, a Julia error only in the project's own code, Vagrant's
"Box not found" only under its download error, a 404 page only where Python ran it, a .NET
reflection stub only as the top frame, Kotlin's null cast only under a build script's failure, a
Jest reporter's name only under its sentence. `settle` clears the others.
"""

from __future__ import annotations

import re
from itertools import pairwise

from smartmon.diagnose.fill_ins import engine_warned
from smartmon.diagnose.jobstate import Hit, step_above
from smartmon.diagnose.logs import STAMP_PREFIX, STEP_HEADER

# actions/checkout downloads the files through the REST API, without .git, when no Git 2.18 or
# later is on the PATH, and says so in its step (src/git-source-provider.ts): "The repository will
# be downloaded using the GitHub REST API" / "To create a local Git repository instead, add Git 2.18
# or higher to the PATH".
_CHECKOUT_WITHOUT_GIT = re.compile(
    r"The repository will be downloaded using the GitHub REST API"
    r"|To create a local Git repository instead, add Git [\d.]+ or higher to the PATH"
)


def no_checkout_fallback(hit: Hit) -> bool:
    """A rule with `checks: [checkout-without-git-above]` and no such notice in the lines above."""
    if "checkout-without-git-above" not in hit.rule.checks:
        return False
    return not any(_CHECKOUT_WITHOUT_GIT.search(line) for line in hit.before)


# knitr's rmarkdown vignette engine without pandoc: "Warning in engine$weave(file, quiet = quiet,
# encoding = enc) :" over "Pandoc (>= 1.12.3) not available. Falling back to R Markdown v1." (older
# knitr: "Pandoc (>= 1.12.3) and/or pandoc-citeproc not available. …"; r-lib/usethis #1439).
_PANDOC_FELL_BACK = re.compile(
    r"\bPandoc \(>= [\d.]+\) (?:and/or pandoc-citeproc )?not available\."
)


def no_pandoc_fallback(hit: Hit) -> bool:
    """A rule with `checks: [pandoc-fell-back-above]` and no knitr fallback warning above it."""
    if "pandoc-fell-back-above" not in hit.rule.checks:
        return False
    return not any(_PANDOC_FELL_BACK.search(line) for line in hit.before)


# R CMD check judges the tests itself: "* checking tests ..." / "  Running ‘testthat.R’" / " OK"
# (" ERROR" and "Running the tests in ‘tests/testthat.R’ failed." when they fail). check-r-package
# then shows the testthat output in a "Show testthat output" group, tally included, whatever the
# check said (Appsilon/shiny.telemetry #101: the check OK and the job green over a tally with
# failures).
_STAMP = "^(?:" + STAMP_PREFIX + ")?"
_R_CHECK_RUNNING_TESTS = re.compile(_STAMP + r"\s*Running [‘']testthat\.R[’']\s*$")
_R_CHECK_OK = re.compile(_STAMP + r"\s*OK\s*$")


def r_check_passed_tests(hit: Hit) -> bool:
    """A rule with `checks: [r-check-tests-ok-above]` whose tally R CMD check's " OK" for
    testthat.R precedes in the same step."""
    if "r-check-tests-ok-above" not in hit.rule.checks:
        return False
    lines = step_above(hit)
    return any(
        _R_CHECK_RUNNING_TESTS.match(line) and _R_CHECK_OK.match(below)
        for line, below in pairwise(lines)
    )


# cargo's line before each test or bench binary it runs: "     Running unittests src/lib.rs
# (target/release/deps/x-5b0e…)", "     Running benches/boolean.rs (target/release/deps/boolean-1f8e…)",
# before cargo 1.55 "     Running target/debug/deps/x-5b0e…".
_HARNESS_RUN = re.compile(r"^\s*Running (?:unittests \S|\S+\.rs \(|\S*target/\S+/deps/)")
# cargo's line after a harness binary it ran exited non-zero, "error: test failed, to rerun pass
# `--lib`", "error: bench failed, to rerun pass `-p the-crate --bench my_benchmark`" (cargo's own
# tests/testsuite/bench.rs: "[ERROR] bench failed, to rerun pass `--bin foo`"): a harness ran, whether
# or not a paste kept its "Running" line. Not "doctest failed": cargo says it when rustdoc itself
# failed too, and rustdoc refuses a flag its version lacks with the same getopts line.
_HARNESS_FAILED = re.compile(
    r"^(?:" + STAMP_PREFIX + r")?\s*error: (?:test|bench) failed, to rerun pass `"
)


def no_harness_run(hit: Hit) -> bool:
    """A rule with `checks: [harness-run-above]` and no cargo line running a harness above it in its
    step, nor cargo's line below it that a harness it ran failed."""
    if "harness-run-above" not in hit.rule.checks:
        return False
    if any(_HARNESS_RUN.match(line) for line in step_above(hit)):
        return False
    for line in hit.after:
        if STEP_HEADER.match(line.strip()):
            break
        if _HARNESS_FAILED.match(line):
            return False
    return True


# unified-engine's flag that makes warnings fail the run, on a remark (retext, rehype) command line:
# "npx remark . --use remark-preset-lint-consistent --frail", "> remark -f docs".
_FRAIL = re.compile(
    r"\b(?:remark|retext|rehype)(?:-cli)?\b[^|;&]*\s(?:--frail|-[a-zA-Z]*f[a-zA-Z]*)(?:\s|$)"
)
_UNIFIED_CLI = re.compile(r"(?:^|[\s/>$])(?:remark|retext|rehype)(?:-cli)?(?:\s|$)")


def not_frail(hit: Hit) -> bool:
    """A rule with `checks: [frail-above]` whose step's command (its header or the lines echoed
    under it) does not run with --frail: the warnings were reported, not failed."""
    if "frail-above" not in hit.rule.checks:
        return False
    own = step_above(hit)
    header = hit.before[-len(own) - 1 : len(hit.before) - len(own)]  # a paste's `Run …` line
    shown = (hit.step.name, *header, *own)
    # A command the log does not show (`npm run lint:md --silent`, `make lint`) may have been frail.
    if not any(_UNIFIED_CLI.search(line) for line in shown):
        return False
    return not any(_FRAIL.search(line) for line in shown)


def printed_in_a_step(hit: Hit) -> bool:
    """A rule with `checks: [set-up-only]` whose line a step printed (a later step, or a paste's
    `Run …` header above it), not the runner while it set up the job."""
    if "set-up-only" not in hit.rule.checks:
        return False
    return hit.step.number > 1 or any(STEP_HEADER.match(line.strip()) for line in hit.before)


def engine_not_warned(hit: Hit) -> bool:
    """A rule with `checks: [engine-warned-above]` whose package npm did not warn about above."""
    if "engine-warned-above" not in hit.rule.checks:
        return False
    package = hit.data.get("package", "")
    return not package or engine_warned(package, hit.before) is None


# Julia prints a stack under its error, frames as " [1] f(x::Int)" over "   @ Pkg ~/.julia/packages/
# Pkg/AbCdE/src/f.jl:12" (1.6+) or " [1] f(::Int64) at /home/u/.julia/packages/Pkg/AbCdE/src/f.jl:12"
# (older). The first frame outside Base and the stdlib says whose code raised it: a package's own
# source under ~/.julia/packages (GitHubActions.jl's logger calling Logging.showvalue after Julia 1.11
# moved it, julia-actions/GitHubActions.jl #36) is that package's version, the rule's type; the
# project's own code is not, and the rule's line is left to the others.
_JULIA_FRAME = re.compile(
    _STAMP + r"\s*(?:@ (?P<module>\S+) (?P<path>\S+?)|\[\d+\] .* at "
    r"(?P<old>\S+?)):\d+(?: \[inlined\])?\s*$"
)
_JULIA_OWN = re.compile(r"^(?:\./|[\w.]+\.jl$)|[/\\]share[/\\]julia[/\\]")
_JULIA_PACKAGE = re.compile(r"[/\\]\.julia[/\\]packages[/\\]")


def julia_own_code(hit: Hit) -> bool:
    """A rule with `checks: [julia-frame-in-package]` whose first frame outside Base is not in an
    installed package's source (or whose stack the paste did not keep)."""
    if "julia-frame-in-package" not in hit.rule.checks:
        return False
    for line in hit.after:
        m = _JULIA_FRAME.match(line)
        if not m or m.group("module") in ("Base", "Core"):
            continue
        path = m.group("path") or m.group("old") or ""
        if _JULIA_OWN.search(path):
            continue
        return not _JULIA_PACKAGE.search(path)
    return True


# Vagrant relays curl's failure under its own head: "An error occurred while downloading the remote
# file. The error message, if any, is reproduced below. …" then "Couldn't open file /…/box" (a box
# path that does not exist). The bare line is any program's printf, not a box.
_VAGRANT_DOWNLOAD = re.compile(r"An error occurred while downloading the remote file\.")


def no_vagrant_download(hit: Hit) -> bool:
    """A rule with `checks: [vagrant-download-above]` without Vagrant's download error just above."""
    if "vagrant-download-above" not in hit.rule.checks:
        return False
    return not any(_VAGRANT_DOWNLOAD.search(line) for line in hit.before[-8:])


# A script fetched from a URL that is gone is the 404 page's text, and Python names the page's first
# line above it ("  File \"<stdin>\", line 1" / "    404: Not Found"; Sage-Bionetworks/schematic PR
# #1299, small-thinking/taotie #66). The same text with no such frame is a server's answer printed.
_SCRIPT_LINE_ONE = re.compile(r'\bFile "[^"]+", line 1\s*$')
_BARE_404_PAGE = re.compile(r"^\s*404: Not Found\s*$")


def page_not_run(hit: Hit) -> bool:
    """A rule with `checks: [page-run-as-script]` whose bare 404 text no interpreter ran."""
    if "page-run-as-script" not in hit.rule.checks or not _BARE_404_PAGE.match(hit.text):
        return False
    return not (hit.before and _SCRIPT_LINE_ONE.search(hit.before[-1]))


# .NET under QEMU crashes in the reflection stub MSBuild reaches a task's property through: the stub
# is the first frame under "error MSB4018: System.NullReferenceException" (rules/10-platform.yaml).
# A task of the project's own that throws has its own frames above the stub (its setter's, then the
# framework's), so the stub deeper in the stack is no emulator's crash.
_NULL_REFERENCE_ROW = re.compile(r"\berror MSB4018:\s+System\.NullReferenceException\b")


def stub_not_top_frame(hit: Hit) -> bool:
    """A rule with `checks: [stub-top-frame]` whose frame is not the first under the exception."""
    if "stub-top-frame" not in hit.rule.checks:
        return False
    # The nearest MSBuild error row above: a multi-platform build interleaves the other platform's
    # BuildKit lines between the exception and its first frame (dotnet/sdk #37148).
    above = next((line for line in reversed(hit.before) if "error MSB4018:" in line), "")
    return not _NULL_REFERENCE_ROW.search(above)


# Kotlin's "null cannot be cast to non-null type kotlin.String" is a build script's missing value only
# directly under Gradle's failure-tree head or a plugin that failed to apply (rules/45-langs.yaml).
_GRADLE_SCRIPT_TREE = re.compile(
    r"\* What went wrong:|Failed to apply plugin|A problem occurred (?:evaluating|configuring)"
    r"|An exception occurred applying plugin request|Failed to notify project evaluation listener"
)


def not_under_script_tree(hit: Hit) -> bool:
    """A rule with `checks: [gradle-script-tree-above]` whose nearest line above is no such head."""
    if "gradle-script-tree-above" not in hit.rule.checks:
        return False
    above = next((line for line in reversed(hit.before) if line.strip()), "")
    return not _GRADLE_SCRIPT_TREE.search(above)


# jest-config names the reporter it could not load on the line after its sentence ("Could not resolve
# a module for a custom reporter." / "  Module name: jest-junit"); other tools print "Module name:"
# rows of their own (Gradle's module list, file headers). A name with a script's extension is the
# project's own file passed without "./", not a package.
_REPORTER_SENTENCE = re.compile(r"Could not resolve a module for a custom reporter")
_SCRIPT_FILE = re.compile(r"\.[cm]?[jt]sx?\s*$")


def not_a_missing_reporter(hit: Hit) -> bool:
    """A rule with `checks: [reporter-sentence-above]` without jest's sentence just above it."""
    if "reporter-sentence-above" not in hit.rule.checks:
        return False
    if _SCRIPT_FILE.search(hit.text):
        return True
    return not any(_REPORTER_SENTENCE.search(line) for line in hit.before[-3:])


# A setup.py that tries setuptools and falls back to distutils fails twice where neither is there
# (Python 3.12 dropped distutils, and fresh 3.12 environments carry no setuptools): "ModuleNotFoundError:
# No module named 'setuptools'", "During handling of the above exception, another exception occurred:",
# then the fallback's "… No module named 'distutils'" (Legrandin/pycryptodome #764). setuptools is the
# one to install; a bare distutils line (a test's own import) stays python-module-not-found's.
_DURING_HANDLING = "During handling of the above exception, another exception occurred:"
_SETUPTOOLS_MISSING = re.compile(r"\bModuleNotFoundError: No module named 'setuptools'")
# Blank as BuildKit prints it inside an image build ("#8 0.412 ") or a paste's quote margin.
_BLANK = re.compile(_STAMP + r"(?:#\d+ [\d.]+ ?|\s+> ?)?\s*$")


def setuptools_not_tried(hit: Hit) -> bool:
    """A rule with `checks: [setuptools-missing-above]` whose exception is not chained, just above,
    onto a failed import of setuptools (its own traceback the only one in between)."""
    if "setuptools-missing-above" not in hit.rule.checks:
        return False
    lines = list(hit.before)
    marks = [i for i, line in enumerate(lines) if _DURING_HANDLING in line]
    if not marks:
        return True
    handling = marks[-1]
    if sum("Traceback (most recent call last):" in line for line in lines[handling:]) > 1:
        return True
    above = next((line for line in reversed(lines[:handling]) if not _BLANK.match(line)), "")
    return not _SETUPTOOLS_MISSING.search(above)
