"""JVM test runners: the first failed test as Surefire, Gradle (JUnit, TestNG) and Gradle's test-logger
plugin or nf-test name it, in the shapes the blind JVM-test batch looked for beyond its own cases.

Texts are the tools' real formats with names changed; sources are named in failed_tests.py and
rules/60-tests.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # Surefire 3, a JUnit 5 parameterized invocation: parameter types and index stay.
        (
            [
                "[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 1.2 s"
                " <<< FAILURE! -- in org.acme.net.ConnectTest",
                "[ERROR] org.acme.net.ConnectTest.postFiles(String)[1] -- Time elapsed: 0.056 s"
                " <<< FAILURE!",
                "org.opentest4j.AssertionFailedError: expected: <Jay> but was: <>",
            ],
            "org.acme.net.ConnectTest.postFiles(String)[1]",
        ),
        (
            [
                "[ERROR] org.acme.io.ChannelsTest.contentEquals(int, ChannelType)[1] -- Time elapsed:"
                " 0.168 s <<< ERROR!",
            ],
            "org.acme.io.ChannelsTest.contentEquals(int, ChannelType)[1]",
        ),
        (
            [
                "[ERROR] org.acme.api.GenerationTest.lookupSucceeds()[2] -- Time elapsed: 0.3 s <<< FAILURE!"
            ],
            "org.acme.api.GenerationTest.lookupSucceeds()[2]",
        ),
        # Surefire before 2.13: no level before the test's row.
        (
            [
                "Tests run: 5, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.112 sec <<< FAILURE!",
                "testApp(com.acme.app.AppTest)  Time elapsed: 0.011 sec  <<< FAILURE!",
                "java.lang.AssertionError: expected:<3> but was:<4>",
            ],
            "testApp(com.acme.app.AppTest)",
        ),
        # A class that failed before its tests ran is listed by its name alone.
        (
            [
                "[ERROR] Errors: ",
                "[ERROR]   OrderRepositoryIT » ContainerLaunch Container startup failed for image"
                " postgres:16",
                "[ERROR] Tests run: 12, Failures: 0, Errors: 1, Skipped: 0",
            ],
            "OrderRepositoryIT",
        ),
        # TestNG under Gradle: past the suite and test Gradle makes up, either name shape.
        (
            [
                "Gradle suite > Gradle test > com.acme.server.CoordinatorTest.testLeader FAILED",
                "    java.lang.AssertionError: expected [LEADER] but found [FOLLOWER]",
                "111 tests completed, 1 failed",
            ],
            "com.acme.server.CoordinatorTest.testLeader",
        ),
        (
            ["Gradle suite > Gradle test > com.acme.SquareTests > testArea FAILED"],
            "com.acme.SquareTests > testArea",
        ),
        # gradle-test-logger-plugin rows and nf-test's.
        (
            [
                "unit.services.TokenServiceTests",
                "  Test signs tokens() PASSED",
                "  Test decodes tokens() FAILED",
                "FAILURE: Executed 2 tests in 1s (1 failed)",
            ],
            "decodes tokens()",
        ),
        (
            [
                "  Test [693ba951] 'Should run without failures' FAILED (4.652s)",
                "FAILURE: Executed 1 tests in 4.679s (1 failed)",
            ],
            "Should run without failures",
        ),
        # The JUnit Platform Console Launcher's tree marks the failed test.
        (
            [
                "│  └─ SingletonTest ✔",
                "│     ├─ promotionDay() ✔",
                "│     └─ normalDay() ✘ expected: <10000> but was: <8000>",
                "[         1 tests failed          ]",
            ],
            "normalDay()",
        ),
        # TestNG's own reporter.
        (
            [
                "PASSED: login",
                "FAILED: createUser",
                "java.lang.AssertionError: expected [201] but found [500]",
                "Total tests run: 3, Passes: 2, Failures: 1, Skips: 0",
            ],
            "createUser",
        ),
    ],
)
def test_named_failure_jvm_shapes(lines: list[str], test: str) -> None:
    assert named_failure(lines) == test


@pytest.mark.parametrize(
    "line",
    [
        "Gradle suite > Gradle test > com.acme.SquareTests > testArea PASSED",
        "  Test signs tokens() PASSED",
        "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.1 s -- in com.acme.T",
        "[ERROR]   mvn <args> -rf :server",
    ],
)
def test_named_failure_ignores_passing_rows(line: str) -> None:
    assert named_failure([line]) is None


def test_executed_tally_names_the_test_logger_row(tmp_path: Path) -> None:
    lines = [
        "##[group]Run ./gradlew test --console=plain",
        "##[endgroup]",
        "> Task :test FAILED",
        "unit.services.TokenServiceTests",
        "  Test decodes tokens() FAILED",
        "FAILURE: Executed 1 tests in 1s (1 failed)",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "test_failure", {"test": "decodes tokens()"})


def test_executed_tally_of_a_passing_run_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run ./gradlew test --console=plain",
        "##[endgroup]",
        "unit.services.TokenServiceTests",
        "  Test signs tokens() PASSED",
        "SUCCESS: Executed 1 tests in 1.6s",
        "BUILD SUCCESSFUL in 6s",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_console_launcher_summary_is_a_test_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run java -jar junit-platform-console-standalone.jar -cp build --scan-classpath",
        "##[endgroup]",
        "├─ JUnit Jupiter ✔",
        "│  └─ SingletonTest ✔",
        "│     └─ normalDay() ✘ expected: <10000> but was: <8000>",
        "[         2 tests found           ]",
        "[         1 tests successful      ]",
        "[         1 tests failed          ]",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "test_failure", {"test": "normalDay()"})


def test_testng_suite_tally_is_a_test_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run java org.testng.TestNG testng.xml",
        "##[endgroup]",
        "FAILED: verifyTitle",
        "java.lang.AssertionError: expected [Home] but found [Login]",
        "===============================================",
        "Default suite",
        "Total tests run: 3, Passes: 2, Failures: 1, Skips: 0",
        "===============================================",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "test_failure", {"test": "verifyTitle"})


def test_later_testcontainers_class_without_docker_is_the_runner(tmp_path: Path) -> None:
    lines = [
        "##[group]Run mvn -B verify",
        "##[endgroup]",
        "[ERROR] Errors: ",
        "[ERROR]   OrderRepositoryTest » IllegalState Previous attempts to find a Docker environment"
        " failed. Will not retry. Please see logs and check configuration",
        "[ERROR] Tests run: 16, Failures: 0, Errors: 1, Skipped: 0",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "runner_failure", {})
