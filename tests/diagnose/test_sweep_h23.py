"""Verdicts the JVM application-framework sweep (helper h23) relies on beyond the rules' own examples:
Surefire's "Errors:" summary printed on a console that is not UTF-8 (the "»" becomes "?"), the
Testcontainers error line that a build with `disabledWithoutDocker` logs and then passes, and the
places and causes of Kotlin and JVM coverage failures in whole job logs.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding

_NO_DOCKER = (
    "10:21:44.310 [main] ERROR org.testcontainers.dockerclient.DockerClientProviderStrategy -- Could"
    " not find a valid Docker environment. Please check configuration. Attempted configurations were:"
)


@pytest.mark.parametrize(
    ("row", "test"),
    [
        (
            "[ERROR]   AppSimulatorTest.contextLoads ? IllegalState Failed to load...",
            "AppSimulatorTest.contextLoads",
        ),
        (
            "[ERROR]   AppTest.contextLoads Â» IllegalState Failed to load Applicat...",
            "AppTest.contextLoads",
        ),
        (
            "[ERROR]   AppTest.contextLoads » IllegalState Failed to load ApplicationContext",
            "AppTest.contextLoads",
        ),
        ("[ERROR]   CalcTest.adds two numbers ? IllegalState boom", "CalcTest.adds two numbers"),
    ],
)
def test_surefire_summary_guillemet_in_any_encoding(row: str, test: str) -> None:
    assert named_failure(["[ERROR] Errors: ", row]) == test


def test_surefire_tally_is_no_test() -> None:
    assert named_failure(["[ERROR] Tests run: 4, Failures: 0, Errors: 4, Skipped: 0"]) is None


def test_testcontainers_logged_then_build_success_is_passing(tmp_path: Path) -> None:
    lines = [
        "[INFO] Running com.acme.RepositoryTest",
        _NO_DOCKER,
        "[WARNING] Tests run: 6, Failures: 0, Errors: 0, Skipped: 6, Time elapsed: 0.4 s",
        "[INFO] BUILD SUCCESS",
    ]
    assert top_finding(tmp_path, lines) == (None, {})


def test_testcontainers_without_docker_then_build_failure(tmp_path: Path) -> None:
    lines = [
        "[INFO] Running com.acme.RepositoryIT",
        _NO_DOCKER,
        "[ERROR] Tests run: 4, Failures: 0, Errors: 4, Skipped: 0, Time elapsed: 0.6 s <<< FAILURE!",
        "[INFO] BUILD FAILURE",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.2.5:"
        "integration-test (default) on project app: There are test failures.",
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "runner_failure"


def test_docker_api_too_old_outranks_the_tests(tmp_path: Path) -> None:
    lines = [
        _NO_DOCKER,
        "\tUnixSocketClientProviderStrategy: failed with exception BadRequestException (Status 400: "
        '{"message":"client version 1.32 is too old. Minimum supported API version is 1.44, please '
        'upgrade your client to a newer version"}',
        "[ERROR] Tests run: 3, Failures: 0, Errors: 3, Skipped: 0",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.5.2:"
        "integration-test (default) on project app: There are test failures.",
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "dependency_conflict"


def test_kotlin_k1_row_on_windows_glued_to_the_task(tmp_path: Path) -> None:
    lines = [
        ":compileKotline: D:\\a\\bot\\bot\\src\\main\\kotlin\\Main.kt: (14, 27): Unresolved reference: X",
        "e: D:\\a\\bot\\bot\\src\\main\\kotlin\\Main.kt: (82, 13): Unresolved reference: X",
        " FAILED",
        "Execution failed for task ':compileKotlin'.",
        FAILED,
    ]
    assert top_finding(tmp_path, lines) == (
        "syntax_error",
        {"file": "src/main/kotlin/Main.kt", "line": "14", "exit_code": "1"},
    )


def test_kotlin_dsl_script_place_from_where_block(tmp_path: Path) -> None:
    lines = [
        "FAILURE: Build failed with an exception.",
        "* Where:",
        "Build file '/home/runner/work/app/app/build.gradle.kts' line: 13",
        "* What went wrong:",
        "Script compilation error:",
        "  Line 13:     codequality {",
        "               ^ Unresolved reference: codequality",
        FAILED,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data.get("file"), data.get("line")) == ("syntax_error", "build.gradle.kts", "13")


@pytest.mark.parametrize(
    "row",
    [
        "[ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.8.8:check (jacoco-check) on"
        " project app: Coverage checks have not been met. See log for details. -> [Help 1]",
        "   > Rule violated: lines covered percentage is 43.163500, but expected minimum is 80",
    ],
)
def test_jvm_coverage_gate_is_a_test_failure(tmp_path: Path, row: str) -> None:
    assert top_finding(tmp_path, [row, FAILED])[0] == "test_failure"


def test_jacoco_rule_warned_then_build_success_is_passing(tmp_path: Path) -> None:
    lines = [
        "[INFO] --- jacoco-maven-plugin:0.8.12:check (check) @ app ---",
        "[WARNING] Rule violated for bundle app: instructions covered ratio is 0.61, but expected"
        " minimum is 0.80",
        "[INFO] BUILD SUCCESS",
    ]
    assert top_finding(tmp_path, lines) == (None, {})
