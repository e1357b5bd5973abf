"""Verdicts the Python build and packaging fourth sweep relies on: pip's legacy fallback from a wheel
it could not build to `setup.py install`, PEP 668's refusal, maturin without an interpreter.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/30-python.yaml), in retries.py or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, run_step

_BDIST_FAILED = [
    "Building wheels for collected packages: pyrfr",
    "  Running setup.py bdist_wheel for pyrfr ... error",
    "  error: invalid command 'bdist_wheel'",
    "  ----------------------------------------",
    "  Failed building wheel for pyrfr",
    "  Running setup.py clean for pyrfr",
    "Failed to build pyrfr",
    "Installing collected packages: pyrfr",
]


@pytest.mark.parametrize(
    "fallback",
    [
        "  Running setup.py install for pyrfr ... done",
        # pip -v, and pip 20 when stdout is not a terminal
        "    Running setup.py install for pyrfr: finished with status 'done'",
    ],
)
def test_pip_fallback_to_setup_py_install_that_worked_clears_the_wheel_error(
    tmp_path: Path, fallback: str
) -> None:
    lines = [
        *run_step("pip install -r requirements.txt", *_BDIST_FAILED, fallback),
        "Successfully installed pyrfr-0.5.0",
        *run_step("pytest -q", "117 passed in 42.18s"),
    ]
    assert_finding(tmp_path, lines, None, {})


@pytest.mark.parametrize(
    "fallback",
    [
        "  Running setup.py install for pyrfr ... error",
        "    Running setup.py install for pyrfr: finished with status 'error'",
    ],
)
def test_pip_fallback_that_failed_too_keeps_the_wheel_error(tmp_path: Path, fallback: str) -> None:
    lines = [
        *run_step("pip install -r requirements.txt", *_BDIST_FAILED, fallback),
        "ERROR: Command errored out with exit status 1: python setup.py install Check the logs.",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "missing_dependency", {"module": "wheel"})


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (
            [
                "python3 -m pip install -r requirements.txt",
                "error: externally-managed-environment",
                "",
                "× This environment is externally managed",
                "╰─> To install Python packages system-wide, try apt install",
                "hint: See PEP 668 for the detailed specification.",
                "make: *** [Makefile:41: test] Error 1",
            ],
            "dependency_conflict",
            {},
        ),
        (
            [
                "Run uv pip install --system -r requirements.txt",
                "error: The interpreter at /usr is externally managed, and indicates the following:",
            ],
            "dependency_conflict",
            {},
        ),
        (
            [
                "💥 maturin failed",
                "  Caused by: Finding python interpreters failed",
                "  Caused by: Could not find any interpreters, are you sure you have python installed"
                " on your PATH?",
                "Error: Process completed with exit code 1.",
            ],
            "missing_tool",
            {},
        ),
        (
            [
                "Run nox",
                "nox > Running session tests-3.5",
                'RuntimeError: Unable to locate Python interpreter "python3.5".',
            ],
            "missing_tool",
            {"command": "python3.5"},
        ),
    ],
)
def test_pastes_of_the_family(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_a_cause_in_the_build_output_outranks_pips_summary(tmp_path: Path) -> None:
    lines = run_step(
        "pip install .",
        "  Preparing metadata (pyproject.toml): started",
        "  error: subprocess-exited-with-error",
        "  × Preparing metadata (pyproject.toml) did not run successfully.",
        "  ╰─> [40 lines of output]",
        '      ../scipy/meson.build:216:9: ERROR: Dependency "OpenBLAS" not found, tried pkgconfig'
        " and cmake",
        "      [end of output]",
        "  note: This error originates from a subprocess, and is likely not a problem with pip.",
        "error: metadata-generation-failed",
        "× Encountered error while generating package metadata.",
        FAILED,
    )
    assert_finding(tmp_path, lines, "missing_dependency", {"package": "OpenBLAS"})


def test_pips_summary_stays_when_its_output_names_no_cause(tmp_path: Path) -> None:
    lines = run_step(
        "pip install numpy==1.24.4",
        "  Building wheel for numpy (pyproject.toml): finished with status 'error'",
        "  error: subprocess-exited-with-error",
        "      [end of output]",
        "  ERROR: Failed building wheel for numpy",
        "ERROR: Could not build wheels for numpy, which is required to install pyproject.toml-based"
        " projects",
        FAILED,
    )
    assert_finding(tmp_path, lines, "dependency_conflict", {"package": "numpy"})


@pytest.mark.parametrize(
    ("line", "command"),
    [
        (
            "    RuntimeError: failed to find interpreter for Builtin discover of"
            " python_spec='python3.8'",
            "python3.8",
        ),
        ("The path python3.6 (from --python=python3.6) does not exist", "python3.6"),
    ],
)
def test_virtualenv_without_the_interpreter_asked_for(
    tmp_path: Path, line: str, command: str
) -> None:
    lines = [
        "Run pre-commit run --all-files",
        "[INFO] Installing environment for https://github.com/psf/black.",
        "An unexpected error has occurred: CalledProcessError: command:"
        " ('/usr/bin/python3', '-mvirtualenv', '/home/runner/.cache/pre-commit/repo1/py_env-python3.8',"
        " '-p', 'python3.8')",
        "return code: 1",
        "stdout:",
        line,
        "Check the log at /home/runner/.cache/pre-commit/pre-commit.log",
        "Error: Process completed with exit code 3.",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"command": command})


@pytest.mark.parametrize(
    ("cause", "want", "facts"),
    [
        ("      error: can't find Rust compiler", "missing_tool", {}),
        (
            "      Package libffi was not found in the pkg-config search path.",
            "missing_dependency",
            {"package": "libffi"},
        ),
        ("      No package 'libffi' found", "missing_dependency", {"package": "libffi"}),
    ],
)
def test_a_source_builds_missing_prerequisite_under_pips_summary(
    tmp_path: Path, cause: str, want: str, facts: dict[str, str]
) -> None:
    lines = run_step(
        "pip install -r requirements.txt",
        "  error: subprocess-exited-with-error",
        "  ╰─> [28 lines of output]",
        cause,
        "      [end of output]",
        "  ERROR: Failed building wheel for pygobject",
        FAILED,
    )
    assert_finding(tmp_path, lines, want, facts)
