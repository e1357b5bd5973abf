"""Verdicts the third variables/credentials/permissions sweep (helper h32) relies on beyond the rules'
own examples: the scope a refused GraphQL call of gh needed, docker login's non-TTY error ranked below
what made its password empty, and the rules whose wording families were widened.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.api_requests import request_need
from smartmon.workflows import graphql_needs
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # gh pr create sends createPullRequest (cli/cli pkg/cmd/pr/create).
        (
            "pull request create failed: GraphQL: Resource not accessible by integration (createPullRequest)",
            {"scope": "pull-requests", "access": "write"},
        ),
        # gh pr merge --auto: the table lists contents and pull-requests for the merge commands.
        (
            "GraphQL: Resource not accessible by integration (enablePullRequestAutoMerge)",
            {"scope": "contents", "access": "write", "also": "pull-requests"},
        ),
        # addComment is sent by `gh pr comment` and by `gh issue comment`: either scope serves.
        (
            "GraphQL: Resource not accessible by integration (addComment)",
            {"scope": "pull-requests", "access": "write", "alternatives": "issues"},
        ),
        # gh pr edit reads classic project cards (cli/cli #6274), also with a fine-grained PAT.
        (
            "GraphQL: Resource not accessible by integration (repository.pullRequest.projectCards.nodes)",
            {"scope": "repository-projects", "access": "read"},
        ),
        (
            "GraphQL: Resource not accessible by personal access token (repository.pullRequests.nodes.0.projectCards.nodes)",
            {"scope": "repository-projects", "access": "read"},
        ),
    ],
)
def test_graphql_refusal_names_its_scope(line: str, want: dict[str, str]) -> None:
    assert request_need([line]) == want


def test_graphql_refusal_of_an_unmapped_mutation_names_no_scope() -> None:
    assert (
        request_need(["GraphQL: Resource not accessible by integration (addLabelsToLabelable)"])
        == {}
    )
    assert graphql_needs("addLabelsToLabelable") == ()
    assert graphql_needs("createIssue") == ({"issues": "write"},)


def test_gh_graphql_refusal_in_a_job_carries_the_scope(tmp_path: Path) -> None:
    lines = run_step(
        "gh pr create --fill --base main",
        "pull request create failed: GraphQL: Resource not accessible by integration (createPullRequest)",
        FAILED,
    )
    got, facts = top_finding(tmp_path, lines)
    assert got == "permission_error"
    assert facts["scope"] == "pull-requests"


@pytest.mark.parametrize(
    ("before", "want", "facts"),
    [
        # The password command failed first: its own line is the cause (aws/aws-cli #7621,
        # CircleCI-Public/aws-ecr-orb #144).
        (
            ['Connect timeout on endpoint URL: "https://api.ecr.us-west-2.amazonaws.com/"'],
            "network_error",
            {"host": "api.ecr.us-west-2.amazonaws.com"},
        ),
        (
            [
                "An error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken "
                "operation: The security token included in the request is invalid."
            ],
            "auth_error",
            {},
        ),
        # Nothing before it: the password piped in was empty.
        ([], "missing_env_vars", {}),
    ],
)
def test_docker_login_non_tty_ranks_below_its_cause(
    tmp_path: Path, before: list[str], want: str, facts: dict[str, str]
) -> None:
    run = "aws ecr get-login-password | docker login --username AWS --password-stdin 123.dkr.ecr.us-west-2.amazonaws.com"
    lines = run_step(
        run, *before, "Error: Cannot perform an interactive login from a non TTY device", FAILED
    )
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert facts.items() <= data.items()


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # tauri's bundler after a successful build (ontola/atomic-server #497): the quoted name.
        (
            [
                "     Finished 3 bundles at:",
                "       Error A public key has been found, but no private key. Make sure to set "
                "`TAURI_SIGNING_PRIVATE_KEY` environment variable.",
                "##[error]Command failed with exit code 1: tauri build",
            ],
            "missing_env_vars",
            {"var": "TAURI_SIGNING_PRIVATE_KEY"},
        ),
        # The OAuth form of the workflow-file refusal names a scope, not a permission.
        (
            [
                " ! [remote rejected] main -> main (refusing to allow an OAuth App to create or update "
                "workflow `.github/workflows/ci.yml` without `workflow` scope)",
                "error: failed to push some refs to 'https://github.com/acme/widget'",
                FAILED,
            ],
            "permission_error",
            {"scope": "workflow", "file": ".github/workflows/ci.yml"},
        ),
        # poetry publish: PyPI's refusal of the credential, not the job token's (JRubics/poetry-publish #37).
        (
            [
                "HTTP Error 403: Invalid or non-existent authentication information. See "
                "https://test.pypi.org/help/#invalid-auth for more information.",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        # pytest repeats google-auth's newer wording on its FAILED line; the credentials are the cause.
        (
            [
                "FAILED tests/test_storage.py::test_upload - google.auth.exceptions.DefaultCredentialsError: "
                "Your default credentials were not found. To set up Application Default Credentials, see "
                "https://cloud.google.com/docs/authentication/external/set-up-adc for more information.",
                "========================= 1 failed, 12 passed in 3.10s =========================",
                FAILED,
            ],
            "missing_env_vars",
            {},
        ),
    ],
)
def test_widened_families(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert facts.items() <= data.items()


def test_write_access_not_granted_over_ssh_has_no_token_scope(tmp_path: Path) -> None:
    lines = [
        "ERROR: Write access to repository not granted.",
        "fatal: Could not read from remote repository.",
        FAILED,
    ]
    log = write_job(tmp_path, lines)
    top = analyze_paths([log]).findings[0]
    assert top.type.value == "permission_error"
    assert "scope" not in top.data


@pytest.mark.parametrize(
    ("lines", "scope"),
    [
        # A push git refuses with a bare 403 (no "Permission to … denied" line): the job token's
        # contents: write (we-cli/coverage-badge-action PR #1).
        (
            run_step(
                "git push origin HEAD:main",
                "fatal: unable to access 'https://github.com/acme/widget/': The requested URL returned error: 403",
                FAILED,
            ),
            "contents",
        ),
        # The same 403 while fetching another repository: no scope of the job token would help.
        (
            run_step(
                "git clone https://github.com/acme/private-tools",
                "Cloning into 'private-tools'...",
                "fatal: unable to access 'https://github.com/acme/private-tools/': The requested URL returned error: 403",
                FAILED,
            ),
            None,
        ),
    ],
)
def test_git_403_scope_only_for_a_push(tmp_path: Path, lines: list[str], scope: str | None) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == "permission_error"
    assert data.get("scope") == scope


def test_pwsh_concise_view_throw_names_the_variable(tmp_path: Path) -> None:
    # PowerShell 7's default error view on Windows runners: the message under the quoted code.
    lines = [
        '##[group]Run if (-not $env:NUGET_API_KEY) { throw "NUGET_API_KEY is not set" }',
        'if (-not $env:NUGET_API_KEY) { throw "NUGET_API_KEY is not set" }',
        "shell: C:\\Program Files\\PowerShell\\7\\pwsh.EXE -command \". '{0}'\"",
        "##[endgroup]",
        "Exception: D:\\a\\_temp\\3f2c1e0a-1b2c-4d5e-8f9a-0b1c2d3e4f5a.ps1:2",
        "Line |",
        '   2 |  if (-not $env:NUGET_API_KEY) { throw "NUGET_API_KEY is not set" }',
        "     |                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "     | NUGET_API_KEY is not set",
        FAILED,
    ]
    got, data = top_finding(tmp_path, lines)
    assert (got, data.get("var")) == ("missing_env_vars", "NUGET_API_KEY")


def test_git_403_on_a_push_refused_to_another_identity_has_no_token_scope(tmp_path: Path) -> None:
    lines = run_step(
        "git push origin HEAD:main",
        "remote: Permission to acme/widget.git denied to dependabot[bot].",
        "fatal: unable to access 'https://github.com/acme/widget/': The requested URL returned error: 403",
        FAILED,
    )
    got, data = top_finding(tmp_path, lines)
    assert got == "permission_error"
    assert "scope" not in data
