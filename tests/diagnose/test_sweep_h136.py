"""Scientific-computing jobs outside Python and R read right (a sampled wave's blind batch).

Texts are the tools' real formats with names changed; each rule names the thread it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_job_finding, run_step

_UNDEFVAR = "ERROR: LoadError: UndefVarError: `showvalue` not defined in `Logging`"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Julia raised it in an installed package's source: the package's version.
        (
            [
                *run_step("julia --project=docs/ docs/make.jl"),
                _UNDEFVAR,
                "Stacktrace:",
                "  [1] handle_message(::GitHubActions.GitHubActionsLogger, level::LogLevel)",
                "    @ GitHubActions ~/.julia/packages/GitHubActions/PCtSF/src/GitHubActions.jl:259",
                FAILED,
            ],
            "dependency_conflict",
            {"name": "showvalue"},
        ),
        # The same error in the project's own code (a Base frame first) is not a dependency's.
        (
            [
                *run_step("julia --project -e 'using App; App.main()'"),
                "ERROR: LoadError: UndefVarError: `helper` not defined in `App`",
                "Stacktrace:",
                "  [1] getproperty(x::Module, f::Symbol)",
                "    @ Base ./Base.jl:31",
                "  [2] main()",
                "    @ App /home/runner/work/App.jl/App.jl/src/App.jl:12",
                FAILED,
            ],
            "unknown",
            {},
        ),
        # Pkg.test's test process killed by the runner (OOM): not the tests' verdict.
        (
            [
                *run_step("julia --project -e 'using Pkg; Pkg.test(coverage=true)'"),
                "ERROR: LoadError: Package Mesh errored during testing (received signal: KILL)",
                FAILED,
            ],
            "runner_failure",
            {},
        ),
        # A versioned cabal binary (haskell-ci) names itself in the solver's failure.
        (
            [
                *run_step("$CABAL v2-build $ARG_COMPILER --dry-run all"),
                "Error: cabal-3.10.1.0: Could not resolve dependencies:",
                "[__0] trying: app-0.3.0 (user goal)",
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
        # GHC cannot start the linker it was built with, under cabal's own "Failed to build".
        (
            [
                *run_step("cabal build all"),
                "cabal.exe: Failed to build code-page-0.2 (which is required by",
                "ghc.exe: could not execute: C:/builds/ghc/inplace/mingw/bin/ld.exe",
                FAILED,
            ],
            "missing_tool",
            {"tool": "C:/builds/ghc/inplace/mingw/bin/ld.exe"},
        ),
        # opam's sandbox check, as setup-ocaml's opam init quotes bwrap's refusal.
        (
            [
                *run_step("opam init --bare"),
                '"~/.opam/opam-init/hooks/sandbox.sh build sh -c echo SUCCESS | tee check-write" '
                'exited with code 1 "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted"',
                "[ERROR] Initial download of repository failed.",
                FAILED,
            ],
            "runner_failure",
            {},
        ),
        # TeXtidote run alone: its exit code is its warning count.
        (
            [*run_step("textidote --check en paper.tex > report.html"), FAILED],
            "lint_failure",
            {"tool": "textidote"},
        ),
    ],
)
def test_batch_h136_reads(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, lines, want, facts)
