"""Windows runners, third sweep: the verdicts and facts its non-rule changes rely on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the code
it tests (diagnose/upstream.py, diagnose/repo_paths.py) or in the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.repo_paths import repo_path
from tests.diagnose.joblog import FAILED, assert_finding, top_finding


@pytest.mark.parametrize(
    ("printed", "want"),
    [
        # Git Bash and MSYS2 name the checkout by its drive letter as a folder.
        ("/d/a/app/app/src/main.c", "src/main.c"),
        ("/c/a/my-app/my-app/lib/x.ts", "lib/x.ts"),
        # Cygwin's and WSL's mounts of the same folder.
        ("/cygdrive/d/a/app/app/src/main.c", "src/main.c"),
        ("/mnt/d/a/app/app/src/main.c", "src/main.c"),
        # The same folders in their Windows spellings still work.
        ("D:\\a\\app\\app\\src\\main.c", "src/main.c"),
        ("D:/a/app/app/src/main.c", "src/main.c"),
        # Outside the checkout: the runner's temp scripts and the tool cache.
        ("/d/a/_temp/1a2b.sh", None),
        ("/c/hostedtoolcache/windows/Python/3.12.1/x64/Lib/os.py", None),
        # Third-party sources a build unpacks into the checkout: vcpkg's port trees, FetchContent.
        ("D:\\a\\app\\app\\vcpkg\\buildtrees\\zlib\\src\\v1.3-abc\\inflate.c", None),
        ("D:/a/app/app/build/_deps/googletest-src/googlemock/src/gmock.cc", None),
        ("_deps/fmt-src/include/fmt/core.h", None),
        ("src/_deps/notes.c", "src/_deps/notes.c"),
    ],
)
def test_git_bash_checkout_paths_are_repository_relative(printed: str, want: str | None) -> None:
    assert repo_path(printed) == want


@pytest.mark.parametrize(
    ("printed", "cwd", "want"),
    [
        # MSBuild names a file from the project's folder.
        ("..\\src\\main.cpp", "build", "src/main.cpp"),
        ("D:\\a\\app\\app\\build\\..\\src\\main.cpp", "", "src/main.cpp"),
        # Climbing out of the checkout, or from an unknown folder, is no repository path.
        ("..\\..\\main.cpp", "build", None),
        ("D:\\a\\app\\app\\..\\other\\x.c", "", None),
        ("../src/x.c", "", None),
    ],
)
def test_parent_folders_resolve_inside_the_checkout(
    printed: str, cwd: str, want: str | None
) -> None:
    assert repo_path(printed, cwd) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # gcc under MSYS2 prints the Git Bash form of the checkout.
        (
            [
                "##[group]Run make",
                "##[endgroup]",
                "/d/a/app/app/src/main.c:12:5: error: expected ';' before 'return'",
                "make: *** [Makefile:10: all] Error 1",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.c", "line": "12"},
        ),
        # eslint's stylish header in the same form.
        (
            [
                "##[group]Run npx eslint src",
                "##[endgroup]",
                "/d/a/app/app/src/index.ts",
                "  4:10  error  'x' is defined but never used  @typescript-eslint/no-unused-vars",
                "",
                "✖ 1 problem (1 error, 0 warnings)",
                FAILED,
            ],
            "lint_failure",
            {"tool": "eslint", "file": "src/index.ts", "line": "4"},
        ),
    ],
)
def test_git_bash_paths_give_file_facts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # pwsh 7: the program the failed compile should have produced is not there.
        (
            [
                "##[group]Run cl test.c",
                "##[endgroup]",
                "test.c",
                "C:\\Users\\runneradmin\\include\\lib\\r_list.h(6): fatal error C1083: Cannot open"
                " include file: 'sdb.h': No such file or directory",
                ".\\test.exe: D:\\a\\_temp\\9ef0.ps1:9",
                "Line |",
                "   9 |  .\\test.exe",
                "     |  ~~~~~~~~~~",
                "     | The term '.\\test.exe' is not recognized as the name of a cmdlet, function,"
                " script file, or operable",
                FAILED,
            ],
            "missing_dependency",
        ),
        # bash: a compile error, then the binary it did not build.
        (
            [
                "##[group]Run gcc -o build/app src/main.c && ./build/app",
                "##[endgroup]",
                "src/main.c:12:5: error: 'foo' undeclared (first use in this function)",
                "/home/runner/work/_temp/1a2b.sh: line 1: ./build/app: No such file or directory",
                "##[error]Process completed with exit code 127.",
            ],
            "syntax_error",
        ),
        # cmd names the program without a leading ".\\".
        (
            [
                "##[group]Run cl /Fe:build\\Release\\app.exe src\\main.cpp && build\\Release\\app.exe",
                "##[endgroup]",
                "D:\\a\\app\\app\\src\\main.cpp(3): error C2065: 'foo': undeclared identifier",
                "'build\\Release\\app.exe' is not recognized as an internal or external command,",
                FAILED,
            ],
            "syntax_error",
        ),
        # A script the repository ships is still the missing tool, compile error or not.
        (
            [
                "##[group]Run cl test.c; .\\scripts\\run.ps1",
                "##[endgroup]",
                "D:\\a\\app\\app\\test.c(3): error C2065: 'foo': undeclared identifier",
                "     | The term '.\\scripts\\run.ps1' is not recognized as a name of a cmdlet,"
                " function, script file, or executable program.",
                FAILED,
            ],
            "missing_tool",
        ),
        # A tool by name is not something the build produces.
        (
            [
                "##[group]Run cl test.c; cmake --build build",
                "##[endgroup]",
                "D:\\a\\app\\app\\test.c(3): error C2065: 'foo': undeclared identifier",
                "'cmake' is not recognized as an internal or external command,",
                FAILED,
            ],
            "missing_tool",
        ),
    ],
)
def test_a_built_program_not_found_points_at_the_failed_build(
    tmp_path: Path, lines: list[str], want: str
) -> None:
    assert top_finding(tmp_path, lines)[0] == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Pester 5 names the block path; the first "[-]" line is the test, not the tally.
        (
            [
                "##[group]Run Invoke-Pester -CI",
                "##[endgroup]",
                "Running tests.",
                "[-] Get-Widget.returns the widget by name 25ms (23ms|2ms)",
                " Expected 'foo', but got 'bar'.",
                " at $result | Should -Be 'foo', D:\\a\\app\\app\\tests\\Get-Widget.Tests.ps1:12",
                "[-] Get-Widget.lists every widget 3ms (2ms|1ms)",
                "Tests completed in 1.05s",
                "Tests Passed: 3, Failed: 2, Skipped: 0 NotRun: 0",
                FAILED,
            ],
            "test_failure",
            {"test": "Get-Widget.returns the widget by name"},
        ),
        # Pester 4: the It title alone, indented under "Describing".
        (
            [
                "##[group]Run Invoke-Pester -EnableExit",
                "##[endgroup]",
                "Describing Get-Widget",
                "  [-] returns the widget by name 61ms",
                "    Expected: {foo}",
                "Tests completed in 1.2s",
                "Tests Passed: 3, Failed: 1, Skipped: 0, Pending: 0, Inconclusive: 0",
                FAILED,
            ],
            "test_failure",
            {"test": "returns the widget by name"},
        ),
        # vstest.console's classic logger names the test after three spaces.
        (
            [
                "##[group]Run vstest.console.exe App.Tests.dll",
                "##[endgroup]",
                "Passed   ListsWidgets",
                "Failed   ReturnsWidget",
                "Error Message:",
                " Assert.AreEqual failed. Expected:<foo>. Actual:<bar>.",
                "Total tests: 2. Passed: 1. Failed: 1. Skipped: 0.",
                "Test Run Failed.",
                FAILED,
            ],
            "test_failure",
            {"test": "ReturnsWidget"},
        ),
        # googletest under MSVC: "file(line): error:" is an assertion, not a compile error.
        (
            [
                "##[group]Run ctest -C Release --output-on-failure",
                "##[endgroup]",
                "[ RUN      ] WidgetTest.ReturnsWidget",
                "D:\\a\\app\\app\\tests\\widget_test.cpp(21): error: Expected equality of these values:",
                "[  FAILED  ] WidgetTest.ReturnsWidget (0 ms)",
                "[  FAILED  ] 1 test, listed below:",
                "[  FAILED  ] WidgetTest.ReturnsWidget",
                FAILED,
            ],
            "test_failure",
            {"test": "WidgetTest.ReturnsWidget"},
        ),
        # cl.exe under MSBuild, the file named from the project's folder.
        (
            [
                "##[group]Run msbuild build\\app.sln",
                "##[endgroup]",
                "..\\src\\main.cpp(12,5): error C2065: 'foo': undeclared identifier"
                " [D:\\a\\app\\app\\build\\app.vcxproj]",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.cpp", "line": "12"},
        ),
        # clang-cl's MSVC-shaped diagnostic, with a column, is the compile error it looks like.
        (
            [
                "##[group]Run cmake --build build",
                "##[endgroup]",
                "D:\\a\\app\\app\\src\\main.cpp(12,5): error: use of undeclared identifier 'foo'"
                " [D:\\a\\app\\app\\build\\app.vcxproj]",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.cpp", "line": "12"},
        ),
    ],
)
def test_windows_test_runner_and_compiler_shapes(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
