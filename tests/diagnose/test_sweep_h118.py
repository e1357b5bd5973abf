"""Verdicts the random-sample sweep (helper h118: failures only Windows, macOS and ARM runners meet)
relies on beyond the rules' own examples, in both forms a log arrives in: pasted (bare lines, no
trailer) and downloaded (timestamped, step headers, the runner's trailer).

Texts are the tools' real formats with names changed; the rules cite the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding, assert_step_finding, run_step

_CRUBY = "Error: Error: CRuby < 2.6 does not support macos-arm64."
_XCODES = (
    "Enter the number of the Xcode to select: Not a valid number. Expecting a whole number "
    "between 1-3, but given nothing."
)
_LONG_PATH = (
    "error: unable to create file docs/reference/generated/very/deep/ProtectedItemResourceImpl.md: "
    "Filename too long"
)

_CASES = [
    # setup-ruby refuses a Ruby it knows has no build for the runner's platform.
    (
        [
            "Run ruby/setup-ruby@v1",
            _CRUBY,
            "        Either use a newer Ruby version or use a macOS image running on amd64.",
        ],
        "missing_tool",
        {"tool": "ruby"},
    ),
    # xcodes select without the asked-for Xcode: the prompt no job can answer.
    (
        ["Run xcodes select 26.0", "Available Xcode versions:", "1) 16.4 (16F6)", _XCODES],
        "missing_tool",
        {"tool": "xcode"},
    ),
    # Homebrew: a disabled versioned formula, a conflicting one, a versioned name not found.
    (
        [
            "Installing meson",
            "Error: node@14 has been disabled because it is not supported upstream!",
            "Homebrew Bundle failed! 1 Brewfile dependency failed to install.",
        ],
        "dependency_conflict",
        {"package": "node@14"},
    ),
    (
        [
            "Error: Cannot install pkg-config because conflicting formulae are installed.",
            "  pkgconf: because both install `pkg-config` binaries",
        ],
        "dependency_conflict",
        {"package": "pkg-config"},
    ),
    (
        ['Error: No available formula with the name "node@12".'],
        "missing_dependency",
        {"package": "node@12"},
    ),
    # rustc's link failure on an arm64 Mac: the linker's summary under "= note:".
    (
        [
            "error: linking with `cc` failed: exit status: 1",
            "  = note: ld: symbol(s) not found for architecture arm64",
            "          clang: error: linker command failed with exit code 1 (use -v to see invocation)",
        ],
        "syntax_error",
        {},
    ),
    (
        ["error: could not find native static library `ssl`, perhaps an -L flag is missing?"],
        "missing_dependency",
        {"name": "ssl"},
    ),
    # The interpreter given a script path that is not there (the step's folder is wrong).
    (
        [
            "C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64\\python.exe: can't open file "
            "'D:\\\\a\\\\app\\\\app\\\\scripts\\\\gen.py': [Errno 2] No such file or directory"
        ],
        "unknown",
        {},
    ),
    # Windows: a checkout git cannot write, Docker without Linux containers, PowerShell 5.1's record.
    ([_LONG_PATH, "fatal: unable to checkout working tree"], "unknown", {}),
    (
        [
            'docker: image operating system "linux" cannot be used on this platform: operating system is not supported.'
        ],
        "runner_failure",
        {},
    ),
    (
        [
            "At D:\\a\\_temp\\9b1c.ps1:3 char:5",
            "    + CategoryInfo          : ObjectNotFound: (cmake:String) [], CommandNotFoundException",
            "    + FullyQualifiedErrorId : CommandNotFoundException",
        ],
        "missing_tool",
        {"command": "cmake"},
    ),
]


@pytest.mark.parametrize(("lines", "want", "facts"), _CASES)
def test_pasted_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(("lines", "want", "facts"), _CASES)
def test_downloaded_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_step_finding(tmp_path, lines, want, facts)


def test_setup_julia_warning_is_not_a_failure(tmp_path: Path) -> None:
    """setup-julia v1 and v2 only warn about x64 on arm64 and go on: the job passed."""
    lines = [
        "##[warning][setup-julia] x64 arch has been requested on a macOS runner that has an arm64 "
        "(Apple Silicon) architecture.",
        *run_step("julia --project -e 'using Pkg; Pkg.test()'", "     Testing MyPkg tests passed"),
    ]
    assert_finding(tmp_path, [f"2026-06-10T10:00:00.0000000Z {line}" for line in lines], None, {})
