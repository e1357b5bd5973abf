"""The action and version of a step that runs an action, and the scope a release action's bare
refusal needed: the shapes issue 12's sweep of action steps relies on.

Texts are the tools' real formats with names changed; the source of each is named in the module or
data row that reads it (`step_actions.py`, `workflows/data/permission_needs.yaml`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.api_requests import action_need
from smartmon.diagnose.step_actions import (
    action_in_lines,
    action_in_trace,
    last_run_line,
    step_action,
)
from smartmon.workflows import action_write_scope
from tests.diagnose.joblog import TS, assert_finding, top_finding

_CODEQL_V2 = (
    "Error: CodeQL Action major versions v1 and v2 have been deprecated. Please update all"
    " occurrences of the CodeQL Action in your workflow files to v3+."
)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # A post step's title, as the run page shows it, after an earlier step's header.
        (
            ["Run actions/checkout@v4", "  with:", "Post Run github/codeql-action/analyze@v2"],
            ("github/codeql-action/analyze", "v2"),
        ),
        # Pinned by SHA.
        (
            [
                "Post Run actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57",
                "Post job cleanup.",
            ],
            ("actions/cache", "1bd1e32a3bdc45362d1e726936510720a7c30a57"),
        ),
        # Downloaded form of the same title.
        (["##[group]Post Run acme/tool@v1"], ("acme/tool", "v1")),
        # A shell step after the action's post title is where the error is: no action.
        (["Post Run acme/tool@v1", "Run make test", "  make test"], None),
        # A local action's post step names no repository action.
        (["Post Run ./.github/actions/setup"], None),
    ],
)
def test_action_in_lines_reads_post_step_titles(
    lines: list[str], want: tuple[str, str] | None
) -> None:
    assert action_in_lines(lines) == want


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Run actions/cache@v4", ("actions/cache", "v4")),
        ("Post Run actions/cache@v4", ("actions/cache", "v4")),
        ("Post Run github/codeql-action/analyze@v3", ("github/codeql-action/analyze", "v3")),
        ("Post Run ./.github/actions/setup", None),
        ("Post job cleanup.", None),
    ],
)
def test_step_action_reads_post_step_names(name: str, want: tuple[str, str] | None) -> None:
    assert step_action(name) == want


def test_last_run_line_stops_at_a_post_title() -> None:
    lines = ["Run actions/checkout@v4", "Post Run acme/tool@v1", "Post job cleanup."]
    assert last_run_line(lines) == "Post Run acme/tool@v1"
    assert last_run_line(["Post job cleanup.", "Error: x"]) is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A copy of the run page ending in a post step: its action, not the earlier step's.
        (
            [
                "Run actions/checkout@v4",
                "  with:",
                "    repository: acme/app",
                "Post Run github/codeql-action/analyze@v2",
                "Post job cleanup.",
                _CODEQL_V2,
            ],
            "deprecated_action",
            {"action": "github/codeql-action/analyze", "version": "v2"},
        ),
        (
            [
                "Run make test",
                "  make test",
                "  shell: /usr/bin/bash -e {0}",
                "Post Run github/codeql-action/analyze@v2",
                "Post job cleanup.",
                _CODEQL_V2,
            ],
            "deprecated_action",
            {"action": "github/codeql-action/analyze", "version": "v2"},
        ),
        # Release actions that print only the refusal: the scope their usual job writes.
        (
            [
                "Run AButler/upload-release-assets@v3.0",
                "  with:",
                "    files: dist/*",
                "    repo-token: ***",
                "Uploading dist/widget-0.0.8-py3-none-any.whl...",
                "Error: Resource not accessible by integration",
            ],
            "permission_error",
            {"scope": "contents"},
        ),
        # The same refusal under a post step title of a release action.
        (
            [
                "Run actions/checkout@v4",
                "Post Run softprops/action-gh-release@v2",
                "Error: Resource not accessible by integration",
            ],
            "permission_error",
            {"scope": "contents"},
        ),
    ],
)
def test_action_step_facts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("action", "scope"),
    [
        ("AButler/upload-release-assets@v3.0", "contents"),
        ("xresloader/upload-to-github-release@v1", "contents"),
        ("mathieudutour/github-tag-action@v6.2", "contents"),
        ("LouisBrunner/checks-action@v1.6.1", "checks"),
        # several writes: no one scope
        ("peter-evans/create-or-update-comment@v4", None),
    ],
)
def test_release_actions_write_one_scope(action: str, scope: str | None) -> None:
    assert action_write_scope(action) == scope


def test_action_need_only_on_a_refusal() -> None:
    refused = ["Error: Resource not accessible by integration"]
    assert action_need("AButler/upload-release-assets", refused)["scope"] == "contents"
    assert action_need("AButler/upload-release-assets", ["Error: No files found"]) == {}


_CODECOV_EXIT = (
    "Error: Codecov: Failed to properly upload: The process '/home/runner/work/_actions/codecov/"
    "codecov-action/v3/dist/codecov' failed with exit code 255"
)


@pytest.mark.parametrize(
    ("text", "before", "after", "step_name", "want"),
    [
        # The action's own exit line, hosted Linux.
        (_CODECOV_EXIT, [], [], "", ("codecov/codecov-action", "v3")),
        # Node's stack below the error, a container job's work folder.
        (
            "RequestError [HttpError]: Resource not accessible by integration",
            [],
            ["    at /__w/_actions/acme/size-label/v0.4.3/dist/index.js:2582:23"],
            "",
            ("acme/size-label", "v0.4.3"),
        ),
        # The source line node prints above an uncaught error, Windows.
        (
            "Error: boom",
            ["D:\\a\\_actions\\acme\\commenter\\v3\\dist\\index.js:4690", "  throw err;"],
            [],
            "",
            ("acme/commenter", "v3"),
        ),
        # Under a shell step a path in `_actions` is data, not the step's action.
        (
            "Error: Can't locate BerkeleyDB.pm in @INC (@INC contains:"
            " /home/runner/work/_actions/acme/setup-perl/v1/scripts/lib) at x.pl line 9.",
            ["Run acme/setup-perl@v1", "Run perl x.pl"],
            [],
            "",
            None,
        ),
        (_CODECOV_EXIT, [], [], "Run ./upload.sh", None),
        # The runner's download folder names no action.
        (
            "Error: cannot rename /home/runner/work/_actions/_temp_6cd4a1/_staging/tool-1a2b3c/x",
            [],
            [],
            "",
            None,
        ),
        # Too far below the error.
        (
            "Error: boom",
            [],
            [*["  ..."] * 9, "    at /home/runner/work/_actions/a/b/v1/i.js:1:1"],
            "",
            None,
        ),
    ],
)
def test_action_in_trace(
    text: str, before: list[str], after: list[str], step_name: str, want: tuple[str, str] | None
) -> None:
    assert action_in_trace(text, before, after, step_name) == want


def test_generic_failure_takes_the_action_from_its_exit_line(tmp_path: Path) -> None:
    assert_finding(
        tmp_path,
        [_CODECOV_EXIT],
        "unknown",
        {"action": "codecov/codecov-action", "version": "v3"},
    )


_RETRY_404 = (
    "##[warning]Failed to download action 'https://api.github.com/repos/acme/rebase/tarball/v1.2.0'."
    " Error Response status code does not indicate success: 404 (Not Found)."
)


def test_old_runner_404_download_names_the_missing_action(tmp_path: Path) -> None:
    lines = [
        "Prepare all required actions",
        "Download action repository 'actions/checkout@master'",
        "Download action repository 'acme/rebase@v1.2.0'",
        _RETRY_404,
        "##[warning]Back off 23.846999999999998 seconds before retry.",
        _RETRY_404,
        "##[error]Response status code does not indicate success: 404 (Not Found).",
    ]
    assert_finding(
        tmp_path, lines, "deprecated_action", {"action": "acme/rebase", "version": "v1.2.0"}
    )


def test_old_runner_404_then_downloaded_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "Prepare all required actions",
        "Download action repository 'acme/rebase@v1.2.0'",
        _RETRY_404,
        "##[warning]Back off 23.8 seconds before retry.",
        "##[group]Run acme/rebase@v1.2.0",
        "##[endgroup]",
        "Rebased onto main.",
        "Cleaning up orphan processes",
    ]
    got, _ = top_finding(tmp_path, [TS + line for line in lines])
    assert got is None
