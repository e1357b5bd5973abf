"""Verdicts the third sampled wave's JVM/.NET/mobile fixes rely on: xcodebuild's build summary under
its test tally, CocoaPods' and Bundler's DSL-error place, programs a JVM or .NET tool could not start,
Surefire's results rows alone.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml, 45-langs.yaml, 60-tests.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_job_finding, run_step, text_finding

_BUILD_SUMMARY = [
    "The following build commands failed:",
    "\tCodeSign /Users/runner/Library/Developer/Xcode/DerivedData/App/Build/Products/Debug/App.app"
    " (in target 'App' from project 'App')",
    "(1 failure)",
]


@pytest.mark.parametrize(
    ("body", "want", "facts"),
    [
        # The test action's tally over a build that failed: no test ran.
        (["** TEST FAILED **", "", *_BUILD_SUMMARY], "unknown", {}),
        # Xcode 13+'s "Testing failed:" block says so first.
        (
            [
                "Testing failed:",
                "\tCommand CodeSign failed with a nonzero exit code",
                "\tTesting cancelled because the build failed.",
                "",
                "** TEST FAILED **",
            ],
            "unknown",
            {},
        ),
        # A compiler error printed in the build above the summary is the cause.
        (
            [
                "/Users/runner/work/app/app/Sources/App/Foo.swift:12:9: error: cannot find 'bar' in"
                " scope",
                "** TEST FAILED **",
                "",
                "The following build commands failed:",
                "\tSwiftCompile normal arm64 /Users/runner/work/app/app/Sources/App/Foo.swift (in"
                " target 'App' from project 'App')",
                "(1 failure)",
            ],
            "syntax_error",
            {"file": "Sources/App/Foo.swift", "line": "12"},
        ),
        # Tests that ran and failed stay a test failure.
        (
            [
                "Test Case '-[AppTests.FooTests testBar]' failed (0.012 seconds).",
                "** TEST FAILED **",
            ],
            "test_failure",
            {},
        ),
    ],
)
def test_xcodebuild_build_summary_under_the_test_tally(
    tmp_path: Path, body: list[str], want: str, facts: dict[str, str]
) -> None:
    lines = [
        *run_step("xcodebuild test -scheme App", *body),
        "##[error]Process completed with exit code 65.",
    ]
    assert_job_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("text", "want", "facts"),
    [
        # CocoaPods names the place under the message, after a blank line.
        (
            "Run pod install\n"
            "[!] Invalid `Podfile` file: syntax error, unexpected keyword_end, expecting end-of-input.\n"
            "\n"
            " #  from /Users/runner/work/app/app/ios/Podfile:42\n"
            " #  -------------------------------------------\n",
            "syntax_error",
            {"file": "ios/Podfile", "line": "42"},
        ),
        # Bundler's error class is the same.
        (
            "[!] There was an error parsing `Gemfile`: syntax error, unexpected end-of-input,"
            " expecting `end'. Bundler cannot continue.\n"
            "\n"
            " #  from /home/runner/work/app/app/Gemfile:12\n",
            "syntax_error",
            {"file": "Gemfile", "line": "12"},
        ),
        # jproc (SonarScanner's sonar-flutter) could not start the analyzer.
        (
            "INFO: Sensor dartanalyzer sensor [flutter]\n"
            "ERROR: Error during SonarScanner execution\n"
            "org.buildobjects.process.StartupException: Could not startup process 'flutter analyze"
            " --no-fatal-warnings'.\n"
            "Error: Process completed with exit code 2.\n",
            "missing_tool",
            {"command": "flutter"},
        ),
        # .NET's Process.Start on Linux, a program named bare: not a missing working directory.
        (
            "Unhandled exception. System.ComponentModel.Win32Exception (2): An error occurred trying"
            " to start process 'flutter' with working directory '/home/runner/work/app/app'. No such"
            " file or directory\n",
            "missing_tool",
            {"command": "flutter"},
        ),
        # The runner's own shell by full path still is the working directory.
        (
            "##[error]An error occurred trying to start process '/usr/bin/bash' with working directory"
            " '/home/runner/work/app/app/web'. No such file or directory\n",
            "unknown",
            {"file": "web"},
        ),
        # The JVM refused a script committed without its executable bit.
        (
            "> A problem occurred starting process 'command './gradlew''\n"
            'java.io.IOException: Cannot run program "/home/runner/work/app/app/gradlew" (in'
            ' directory "/home/runner/work/app/app"): error=13, Permission denied\n',
            "permission_error",
            {"file": "gradlew"},
        ),
        # Surefire's results list, the tally cut off by the paste.
        (
            "[ERROR] Failures: \n[ERROR]   FooTest.testBar:42 expected:<1> but was:<2>\n",
            "test_failure",
            {"test": "FooTest.testBar"},
        ),
        (
            "Error:  Errors: \nError:    com.acme.BazTest.testQux:17 » IllegalState Failed to load"
            " ApplicationContext\n",
            "test_failure",
            {"test": "com.acme.BazTest.testQux"},
        ),
        # XCTest's assertion line alone names the test; Swift Testing's issue line too.
        (
            "/Users/runner/work/app/app/Tests/AppTests/CalcTests.swift:12: error: -[AppTests.CalcTests"
            ' testAdd] : XCTAssertEqual failed: ("4") is not equal to ("3")\n',
            "test_failure",
            {"test": "AppTests.CalcTests testAdd", "file": "Tests/AppTests/CalcTests.swift"},
        ),
        (
            "✘ Test testAdd() recorded an issue at CalcTests.swift:12:5: Expectation failed: (sum → 4)"
            " == 3\n",
            "test_failure",
            {"test": "testAdd()"},
        ),
        # sbt's frameworks: a ScalaTest row, junit-interface's line, an MUnit row.
        (
            "[info] CalcSpec:\n[info] - should add two numbers *** FAILED ***\n"
            "[info]   3 did not equal 4 (CalcSpec.scala:12)\n",
            "test_failure",
            {"test": "should add two numbers"},
        ),
        (
            "[error] Test com.acme.CalcTest.testAdd failed: java.lang.AssertionError: expected:<3> but"
            " was:<4>, took 0.01 sec\n",
            "test_failure",
            {"test": "com.acme.CalcTest.testAdd"},
        ),
        # SonarScanner 5+'s refusal and SonarCloud's unknown project key.
        (
            "ERROR: Error during SonarScanner execution\nERROR: Not authorized. Please check the user"
            " token in the property 'sonar.token' or the credentials in the properties 'sonar.login'"
            " and 'sonar.password'.\n",
            "auth_error",
            {},
        ),
        (
            "19:19:04.903 ERROR Could not find a default branch for project with key 'acme_app'."
            " Make sure project exists.\nError: Process completed with exit code 3.\n",
            "auth_error",
            {},
        ),
    ],
)
def test_sampled_wave_jvm_dotnet_mobile(
    tmp_path: Path, text: str, want: str, facts: dict[str, str]
) -> None:
    got, data = text_finding(tmp_path, text)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts
