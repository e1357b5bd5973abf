"""Verdicts and facts the third scanner sweep (CodeQL, dependency review, zizmor, Snyk) relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/10-platform.yaml, rules/20-setup.yaml), in the code it tests, or in the tuning case using it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.linters import commanded_linter, own_step_linter
from tests.diagnose.joblog import FAILED, assert_finding, text_finding, write_job

_ZIZMOR_FINDING = [
    "error[template-injection]: code injection via template expansion",
    "  --> ./.github/workflows/release.yml:84:14",
    "   |",
    "84 |         run: git tag ${{ github.ref_name }}",
    "   |              ^^^^^^^^^^^^^^^^^^^^^^ may expand into attacker-controllable code",
]


@pytest.mark.parametrize(
    "lines",
    [
        # zizmor-action: the step header names it, nothing else does.
        ["##[group]Run zizmorcore/zizmor-action@e673c39", "##[endgroup]", *_ZIZMOR_FINDING, FAILED],
        # `uvx zizmor` in a run step: the command names it.
        [
            "##[group]Run uvx zizmor@1.29.0 --format=plain .",
            "uvx zizmor@1.29.0 --format=plain .",
            "##[endgroup]",
            *_ZIZMOR_FINDING,
            "##[error]Process completed with exit code 14.",
        ],
        # pre-commit's hook, then zizmor's banner as a log record.
        [
            "##[group]Run pre-commit run --all-files",
            "##[endgroup]",
            "zizmor...................................................................Failed",
            "- hook id: zizmor",
            "- exit code: 14",
            "",
            "INFO zizmor: 🌈 zizmor v1.24.1",
            *_ZIZMOR_FINDING,
            FAILED,
        ],
    ],
)
def test_zizmor_finding_names_tool_file_and_line(tmp_path: Path, lines: list[str]) -> None:
    facts = {"tool": "zizmor", "file": ".github/workflows/release.yml", "line": "84"}
    assert_finding(tmp_path, lines, "lint_failure", facts)


def test_zizmor_banner_in_a_terminal_paste_names_the_tool(tmp_path: Path) -> None:
    text = "🌈 zizmor v1.22.0\n INFO audit: zizmor: 🌈 completed ./action.yml\n" + "\n".join(
        _ZIZMOR_FINDING
    )
    got, data = text_finding(tmp_path, text + "\n")
    assert (got, data.get("tool"), data.get("line")) == ("lint_failure", "zizmor", "84")


def test_zizmor_banner_helpers() -> None:
    assert commanded_linter(["🌈 zizmor v1.22.0"], "Set up job") == "zizmor"
    assert own_step_linter([], "Run zizmorcore/zizmor-action@v0.2.0") == "zizmor"
    # A rainbow elsewhere, or a workflow that only mentions the tool, names nothing.
    assert commanded_linter(["🌈 done"], "Run make lint") is None


def _snyk_step(token: str, *refusal: str) -> list[str]:
    return [
        "##[group]Run snyk test --all-projects --severity-threshold=high",
        "snyk test --all-projects --severity-threshold=high",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        f"  SNYK_TOKEN: {token}",
        "##[endgroup]",
        *refusal,
        "##[error]Process completed with exit code 145.",
    ]


_SNYK_0005 = [
    " ERROR   Authentication error (SNYK-0005)",
    "           Unauthorized request to unmanaged service",
    "Status:  401 Unauthorized",
]


def test_empty_tool_token_explains_its_refusal(tmp_path: Path) -> None:
    assert_finding(tmp_path, _snyk_step("", *_SNYK_0005), "missing_env_vars", {"var": "SNYK_TOKEN"})


def test_set_tool_token_refused_is_an_auth_error(tmp_path: Path) -> None:
    assert_finding(tmp_path, _snyk_step("***", *_SNYK_0005), "auth_error", {})


def test_another_tools_empty_input_does_not_explain_a_refusal(tmp_path: Path) -> None:
    lines = [
        "##[group]Run ./deploy.sh",
        "./deploy.sh",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  SENTRY_AUTH_TOKEN: ",
        "##[endgroup]",
        "curl: (22) The requested URL returned error: 401 Unauthorized",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "auth_error", {})


def _gradle_publish_step(username: str) -> list[str]:
    return [
        "##[group]Run ./gradlew publishToMavenCentral",
        "./gradlew publishToMavenCentral",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        f"  ORG_GRADLE_PROJECT_mavenCentralUsername: {username}",
        "  ORG_GRADLE_PROJECT_signingInMemoryKey: ***",
        "##[endgroup]",
        "* What went wrong:",
        "Failed to stop service 'maven-central-build-service'.",
        '> Upload failed: {"error":{"message":"Invalid token"}}',
        "##[error]Process completed with exit code 1.",
    ]


def test_empty_gradle_project_property_explains_its_refusal(tmp_path: Path) -> None:
    # ORG_GRADLE_PROJECT_<name> is Gradle's: the gradlew step it is empty in is the refused tool.
    var = "ORG_GRADLE_PROJECT_mavenCentralUsername"
    assert_finding(tmp_path, _gradle_publish_step(""), "missing_env_vars", {"var": var})
    assert_finding(tmp_path, _gradle_publish_step("***"), "auth_error", {})


def _npm_publish_step(token: str) -> list[str]:
    return [
        "##[group]Run npm publish --access public",
        "npm publish --access public",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  NPM_CONFIG_USERCONFIG: /home/runner/work/_temp/.npmrc",
        f"  NODE_AUTH_TOKEN: {token}",
        "##[endgroup]",
        "npm error code ENEEDAUTH",
        "npm error need auth This command requires you to be logged in to https://registry.npmjs.org/",
        FAILED,
    ]


def test_empty_node_auth_token_explains_npms_refusal(tmp_path: Path) -> None:
    # setup-node's .npmrc reads NODE_AUTH_TOKEN: npm is the refused tool it is empty for.
    assert_finding(tmp_path, _npm_publish_step(""), "missing_env_vars", {"var": "NODE_AUTH_TOKEN"})
    assert_finding(tmp_path, _npm_publish_step("***"), "auth_error", {})


def test_changesets_without_npm_token_explains_the_e404(tmp_path: Path) -> None:
    lines = [
        "##[group]Run changesets/action@v1",
        "with:",
        "  publish: pnpm release",
        "##[endgroup]",
        "No NPM_TOKEN or OIDC available - assuming npm is already authenticated",
        "🦋  error an error occurred while publishing @acme/widget: E404 Not Found - PUT"
        " https://registry.npmjs.org/@acme%2fwidget - Not found ",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "missing_env_vars", {"var": "NPM_TOKEN"})


@pytest.mark.parametrize(
    "info",
    [
        "No NPM_TOKEN or OIDC available - assuming npm is already authenticated",
        "No credentials detected, skipping authentication",
    ],
)
def test_a_paste_that_stops_at_the_set_up_info_line_is_no_failure(
    tmp_path: Path, info: str
) -> None:
    # The step goes on without the credentials and may pass (a registry that needs none, a job that
    # never calls the cloud): only the runner's failure line after it makes the info line a cause.
    assert_finding(tmp_path, ["Run acme/release-action@v1", info], None, {})
    assert_finding(
        tmp_path, ["Run acme/release-action@v1", info, "🦋  success packages published"], None, {}
    )


def test_codeql_v1_discontinuation_annotation_alone_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run github/codeql-action/upload-sarif@v1",
        "with:",
        "  sarif_file: results.sarif",
        "##[endgroup]",
        "##[error]This version of the CodeQL Action was deprecated on January 18th, 2023, and is no"
        " longer updated or supported. For better performance, improved security, and new features,"
        " upgrade to v2.",
        "Uploading results",
        "  Successfully uploaded results",
        "Post job cleanup.",
        "Cleaning up orphan processes",
    ]
    assert analyze_paths([write_job(tmp_path, lines)]).findings == ()


def test_codeql_v1_annotation_beside_a_real_failure_keeps_the_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run github/codeql-action/analyze@v1",
        "##[endgroup]",
        "##[error]This version of the CodeQL Action was deprecated on January 18th, 2023, and is no"
        " longer updated or supported.",
        "##[error]codeql/analyze action failed: Resource not accessible by integration",
    ]
    assert_finding(tmp_path, lines, "permission_error", {})


@pytest.mark.parametrize(
    "text",
    [
        "Warning: Code scanning is not enabled for this repository. Please enable code scanning in"
        " the repository settings.\nError: Please verify that the necessary features are enabled:"
        " Code scanning is not enabled for this repository. Please enable code scanning in the"
        " repository settings.\n",
        "Run actions/dependency-review-action@v4\nError: Dependency review is not supported on this"
        " repository. Please ensure that Dependency graph is enabled along with GitHub Advanced"
        " Security on private repositories, see https://github.com/acme/app/settings/security_analysis\n",
    ],
)
def test_security_feature_disabled_pastes(tmp_path: Path, text: str) -> None:
    assert text_finding(tmp_path, text)[0] == "permission_error"


def test_trufflehog_block_under_its_head_gives_file_and_line(tmp_path: Path) -> None:
    lines = [
        "##[group]Run trufflesecurity/trufflehog@main",
        "##[endgroup]",
        "✅ Found verified result 🐷🔑",
        "Detector Type: AWS",
        "Decoder Type: PLAIN",
        "Commit: Staged",
        "File: deploy/settings.py",
        "Line: 12",
        "Repository: https://github.com/acme/app.git",
        "",
        '2025-06-15T08:18:16Z\tinfo-0\ttrufflehog\tfinished scanning\t{"chunks": 1, "bytes": 2048,'
        ' "verified_secrets": 1, "unverified_secrets": 0, "scan_duration": "1.2s"}',
        "##[error]Process completed with exit code 183.",
    ]
    facts = {"tool": "trufflehog", "file": "deploy/settings.py", "line": "12"}
    assert_finding(tmp_path, lines, "lint_failure", facts)


def test_checkov_soft_fail_tally_is_a_report(tmp_path: Path) -> None:
    lines = [
        "##[group]Run checkov -d . --soft-fail",
        "##[endgroup]",
        "Passed checks: 12, Failed checks: 1, Skipped checks: 0",
        'Check: CKV_AWS_20: "S3 Bucket has an ACL defined which allows public READ access."',
        "\tFAILED for resource: aws_s3_bucket.data",
        "\tFile: /main.tf:1-12",
        "##[group]Run actions/upload-artifact@v4",
        "##[endgroup]",
        "Artifact checkov has been successfully uploaded!",
        "Post job cleanup.",
        "Cleaning up orphan processes",
    ]
    assert analyze_paths([write_job(tmp_path, lines)]).findings == ()


def test_checkov_failed_checks_fail_the_step(tmp_path: Path) -> None:
    lines = [
        "##[group]Run checkov -d .",
        "##[endgroup]",
        "Passed checks: 12, Failed checks: 1, Skipped checks: 0",
        FAILED,
    ]
    assert_finding(tmp_path, lines, "lint_failure", {"tool": "checkov"})
