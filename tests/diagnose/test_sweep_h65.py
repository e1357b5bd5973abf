"""Facts of the C/C++ build sweep (h65) that live outside the rules.

CMake's pkg_check_modules(… REQUIRED …) says only "A required package was not found"; the module is
on pkg-config's own line above it, in the wording of the pkg-config that ran. Pastes and downloaded
logs alike. Texts are the tools' real formats with names changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.fill_ins import pkg_config_module_above
from smartmon.diagnose.program_fill_ins import autoconf_macro_tool, cmake_missing_executable
from smartmon.diagnose.repo_paths import project_dir, repo_path


def _top(path: Path) -> tuple[str, dict[str, str]] | None:
    analysis = analyze_paths([path])
    if not analysis.findings:
        return None
    top = analysis.findings[0]
    return top.type.value, dict(top.data)


_REQUIRED = "  A required package was not found"
_ERROR_AT = "CMake Error at /usr/share/cmake-3.22/Modules/FindPkgConfig.cmake:603 (message):"


@pytest.mark.parametrize(
    ("lines", "module"),
    [
        # pkg-config 0.29.2 / pkgconf
        (
            [
                "-- Checking for module 'gtk+-3.0'",
                "--   Package 'gtk+-3.0', required by 'virtual:world', not found",
                _ERROR_AT,
            ],
            "gtk+-3.0",
        ),
        # pkg-config before 0.29.2
        (
            [
                "-- Checking for module 'libusb-1.0'",
                "--   No package 'libusb-1.0' found",
                _ERROR_AT,
            ],
            "libusb-1.0",
        ),
        # several modules in one call: the first one missing
        (
            [
                "-- Checking for modules 'glib-2.0;gio-2.0;gudev-1.0'",
                "--   Package 'gio-2.0', required by 'virtual:world', not found",
                "--   Package 'gudev-1.0', required by 'virtual:world', not found",
                _ERROR_AT,
            ],
            "gio-2.0",
        ),
        # an optional module missing earlier belongs to another call
        (
            [
                "-- Checking for module 'libsystemd'",
                "--   Package 'libsystemd', required by 'virtual:world', not found",
                "-- Checking for module 'x11'",
                "--   Package 'x11', required by 'virtual:world', not found",
                _ERROR_AT,
            ],
            "x11",
        ),
    ],
)
def test_pkg_config_module_above_cmake_required(lines: list[str], module: str) -> None:
    assert pkg_config_module_above(_REQUIRED, lines) == module


def test_pkg_config_module_above_only_for_cmake_required_line() -> None:
    lines = [
        "-- Checking for module 'x11'",
        "--   Package 'x11', required by 'virtual:world', not found",
    ]
    assert (
        pkg_config_module_above("  Could NOT find X11 (missing: X11_X11_INCLUDE_PATH)", lines)
        is None
    )
    assert (
        pkg_config_module_above(_REQUIRED, ["-- Configuring incomplete, errors occurred!"]) is None
    )


def test_cmake_pkg_check_modules_required_paste(tmp_path: Path) -> None:
    log = tmp_path / "paste.log"
    log.write_text(
        "\n".join(
            [
                "Run cmake -S . -B build",
                '-- Found PkgConfig: /usr/bin/pkg-config (found version "0.29.2")',
                "-- Checking for module 'gtk+-3.0'",
                "--   Package 'gtk+-3.0', required by 'virtual:world', not found",
                _ERROR_AT,
                _REQUIRED,
                "Call Stack (most recent call first):",
                "  /usr/share/cmake-3.22/Modules/FindPkgConfig.cmake:825 (_pkg_check_modules_internal)",
                "  CMakeLists.txt:14 (pkg_check_modules)",
                "",
                "",
                "-- Configuring incomplete, errors occurred!",
                "Error: Process completed with exit code 1.",
            ]
        )
        + "\n"
    )
    top = _top(log)
    assert top is not None
    assert top[0] == "missing_dependency"
    assert top[1]["package"] == "gtk+-3.0"


def test_optional_pkg_config_module_is_no_failure(tmp_path: Path) -> None:
    # pkg_check_modules without REQUIRED reports the module missing and the configure goes on.
    log = tmp_path / "job.log"
    stamp = "2024-05-02T10:00:0{}.0000000Z "
    lines = [
        "##[group]Run cmake -S . -B build",
        "cmake -S . -B build",
        "##[endgroup]",
        "-- Checking for module 'libsystemd'",
        "--   Package 'libsystemd', required by 'virtual:world', not found",
        "-- Configuring done",
        "-- Generating done",
        "-- Build files have been written to: /home/runner/work/app/app/build",
    ]
    log.write_text("".join(stamp.format(i) + line + "\n" for i, line in enumerate(lines)))
    assert _top(log) is None


@pytest.mark.parametrize(
    ("text", "module"),
    [
        (
            "/home/runner/work/app/app/include/Common.h:10:22: fatal error: filesystem: No such file or directory",
            "filesystem",
        ),
        (
            "/home/runner/work/app/app/include/Client.h:5:20: fatal error: optional: No such file or directory",
            "optional",
        ),
        ("src/net.cc:4:10: fatal error: 'boost/asio.hpp' file not found", "boost/asio.hpp"),
        (
            "src/bindings.cpp(3,10): fatal error C1083: Cannot open include file: 'pybind11/pybind11.h': No such file or directory",
            "pybind11/pybind11.h",
        ),
    ],
)
def test_missing_header_forms(tmp_path: Path, text: str, module: str) -> None:
    log = tmp_path / "paste.log"
    log.write_text(f"Run cmake --build build\n{text}\ncompilation terminated.\n")
    assert _top(log) == ("missing_dependency", {"module": module})


@pytest.mark.parametrize(
    ("macro", "tool"),
    [
        ("AC_PROG_LIBTOOL", "libtool"),
        ("AC_LIBTOOL_WIN32_DLL", "libtool"),
        ("LT_INIT", "libtool"),
        ("PKG_PROG_PKG_CONFIG", "pkg-config"),
        ("PKG_CHECK_MODULES", "pkg-config"),
        ("AM_PATH_GLIB_2_0", None),
        ("g++", None),
    ],
)
def test_autoconf_macro_tool(macro: str, tool: str | None) -> None:
    assert autoconf_macro_tool(macro) == tool


def test_unexpanded_pkg_config_macro_in_configure(tmp_path: Path) -> None:
    # A configure generated without pkg.m4 runs the macro as a command.
    log = tmp_path / "paste.log"
    log.write_text(
        "Run ./autogen.sh && ./configure\n"
        "checking dependency style of gcc... gcc3\n"
        "./configure: line 3686: PKG_PROG_PKG_CONFIG: command not found\n"
        "./configure: line 3688: syntax error near unexpected token `GLIB2,'\n"
        "Error: Process completed with exit code 2.\n"
    )
    top = _top(log)
    assert top is not None
    assert top[0] == "missing_tool"
    assert top[1]["command"] == "pkg-config"


def test_autoreconf_undefined_libtool_macro(tmp_path: Path) -> None:
    log = tmp_path / "paste.log"
    log.write_text(
        "Run autoreconf -fi\n"
        "configure.ac:75: error: possibly undefined macro: AC_LIBTOOL_WIN32_DLL\n"
        "      If this token and others are legitimate, please use m4_pattern_allow.\n"
        "      See the Autoconf documentation.\n"
        "configure.ac:76: error: possibly undefined macro: AC_PROG_LIBTOOL\n"
        "autoreconf: error: /opt/homebrew/Cellar/autoconf/2.72/bin/autoconf failed with exit status: 1\n"
        "Error: Process completed with exit code 1.\n"
    )
    top = _top(log)
    assert top is not None
    assert top[0] == "missing_tool"
    assert top[1]["command"] == "libtool"


@pytest.mark.parametrize(
    "header",
    [
        "Run meson compile -C builddir",
        "##[group]Run ninja -C builddir -j 2",
        "+ meson test -C builddir --print-errorlogs",
        "$ samu -C builddir",
    ],
)
def test_build_folder_from_dash_c(header: str) -> None:
    # meson names sources from its build folder; `-C` says which one.
    assert project_dir([header, "[12/40] Compiling C object src/app.p/main.c.o"]) == "builddir"
    assert repo_path("../src/main.c", "builddir") == "src/main.c"


def test_meson_relative_source_in_paste(tmp_path: Path) -> None:
    log = tmp_path / "paste.log"
    log.write_text(
        "Run meson compile -C build\n"
        "[12/40] Compiling C object src/app.p/main.c.o\n"
        "FAILED: src/app.p/main.c.o\n"
        "cc -Isrc/app.p -Isrc -I../src -c ../src/main.c\n"
        "../src/main.c:12:5: error: implicit declaration of function 'foo'"
        " [-Werror=implicit-function-declaration]\n"
        "cc1: some warnings being treated as errors\n"
        "ninja: build stopped: subcommand failed.\n"
    )
    top = _top(log)
    assert top is not None
    assert top[0] == "syntax_error"
    assert (top[1]["file"], top[1]["line"]) == ("src/main.c", "12")


@pytest.mark.parametrize(
    ("lines", "place"),
    [
        (
            [
                "CMake Error at cmake/Deps.cmake:7:",
                "  Parse error.  Expected a command name, got unquoted argument with text",
                '  "<!DOCTYPE".',
            ],
            ("cmake/Deps.cmake", "7"),
        ),
        # CMake 2.x names the listfile on its own line
        (
            [
                "CMake Error: Error in cmake code at",
                "/home/runner/work/oal/oal/CMakeLists.txt:13:",
                'Parse error.  Expected a command name, got unquoted argument with text "x".',
            ],
            ("CMakeLists.txt", "13"),
        ),
        (
            [
                "CMake Error at CMakeLists.txt:12 (add_compile_options):",
                '  Unknown CMake command "add_compile_options".',
            ],
            ("CMakeLists.txt", "12"),
        ),
    ],
)
def test_cmake_listfile_error_place(
    tmp_path: Path, lines: list[str], place: tuple[str, str]
) -> None:
    log = tmp_path / "paste.log"
    log.write_text(
        "\n".join(
            ["Run cmake -S . -B build", *lines, "-- Configuring incomplete, errors occurred!"]
        )
        + "\n"
    )
    top = _top(log)
    assert top is not None
    assert top[0] == "syntax_error"
    assert (top[1]["file"], top[1]["line"]) == place


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("  Could NOT find PkgConfig (missing: PKG_CONFIG_EXECUTABLE)", "pkg-config"),
        ("  Could NOT find PkgConfig (missing:  PKG_CONFIG_EXECUTABLE) ", "pkg-config"),
        (
            '  Could NOT find Git (missing: GIT_EXECUTABLE) (Required is at least version "2.20")',
            "git",
        ),
        ("  Could NOT find Python3 (missing: Python3_EXECUTABLE)", "python3"),
        ("  Could NOT find SWIG (missing: SWIG_EXECUTABLE SWIG_DIR)", None),
        ("  Could NOT find OpenSSL, try to set the path to OpenSSL root folder in the", None),
    ],
)
def test_cmake_missing_executable(text: str, command: str | None) -> None:
    assert cmake_missing_executable(text) == command


def test_cmake_program_missing_is_a_tool(tmp_path: Path) -> None:
    log = tmp_path / "paste.log"
    log.write_text(
        "CMake Error at /usr/share/cmake-3.16/Modules/FindPackageHandleStandardArgs.cmake:146 (message):\n"
        "  Could NOT find PkgConfig (missing: PKG_CONFIG_EXECUTABLE)\n"
        "Call Stack (most recent call first):\n"
        "  /usr/share/cmake-3.16/Modules/FindPkgConfig.cmake:41 (find_package_handle_standard_args)\n"
        "  CMakeLists.txt:52 (find_package)\n"
        "-- Configuring incomplete, errors occurred!\n"
    )
    assert _top(log) == ("missing_tool", {"command": "pkg-config"})
