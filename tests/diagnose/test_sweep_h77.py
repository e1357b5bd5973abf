"""Cascades (helper h77): one cause, many symptoms. An install or build that could not run (a
compiler, a build helper or a system package not found, a set-up action that failed) leaves a tool
or module missing later; the earlier failure is the cause, also when the job went past it (`|| true`,
`continue-on-error`) or when pytest prints it below the error, under "Captured stderr".

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, run_step, top_finding

_NOT_FOUND_127 = "##[error]Process completed with exit code 127."


def _stamped(lines: list[str]) -> list[str]:
    return [TS + line for line in lines]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # scientific-python/pytest-doctestplus #177: the inner collection error is above the
        # compiler's refusal, which pytest prints under "Captured stderr call".
        (
            [
                "Run tox -e py38-test",
                "E   ModuleNotFoundError: No module named '_module2'",
                "!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
                "---------------------------- Captured stderr call -----------------------------",
                'error: Microsoft Visual C++ 14.0 or greater is required. Get it with "Microsoft'
                ' C++ Build Tools": https://visualstudio.microsoft.com/visual-cpp-build-tools/',
                "Error: Process completed with exit code 1.",
            ],
            "missing_tool",
            {},
        ),
        # distutils' older spawn wording in an install the job went past, then the import.
        (
            [
                "Run pip install -e . || true",
                "    building 'fastjson._ext' extension",
                "    unable to execute 'x86_64-linux-gnu-gcc': No such file or directory",
                "    error: command 'x86_64-linux-gnu-gcc' failed with exit status 1",
                "Run pytest",
                "E   ModuleNotFoundError: No module named 'fastjson._ext'",
                "Error: Process completed with exit code 2.",
            ],
            "missing_tool",
            {"command": "x86_64-linux-gnu-gcc"},
        ),
        # A missing header stopped the build: the module it would have built is missing later.
        (
            [
                "Run pip install . || true",
                "      src/speedups.c:1:10: fatal error: Python.h: No such file or directory",
                "      compilation terminated.",
                "Run pytest",
                "E   ModuleNotFoundError: No module named 'speedups'",
                "Error: Process completed with exit code 2.",
            ],
            "missing_dependency",
            {},
        ),
        # node-canvas's build, quoted by npm (sec-bit/mfer-safe #1), then the test runner is missing.
        (
            [
                "Run npm install",
                "npm ERR! Package pangocairo was not found in the pkg-config search path.",
                "npm ERR! No package 'pangocairo' found",
                "npm ERR! gyp ERR! configure error",
                "Run npm test",
                "sh: 1: jest: not found",
                "Error: Process completed with exit code 127.",
            ],
            "missing_dependency",
            {"package": "pangocairo"},
        ),
        # apt names each package it refuses; the first asked for is the fact (git-cola #1277).
        (
            [
                "+ sudo apt-get install black gettext python-pytest python-setuptools-scm",
                "E: Package 'python-pytest' has no installation candidate",
                "E: Unable to locate package python-setuptools-scm",
                "Error: Process completed with exit code 100.",
            ],
            "missing_dependency",
            {"package": "python-pytest"},
        ),
    ],
)
def test_the_install_that_could_not_run_is_the_cause(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts


def test_a_swallowed_apt_failure_explains_the_command_missing_later(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "sudo apt-get install -y libxml2-utils shellchek || true",
            "Reading package lists...",
            "E: Unable to locate package shellchek",
        ),
        *run_step(
            "shellcheck scripts/*.sh",
            "/home/runner/work/_temp/8c1e.sh: line 1: shellcheck: command not found",
            _NOT_FOUND_127,
        ),
    ]
    # Named under `module` too, the type's own key (diagnose.verdict).
    assert top_finding(tmp_path, _stamped(lines)) == (
        "missing_dependency",
        {"package": "shellchek", "module": "shellchek"},
    )


def test_a_failed_set_up_action_explains_its_command_missing_later(tmp_path: Path) -> None:
    # continue-on-error on the set-up step: the action's error, then the next step runs.
    lines = [
        "##[group]Run actions/setup-python@v5",
        "with:",
        "  python-version: 3.6",
        "##[endgroup]",
        "Version 3.6 was not found in the local cache",
        "##[error]The version '3.6' with architecture 'x64' was not found for Ubuntu 24.04.",
        *run_step(
            "python3.6 -m pip install -r requirements.txt",
            "/home/runner/work/_temp/8c1e.sh: line 1: python3.6: command not found",
            _NOT_FOUND_127,
        ),
    ]
    got, data = top_finding(tmp_path, _stamped(lines))
    assert (got, data.get("version")) == ("missing_tool", "3.6")


def test_a_swallowed_install_does_not_explain_a_failed_test(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "sudo apt-get install -y shellchek || true",
            "E: Unable to locate package shellchek",
        ),
        *run_step(
            "pytest",
            "FAILED tests/test_a.py::test_b - assert 1 == 2",
            "========================= 1 failed, 3 passed in 0.21s ==========================",
            FAILED,
        ),
    ]
    got, data = top_finding(tmp_path, _stamped(lines))
    assert (got, data.get("test")) == ("test_failure", "tests/test_a.py::test_b")


def test_a_compiler_missing_in_a_later_step_is_not_the_earlier_import_error(
    tmp_path: Path,
) -> None:
    # Below the primary only counts in the same step (pytest's captured output).
    lines = [
        *run_step(
            "pytest",
            "E   ModuleNotFoundError: No module named 'yaml'",
            FAILED,
        ),
        *run_step(
            "pip wheel . || true",
            "    unable to execute 'gcc': No such file or directory",
        ),
    ]
    got, data = top_finding(tmp_path, _stamped(lines))
    assert (got, data.get("module")) == ("missing_dependency", "yaml")


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # tsc lists every file that imports an export a bump removed: the first printed is the fact.
        (
            [
                "src/app.ts(3,10): error TS2305: Module '\"@acme/ui\"' has no exported member"
                " 'Button'.",
                "src/form.ts(2,10): error TS2305: Module '\"@acme/ui\"' has no exported member"
                " 'TextField'.",
                "Found 2 errors in 2 files.",
                FAILED,
            ],
            {"from": "@acme/ui", "name": "Button"},
        ),
        # go build lists each qualified name its dependency no longer exports.
        (
            [
                "# github.com/acme/render",
                "internal/render/page.go:47:16: undefined: blackfriday.Run",
                "internal/render/page.go:52:9: undefined: blackfriday.WithExtensions",
                FAILED,
            ],
            {"from": "blackfriday", "name": "Run", "line": "47"},
        ),
    ],
)
def test_a_compiler_listing_keeps_its_first_unresolved_name(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == "import_error"
    assert {k: data.get(k) for k in facts} == facts


def test_an_install_failure_below_another_is_not_its_cause(tmp_path: Path) -> None:
    # Only a module error takes its cause from the captured output below it; apt's first refusal
    # stays the finding when pkg-config complains just after it.
    lines = [
        "E: Unable to locate package libcairo2-devv",
        "Package cairo was not found in the pkg-config search path.",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert (got, data.get("package")) == ("missing_dependency", "libcairo2-devv")


def test_pkg_config_keeps_the_first_module_it_lacks(tmp_path: Path) -> None:
    lines = [
        "configure: error: Package requirements (glib-2.0 >= 2.44 libsoup-2.4) were not met:",
        "",
        "No package 'glib-2.0' found",
        "No package 'libsoup-2.4' found",
        FAILED,
    ]
    got, data = top_finding(tmp_path, lines)
    assert (got, data.get("package")) == ("missing_dependency", "glib-2.0")
