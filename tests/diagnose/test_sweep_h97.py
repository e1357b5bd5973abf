"""Verdicts the random C/C++, scientific and Windows/macOS batch (helper h97) relies on beyond the
rules' own examples: testthat's failure headers and meson's rows name the test; pasted configure
failures of CMake and vcpkg are failures, not passing jobs.

Texts are the tools' real formats with names changed; the threads are named where the rules say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # testthat 3's progress reporter under its rule, after the file's progress row.
        (
            [
                "✖ | 1       3 | checks [0.2s]",
                "─" * 40,
                "Failure (test-checks.R:12:3): chk_vector errors on length",
            ],
            "chk_vector errors on length",
        ),
        # testthat's summary in R CMD check's "Last 13 lines of output".
        (["      FAILURE (test-mark_my_dir.R:11:3): mark_my_dir()"], "mark_my_dir()"),
        (["      ERROR (???): additional tests"], "additional tests"),
        # testthat 1.x/2.x, a test_that() outside a reporter.
        (["Error: Test failed: 'adds numbers'", "* add(1, 1) not equal to 3."], "adds numbers"),
        # meson test's row.
        (
            [" 3/12 unit-tests / test_parser        FAIL            0.12s   exit status 1"],
            "unit-tests / test_parser",
        ),
    ],
)
def test_named_failure_reads_testthat_and_meson_rows(lines: list[str], want: str) -> None:
    assert named_failure(lines) == want


def test_testthat_progress_row_is_no_test() -> None:
    assert named_failure(["✖ | 1       3 | checks [0.2s]"]) is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # poissonconsulting/checkr PR #25: only expect_error()'s mismatch was pasted.
        (
            [
                'Expected match: "y must be an atomic vector"',
                'Actual message: "y must have 1 element"',
            ],
            "test_failure",
            {},
        ),
        (
            [
                "── Failure (test-checks.R:12:3): chk_vector errors on length ───────────",
                "`chk_vector(1:2)` threw an error with unexpected message.",
                'Expected match: "y must be an atomic vector"',
                'Actual message: "y must have 1 element"',
            ],
            "test_failure",
            {"test": "chk_vector errors on length"},
        ),
        # testthat 3.1+ through rlang.
        (
            [
                "[ FAIL 1 | WARN 0 | SKIP 3 | PASS 67 ]",
                "Error:",
                "! Test failures.",
                "Execution halted",
            ],
            "test_failure",
            {},
        ),
        # Julia's Test: the testset and place of a failed @test.
        (
            [
                "parse header: Test Failed at /home/runner/work/Foo.jl/Foo.jl/test/runtests.jl:12",
                '  Expression: parse("x") == 1',
                "   Evaluated: 2 == 1",
            ],
            "test_failure",
            {"test": "parse header", "file": "test/runtests.jl", "line": "12"},
        ),
        (["ERROR: Package Foo errored during testing"], "test_failure", {}),
        # meson test's summary: the row's name.
        (
            [
                "Summary of Failures:",
                "",
                " 3/12 unit-tests / test_parser        FAIL            0.12s   exit status 1",
                "",
                "Ok:                 11",
                "Fail:               1",
            ],
            "test_failure",
            {"test": "unit-tests / test_parser"},
        ),
        # nicledomaS/cmake_build_action #25: Node's execSync error behind the action's prefix.
        (
            ["Start build: Error: Command failed: cmake --build . --config Release --parallel 2"],
            "unknown",
            {},
        ),
        # gbionics/bipedal-locomotion-framework #30: a vcpkg port's build, pasted.
        (
            [
                "CMake Error at scripts/cmake/vcpkg_execute_required_process.cmake:72 (message):",
                "    Command failed: msbuild C:/vcpkg/buildtrees/ace/src/ace.sln /p:Configuration=Release",
                "    Working Directory: C:/vcpkg/buildtrees/ace/x64-windows-rel",
                "    Error code: 1",
            ],
            "unknown",
            {},
        ),
        # A message(FATAL_ERROR) and CMake's summary line, pasted without the runner's trailer.
        (
            [
                "CMake Error at cmake/Options.cmake:41 (message):",
                "  BUILD_SHARED_LIBS and STATIC_RUNTIME cannot both be ON",
                "-- Configuring incomplete, errors occurred!",
            ],
            "unknown",
            {},
        ),
        # A cause above the configure summary still wins.
        (
            [
                "CMake Error at CMakeLists.txt:47 (project):",
                "  Generator",
                "",
                "    Visual Studio 17 2022",
                "",
                "  could not find any instance of Visual Studio.",
                "-- Configuring incomplete, errors occurred!",
            ],
            "missing_tool",
            {},
        ),
        # Conan 1's conflict: the first pin printed.
        (
            [
                "ERROR: Conflict in cmake/3.19.1:",
                "    'cmake/3.19.1' requires 'openssl/1.1.1i' while 'qt/6.0.1' requires 'openssl/1.1.1j'.",
                "    To fix this conflict you need to override the package 'openssl' in your root package.",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "openssl/1.1.1i"},
        ),
        # gfortran: a module's .mod file is not on the include path.
        (
            [
                "src/io.f90:3:7:",
                "",
                "    3 |   use netcdf",
                "      |       1",
                "Fatal Error: Cannot open module file ‘netcdf.mod’ for reading at (1): No such file or directory",
            ],
            "missing_dependency",
            {"module": "netcdf.mod"},
        ),
    ],
)
def test_pasted_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_configure_summary_in_a_passing_job_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run cmake -B probe -DWITH_CUDA=ON || true",
        "cmake -B probe -DWITH_CUDA=ON || true",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "CMake Error at CMakeLists.txt:20 (message):",
        "  CUDA not found",
        "-- Configuring incomplete, errors occurred!",
        "##[group]Run cmake -B build",
        "cmake -B build",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "-- Configuring done (0.4s)",
        "-- Generating done (0.1s)",
        "-- Build files have been written to: /home/runner/work/app/app/build",
    ]
    assert_finding(tmp_path, [f"2025-05-02T00:19:58.1268944Z {line}" for line in lines], None, {})
