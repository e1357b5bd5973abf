"""Systems-language excerpts of the h114 sweep: native build drivers, Zig's build runner, Meson, opam,
and the per-test make target that names a test a sanitizer report does not.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/*.yaml) or in failed_tests.make_test_target.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.failed_tests import make_test_target
from tests.diagnose.joblog import FAILED, assert_finding, run_step


@pytest.mark.parametrize(
    ("after", "want"),
    [
        (["make[1]: *** [Makefile:412: test-sheet-pivot-1] Error 1"], "test-sheet-pivot-1"),
        # GNU make before 4.0 prints no "Makefile:N: ".
        (["==ABORTING", "make[2]: *** [check-unit_parser] Error 134"], "check-unit_parser"),
        (["gmake[1]: *** [GNUmakefile:30: test_roundtrip] Error 1"], "test_roundtrip"),
        (["mingw32-make.exe[1]: *** [Makefile:9: test-win32] Error 3"], "test-win32"),
        # A whole suite's target names no test; the innermost make error decides.
        (["make: *** [Makefile:96: test] Error 2"], None),
        (
            ["make[1]: *** [Makefile:12: all] Error 2", "make: *** [Makefile:3: test-all] Error 2"],
            None,
        ),
        (["make: [Makefile:20: test-flaky] Error 1 (ignored)"], None),
    ],
)
def test_make_test_target(after: list[str], want: str | None) -> None:
    assert make_test_target(after) == want


_ASAN = [
    "==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011",
    "SUMMARY: AddressSanitizer: heap-buffer-overflow src/parse.c:88 in parse_field",
    "==4242==ABORTING",
]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A sanitizer report under a per-test make target, pasted and downloaded.
        (
            [*_ASAN, "make[1]: *** [Makefile:40: test-quoted-fields] Error 1"],
            "test_failure",
            {"test": "test-quoted-fields"},
        ),
        (
            [
                *run_step("make test-asan", *_ASAN),
                "make[1]: *** [Makefile:40: test-quoted-fields] Error 1",
                "make: *** [Makefile:9: test-asan] Error 2",
                FAILED,
            ],
            "test_failure",
            {"test": "test-quoted-fields"},
        ),
        # Pasted driver and build-system refusals are failures, not passing jobs; a flag this GCC
        # does not know was written for another GCC release (gcc-option-unknown-to-this-gcc).
        (
            ["gcc: error: unrecognized command-line option '-mavx512fp16'"],
            "dependency_conflict",
            {"name": "-mavx512fp16"},
        ),
        (["clang++: error: unsupported option '-fopenmp'"], "unknown", {}),
        (["ninja: error: loading 'build.ninja': No such file or directory"], "unknown", {}),
        (
            [
                "CMake Error in src/CMakeLists.txt:",
                '  Target "app" requires the language dialect "CXX23"',
            ],
            "unknown",
            {},
        ),
        (
            [
                "../meson.build:37:6: ERROR:  Script or command 'meson/post_install.py' not found or"
                " not executable"
            ],
            "unknown",
            {},
        ),
        (["ERROR: Could not detect Ninja v1.8.2 or newer"], "missing_tool", {"command": "ninja"}),
        (
            [
                "error: failed to spawn build runner"
                r" C:\Users\runneradmin\AppData\Local\zig\o\7e48\build.exe: FileNotFound"
            ],
            "unknown",
            {},
        ),
        (
            [
                '[ERROR] The compilation of conf-gmp.4 failed at "sh -exc cc -c $CFLAGS'
                ' -I/usr/local/include test.c".'
            ],
            "missing_dependency",
            {"package": "conf-gmp"},
        ),
        (
            [
                "/home/runner/work/app/app/tests/test_parse.nim(10, 13): Check failed: x == 2",
                "  [FAILED] parses empty input",
            ],
            "test_failure",
            {"test": "parses empty input"},
        ),
        # Native test runners' rows, pasted without their tallies.
        (
            [
                "-" * 79,
                "Parser handles empty input",
                "-" * 79,
                "/home/runner/work/app/app/tests/test_parse.cpp:40",
                "." * 79,
                "",
                "/home/runner/work/app/app/tests/test_parse.cpp:42: FAILED:",
                '  REQUIRE( parse("") == 0 )',
            ],
            "test_failure",
            {"test": "Parser handles empty input", "file": "tests/test_parse.cpp", "line": "42"},
        ),
        (
            [
                '/home/runner/work/app/app/tests/test_parse.cpp(42): error: in "parser_suite/empty":'
                ' check parse("") == 0 has failed [1 != 0]',
                "",
                '*** 1 failure is detected in the test module "Master Test Suite"',
            ],
            "test_failure",
            {"test": "parser_suite/empty"},
        ),
        (
            [
                "PASS: tests/parse",
                "FAIL: tests/roundtrip",
                "# TOTAL: 2",
                "# PASS:  1",
                "# FAIL:  1",
            ],
            "test_failure",
            {"test": "tests/roundtrip"},
        ),
        (
            ["        FAIL [   0.004s] (3/12) app::parse tests::parse_empty"],
            "test_failure",
            {"test": "tests::parse_empty"},
        ),
        (
            [
                "error: failed to load manifest for workspace member `/home/runner/work/app/app/core`"
            ],
            "unknown",
            {},
        ),
        (
            [
                "Tests",
                "  Parser",
                "    parses input:       OK",
                "    parses empty input: FAIL (0.01s)",
                "      test/Main.hs:20:",
                "      expected: 0",
                "",
                "1 out of 2 tests failed (0.01s)",
            ],
            "test_failure",
            {"test": "parses empty input"},
        ),
        # vcpkg's curl download on Linux and macOS, and the mirror-set line alone.
        (
            [
                "error: Failed to download from mirror set",
                "error: https://github.com/google/googletest/archive/release-1.12.1.tar.gz: curl failed"
                " to download with exit code 28",
            ],
            "network_error",
            {"host": "github.com"},
        ),
        (
            [
                "error: Failed to download from mirror set",
                "error: https://mirror.msys2.org/mingw/i686/pkgconf-1.8.0-2-any.pkg.tar.zst: failed:"
                " status code 404",
            ],
            "unknown",
            {},
        ),
        (
            [
                "error: failed to compile `cargo-nextest v0.9.70`, intermediate artifacts can be found"
                " at `/tmp/cargo-installXYZ`."
            ],
            "unknown",
            {},
        ),
        # A Rust build script's C compiler for a cross target; cc-rs's passing-build warning is no cause.
        (
            [
                "error: failed to run custom build command for `ring v0.17.8`",
                "",
                "Caused by:",
                "  --- stderr",
                "",
                '  error occurred in cc-rs: failed to find tool "aarch64-linux-gnu-gcc": No such file or'
                " directory (os error 2)",
            ],
            "missing_tool",
            {"command": "aarch64-linux-gnu-gcc"},
        ),
        (["error: failed to run custom build command for `ring v0.17.8`"], "unknown", {}),
        # A compile error under Zig's runner summary is the cause, not the summary.
        (
            [
                "zig build-exe app Debug native: error: the following command failed with 1"
                " compilation errors:",
                "/home/runner/work/app/app/src/main.zig:12:5: error: use of undeclared identifier 'foo'",
                "Build Summary: 0/3 steps succeeded; 1 failed",
            ],
            "syntax_error",
            {"file": "src/main.zig", "line": "12"},
        ),
    ],
)
def test_systems_excerpts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_cc_rs_detection_warning_is_no_cause(tmp_path: Path) -> None:
    lines = run_step(
        "cargo build --release",
        "warning: ring@0.17.8: Compiler family detection failed due to error: ToolNotFound: failed to"
        ' find tool "clang": No such file or directory (os error 2)',
        "cargo:warning=Compiler family detection failed due to error: ToolNotFound: failed to find"
        ' tool "clang": No such file or directory (os error 2)',
        "    Finished `release` profile [optimized] target(s) in 41.20s",
    )
    assert_finding(tmp_path, lines, None, {})
