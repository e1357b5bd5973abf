"""Locations across languages: the shapes and first-error choices the h10 location sweep relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule,
the location shape's comment (diagnose/locations.py) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.locations_below import trace_below
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding


def _verdict(tmp_path: Path, lines: list[str]) -> tuple[str | None, dict[str, str]]:
    got, data = top_finding(tmp_path, lines)
    data.pop("exit_code", None)
    return got, data


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Dart Sass: the place is the first row of the stack under the code frame (an @import here).
        (
            [
                "##[group]Run npm run build:css",
                "##[endgroup]",
                "Error: Undefined variable.",
                "    ╷",
                "115 │ $primary-color: $primary-button-color;",
                "    │                 ^^^^^^^^^^^^^^^^^^^^^",
                "    ╵",
                "  scss/_settings.scss 115:17  @import",
                "  scss/app.scss 1:9           root stylesheet",
                FAILED,
            ],
            "syntax_error",
            {"file": "scss/_settings.scss", "line": "115"},
        ),
        # Dart Sass on windows-latest prints the stack with backslashes.
        (
            [
                "##[group]Run npx sass src:dist",
                "##[endgroup]",
                "Error: Undefined mixin.",
                "   ╷",
                "11 │ ┌         @include for-tablet-landscape-up {",
                "   ╵",
                "  src\\styles\\sections\\community.scss 11:9  root stylesheet",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/styles/sections/community.scss", "line": "11"},
        ),
        # libsass (node-sass): "on line N of path" under the message.
        (
            [
                "##[group]Run npm run build",
                "##[endgroup]",
                'Error: Undefined variable: "$color-gray-lighter".',
                "        on line 6 of src/css/components/Footer.scss",
                ">>   background: $color-gray-lighter;",
                "   --------------^",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/css/components/Footer.scss", "line": "6"},
        ),
        # php -l under PHP 8: a compile-time fatal, then "Errors parsing"; the container's work folder.
        (
            [
                "##[group]Run find . -name '*.php' -print0 | xargs -0 -n1 php -l",
                "##[endgroup]",
                "No syntax errors detected in /__w/app/app/src/Kernel.php",
                "PHP Fatal error:  Cannot redeclare App\\Foo::bar() in /__w/app/app/src/Foo.php on line 31",
                "Errors parsing /__w/app/app/src/Foo.php",
                "##[error]Process completed with exit code 123.",
            ],
            "syntax_error",
            {"file": "src/Foo.php", "line": "31"},
        ),
        # tsc prints its own absolute paths with forward slashes on Windows too.
        (
            [
                "##[group]Run npx tsc --noEmit",
                "##[endgroup]",
                "D:/a/app/app/src/index.ts(3,5): error TS2304: Cannot find name 'foo'.",
                FAILED,
            ],
            "lint_failure",
            {"file": "src/index.ts", "line": "3", "tool": "tsc"},
        ),
        # Elixir's SyntaxError names the place; the frames under it are Elixir's own.
        (
            [
                "##[group]Run mix compile --warnings-as-errors",
                "##[endgroup]",
                "== Compilation error in file lib/app/router.ex ==",
                "** (SyntaxError) lib/app/router.ex:149: syntax error before: env",
                "    (elixir) lib/kernel/parallel_compiler.ex:100: anonymous fn/4",
                FAILED,
            ],
            "syntax_error",
            {"file": "lib/app/router.ex", "line": "149"},
        ),
        # erlc under rebar3, OTP 24+ with a column.
        (
            [
                "##[group]Run rebar3 compile",
                "##[endgroup]",
                "===> Compiling app",
                "src/app_sup.erl:14:23: syntax error before: '}'",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/app_sup.erl", "line": "14"},
        ),
        # Gradle's "* Where:" block names the build script's line above the error.
        (
            [
                "##[group]Run ./gradlew build",
                "##[endgroup]",
                "FAILURE: Build failed with an exception.",
                "",
                "* Where:",
                "Build file '/home/runner/work/app/app/desktop/build.gradle' line: 18",
                "",
                "* What went wrong:",
                "A problem occurred evaluating project ':desktop'.",
                "> Could not find method application() for arguments"
                " [build_belynhnkiel7e2nb3kd5ybb0o$_run_closure1@ff00e8b] on project ':desktop'"
                " of type org.gradle.api.Project.",
                FAILED,
            ],
            "syntax_error",
            {"file": "desktop/build.gradle", "line": "18"},
        ),
        # Node's ESM loader names the file as a file:// URI above the SyntaxError's code frame.
        (
            [
                "##[group]Run node src/index.js",
                "##[endgroup]",
                "file:///home/runner/work/app/app/src/index.js:12",
                "  foo(;",
                "      ^",
                "",
                "SyntaxError: Unexpected token ';'",
                "    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:168:18)",
                "",
                "Node.js v20.11.0",
                FAILED,
            ],
            "syntax_error",
            {"name": "SyntaxError", "file": "src/index.js", "line": "12"},
        ),
        # go-yaml's message after docker compose's own prefix.
        (
            [
                "##[group]Run docker compose up -d",
                "##[endgroup]",
                "parsing /home/runner/work/app/app/docker-compose.yml: yaml: line 12: did not find"
                " expected key",
                FAILED,
            ],
            "yaml_syntax_error",
            {"file": "docker-compose.yml", "line": "12"},
        ),
        # ansible-lint's tally: the first violation's row above it.
        (
            [
                "##[group]Run ansible-lint",
                "##[endgroup]",
                "WARNING  Listing 2 violation(s) that are fatal",
                "risky-file-permissions: File permissions unset or incorrect",
                "tasks/main.yml:27 Task/Handler: Ensure SSL certificate",
                "",
                "yaml[truthy]: Truthy value should be one of [false, true]",
                "tasks/main.yml:68",
                "",
                "Failed: 2 failure(s), 0 warning(s) on 1 files.",
                FAILED,
            ],
            "lint_failure",
            {"tool": "ansible-lint", "file": "tasks/main.yml", "line": "27"},
        ),
        # scalac under sbt, Scala 2's row.
        (
            [
                "##[group]Run sbt -v +test",
                "##[endgroup]",
                "[error] /home/runner/work/app/app/core/src/main/scala/App.scala:12:5: not found: value x",
                "[error]   x + 1",
                "[error]   ^",
                "[error] one error found",
                "[error] (core / Compile / compileIncremental) Compilation failed",
                FAILED,
            ],
            "syntax_error",
            {"file": "core/src/main/scala/App.scala", "line": "12"},
        ),
        # cargo test's failure report pasted without the "test x ... FAILED" rows.
        (
            [
                "##[group]Run cargo test",
                "##[endgroup]",
                "failures:",
                "",
                "---- tests::parses_empty stdout ----",
                "thread 'tests::parses_empty' panicked at src/lib.rs:42:9:",
                "assertion failed",
                "",
                "failures:",
                "    tests::parses_empty",
                "",
                "test result: FAILED. 11 passed; 1 failed; 0 ignored",
                "error: test failed, to rerun pass `--lib`",
                FAILED,
            ],
            "test_failure",
            {"test": "tests::parses_empty"},
        ),
        # Surefire's results row names class.method:line, which is no file.
        (
            [
                "##[group]Run mvn -B test",
                "##[endgroup]",
                "[ERROR] Failures: ",
                "[ERROR]   CalcTest.testAdd:14 expected:<3> but was:<2>",
                "[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0",
                FAILED,
            ],
            "test_failure",
            {"test": "CalcTest.testAdd"},
        ),
    ],
)
def test_location_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = _verdict(tmp_path, lines)
    assert got == want
    assert data == facts


def test_sass_trace_is_read_below_the_frame_only_from_a_stack_row() -> None:
    frame = ["  ╷", "3 │   color: $primary;", "  │          ^^^^^^^^", "  ╵"]
    assert trace_below([*frame, "  src/a.scss 3:10  root stylesheet"]) == ("src/a.scss", "3")
    assert trace_below([*frame, "Compiled 12 files"]) is None


def test_a_jvm_test_method_is_no_file() -> None:
    assert location("[ERROR]   com.acme.CalcTest.testAdd:14 expected:<3> but was:<2>") is None
    assert location("src/main/java/com/acme/Calc.java:14: error: ';' expected") == (
        "src/main/java/com/acme/Calc.java",
        "14",
    )
    assert location("analysis/report.Rmd:12: error") == ("analysis/report.Rmd", "12")


def test_libtest_names_the_failed_test_not_the_main_thread() -> None:
    assert named_failure(["thread 'main' panicked at src/main.rs:3:5:"]) is None
    assert (
        named_failure(["---- api::tests::rejects_empty stdout ----"]) == "api::tests::rejects_empty"
    )


def test_annotation_titles_as_pasted_from_the_run_page() -> None:
    assert location(" yaml[truthy]: .github/workflows/ansible-lint.yml#L2") == (
        ".github/workflows/ansible-lint.yml",
        "2",
    )
    assert location("build: src/index.ts#L12") == ("src/index.ts", "12")
    assert location("Invalid workflow file: .github/workflows/ci.yml#L1") is None
    assert location("see https://github.com/acme/app/blob/main/src/a.py#L12") is None


def test_gradle_where_and_file_uris() -> None:
    assert location("Build file '/home/runner/work/app/app/desktop/build.gradle' line: 18") == (
        "desktop/build.gradle",
        "18",
    )
    assert location("file:///home/runner/work/app/app/src/index.js:12") == ("src/index.js", "12")
