"""Verdicts the GitHub platform sweep (helper h49) relies on beyond the rules' own examples: the
runner's place run into the run page's "#L1" anchor, the scope of a refused release-asset upload.

Texts are the real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.api_requests import request_need
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        # PavanMudigonda/html-reporter-github-pages #55: the title and the message copied as one line.
        (
            [
                "Invalid workflow file: .github/workflows/test-copy.yml#L1(Line: 24, Col: 13): "
                "Unrecognized named-value: 'secrets'. Located at position 1 within expression: "
                "secrets.GH_PAT != ''"
            ],
            "24",
        ),
        # The same run into the link the page made of the title.
        (
            [
                "[Invalid workflow file: .github/workflows/test-copy.yml#L1](https://github.com/"
                "acme/site/actions/runs/20123174341/workflow)(Line: 24, Col: 13): Unrecognized "
                "named-value: 'secrets'. Located at position 1 within expression: secrets.GH_PAT != ''"
            ],
            "24",
        ),
        # On its own line under the title (the form the extractor read before).
        (
            [
                "Invalid workflow file: .github/workflows/test-copy.yml#L1",
                "(Line: 24, Col: 13): Unrecognized named-value: 'secrets'. Located at position 1 "
                "within expression: secrets.GH_PAT != ''",
            ],
            "24",
        ),
        # An anchor with no runner message keeps its own line.
        (["Invalid workflow file: .github/workflows/main.yml#L1166"], "1166"),
    ],
)
def test_invalid_workflow_line_is_the_runners(tmp_path: Path, lines: list[str], line: str) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == "yaml_syntax_error"
    assert data.get("file", "").startswith(".github/workflows/")
    assert data.get("line") == line


@pytest.mark.parametrize(
    "lines",
    [
        [
            "+ gh release upload v1.2.0 dist/app.tar.gz",
            "HTTP 403: Resource not accessible by integration (https://uploads.github.com/repos/"
            "acme/app/releases/1234/assets?label=&name=app.tar.gz)",
        ],
        [
            "RequestError [HttpError]: Resource not accessible by integration",
            "  status: 403,",
            "    url: 'https://uploads.github.com/repos/acme/app/releases/1234/assets?name=app.zip',",
        ],
    ],
)
def test_release_asset_upload_needs_contents(lines: list[str]) -> None:
    assert request_need(lines)["scope"] == "contents"


def test_other_github_hosts_name_no_scope() -> None:
    # A refused download from GitHub's object storage is no release-asset upload: nothing to say.
    assert request_need(["HTTP 403: Forbidden (https://objects.githubusercontent.com/x)"]) == {}


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # graphframes/graphframes #678: the environment refuses a tag; no step ran.
        (
            [
                'Tag "v0.9.3" is not allowed to deploy to github-pages due to environment '
                "protection rules.",
                "The deployment was rejected or didn't satisfy other protection rules.",
            ],
            "permission_error",
        ),
        # zonble/HumanString #13: deploy-pages meets the same branch policy through the API.
        (
            [
                "Run actions/deploy-pages@v4",
                "Error: Creating Pages deployment failed",
                "Error: HttpError: Invalid deployment branch and no branch protection rules set in "
                "the environment. Deployments are only allowed from gh-pages",
            ],
            "permission_error",
        ),
        # A job that waited for a reviewer and deployed is no failure.
        (
            [
                "Waiting for a review to deploy to production (environment protection rules)",
                "Deployment to production was approved",
                "Deployed to https://app.example.com",
            ],
            None,
        ),
        # GH006 on a push: the branch's protection, the finding names no token scope.
        (
            [
                "remote: error: GH006: Protected branch update failed for refs/heads/main.",
                "remote: error: Changes must be made through a pull request.",
                " ! [remote rejected] main -> main (protected branch hook declined)",
                FAILED,
            ],
            "permission_error",
        ),
    ],
)
def test_environment_and_branch_protection(
    tmp_path: Path, lines: list[str], want: str | None
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert "scope" not in data
