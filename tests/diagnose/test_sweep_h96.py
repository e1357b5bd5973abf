"""Verdicts the JVM and .NET random-sample sweep (helper h96) relies on beyond the rules' own examples:
VSTest's refusals (a logger or test host it cannot find, a runtime the test host lacks), ScalaTest's
failed test named under sbt's tally, and a build CodeQL's autobuilder relayed behind its clock and tag.

Texts are the tools' real formats with names changed; the threads are named where the rules and
extractors say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step

PASTE_EXIT = "Error: Process completed with exit code 1."


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Tyrrrz/GitHubActionsTestLogger #20: the logger's package sits in the wrong project.
        (
            [
                *run_step(
                    "dotnet test --no-build --logger GitHubActions",
                    "Starting test execution, please wait...",
                    "A total of 1 test files matched the specified pattern.",
                    "Could not find a test logger with AssemblyQualifiedName, URI or FriendlyName"
                    " 'GitHubActions'.",
                ),
                FAILED,
            ],
            "missing_dependency",
            {},
        ),
        # The test project without Microsoft.NET.Test.Sdk (microsoft/vstest #1870), on Windows.
        (
            [
                *run_step(
                    "dotnet test -c Release",
                    "Unable to find D:\\a\\app\\app\\tests\\App.Tests\\bin\\Release\\net8.0\\testhost.dll."
                    " Please publish your test project and retry.",
                ),
                FAILED,
            ],
            "missing_dependency",
            {},
        ),
        # VSTest relays the host's refusal; the runtime it wanted is on a line below.
        (
            [
                *run_step(
                    "dotnet test --no-build",
                    "Testhost process for source(s) '/home/runner/work/app/app/tests/App.Tests/bin/"
                    "Debug/net6.0/App.Tests.dll' exited with error: You must install or update .NET"
                    " to run this application.",
                    "App: /home/runner/work/app/app/tests/App.Tests/bin/Debug/net6.0/testhost.dll",
                    "Architecture: x64",
                    "Framework: 'Microsoft.NETCore.App', version '6.0.0' (x64)",
                    ".NET location: /usr/share/dotnet/",
                ),
                FAILED,
            ],
            "missing_tool",
            {"tool": "dotnet", "version": "6.0.0"},
        ),
        # ScalaTest's failed test under sbt, above the suite sbt lists (SPARK-5074's report form).
        (
            [
                *run_step(
                    "sbt test",
                    "[info] DAGSchedulerSuite:",
                    "[info] - parent stage should have lower stage id *** FAILED *** (27 milliseconds)",
                    "[info]   1 did not equal 2 (DAGSchedulerSuite.scala:242)",
                    "[info] *** 1 TEST FAILED ***",
                    "[error] Failed tests:",
                    "[error] \torg.acme.scheduler.DAGSchedulerSuite",
                    "[error] (core / Test / test) sbt.TestsFailedException: Tests unsuccessful",
                ),
                FAILED,
            ],
            "test_failure",
            {"test": "parent stage should have lower stage id"},
        ),
        # Gradle 9's launcher on an older JDK (gradle/foojay-toolchains PR #112).
        (
            [
                *run_step(
                    "./gradlew build",
                    "FAILURE: Build failed with an exception.",
                    "* What went wrong:",
                    "Gradle requires JVM 17 or later to run. Your build is currently configured to use"
                    " JVM 11.",
                ),
                FAILED,
            ],
            "missing_tool",
            {"version": "17"},
        ),
        # CodeQL's autobuilder relays javac behind its clock and tag (github/codeql #10040's form).
        (
            [
                "##[group]Run github/codeql-action/autobuild@v2",
                "##[endgroup]",
                "Attempting to automatically build java code",
                "  [2022-08-13 07:07:50] [autobuild] > Task :compileJava",
                "  [2022-08-13 07:07:52] [autobuild] /home/runner/work/app/app/src/main/java/acme/App.java"
                ":12: error: ';' expected",
                "  [2022-08-13 07:07:52] [autobuild] > Task :compileJava FAILED",
                "##[error]We were unable to automatically build your code. Please replace the call to"
                " the autobuild action with your custom build steps.",
            ],
            "syntax_error",
            {"file": "src/main/java/acme/App.java", "line": "12"},
        ),
    ],
)
def test_downloaded(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, [TS + line for line in lines], want, facts)


def test_javadoc_row_outranks_its_summary(tmp_path: Path) -> None:
    # genexuslabs/JavaClasses PR #672: the goal's summary first, the row naming the place below it.
    lines = [
        *run_step(
            "mvn -B deploy",
            "Error:  Failed to execute goal org.apache.maven.plugins:maven-javadoc-plugin:3.4.1:jar"
            " (attach-javadocs) on project app: MavenReportException: Error while generating Javadoc: ",
            "Error:  Exit code: 1 - /home/runner/work/app/app/reports/src/main/java/acme/Report.java:249:"
            " error: reference not found",
            "Error:       * @exception exception si no se puede encontrar el Acrobat",
            "Error:  Command line was: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/11.0.18-10/x64/bin/javadoc"
            " @options @packages",
        ),
        FAILED,
    ]
    assert_finding(
        tmp_path,
        [TS + line for line in lines],
        "lint_failure",
        {"tool": "javadoc", "file": "reports/src/main/java/acme/Report.java", "line": "249"},
    )


def test_pasted_maven_enforcer(tmp_path: Path) -> None:
    # eclipse-ee4j/glassfish-grizzly PR #2221: the runner's Maven is older than the project allows.
    lines = [
        "Run mvn -B verify",
        "Error: Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:3.4.1:enforce"
        " (enforce-maven) on project grizzly-project: ",
        "Error: Rule 1: org.apache.maven.enforcer.rules.version.RequireMavenVersion failed with message:",
        "Error: Detected Maven Version: 3.8.8 is not in the allowed range [3.8.9,).",
        PASTE_EXIT,
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"tool": "maven"})


def test_passing_vstest_no_test_available_warning(tmp_path: Path) -> None:
    # A solution with a library in it: VSTest's "No test is available" is no failure when the run passed.
    lines = [
        *run_step(
            "dotnet test",
            "No test is available in /home/runner/work/app/app/src/App/bin/Debug/net8.0/App.dll. Make"
            ' sure test project has a nuget reference of package "Microsoft.NET.Test.Sdk" and'
            " framework version settings are appropriate and try again.",
            "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s -"
            " App.Tests.dll (net8.0)",
        ),
        "Cleaning up orphan processes",
    ]
    assert_finding(tmp_path, [TS + line for line in lines], None, {})


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        # The action's own lines stay; the tracer's clock and tag go, with the indentation before them.
        (
            b"Attempting to automatically build java code\n"
            b"  [2023-02-28 09:07:22] [autobuild] BUILD FAILED in 3s\n"
            b"  Error: 2-28 09:07:31] [ERROR] Spawned process exited abnormally (code 1)\n",
            b"Attempting to automatically build java code\n"
            b"BUILD FAILED in 3s\n"
            b"Error: 2-28 09:07:31] [ERROR] Spawned process exited abnormally (code 1)\n",
        ),
        # A runner's timestamp stays, one space after it.
        (
            b"2023-02-28T09:07:22.1Z Attempting to automatically build java code\n"
            b"2023-02-28T09:07:22.1Z   [2023-02-28 09:07:22] [autobuild] BUILD FAILED in 3s\n",
            b"2023-02-28T09:07:22.1Z Attempting to automatically build java code\n"
            b"2023-02-28T09:07:22.1Z BUILD FAILED in 3s\n",
        ),
        # The CLI run by hand tags the tracer's own tag; the CLI's stderr tag.
        (
            b"Running command in /home/runner/work/app/app.\n"
            b"[2019-11-19 15:08:46] [build] [2019-11-19 15:08:46] [autobuild] BUILD SUCCESSFUL in 3s\n"
            b"[2020-09-10 15:38:27] [build-stderr] error: package org.junit does not exist\n",
            b"Running command in /home/runner/work/app/app.\n"
            b"BUILD SUCCESSFUL in 3s\n"
            b"error: package org.junit does not exist\n",
        ),
    ],
)
def test_codeql_build_prefix_taken_off(raw: bytes, cleaned: bytes) -> None:
    assert paste_cleaned(raw) == cleaned
