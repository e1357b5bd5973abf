"""Coverage gates, quality gates and report uploads: what a job that failed on them is diagnosed as.

Texts are the tools' real formats with names changed; the thread or source each comes from is named in
the rule that reads it (rules/20-setup.yaml, rules/60-tests.yaml) or in `failed_tests.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # Vitest's default reporter: one space after the cross, then the test.
        (["   × caps the raw match 6ms"], "caps the raw match"),
        ([" × src/cart.test.ts > Cart > adds an item 5ms"], "Cart > adds an item"),
        # Lighthouse CI on Windows draws its failed assertions with the same cross: no test.
        (["  ×  total-byte-weight failure for maxNumericValue assertion"], None),
        (["× categories.performance failure for minScore assertion"], None),
    ],
)
def test_vitest_cross_is_a_test_and_lighthouse_cross_is_not(
    lines: list[str], test: str | None
) -> None:
    assert named_failure(lines) == test


def test_lighthouse_paste_names_no_test(tmp_path: Path) -> None:
    kind, data = top_finding(
        tmp_path,
        [
            "1 result(s) for http://localhost:3000/login :",
            "  ×  total-byte-weight failure for maxNumericValue assertion",
            "        expected: <=100",
            "           found: 1046",
            "      all values: 1046, 1046, 1046",
            "",
            "Assertion failed. Exiting with status code 1.",
        ],
    )
    assert kind == "test_failure"
    assert "test" not in data


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # go-test-coverage's report and annotation (the runner shows ::error as ##[error]).
        (
            [
                "File coverage threshold (80%) satisfied:\tFAIL",
                "Total test coverage: 81.0% (400/494)",
                "##[error]File test coverage below threshold: coverage: 50.0% (5/10); threshold: 80%",
            ],
            "test_failure",
        ),
        # coverlet's MSBuild gate after every test passed.
        (
            [
                "Passed!  - Failed:     0, Passed:    50, Skipped:     0, Total:    50 - A.Tests.dll",
                "/home/runner/.nuget/packages/coverlet.msbuild/6.0.0/build/coverlet.msbuild.targets"
                "(72,5): error : The minimum line coverage is below the specified 90"
                " [/home/runner/work/a/a/tests/A.Tests/A.Tests.csproj]",
                FAILED,
            ],
            "test_failure",
        ),
        # size-limit over its budget.
        (
            [
                "  dist/index.js",
                "  Package size limit has exceeded by 1.4 kB",
                "  Size limit:   37 kB",
                "  Size:         38.4 kB with all dependencies, minified and gzipped",
                FAILED,
            ],
            "test_failure",
        ),
        # goveralls: the 422's body on the line below its status.
        (
            [
                "bad response status from coveralls: 422",
                '{"message":"Couldn\'t find a repository matching this job.","error":true}',
                FAILED,
            ],
            "auth_error",
        ),
        # SonarQube 10 from Maven, the project unknown to the token.
        (
            [
                "[ERROR] Failed to execute goal org.sonarsource.scanner.maven:sonar-maven-plugin:"
                "4.0.0.4121:sonar (default-cli) on project demo: You're not authorized to analyze this"
                " project or the project doesn't exist on SonarQube and you're not authorized to create"
                " it. Please contact an administrator. -> [Help 1]",
                FAILED,
            ],
            "auth_error",
        ),
    ],
)
def test_gate_failures(tmp_path: Path, body: list[str], kind: str) -> None:
    log = write_job(tmp_path, run_step("make check", *body))
    findings = analyze_paths([log]).findings
    assert findings
    assert findings[0].type.value == kind
    assert "test" not in findings[0].data


def test_sonar_project_not_found_with_empty_token_names_the_secret(tmp_path: Path) -> None:
    """A fork's pull request: SONAR_TOKEN renders empty in the step's env block, and SonarCloud's
    "Project not found" is the refusal; the secret to add is the fix."""
    kind, data = top_finding(
        tmp_path,
        [
            "Run sonarsource/sonarcloud-github-action@master",
            "  env:",
            "    GITHUB_TOKEN: ***",
            "    SONAR_TOKEN: ",
            "INFO: EXECUTION FAILURE",
            "ERROR: Error during SonarScanner execution",
            "ERROR: Project not found. Please check the 'sonar.projectKey' and 'sonar.organization'"
            " properties, the 'SONAR_TOKEN' environment variable, or contact the project administrator",
        ],
    )
    assert (kind, data.get("var")) == ("missing_env_vars", "SONAR_TOKEN")


def test_sonar_project_not_found_with_token_set_is_refused(tmp_path: Path) -> None:
    log = write_job(
        tmp_path,
        [
            "##[group]Run ./gradlew sonarqube",
            "./gradlew sonarqube",
            "shell: /usr/bin/bash -e {0}",
            "env:",
            "  SONAR_TOKEN: ***",
            "##[endgroup]",
            "* What went wrong:",
            "Execution failed for task ':sonarqube'.",
            "> Project not found. Please check the 'sonar.projectKey' and 'sonar.organization'"
            " properties, the 'SONAR_TOKEN' environment variable, or contact the project administrator",
            FAILED,
        ],
    )
    findings = analyze_paths([log]).findings
    assert findings[0].type.value == "auth_error"


def test_coveralls_closed_build_is_no_credential_problem(tmp_path: Path) -> None:
    kind, _ = top_finding(
        tmp_path,
        [
            "bad response status from coveralls: 422",
            '{"message":"Can\'t add a job to a build that is already closed. Build 1 is closed.'
            ' See docs.coveralls.io/parallel-builds","error":true}',
            "Error: Process completed with exit code 1.",
        ],
    )
    assert kind != "auth_error"
