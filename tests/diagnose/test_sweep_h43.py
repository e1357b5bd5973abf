"""Compile and lint errors of less common languages (fourth sweep): places and verdicts.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/50-build.yaml, rules/70-lint.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.repo_paths import project_dir, repo_path
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("path", "cwd", "want"),
    [
        # meson and cmake under ninja name sources from the build folder.
        ("../src/oblivion/qps.F90", "builddir", "src/oblivion/qps.F90"),
        ("../../lib/a.c", "build/release", "lib/a.c"),
        ("../src/a.c", "build", "src/a.c"),
        # Leaving the checkout, or no folder known: no file.
        ("../../a.c", "build", None),
        ("../src/a.c", "", None),
        # A plain relative path is still taken from the folder.
        ("src/a.c", "web", "web/src/a.c"),
    ],
)
def test_build_folder_relative_paths(path: str, cwd: str, want: str | None) -> None:
    assert repo_path(path, cwd) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("ninja: Entering directory `builddir'", "builddir"),
        ("ninja: Entering directory `/home/runner/work/opt/opt/build/release'", "build/release"),
        ("ninja: Entering directory `D:\\a\\opt\\opt\\build'", "build"),
    ],
)
def test_ninja_names_the_build_folder(line: str, want: str) -> None:
    assert project_dir([line, "[1/4] Compiling C object x.o"]) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # gfortran through meson: the place above the gutter, build-folder relative.
        (
            [
                "ninja: Entering directory `/home/runner/work/opt/opt/builddir'",
                "FAILED: libopt.so.p/qps.f90.o",
                "../src/qps/qps.F90:170:11:",
                "",
                "  170 |           row_norm( i ) = ABS( scale%row_scale( i ) )",
                "      |           1",
                "Error: Unclassifiable statement at (1)",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/qps/qps.F90", "line": "170"},
        ),
        # gcc through cmake's ninja generator with a relative source.
        (
            [
                "ninja: Entering directory `build'",
                "../src/parser.c:42:13: error: expected ';' before '}' token",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/parser.c", "line": "42"},
        ),
        # OCaml: the File line above the excerpt names the place.
        (
            [
                'File "src/main.ml", line 3, characters 10-11:',
                "3 | let x = 1 +",
                "              ^",
                "Error: Syntax error",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.ml", "line": "3"},
        ),
        (
            [
                'File "lib/eval.ml", line 12, characters 8-20:',
                "Error: Unbound value lookup_env",
                FAILED,
            ],
            "syntax_error",
            {"file": "lib/eval.ml", "line": "12"},
        ),
        (
            [
                'File "src/util.ml", line 4, characters 4-10:',
                "4 | let helper x = x",
                "        ^^^^^^",
                "Error (warning 32 [unused-value-declaration]): unused value helper.",
                FAILED,
            ],
            "lint_failure",
            {"file": "src/util.ml", "line": "4"},
        ),
        # cabal closes a package GHC did not compile; the place is GHC's first row above.
        (
            [
                "[27 of 46] Compiling Handler.Serve    ( Handler/Serve.hs, dist/Handler/Serve.o )",
                "",
                "Handler/Serve.hs:56:47: error:",
                "    Variable not in scope: lib_js :: Route Static",
                "   |",
                "56 |     addScript $ StaticR lib_js",
                "   |                         ^^^^^^",
                "",
                "Handler/Serve.hs:57:47: error:",
                "    Variable not in scope: out_js :: Route Static",
                "cabal: Failed to build app-0.0.0 (which is required by exe:app from app-0.0.0).",
                FAILED,
            ],
            "syntax_error",
            {"file": "Handler/Serve.hs", "line": "56"},
        ),
        (
            [
                "/home/runner/work/app/app/src/Lib.hs:12:5: error: [GHC-88464]",
                "    • Variable not in scope: foo :: Int",
                "",
                "--  While building package app-0.1.0.0 (scroll up to its section to see the error)"
                " using:",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/Lib.hs", "line": "12"},
        ),
        # hlint's rows, a hint per row; the first one is the place.
        (
            [
                "src/Lib.hs:12:5-20: Warning: Redundant bracket",
                "Found:",
                "  (print x)",
                "Perhaps:",
                "  print x",
                "",
                "1 hint",
                FAILED,
            ],
            "lint_failure",
            {"tool": "hlint", "file": "src/Lib.hs", "line": "12"},
        ),
        # Perl under prove: the module's place, not the test's; a strict-subs error under perl -c.
        (
            [
                "t/provider.t .. syntax error at /home/runner/work/app/app/lib/App/Client.pm line 1,"
                ' near "package App::Client 0.0"',
                "Compilation failed in require at /home/runner/work/app/app/t/provider.t line 13.",
                "t/provider.t .. Dubious, test returned 255 (wstat 65280, 0xff00)",
                "Result: FAIL",
                FAILED,
            ],
            "syntax_error",
            {"file": "lib/App/Client.pm", "line": "1"},
        ),
        (
            [
                'Bareword "FOO" not allowed while "strict subs" in use at lib/App/Config.pm line 22.',
                "lib/App/Config.pm had compilation errors.",
                FAILED,
            ],
            "syntax_error",
            {"file": "lib/App/Config.pm", "line": "22"},
        ),
        # Julia 1.10's parse error names the place on its "# Error @" line.
        (
            [
                "ERROR: LoadError: ParseError:",
                "# Error @ /home/runner/work/Pkg.jl/Pkg.jl/src/Pkg.jl:12:5",
                "#     x = (1 +",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/Pkg.jl", "line": "12"},
        ),
        # forge: the place under the numbered solc error; a missing import source.
        (
            [
                "Compiler run failed:",
                "Error (2314): Expected ';' but got '}'",
                " --> src/Counter.sol:12:5:",
                "   |",
                "12 |     }",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/Counter.sol", "line": "12"},
        ),
        (
            [
                'Error (6275): Source "forge-std/Test.sol" not found: File not found.',
                FAILED,
            ],
            "missing_dependency",
            {"module": "forge-std/Test.sol"},
        ),
        # invertase's Dart analyzer action: the errors' group under a warnings group.
        (
            [
                "##[group]Run invertase/github-action-dart-analyzer@v3",
                "##[endgroup]",
                "##[group]Dart Analyzer - Warnings",
                "/home/runner/work/app/app/lib/a.dart:3:7 The value of the local variable 'x' isn't used.",
                "##[warning]Try removing the variable or using it.",
                "##[endgroup]",
                "##[group]Dart Analyzer - Errors",
                "/home/runner/work/app/app/lib/main.dart:12:5 Undefined name 'foo'.",
                "##[error]Try correcting the name to one that is defined, or defining the name.",
                "##[endgroup]",
                "##[error]Dart Analyzer detected problems.",
            ],
            "lint_failure",
            {"tool": "dart analyze", "file": "lib/main.dart", "line": "12"},
        ),
        # Zig on Windows and Intel Fortran.
        (
            [
                "D:\\a\\app\\app\\src\\main.zig:12:5: error: expected ';' after statement",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.zig", "line": "12"},
        ),
        (
            [
                "src/bc_dynflt.f90(286): error #6404: This name does not have a type, and must have"
                " an explicit type.   [IT]",
                "compilation aborted for src/bc_dynflt.f90 (code 1)",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/bc_dynflt.f90", "line": "286"},
        ),
    ],
)
def test_compile_and_lint_errors(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    found, data = top_finding(tmp_path, lines)
    assert found == want
    assert facts.items() <= data.items()
