"""Verdicts the JVM third sweep (helper h51) relies on beyond the rules' own examples: the linter a
Kotlin or Swift row names by its ending, maven-checkstyle-plugin's location without a column, the
analysers' verdicts in pastes, and Gradle's memory watchdog next to its advice in passing builds.

Texts are the tools' real formats with names changed; the rules' comments name the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.linters import lint_tool
from smartmon.diagnose.locations import location
from tests.diagnose.joblog import FAILED, assert_finding, run_step


@pytest.mark.parametrize(
    ("row", "tool"),
    [
        (
            "/home/runner/work/shop/shop/app/src/main/kotlin/Cart.kt:42:5: The function checkout is"
            " too long (72). The maximum length is 60. [LongMethod]",
            "detekt",
        ),
        (
            "ScreenAlbum.kt:30:1: The import 'androidx.compose.ui.graphics.Color' is unused. [UnusedImports]",
            "detekt",
        ),
        (
            'src/main/kotlin/App.kt:3:5: Unexpected blank line(s) before "}" (standard:no-blank-line-before-rbrace)',
            "ktlint",
        ),
        ("build.gradle.kts:7:1: Needless blank line(s) (no-consecutive-blank-lines)", None),
        (
            "Sources/App/main.swift:3:5: error: Line Length Violation: Line should be 120 characters or"
            " less; currently it has 130 characters (line_length)",
            "swiftlint",
        ),
        ("src/main/java/App.java:3:5: Unused import - java.util.List. [UnusedImports]", None),
    ],
)
def test_lint_tool_from_a_kotlin_or_swift_row(row: str, tool: str | None) -> None:
    assert lint_tool(row, [], "Run ./gradlew check") == tool


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "[WARNING] src/main/java/com/acme/app/Main.java:[23] (sizes) LineLength: Line is longer than"
            " 100 characters (found 104).",
            ("src/main/java/com/acme/app/Main.java", "23"),
        ),
        (
            "[ERROR] src/main/java/com/acme/app/Main.java:[23,8] (imports) UnusedImports: Unused import",
            ("src/main/java/com/acme/app/Main.java", "23"),
        ),
        (
            "Error:  /home/runner/work/app/app/src/main/java/App.java:[81,40] ';' expected",
            ("src/main/java/App.java", "81"),
        ),
    ],
)
def test_maven_bracket_location_with_and_without_column(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # maven-checkstyle-plugin failing on a warning-severity check: the summary wins, the first
        # row (no column) gives the place.
        (
            [
                "[INFO] --- maven-checkstyle-plugin:3.1.2:check (checkstyle) @ app ---",
                "[WARNING] src/main/java/com/acme/Main.java:[23] (sizes) LineLength: Line is longer"
                " than 100 characters (found 104).",
                "[INFO] BUILD FAILURE",
                "Error:  Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.1.2"
                ":check (checkstyle) on project app: You have 1 Checkstyle violation. -> [Help 1]",
            ],
            "lint_failure",
            {"tool": "checkstyle", "file": "src/main/java/com/acme/Main.java", "line": "23"},
        ),
        # Gradle's Checkstyle plugin prefixes the rows with Ant's task name.
        (
            [
                "> Task :core:checkstyleMain",
                "[ant:checkstyle] [ERROR] /home/runner/work/app/app/core/src/main/java/Parser.java:57:9:"
                " 'if' construct must use '{}'s. [NeedBraces]",
                "> Task :core:checkstyleMain FAILED",
            ],
            "lint_failure",
            {"tool": "checkstyle", "file": "core/src/main/java/Parser.java", "line": "57"},
        ),
        # detekt 1.x threshold rows pasted without the failed task.
        (
            [
                "complexity - 2h debt",
                "        ComplexMethod - 15/15 - [start] at /home/runner/work/app/app/app/src/main/java/"
                "org/acme/MetricsService.kt:96:18",
                "        LongMethod - 78/75 - [toEvent] at /home/runner/work/app/app/app/src/main/java/"
                "org/acme/Metrics.kt:535:18",
                "FAILURE: Build failed with an exception.",
            ],
            "lint_failure",
            {
                "tool": "detekt",
                "file": "app/src/main/java/org/acme/MetricsService.kt",
                "line": "96",
            },
        ),
        (
            [
                "[INFO] --- maven-pmd-plugin:3.21.0:check (default) @ app ---",
                "[INFO] PMD Failure: com.acme.app.Service:41 Rule:UnusedPrivateField Priority:3 Avoid"
                " unused private fields such as 'cache'..",
                "[INFO] BUILD FAILURE",
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-pmd-plugin:3.21.0:check"
                " (default) on project app: You have 1 PMD violation. For more details see:"
                " /home/runner/work/app/app/target/pmd.xml -> [Help 1]",
            ],
            "lint_failure",
            {"tool": "pmd"},
        ),
        (
            [
                "[ERROR] Medium: com.acme.app.Config.getItems() may expose internal representation by"
                " returning Config.items [com.acme.app.Config] At Config.java:[line 42] EI_EXPOSE_REP",
                "[INFO] BUILD FAILURE",
                "[ERROR] Failed to execute goal com.github.spotbugs:spotbugs-maven-plugin:4.7.3.6:check"
                " (default-cli) on project app: failed with 1 bugs and 0 errors -> [Help 1]",
            ],
            "lint_failure",
            {"tool": "spotbugs"},
        ),
        # Gradle's watchdog stops the daemon; its advice alone (next case) is no failure.
        (
            [
                "The Daemon will expire immediately since the JVM garbage collector is thrashing.",
                "FAILURE: Build failed with an exception.",
                "* What went wrong:",
                "Gradle build daemon has been stopped: since the JVM garbage collector is thrashing",
            ],
            "runner_failure",
            {},
        ),
        (
            [
                *run_step(
                    "./gradlew assembleDebug",
                    "The Daemon will expire after the build after running out of JVM heap space.",
                    "The currently configured max heap space is '512 MiB' and the configured max"
                    " metaspace is '384 MiB'.",
                    "BUILD SUCCESSFUL in 7m 19s",
                ),
                *run_step("echo done", "done"),
            ],
            None,
            {},
        ),
        # PMD's count under an allowance is no failure; the job failed on a test instead.
        (
            [
                *run_step(
                    "mvn -B verify",
                    "[INFO] You have 11 PMD violations. For more details see:"
                    " /home/runner/work/app/app/target/pmd.xml",
                    "[INFO] The build is not failed, since 11 violations are allowed"
                    " (maxAllowedViolations).",
                    "[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s"
                    " <<< FAILURE! -- in com.acme.app.ParserTest",
                    "[ERROR] com.acme.app.ParserTest.parsesEmptyInput -- Time elapsed: 0.011 s"
                    " <<< FAILURE!",
                ),
                FAILED,
            ],
            "test_failure",
            {"test": "com.acme.app.ParserTest.parsesEmptyInput"},
        ),
    ],
)
def test_jvm_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
