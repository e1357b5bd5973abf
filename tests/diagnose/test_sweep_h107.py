"""Verdicts the C/C++, embedded and scientific-computing blind batch (h107) relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml, 30-python.yaml, 45-langs.yaml, 80-network.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.program_fill_ins import language_compiler
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # CMake names the CUDA language, not its compiler: the compiler is nvcc.
        (
            [
                "##[group]Run cmake -B build",
                "##[endgroup]",
                "-- The CUDA compiler identification is unknown",
                "CMake Error at CMakeLists.txt:3 (project):",
                "  No CMAKE_CUDA_COMPILER could be found.",
                FAILED,
            ],
            "missing_tool",
            {"command": "nvcc"},
        ),
        # FindCUDAToolkit (CMake 3.29) under conda-build, whose traceback follows it.
        (
            [
                "##[group]Run conda build recipe",
                "##[endgroup]",
                "CMake Error at /opt/conda/share/cmake-3.29/Modules/FindCUDAToolkit.cmake:855 (message):",
                "  Could not find nvcc, please set CUDAToolkit_ROOT.",
                "Call Stack (most recent call first):",
                "  CMakeLists.txt:114 (find_package)",
                "-- Configuring incomplete, errors occurred!",
                "Traceback (most recent call last):",
                '  File "/opt/conda/lib/python3.12/site-packages/conda/cli/main.py", line 83, in main',
                FAILED,
            ],
            "missing_tool",
            {"command": "nvcc"},
        ),
        # Conan 1's header, then the refused reference with "Invalid ID".
        (
            [
                "##[group]Run conan install .. --build=missing",
                "##[endgroup]",
                "ERROR: There are invalid packages (packages that cannot exist for this configuration):",
                "qt/6.2.4: Invalid ID: Qt 6 needs at least C++17",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "qt/6.2.4"},
        ),
        # macOS 12+ dyld quotes the library's path.
        (
            [
                "##[group]Run fpm test",
                "##[endgroup]",
                "dyld[2541]: Library not loaded: '/usr/local/opt/gcc@10/lib/gcc/10/libgfortran.5.dylib'",
                "  Referenced from: '/Users/runner/work/_temp/fpm'",
                FAILED,
            ],
            "missing_dependency",
            {"module": "libgfortran.5.dylib"},
        ),
    ],
)
def test_batch_families(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("language", "compiler"), [("CUDA", "nvcc"), ("HIP", "hipcc"), ("CXX", None), ("Fortran", None)]
)
def test_language_compiler_only_when_one(language: str, compiler: str | None) -> None:
    assert language_compiler(language) == compiler
