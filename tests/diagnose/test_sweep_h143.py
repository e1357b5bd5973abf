"""Blind batch h143 (the workflow itself): which scope a refused action needed when it writes both
issues and pull requests or only reads, and the runner's place under an unanchored "Invalid workflow
file" head."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.api_requests import action_need
from tests.diagnose.joblog import assert_finding, assert_job_finding, top_finding

REFUSED = "Error: Resource not accessible by integration"


@pytest.mark.parametrize(
    ("lines", "scope"),
    [
        (  # actions/stale v3 (actions/stale #209): "issue #695 … (is pr? false)" names both words
            [
                "Run actions/stale@v3",
                "Found issue: issue #695 last updated 2020-09-10T13:11:34Z (is pr? false)",
                "Marking issue #695 as stale",
                "Error: Error adding a label: Resource not accessible by integration",
            ],
            "issues",
        ),
        (
            [
                "Run actions/stale@v3",
                "Found issue: pr #41 last updated 2020-09-10T13:11:34Z (is pr? true)",
                "Marking pr #41 as stale",
                "Error: Error adding a label: Resource not accessible by integration",
            ],
            "pull-requests",
        ),
        (  # actions/stale v7 (actions/stale #948): the item's group, then its own lines
            [
                "Run actions/stale@v7",
                "  with:",
                "    stale-issue-label: stale",
                "[#1728] Issue #1728",
                "  [#1728] Marking this issue as stale",
                " Error: [#1728] Error when creating a comment: Resource not accessible by integration",
            ],
            "issues",
        ),
        (  # release-changelog-builder reads: the pull requests it was fetching (#1244)
            [
                "Run mikepenz/release-changelog-builder-action@v4",
                "ℹ️ Fetching PRs between dates 2023-09-03T20:55:27.000Z to 2023-09-03T20:55:27.000Z",
                REFUSED,
            ],
            "pull-requests",
        ),
        (  # one read scope (Gamesight/slack-workflow-status #45)
            [
                "Run Gamesight/slack-workflow-status@master",
                "Error: HttpError: Resource not accessible by integration",
                REFUSED,
            ],
            "actions",
        ),
    ],
)
def test_the_item_or_the_one_read_names_the_scope(
    tmp_path: Path, lines: list[str], scope: str
) -> None:
    assert_finding(tmp_path, lines, "permission_error", {"scope": scope})


def test_stale_downloaded_pull_request(tmp_path: Path) -> None:
    lines = [
        "##[group]Run actions/stale@v8",
        "with:",
        "  stale-pr-message: This PR is stale",
        "##[endgroup]",
        "##[group][#57] Pull request #57",
        "[#57] Marking this pull request as stale",
        "##[error][#57] Error when creating a comment: Resource not accessible by integration",
        "##[endgroup]",
    ]
    assert_job_finding(tmp_path, lines, "permission_error", {"scope": "pull-requests"})


@pytest.mark.parametrize(
    ("action", "lines"),
    [
        # an input echoed under `with:` names no item
        ("peter-evans/create-or-update-comment", ["  with:", "    issue-number: 5", REFUSED]),
        # both kinds on one line say neither
        ("actions/stale", ["[#9] process the issues and pull requests with one label", REFUSED]),
        # a reader of two scopes with no item named
        ("mikepenz/release-changelog-builder-action", ["ℹ️ Fetching tags", REFUSED]),
        # no refusal of the job token
        ("Gamesight/slack-workflow-status", ["Error: HttpError: 403 Forbidden"]),
    ],
)
def test_no_scope_the_lines_do_not_settle(action: str, lines: list[str]) -> None:
    assert action_need(action, lines) == {}


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        (  # openvinotoolkit/openvino #37043
            [
                "Invalid workflow file: .github/workflows/dev_kernels.yml",
                "(Line: 28, Col: 5): Unexpected value ''",
            ],
            {"file": ".github/workflows/dev_kernels.yml", "line": "28"},
        ),
        (
            [
                "Error: Invalid workflow file: .github/workflows/ci.yml",
                "",
                "The workflow is not valid. .github/workflows/ci.yml (Line: 20, Col: 3): "
                "Unexpected value 'step'",
            ],
            {"file": ".github/workflows/ci.yml", "line": "20"},
        ),
    ],
)
def test_unanchored_invalid_workflow_head(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "yaml_syntax_error", facts)


def test_another_files_place_is_not_the_heads_line(tmp_path: Path) -> None:
    lines = [
        "Invalid workflow file: .github/workflows/ci.yml",
        "The workflow is not valid. .github/workflows/other.yml (Line: 20, Col: 3): x",
    ]
    got, facts = top_finding(tmp_path, lines)
    assert got == "yaml_syntax_error"
    assert "line" not in facts or facts.get("file") != ".github/workflows/ci.yml"
