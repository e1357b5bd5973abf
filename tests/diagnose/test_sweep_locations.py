"""File and line facts of lint, syntax and YAML errors, as real tools print them, in both log forms.

Each row is a tool's own output shape (names changed): the engine must name the type and the first
error's repository-relative file and line, both in the downloaded log (timestamps, `##[group]Run`,
`##[error]Process completed`) and as pasted from the run page (`Run …`, `Error: …`). Passing
look-alikes (warnings only, "0 issues", "No issues found!") must give no finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.location_search import find_location
from smartmon.diagnose.locations import location, table_location
from smartmon.diagnose.locations_below import mark_below

R = "/home/runner/work/acme/acme/"
W = "D:\\a\\acme\\acme\\"

# (id, type, file, line or None, the step's command or None for a run that never started, lines)
FORMATS: list[tuple[str, str, str, str | None, str | None, list[str]]] = [
    # ruff >= 0.12 names parse failures "invalid-syntax" (flycheck/flycheck #2133, astral-sh/ruff #23460)
    (
        "ruff-invalid-syntax-full",
        "syntax_error",
        "pkg/mod.py",
        "12",
        "ruff check .",
        [
            "invalid-syntax: Expected ')', found ':'",
            "  --> pkg/mod.py:12:11",
            "   |",
            "12 | def f(:",
            "   |       ^",
            "   |",
            "",
            "Found 1 error.",
        ],
    ),
    (
        "ruff-invalid-syntax-concise",
        "syntax_error",
        "pkg/mod.py",
        "2",
        "ruff check --output-format concise .",
        [
            "pkg/mod.py:2:15: invalid-syntax: Cannot use comments in f-strings on Python 3.11",
            "Found 1 error.",
        ],
    ),
    (
        "ruff-arrow",
        "lint_failure",
        "src/pkg/app.py",
        "12",
        "ruff check .",
        [
            "F841 Local variable `x` is assigned to but never used",
            "  --> src/pkg/app.py:12:5",
            "   |",
            "12 |     x = 1",
            "   |     ^",
            "",
            "Found 1 error.",
        ],
    ),
    (
        "flake8-container",
        "lint_failure",
        "pkg/mod.py",
        "7",
        "flake8 .",
        ["/__w/acme/acme/pkg/mod.py:7:80: E501 line too long (88 > 79 characters)"],
    ),
    (
        "mypy-windows",
        "lint_failure",
        "pkg/mod.py",
        "14",
        "mypy pkg",
        [
            'pkg\\mod.py:14: error: Incompatible return value type (got "int", expected "str")  [return-value]',
            "Found 1 error in 1 file (checked 3 source files)",
        ],
    ),
    (
        "pyright",
        "lint_failure",
        "pkg/mod.py",
        "12",
        "pyright",
        [
            R + "pkg/mod.py",
            "  " + R + 'pkg/mod.py:12:5 - error: "foo" is not defined (reportUndefinedVariable)',
            "1 error, 0 warnings, 0 informations ",
        ],
    ),
    (
        "pyyaml-under-traceback",
        "yaml_syntax_error",
        "config/app.yml",
        "12",
        "python scripts/check.py",
        [
            "Traceback (most recent call last):",
            '  File "scripts/check.py", line 5, in <module>',
            "    yaml.safe_load(open('config/app.yml'))",
            "yaml.scanner.ScannerError: mapping values are not allowed here",
            '  in "config/app.yml", line 12, column 8',
        ],
    ),
    # eslint's stylish format: the first error row, not a warning above it (eslint/eslint #17833)
    (
        "eslint-warning-then-error",
        "lint_failure",
        "src/b.ts",
        "3",
        "npx eslint .",
        [
            "",
            R + "src/App.tsx",
            "  20:10  warning  Unexpected any  @typescript-eslint/no-explicit-any",
            "",
            R + "src/b.ts",
            "  3:1  error  Unexpected console statement  no-console",
            "",
            "✖ 2 problems (1 error, 1 warning)",
        ],
    ),
    # remark's rows give a span; under --frail its warnings fail the run (skills/test-with-actions #52)
    (
        "remark-frail-span-row",
        "lint_failure",
        "docs/guide.md",
        "24",
        "npx remark . --use remark-preset-lint-consistent --frail",
        [
            "docs/index.md: no issues found",
            "docs/guide.md",
            "24:32-24:38 warning Emphasis should use `_` as a marker  emphasis-marker  remark-lint",
            "",
            "⚠ 1 warning",
        ],
    ),
    (
        "gcc-warning-then-error",
        "syntax_error",
        "src/b.c",
        "20",
        "make",
        [
            "src/a.c:3:5: warning: unused variable 'x' [-Wunused-variable]",
            "src/b.c:20:1: error: expected ';' before '}' token",
            "make: *** [Makefile:5: b.o] Error 1",
        ],
    ),
    (
        "tsc-monorepo-cwd",
        "lint_failure",
        "packages/web/src/index.ts",
        "12",
        "npm run typecheck",
        [
            "",
            "> web@1.0.0 typecheck /home/runner/work/acme/acme/packages/web",
            "> tsc --noEmit",
            "",
            "src/index.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
        ],
    ),
    # yamllint: parsable rows, and its github format (the default under Actions) as the log shows it
    (
        "yamllint-parsable",
        "lint_failure",
        ".github/workflows/ci.yml",
        "12",
        "yamllint -f parsable .",
        [
            "./.github/workflows/ci.yml:12:3: [error] wrong indentation: expected 4 but found 2 (indentation)"
        ],
    ),
    (
        "yamllint-github-group",
        "lint_failure",
        ".github/workflows/ci.yml",
        "12",
        "yamllint .",
        [
            "::group::.github/workflows/ci.yml",
            "::error file=.github/workflows/ci.yml,line=12,col=3::12:3 [indentation] wrong indentation: expected 4 but found 2",
            "::endgroup::",
        ],
    ),
    # pre-commit's yamllint hook under Actions, as the run page shows it (SalamLang/Salam #394)
    (
        "yamllint-precommit-rows",
        "lint_failure",
        "config/block.yaml",
        "2",
        "pre-commit run --all-files",
        [
            "run yamllint.............................................................Failed",
            "- hook id: yamllint",
            "- exit code: 1",
            "",
            "config/block.yaml",
            "  Error: 2:1 [indentation] wrong indentation: expected at least 1",
            "  Error: 5:5 [indentation] wrong indentation: expected 6 but found 4",
        ],
    ),
    (
        "yamllint-syntax-github",
        "yaml_syntax_error",
        "config/app.yml",
        "3",
        "yamllint .",
        [
            "::error file=config/app.yml,line=3,col=5::3:5 syntax error: could not find expected ':' (syntax)"
        ],
    ),
    (
        "actionlint-annotation",
        "lint_failure",
        ".github/workflows/ci.yml",
        "22",
        "actionlint",
        [
            "Error: .github/workflows/ci.yml:22:9: shellcheck reported issue in this script: SC2086:info:1:8: "
            "Double quote to prevent globbing and word splitting [shellcheck]"
        ],
    ),
    (
        "markdownlint-cli2-action",
        "lint_failure",
        "docs/guide.md",
        "40",
        "markdownlint-cli2 '**/*.md'",
        [
            "markdownlint-cli2 v0.13.0 (markdownlint v0.34.0)",
            "Summary: 1 error(s)",
            "Error: docs/guide.md:40:81 MD013/line-length Line length [Expected: 80; Actual: 93]",
        ],
    ),
    (
        "hadolint-annotation",
        "lint_failure",
        "server/Dockerfile",
        "6",
        "hadolint server/Dockerfile",
        ["Error: server/Dockerfile:6 DL3008 warning: Pin versions in apt get install."],
    ),
    # detekt 1.x console rows (detekt/detekt #1565, #275)
    (
        "detekt-console",
        "lint_failure",
        "app/src/main/kotlin/Main.kt",
        "12",
        "./gradlew detekt",
        [
            "> Task :app:detekt FAILED",
            "Ruleset: style - 10min debt",
            "\tMagicNumber - [<anonymous>] at " + R + "app/src/main/kotlin/Main.kt:12:5",
            "",
            "FAILURE: Build failed with an exception.",
            "* What went wrong:",
            "Execution failed for task ':app:detekt'.",
            "> Analysis failed with 1 weighted issues.",
        ],
    ),
    (
        "ktlint-rule-id",
        "lint_failure",
        "app/src/main/kotlin/Main.kt",
        "12",
        "./gradlew ktlintCheck",
        [
            "> Task :app:ktlintMainSourceSetCheck FAILED",
            R
            + 'app/src/main/kotlin/Main.kt:12:5 Unexpected spacing before ":" (standard:colon-spacing)',
        ],
    ),
    (
        "kotlinc-windows-uri",
        "syntax_error",
        "app/src/main/kotlin/Main.kt",
        "12",
        "./gradlew build",
        [
            "> Task :app:compileKotlin FAILED",
            "e: file:///D:/a/acme/acme/app/src/main/kotlin/Main.kt:12:5 Unresolved reference: foo",
        ],
    ),
    (
        "msvc",
        "syntax_error",
        "src/main.cpp",
        "12",
        "cmake --build build",
        [
            W
            + "src\\main.cpp(12,5): error C2143: syntax error: missing ';' before '}' ["
            + W
            + "build\\app.vcxproj]"
        ],
    ),
    (
        "phpstan-table",
        "lint_failure",
        "src/Foo.php",
        "12",
        "vendor/bin/phpstan analyse",
        [
            " ------ ---------------------------------------------- ",
            "  Line   src/Foo.php                                   ",
            " ------ ---------------------------------------------- ",
            "  12     Call to an undefined method Foo::bar().        ",
            " ------ ---------------------------------------------- ",
            "",
            " [ERROR] Found 1 error",
        ],
    ),
    (
        "swiftlint-github-logging",
        "lint_failure",
        "Sources/App/Foo.swift",
        "12",
        "swiftlint --strict",
        [
            "::error file=Sources/App/Foo.swift,line=12,col=5::Line Length Violation: Line should be 120 "
            "characters or less (line_length)",
            "Done linting! Found 1 violation, 1 serious in 10 files.",
        ],
    ),
    (
        "dart-analyze",
        "lint_failure",
        "lib/main.dart",
        "12",
        "dart analyze",
        [
            "Analyzing acme...",
            "",
            "  error - lib/main.dart:12:5 - Undefined name 'foo'. - undefined_identifier",
            "   info - lib/a.dart:3:1 - Unused import: 'dart:io'. - unused_import",
            "",
            "2 issues found.",
        ],
    ),
    (
        "flutter-analyze-bullets",
        "lint_failure",
        "lib/main.dart",
        "12",
        "flutter analyze",
        [
            "Analyzing acme...",
            "   info • Unused import • lib/a.dart:3:1 • unused_import",
            "  error • Undefined name 'foo' • lib/main.dart:12:5 • undefined_identifier",
            "",
            "2 issues found. (ran in 3.1s)",
        ],
    ),
    # ruff >= 0.16 format --check: one diagnostic per file, its fix under it (ruff 0.16.0 notes)
    (
        "ruff016-format-check",
        "lint_failure",
        "src/pkg/app.py",
        "1",
        "ruff format --check .",
        [
            "unformatted: File would be reformatted",
            " --> src/pkg/app.py:1:1",
            "  |",
            "1 | import   math",
            "  - import   math",
            "1 + import math",
            "  |",
            "",
            "unformatted: File would be reformatted",
            " --> docs/guide.md:3:1",
            "",
            "2 files would be reformatted, 40 files already formatted",
        ],
    ),
    (
        "ruff016-format-check-github",
        "lint_failure",
        "src/pkg/app.py",
        "1",
        "ruff format --check --output-format github .",
        [
            "::error title=ruff (unformatted),file=/home/runner/work/acme/acme/src/pkg/app.py,"
            "line=1,col=1,endLine=2,endColumn=1::src/pkg/app.py:1:1: unformatted: File would be reformatted"
        ],
    ),
    # a formatter's diff names the file before its tally (ruff format --diff)
    (
        "ruff-format-diff",
        "lint_failure",
        "pkg/mod.py",
        None,
        "ruff format --check --diff .",
        [
            "--- pkg/mod.py",
            "+++ pkg/mod.py",
            "@@ -1,3 +1,3 @@",
            "-x=1",
            "+x = 1",
            "",
            "1 file would be reformatted, 10 files already formatted",
        ],
    ),
    # PHP's parse error as an annotation, and php-parallel-lint's own report
    (
        "php-parse-error-annotation",
        "syntax_error",
        "src/Legacy/named.php",
        "8",
        "composer lint",
        [
            "Error: Parse error: syntax error, unexpected ':', expecting ')' in src/Legacy/named.php on line 8"
        ],
    ),
    (
        "php-parallel-lint",
        "syntax_error",
        "src/Foo.php",
        "311",
        "composer lint",
        [
            "Syntax error found in 1 file",
            "------------------------------------------------------------",
            "Parse error: src/Foo.php:311",
            "    309|         $x = 1",
            "  > 311|         return $x;",
            "Unexpected 'return' (T_RETURN)",
        ],
    ),
    # the runner's own validation, named only on the run page's header (Comfy-Org/publish-node-action #7)
    (
        "workflow-bare-line",
        "yaml_syntax_error",
        ".github/workflows/publish.yml",
        "3",
        None,
        [
            "Check failure on line 1 in .github/workflows/publish.yml",
            "",
            "GitHub Actions",
            "/ .github/workflows/publish.yml",
            "Invalid workflow file",
            "",
            "(Line: 3, Col: 1): Unexpected value 'inputs', (Line: 1, Col: 1): Required property is missing: jobs",
        ],
    ),
]

BAIT: list[tuple[str, list[str]]] = [
    (
        "remark-warnings-without-frail",
        [
            "Run npx remark . --use remark-preset-lint-consistent",
            "docs/guide.md",
            "24:32-24:38 warning Emphasis should use `_` as a marker  emphasis-marker  remark-lint",
            "",
            "⚠ 1 warning",
        ],
    ),
    (
        "ruff-clean",
        [
            "Run ruff check .",
            "All checks passed!",
            "Run ruff format --check .",
            "42 files already formatted",
        ],
    ),
    (
        "eslint-warnings-only",
        [
            "Run npx eslint .",
            "",
            R + "src/App.tsx",
            "  20:10  warning  Unexpected any  @typescript-eslint/no-explicit-any",
            "",
            "✖ 1 problem (0 errors, 1 warning)",
        ],
    ),
    (
        "yamllint-warning",
        [
            "Run yamllint .",
            "::group::.github/workflows/ci.yml",
            "::warning file=.github/workflows/ci.yml,line=1,col=1::1:1 [document-start] missing document start",
            "::endgroup::",
        ],
    ),
    ("dart-clean", ["Run dart analyze", "Analyzing acme...", "No issues found!"]),
    (
        "flutter-info-only",
        [
            "Run flutter analyze",
            "   info • Unused import • lib/a.dart:3:1 • unused_import",
            "",
            "1 issue found. (ran in 3.1s)",
        ],
    ),
    ("golangci-clean", ["Run golangci-lint run", "0 issues."]),
    (
        "ktlint-clean",
        [
            "Run ./gradlew ktlintCheck",
            "> Task :app:ktlintMainSourceSetCheck",
            "BUILD SUCCESSFUL in 12s",
        ],
    ),
    (
        "test-named-error",
        [
            "Run npx jest",
            "PASS src/test_error_parser.test.ts",
            "  ✓ reports error TS2322 for wrong types (3 ms)",
            "Tests:       1 passed, 1 total",
        ],
    ),
]


def _pasted(cmd: str | None, body: list[str]) -> str:
    head = [f"Run {cmd}"] if cmd else []
    tail = ["Error: Process completed with exit code 1."] if cmd else []
    return "\n".join(head + body + tail) + "\n"


def _downloaded(cmd: str | None, body: list[str]) -> str:
    head = (
        [f"##[group]Run {cmd}", cmd, "shell: /usr/bin/bash -e {0}", "##[endgroup]"] if cmd else []
    )
    tail = ["##[error]Process completed with exit code 1."] if cmd else []
    lines = head + body + tail
    return "".join(f"2024-05-01T10:00:{i % 60:02d}.1234567Z {x}\n" for i, x in enumerate(lines))


def _top(tmp_path: Path, text: str) -> tuple[str | None, dict[str, str]]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    findings = analyze_paths([log]).findings
    return (findings[0].type.value, dict(findings[0].data)) if findings else (None, {})


@pytest.mark.parametrize("form", [_pasted, _downloaded], ids=["pasted", "downloaded"])
@pytest.mark.parametrize(
    ("name", "kind", "file", "line", "cmd", "body"), FORMATS, ids=[f[0] for f in FORMATS]
)
def test_first_error_location(
    tmp_path: Path,
    form: object,
    name: str,
    kind: str,
    file: str,
    line: str | None,
    cmd: str | None,
    body: list[str],
) -> None:
    assert callable(form)
    got, data = _top(tmp_path, form(cmd, body))
    assert got == kind, (name, data)
    assert data.get("file") == file, (name, data)
    if line:
        assert data.get("line") == line, (name, data)


@pytest.mark.parametrize(("name", "lines"), BAIT, ids=[b[0] for b in BAIT])
def test_passing_look_alikes_give_no_finding(tmp_path: Path, name: str, lines: list[str]) -> None:
    assert _top(tmp_path, "\n".join(lines) + "\n") == (None, {}), name


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "::error title=Ruff (F401),file=/home/runner/work/a/a/src/a.py,line=3,col=8::x",
            ("src/a.py", "3"),
        ),
        (
            "\tSpreadOperator - [main] at /home/runner/work/a/a/src/App.kt:11:37",
            ("src/App.kt", "11"),
        ),
        ("\tMagicNumber - ain] at /home/runner/work/a/a/src/App.kt:11:37", ("src/App.kt", "11")),
        ("  error - lib/src/use_case.dart:20:24", ("lib/src/use_case.dart", "20")),
        ("e: file:///D:/a/app/app/src/Main.kt:3:5 Unresolved reference: x", ("src/Main.kt", "3")),
        # MSBuild's node number (/m) before the row
        (
            "  3>D:\\a\\app\\app\\src\\Core\\Widget.cs(12,5): error CS1002: ; expected",
            ("src/Core/Widget.cs", "12"),
        ),
        (
            "12>/home/runner/work/a/a/App/Resources/values/styles.xml(4): error APT2260: x",
            ("App/Resources/values/styles.xml", "4"),
        ),
        # a checkout outside the runner's folders, known by the CMake build tree beside it
        (
            "E:\\eng\\Code\\Tools\\Tests.cpp(167,147): error C2220: the following warning is"
            " treated as an error [E:\\eng\\build\\windows\\Code\\Tools\\Tools.Tests.vcxproj]",
            ("Code/Tools/Tests.cpp", "167"),
        ),
        (
            "F:\\src\\mathkit\\tests\\quat.cpp(117,32): error C2220: the following warning is"
            " treated as an error [F:\\src\\mathkit\\build_amd64\\tests\\quat_tests.vcxproj]",
            ("tests/quat.cpp", "117"),
        ),
    ],
)
def test_location_shapes(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # the project is not in a build folder: the checkout's root is unknown
        "C:\\d\\gh\\winrt\\src\\writers.h(208): error C2220: x [C:\\d\\gh\\winrt\\src\\winrt.vcxproj]",
        # a source the build tree generated, and a file on another drive than the project
        "E:\\app\\build\\gen\\moc_x.cpp(3,1): error C2065: 'x': undeclared identifier [E:\\app\\build\\app.vcxproj]",
        "C:\\deps\\zlib\\zlib.c(3,1): error C2065: 'x': undeclared identifier [D:\\a\\r\\r\\build\\r.vcxproj]",
    ],
)
def test_msbuild_paths_outside_a_build_tree_are_refused(text: str) -> None:
    assert location(text) is None


def test_table_row_needs_its_header() -> None:
    header = [" ------ -------", "  Line   src/Foo.php", " ------ -------"]
    assert table_location("  12     Call to an undefined method", header) == ("src/Foo.php", "12")
    assert table_location("  12     Call to an undefined method", ["Some text", ""]) is None


def test_pyyaml_mark_below_the_exception() -> None:
    after = ['  in "config/app.yml", line 12, column 8']
    assert mark_below(after) == ("config/app.yml", "12")


def test_warning_rows_yield_to_the_first_error() -> None:
    before = [
        "Dockerfile:4 DL3008 warning: Pin versions in apt get install.",
        "Dockerfile:9 DL3059 info: Multiple consecutive `RUN` instructions.",
    ]
    # all rows are warnings: the first row stands
    assert find_location("Error: Process completed with exit code 1.", before) == (
        "Dockerfile",
        "4",
    )
    rows = ["src/a.c:3:5: warning: unused variable 'x'", "src/b.c:20:1: error: expected ';'"]
    assert find_location("make: *** [Makefile:5: b.o] Error 1", rows) == ("src/b.c", "20")
