"""Parse errors and linters with file and line: the shapes the shared readers serve every rule.

Texts are the tools' real formats with names changed; the thread each comes from is named in the
rule (rules/50-build.yaml, rules/70-lint.yaml) or in linters.py and locations.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.linters import commanded_linter
from smartmon.diagnose.locations import location
from tests.diagnose.joblog import FAILED, assert_finding, run_step

R = "/home/runner/work/app/app/"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # dash (sh on Debian and Ubuntu images) leaves out bash's "line" word.
        ('./scripts/release.sh: 12: Syntax error: "fi" unexpected', ("scripts/release.sh", "12")),
        (
            R + 'build.sh: 7: Syntax error: end of file unexpected (expecting "fi")',
            ("build.sh", "7"),
        ),
        ("./scripts/ci.sh: 3: [[: not found", ("scripts/ci.sh", "3")),
        # bash's own shape still reads.
        (
            "./scripts/build.sh: line 10: syntax error near unexpected token `fi'",
            ("scripts/build.sh", "10"),
        ),
        # `sh -c` strings and the runner's temp scripts are no place in the repository.
        ('/bin/sh: 9: Syntax error: end of file unexpected (expecting "}")', None),
        ('sh: 1: Syntax error: "(" unexpected', None),
        ('/__w/_temp/ea2bc905.sh: 4: Syntax error: "(" unexpected (expecting "then")', None),
    ],
)
def test_dash_location(text: str, want: tuple[str, str] | None) -> None:
    assert location(text) == want


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("Run pycodestyle --max-line-length=100 src", "pycodestyle"),
        ("Run pydocstyle src", "pydocstyle"),
        ("Run pyflakes .", "pyflakes"),
        ("Run pylama src", "pylama"),
        ("Run mdl docs", "mdl"),
        ("Run cpplint --recursive src", "cpplint"),
        ("Run npx jshint src", "jshint"),
        ("Run npx tslint -p .", "tslint"),
        ("Run npx editorconfig-checker", "editorconfig-checker"),
        # A name inside another word or path is not the linter.
        ("Run ./tools/mdl-check.sh", None),
        ("Run pip install pycodestyle==2.11.1 flake8", "flake8"),
    ],
)
def test_commanded_linter(command: str, tool: str | None) -> None:
    assert commanded_linter([], command) == tool


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # pycodestyle prints flake8's rows; the command says which ran.
        (
            run_step(
                "pycodestyle --max-line-length=100 src",
                "src/app.py:10:80: E501 line too long (90 > 79 characters)",
            ),
            "lint_failure",
            {"tool": "pycodestyle", "file": "src/app.py", "line": "10"},
        ),
        # The ktlint Maven plugin on Windows: maven's prefix, backslash paths (ktlint/ktlint #1496).
        (
            run_step(
                "mvn -B verify",
                "[ERROR] src\\main\\kotlin\\LongLineClass.kt:2:1: Exceeded max line length (80)",
                "[ERROR] src\\test\\kotlin\\LongLineTest.kt:2:1: Exceeded max line length (80)",
            ),
            "lint_failure",
            {"tool": "ktlint", "file": "src/main/kotlin/LongLineClass.kt", "line": "2"},
        ),
        # hadolint fed on stdin names no file.
        (
            run_step(
                "docker run --rm -i hadolint/hadolint < Dockerfile",
                "-:3 DL3008 warning: Pin versions in apt get install. Instead of `apt-get install "
                "<package>` use `apt-get install <package>=<version>`",
            ),
            "lint_failure",
            {"tool": "hadolint", "line": "3"},
        ),
        # The Ruby markdownlint (markdownlint/markdownlint #295).
        (
            run_step("mdl docs", "docs/setup.md:11: MD004 Unordered list style"),
            "lint_failure",
            {"tool": "mdl", "file": "docs/setup.md", "line": "11"},
        ),
        # dash's parse error in a repository script: the place is the script's.
        (
            run_step(
                "sh ./scripts/release.sh", './scripts/release.sh: 12: Syntax error: "fi" unexpected'
            ),
            "syntax_error",
            {"file": "scripts/release.sh", "line": "12"},
        ),
        # PHP 8's unbalanced brackets: the place is the last "in FILE on line N".
        (
            run_step(
                "vendor/bin/phpunit",
                "PHP Parse error:  Unclosed '{' on line 5 in " + R + "src/Foo.php on line 20",
            ),
            "syntax_error",
            {"file": "src/Foo.php", "line": "20"},
        ),
        # GHC 7.x and 8.x print a parse error on the place's row.
        (
            run_step("stack build", "src/Stack.hs:5:17: parse error on input ‘:’"),
            "syntax_error",
            {"file": "src/Stack.hs", "line": "5"},
        ),
        # A Groovy build script that does not parse (kivy/buildozer #1781, names changed).
        (
            run_step(
                "./gradlew build",
                "FAILURE: Build failed with an exception.",
                "* Where:",
                "Build file '" + R + "app/build.gradle' line: 75",
                "* What went wrong:",
                "Could not compile build file '" + R + "app/build.gradle'.",
                "> startup failed:",
                "  build file '"
                + R
                + "app/build.gradle': 75: Unexpected input: '{' @ line 75, column 14.",
            ),
            "syntax_error",
            {"file": "app/build.gradle", "line": "75"},
        ),
        # Scala 3's compiler closes with "1 error found", Psalm's tally words: the row wins.
        (
            run_step(
                "scala-cli compile .",
                "-- [E018] Syntax Error: src/main/scala/App.scala:10:12 -----------------------",
                "10 |    val x = ",
                "   |            ^",
                "   |            expression expected but end of statement found",
                "1 error found",
            ),
            "syntax_error",
            {"file": "src/main/scala/App.scala", "line": "10"},
        ),
        # Ant tags javac's rows; JDK 6 wrote no "error:" (a red5 build thread).
        (
            run_step(
                "ant compile",
                "    [javac] " + R + "src/org/acme/AuthClientRegistry.java:79: cannot find symbol",
                "    [javac] 1 error",
                "BUILD FAILED",
            ),
            "syntax_error",
            {"file": "src/org/acme/AuthClientRegistry.java", "line": "79"},
        ),
        # golangci-lint's tab format, run by make (influxdata/telegraf #15813).
        (
            run_step(
                "make lint",
                "golangci-lint run --out-format tab",
                "internal/http.go:135:6      revive  exported: exported type GenericAuthErrorFunc "
                "should have comment or be unexported",
                "make: *** [Makefile:20: lint] Error 1",
            ),
            "lint_failure",
            {"tool": "golangci-lint", "file": "internal/http.go", "line": "135"},
        ),
        # CSpell's rows (open-telemetry/opentelemetry.io #4956).
        (
            run_step(
                "npx cspell --no-progress content",
                "content/en/docs/concepts/signals/logs.md:17:1 - Unknown word (autoinstrumentation)",
                "CSpell: Files checked: 105, Issues found: 1 in 1 files",
            ),
            "lint_failure",
            {"tool": "cspell", "file": "content/en/docs/concepts/signals/logs.md", "line": "17"},
        ),
    ],
)
def test_finding(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, [*lines, FAILED], want, facts)
