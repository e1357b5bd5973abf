"""Verdicts the embedded, game and hardware sweep (helper h20) relies on beyond the rules' own
examples: Verilator's `%Warning-X:` / `%Error-X:` rows as locations (the first warning is the fatal
lint's place), CMake's compiler named on its own line above "is not a full path", CMake's find_package
message wrapped before a long package name, Godot's and Zephyr's places made repository-relative.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.program_fill_ins import cmake_compiler
from tests.diagnose.joblog import FAILED, assert_finding, top_finding


def test_verilator_rows_are_locations() -> None:
    row = "%Warning-UNUSEDSIGNAL: rtl/alu.sv:17:17: Signal is not used: 'carry'"
    assert location(row) == ("rtl/alu.sv", "17")
    assert location("%Error-PINNOTFOUND: rtl/top.sv:12:5: Pin not found: 'clk_i'") == (
        "rtl/top.sv",
        "12",
    )


def test_cmake_compiler_named_above() -> None:
    block = [
        "CMake Error at CMakeLists.txt:35 (project):",
        "  The CMAKE_C_COMPILER:",
        "",
        "    arm-none-eabi-gcc",
        "",
    ]
    assert cmake_compiler(block) == "arm-none-eabi-gcc"
    assert cmake_compiler(
        ["  The CMAKE_CXX_COMPILER:", "", "    /opt/arm/bin/arm-none-eabi-g++", ""]
    ) == ("arm-none-eabi-g++")
    # Another message's indented text is no compiler.
    assert cmake_compiler(["  Tell CMake where to find the compiler by setting either", ""]) is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # verilator --lint-only: warnings are fatal; the first one is the place (lowRISC/opentitan #2314).
        (
            [
                "##[group]Run verilator --lint-only -Wall rtl/alu.sv",
                "##[endgroup]",
                "%Warning-UNUSEDSIGNAL: rtl/alu.sv:17:17: Signal is not used: 'carry'",
                "                                      : ... note: In instance 'alu'",
                "   17 |     logic [7:0] carry;",
                "      |                 ^~~~~",
                "                        ... For warning description see https://verilator.org/warn/UNUSEDSIGNAL?v=5.020",
                '                        ... Use "/* verilator lint_off UNUSEDSIGNAL */" and lint_on around source to disable this message.',
                "%Error: Exiting due to 1 warning(s)",
                FAILED,
            ],
            "lint_failure",
            {"tool": "verilator", "file": "rtl/alu.sv", "line": "17"},
        ),
        # USCRPL/mbed-cmake #2: the toolchain file names a compiler the runner lacks.
        (
            [
                "CMake Error at mbed-cmake/CMakeLists.txt:35 (project):",
                "  The CMAKE_C_COMPILER:",
                "",
                "    arm-none-eabi-gcc",
                "",
                "  is not a full path and was not found in the PATH.",
                "",
                "  Tell CMake where to find the compiler by setting either the environment",
                "-- Configuring incomplete, errors occurred!",
                FAILED,
            ],
            "missing_tool",
            {"command": "arm-none-eabi-gcc"},
        ),
        # ros2-rust/ros2_rust #28: "provided by" ends the line, the long name starts the next.
        (
            [
                "--- stderr: builtin_interfaces",
                "CMake Error at /opt/ws/install/share/rosidl_generator_rs/cmake/gen.cmake:15 (find_package):",
                '  By not providing "Findrmw_implementation_cmake.cmake" in CMAKE_MODULE_PATH',
                "  this project has asked CMake to find a package configuration file provided",
                '  by "rmw_implementation_cmake", but CMake did not find one.',
                "---",
                "Failed   <<< builtin_interfaces [3.42s, exited with code 2]",
                FAILED,
            ],
            "missing_dependency",
            {"package": "rmw_implementation_cmake"},
        ),
        # ceceppa/godot-gut-ci #14: res:// is the project folder.
        (
            [
                'SCRIPT ERROR: Parse Error: Identifier "GutUtils" not declared in the current scope.',
                "          at: GDScript::reload (res://addons/gut/gut_cmdln.gd:326)",
                'ERROR: Failed to load script "res://addons/gut/gut_cmdln.gd" with error "Parse error".',
                "   at: load (modules/gdscript/gdscript.cpp:2788)",
                FAILED,
            ],
            "syntax_error",
            {"file": "addons/gut/gut_cmdln.gd", "line": "326"},
        ),
        # zmkfirmware/zmk #2471 under Actions: the keymap in the checkout, repository-relative.
        (
            [
                "-- Found devicetree overlay: /__w/zmk-config/zmk-config/config/corne.keymap",
                "devicetree error: /__w/zmk-config/zmk-config/config/corne.keymap:22 (column 105): parse error: expected number or parenthesized expression",
                "CMake Error at /__w/zmk-config/zmk-config/zephyr/cmake/modules/dts.cmake:279 (message):",
                "  gen_defines.py failed with return code: 1",
                FAILED,
            ],
            "syntax_error",
            {"file": "config/corne.keymap", "line": "22"},
        ),
    ],
)
def test_sweep_verdicts(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_colcon_stderr_summary_passes(tmp_path: Path) -> None:
    # jetsonhacks/installROS2 #7: packages that printed to stderr, every package finished.
    lines = [
        "##[group]Run colcon build --symlink-install",
        "##[endgroup]",
        "--- stderr: demo_nodes_py",
        "/usr/lib/python3/dist-packages/setuptools/command/install.py:34: SetuptoolsDeprecationWarning: setup.py install is deprecated.",
        "---",
        "Summary: 200 packages finished [3min 42s]",
        "  2 packages had stderr output: demo_nodes_py launch_testing_ros",
    ]
    assert top_finding(tmp_path, lines)[0] is None
