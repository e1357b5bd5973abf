"""Facts the third workflow-and-actions sweep reads by output shape: the runner's folder of downloaded
actions, a reusable workflow's caller on the line under the message, unresolvable actions after the
runner's retries.

Texts are the runner's real formats with names changed; the thread each comes from is named in the
module or rule that reads it, or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.facts import enrich, image_label
from smartmon.diagnose.locations import location
from smartmon.diagnose.step_actions import action_in_path
from tests.diagnose.joblog import FAILED, run_step, top_finding


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/home/runner/work/_actions/acme/setup-x/v2", ("acme/setup-x", "v2", "")),
        # self-hosted work folders: the runner's default and a custom one
        (
            "/tmp/actions-runner/_work/_actions/acme/bumper/master",
            ("acme/bumper", "master", ""),
        ),
        ("/tmp/github/_actions/acme/release-action/v2", ("acme/release-action", "v2", "")),
        # an action in a subfolder of its repository, and its manifest
        ("/home/runner/work/_actions/acme/tools/v1/lint", ("acme/tools", "v1", "lint")),
        (
            "/home/runner/work/_actions/acme/tools/v1/lint/action.yml",
            ("acme/tools", "v1", "lint/action.yml"),
        ),
        # Windows
        (r"D:\a\_actions\acme\win-tools\v1\setup", ("acme/win-tools", "v1", "setup")),
        (r"C:\actions-runner\_work\_actions\acme\cli\v3", ("acme/cli", "v3", "")),
    ],
)
def test_actions_folder_names_the_action_and_its_ref(
    path: str, found: tuple[str, str, str]
) -> None:
    assert action_in_path(path) == found


@pytest.mark.parametrize(
    "path",
    [
        "/home/runner/work/app/app/.github/actions/setup",
        "/home/runner/work/app/app/my_actions/acme/tool/v1",
        ".github/workflows/ci.yml",
    ],
)
def test_paths_outside_the_actions_folder_name_no_action(path: str) -> None:
    assert action_in_path(path) is None


def test_missing_manifest_in_the_actions_folder_is_the_action_not_a_file() -> None:
    # The step header names another action (checkout ran first): the folder in the message wins.
    data = {"file": "/tmp/actions-runner/_work/_actions/acme/bumper/master"}
    out = enrich(
        "missing_tool", data, "Error: Can't find 'action.yml' …", [], "Run actions/checkout@v2"
    )
    assert out == {"action": "acme/bumper", "version": "master"}


def test_manifest_error_in_the_actions_folder_is_the_actions_own_file() -> None:
    data = {"file": "/home/runner/work/_actions/acme/deploy/v2/action.yml", "line": "20"}
    text = "Error: /home/runner/work/_actions/acme/deploy/v2/action.yml (Line: 20, Col: 5): Unexpected value 'node12'"
    out = enrich("yaml_syntax_error", data, text, [], "Run acme/deploy@v2")
    assert out == {"action": "acme/deploy", "version": "v2", "file": "action.yml", "line": "20"}


def test_local_action_missing_keeps_its_repository_path(tmp_path: Path) -> None:
    line = (
        "Error: Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under "
        "'/home/runner/work/app/app/.github/actions/setup'. Did you forget to run actions/checkout "
        "before running your local action?"
    )
    assert top_finding(tmp_path, [line]) == ("missing_tool", {"file": ".github/actions/setup"})


@pytest.mark.parametrize(
    "lines",
    [
        [
            "error parsing called workflow",
            '".github/workflows/common.yml"',
            '-> "acme/ci/.github/workflows/lint.yml@lint-latest"',
            ": failed to fetch workflow: reference to workflow should be either a valid branch, tag, "
            "or commit",
        ],
        [
            "Invalid workflow file",
            "",
            "error parsing called workflow",
            '"./.github/workflows/common.yml"',
            '-> "acme/ci/.github/workflows/validate.yml@main"',
            ": failed to fetch workflow: workflow was not found.",
        ],
    ],
)
def test_called_workflow_caller_is_read_from_the_line_below(
    tmp_path: Path, lines: list[str]
) -> None:
    assert top_finding(tmp_path, lines) == (
        "yaml_syntax_error",
        {"file": ".github/workflows/common.yml"},
    )


def test_unresolvable_action_after_retries_is_not_the_network(tmp_path: Path) -> None:
    lines = [
        "Getting action download info",
        "Failed to resolve action download info. Error: Unable to resolve action `acme/dispatch@v1`, "
        "unable to find version `v1`",
        "Retrying in 18.122 seconds",
        "Error: Unable to resolve action `acme/dispatch@v1`, unable to find version `v1`",
    ]
    assert top_finding(tmp_path, lines) == (
        "deprecated_action",
        {"action": "acme/dispatch", "version": "v1"},
    )


def test_first_of_several_unresolvable_actions_is_named(tmp_path: Path) -> None:
    lines = [
        "Getting action download info",
        "Error: Unable to resolve action `acme/jira-create@2.0.1`, unable to find version `2.0.1`",
        "Unable to resolve action `acme/jira-login@2.0.0`, unable to find version `2.0.0`",
    ]
    assert top_finding(tmp_path, lines) == (
        "deprecated_action",
        {"action": "acme/jira-create", "version": "2.0.1"},
    )


def test_transient_download_info_failure_stays_the_network(tmp_path: Path) -> None:
    lines = [
        "Getting action download info",
        "Failed to resolve action download info. Error: Service Unavailable",
        "Retrying in 22.535 seconds",
        "Error: Failed to resolve action download info.",
    ]
    assert top_finding(tmp_path, lines)[0] == "network_error"


@pytest.mark.parametrize(
    ("text", "before", "label"),
    [
        ("##[error]This is a scheduled Ubuntu 16.04 brownout.", [], "ubuntu-16.04"),
        ("Error: The Windows Server 2016 image has been removed.", [], "windows-2016"),
        ("The windows 2019 runner image has been retired.", [], "windows-2019"),
        ("This is a scheduled macOS 10.15 retirement.", [], "macos-10.15"),
        # the job's title above a run-page annotation
        ("The runner image has been retired.", ["test (3.8, Ubuntu-16.04)"], "ubuntu-16.04"),
        ("The runner image has been retired.", ["build (macos-11)"], "macos-11"),
    ],
)
def test_image_named_in_prose_or_title_is_the_label(
    text: str, before: list[str], label: str
) -> None:
    assert image_label(text, before) == label


@pytest.mark.parametrize(
    "text",
    ["Image: ubuntu-22.04.5 LTS", "The runner image has been retired.", "Ubuntu 22.04.5 LTS"],
)
def test_no_image_named_gives_no_label(text: str) -> None:
    assert image_label(text, ["build (3.8)"]) is None


def test_action_entry_point_missing_names_the_action_not_a_file(tmp_path: Path) -> None:
    lines = [
        "Run acme/publish@9766ec7ed8ebbb0d34168814ecacf51833b6f97d",
        "Error: File not found: '/home/runner/work/_actions/acme/publish/"
        "9766ec7ed8ebbb0d34168814ecacf51833b6f97d/dist/index.js'",
    ]
    assert top_finding(tmp_path, lines) == (
        "missing_tool",
        {"action": "acme/publish", "version": "9766ec7ed8ebbb0d34168814ecacf51833b6f97d"},
    )


def test_set_up_retry_that_then_downloaded_is_no_cause(tmp_path: Path) -> None:
    lines = [
        "Getting action download info",
        "Failed to resolve action download info. Error: Service Unavailable",
        "Retrying in 22.535 seconds",
        "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
        "Complete job name: test",
        *run_step("pytest -q", "FAILED tests/test_api.py::test_login - assert 401 == 200"),
        FAILED,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data["test"]) == ("test_failure", "tests/test_api.py::test_login")


def test_remote_manifest_belongs_to_the_action_downloaded_at_that_ref(tmp_path: Path) -> None:
    # Another action was downloaded after it: the path, not the last download, names the action.
    lines = [
        "Getting action download info",
        "Download action repository 'acme/tool@v1' (SHA:2541b1294d2704b0964813337f33b291d3f8596b)",
        "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
        "Error: acme/tool/v1/lint/action.yml (Line: 10, Col: 5): Unexpected value 'runs-on'",
        "Error: Fail to load acme/tool/v1/lint/action.yml",
    ]
    assert top_finding(tmp_path, lines) == (
        "yaml_syntax_error",
        {"action": "acme/tool", "version": "v1", "file": "lint/action.yml", "line": "10"},
    )


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # a downloaded action's manifest, without set-up lines, in the runner's (Line, Col) form
        (
            [
                "Error: acme/java-action/main/action.yaml (Line: 39, Col: 5): Unexpected value 'if'",
                "Error: Fail to load acme/java-action/main/action.yaml",
            ],
            {"action": "acme/java-action", "version": "main", "file": "action.yaml", "line": "39"},
        ),
        # the YAML parser's own form, with the offset and a range, under "Failed to load"
        (
            [
                "Failed to load acme/reporter/v1.5.3/action.yml",
                "acme/reporter/v1.5.3/action.yml: (Line: 492, Col: 1, Idx: 21131) - (Line: 492, "
                "Col: 1, Idx: 21131): While scanning a simple key, could not find expected ':'.",
            ],
            {"action": "acme/reporter", "version": "v1.5.3", "file": "action.yml", "line": "492"},
        ),
        # a local action keeps its path in the checkout
        (
            [
                "##[error]./.github/actions/setup-env/action.yml (Line: 27, Col: 18): Unrecognized "
                "named-value: 'github'. Located at position 1 within expression: github.ref",
                "##[error]Failed to load .github/actions/setup-env/action.yml",
            ],
            {"file": ".github/actions/setup-env/action.yml", "line": "27"},
        ),
    ],
)
def test_action_manifest_errors_name_the_action_and_its_file(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert top_finding(tmp_path, lines) == ("yaml_syntax_error", facts)


@pytest.mark.parametrize(
    "text",
    [
        ".github/workflows/ci.yml (Line: 10, Col: 3): Unexpected value 'x'",
        ".github/workflows/ci.yml: (Line: 10, Col: 3, Idx: 250) - (Line: 10, Col: 8, Idx: 255): "
        "Mapping values are not allowed in this context.",
    ],
)
def test_runner_place_with_or_without_the_parsers_offset(text: str) -> None:
    assert location(text) == (".github/workflows/ci.yml", "10")
