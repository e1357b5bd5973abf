"""Reusable workflows, composite actions and expressions (second sweep): the shapes the facts rely on.

Texts are the runner's and the dispatch API's real wordings with names changed; the thread each comes
from is named in the rule (rules/10-platform.yaml) or in diagnose/location_search.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import assert_finding, top_finding, write_job

_LOAD_FAILED = (
    "##[error]Fail to load /home/runner/work/_actions/acme/marker-action/master/action.yaml"
)


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # A 2020 runner: the place alone, then the manifest it could not load.
        (
            [
                "Download action repository 'acme/marker-action@master'",
                "##[error](Line: 25, Col: 18): Unrecognized named-value: 'github'. Located at"
                " position 1 within expression: github.actor",
                _LOAD_FAILED,
            ],
            {"action": "acme/marker-action", "version": "master", "line": "25"},
        ),
        # Several problems: the first printed is the line, even one without its text.
        (
            [
                "##[error](Line: 6, Col: 14):",
                "##[error](Line: 35, Col: 3): Unexpected value 'post'",
                "##[error](Line: 6, Col: 14): Unrecognized named-value: 'github'. Located at"
                " position 1 within expression: github.repository",
                _LOAD_FAILED,
            ],
            {"action": "acme/marker-action", "line": "6"},
        ),
        # The runner's stack trace between the place and the load failure.
        (
            [
                "Error: (Line: 12, Col: 7): Required property is missing: shell",
                "   at GitHub.DistributedTask.ObjectTemplating.TemplateValidationErrors.Check()",
                _LOAD_FAILED,
            ],
            {"line": "12"},
        ),
    ],
)
def test_place_above_a_manifest_that_failed_to_load(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "yaml_syntax_error", facts)


def test_place_of_an_earlier_problem_is_not_the_manifests(tmp_path: Path) -> None:
    # A place that ends another run of lines is not this manifest's line.
    lines = [
        "##[error](Line: 40, Col: 3): Unexpected value 'foo'",
        "Download action repository 'acme/marker-action@master'",
        _LOAD_FAILED,
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "yaml_syntax_error"
    assert data.get("line") != "40"


def test_downloaded_form_keeps_the_place(tmp_path: Path) -> None:
    lines = [
        "Prepare all required actions",
        "Download action repository 'acme/marker-action@master'",
        "##[error](Line: 25, Col: 18): Unrecognized named-value: 'github'. Located at position 1"
        " within expression: github.actor",
        _LOAD_FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings[0].type.value == "yaml_syntax_error"
    assert findings[0].data.get("line") == "25"


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # The dispatched workflow does not parse: its line, no file (the message names none).
        (
            [
                "could not create workflow dispatch event: HTTP 422: Invalid Argument - failed to"
                " parse workflow: (Line: 65, Col: 26): Unexpected symbol: '??'. Located at position"
                ' 16 within expression: inputs.version ?? ""'
            ],
            {"line": "65", "file": None},
        ),
        # The 2022 runner kept the called workflow's empty ref inside the quotes.
        (
            [
                'error parsing called workflow "./.github/workflows/build.yml@": ',
                'job "arch" calls workflow "./.github/workflows/docker-build.yml@",',
                "but doing so would exceed the limit on called workflow depth of 2",
            ],
            {"file": ".github/workflows/build.yml"},
        ),
        # A required secret's message wrapped under its place.
        (
            [
                "Error when evaluating 'secrets'. .github/workflows/pr-preview.yml (Line: 15, Col: 11):",
                "Secret GH_PAT_TOKEN is required, but not provided while calling.",
            ],
            {"file": ".github/workflows/pr-preview.yml", "line": "15"},
        ),
        # A Markdown code span around the runner's message, as a paste in an issue has it.
        (
            [
                "**Error:** `.github/actions/aws-config/action.yml (Line: 18, Col: 7): Required"
                " property is missing: shell`"
            ],
            {"file": ".github/actions/aws-config/action.yml", "line": "18"},
        ),
        # A matrix over the runner's cap, wrapped after the count.
        (
            [
                "Error: Strategy for job 'crates' produced 384",
                "configurations which exceeds the maximum of 256 configurations",
            ],
            {"file": None},
        ),
        # Without a place at all the type still holds.
        (
            [
                "Error when evaluating 'secrets'.",
                "Secret DEPLOY_KEY is required, but not provided while calling.",
            ],
            {"file": None, "line": None},
        ),
    ],
)
def test_workflow_call_and_dispatch_facts(
    tmp_path: Path, lines: list[str], facts: dict[str, str | None]
) -> None:
    assert_finding(tmp_path, lines, "yaml_syntax_error", facts)


def test_unexpected_input_warning_is_no_dispatch_refusal(tmp_path: Path) -> None:
    # The runner's warning about an action's undeclared input; the job went on and passed.
    lines = [
        "##[group]Run acme/setup-tool@v1",
        "##[endgroup]",
        "##[warning]Unexpected input(s) 'github-token', valid inputs are ['version']",
        "Added tool to the path",
    ]
    assert top_finding(tmp_path, lines) == (None, {})
