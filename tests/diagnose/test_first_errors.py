"""The first error of a list is the one to fix, and a paste's run-page header says how the job ended.

Workflow validation lists every problem in file order (the wording is the runner's, as pasted in
kent8192/reinhardt-web #4554, names changed); the run page's job header ("succeeded now in 52s")
is the first thing a copy of the page holds, however long the paste; so is a row of the pull request's
checks list ("CIFuzz / Fuzzing (pull_request) Successful in 7m", cfengine/core #4875)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify
from tests.diagnose.joblog import FAILED, run_step, text_finding, top_finding, write_job


def _analyze(tmp_path: Path, text: str) -> classify.Analysis:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    return classify.analyze_paths([path])


def test_workflow_validation_names_its_first_problem(tmp_path: Path) -> None:
    action = "./.github/actions/setup-test-env/action.yml"
    text = (
        "Error: The template is not valid. "
        f"{action} (Line: 27, Col: 18): Unrecognized named-value: 'github'. Located at position 1"
        " within expression: github.workspace\n"
        "Error: The template is not valid. "
        f"{action} (Line: 38, Col: 14): Unrecognized named-value: 'github'. Located at position 1"
        " within expression: github.ref_name\n"
    )
    [top, *_] = _analyze(tmp_path, text).findings
    assert top.type.value == "yaml_syntax_error"
    assert top.data.get("line") == "27"


def test_a_long_paste_under_a_succeeded_header_is_a_pass(tmp_path: Path) -> None:
    body = "".join(f"Compiling module {i}\n" for i in range(80))
    text = (
        "check-dependencies\nsucceeded now in 52s\n"
        + body
        + "error: package 'widget' is using Swift tools version 5.6.0 but the installed version"
        " is 5.5.3\n"
        "Resolved dependencies\n"
    )
    assert _analyze(tmp_path, text).findings == ()


def test_the_same_paste_under_a_failed_header_is_a_failure(tmp_path: Path) -> None:
    body = "".join(f"Compiling module {i}\n" for i in range(80))
    text = (
        "check-dependencies\nfailed now in 52s\n"
        + body
        + "error: package 'widget' is using Swift tools version 5.6.0 but the installed version"
        " is 5.5.3\n"
    )
    assert _analyze(tmp_path, text).findings != ()


def test_a_paste_under_a_successful_check_row_is_a_pass(tmp_path: Path) -> None:
    """The pull request's checks list, copied above the log: a green row says the job passed."""
    text = (
        "CIFuzz / Fuzzing (pull_request) Successful in 7m\n"
        "==21==ERROR: AddressSanitizer: stack-overflow on address 0x7fffd6877ff8\n"
        "SUMMARY: AddressSanitizer: stack-overflow\n"
    )
    assert _analyze(tmp_path, text).findings == ()


def test_a_failing_row_in_the_checks_list_keeps_the_failure(tmp_path: Path) -> None:
    text = (
        "CI / lint (pull_request) Successful in 1m\n"
        "CI / fuzz (pull_request) Failing after 3m\n"
        "==21==ERROR: AddressSanitizer: stack-overflow on address 0x7fffd6877ff8\n"
        "SUMMARY: AddressSanitizer: stack-overflow\n"
    )
    assert _analyze(tmp_path, text).findings != ()


def test_a_cancelled_row_beside_green_ones_does_not_make_a_pass(tmp_path: Path) -> None:
    """A list that is not all green leaves the verdict to the lines below it."""
    text = (
        "CI / lint (pull_request) Successful in 1m\n"
        "CI / fuzz (pull_request) Cancelled after 3m\n"
        "==21==ERROR: AddressSanitizer: stack-overflow on address 0x7fffd6877ff8\n"
        "SUMMARY: AddressSanitizer: stack-overflow\n"
    )
    assert _analyze(tmp_path, text).findings != ()


def test_the_first_of_several_missing_plugins_is_named(tmp_path: Path) -> None:
    """protoc names each plugin it cannot run; the first is the one to install first."""
    lines = run_step(
        "buf generate",
        "protoc-gen-go: program not found or is not executable",
        "--go_out: protoc-gen-go: Plugin failed with status code 1.",
        "protoc-gen-go-grpc: program not found or is not executable",
        "--go-grpc_out: protoc-gen-go-grpc: Plugin failed with status code 1.",
        FAILED,
    )
    kind, data = top_finding(tmp_path, lines)
    assert kind == "missing_tool"
    assert data.get("command") == "protoc-gen-go"


def test_a_tool_missing_in_a_step_that_went_on_is_not_the_cause(tmp_path: Path) -> None:
    lines = [
        *run_step("./probe.sh", "./probe.sh: line 3: shfmt: command not found", "probe done"),
        *run_step(
            "make lint",
            "make: golangci-lint: command not found",
            "make: staticcheck: command not found",
            FAILED,
        ),
    ]
    [top, *_] = classify.analyze_paths([write_job(tmp_path, lines)]).findings
    assert top.type.value == "missing_tool"
    assert top.data.get("command") == "golangci-lint"


def test_a_pasted_action_manifest_error_names_the_action(tmp_path: Path) -> None:
    """The runner names a downloaded action's metadata by its `_actions` layout; a paste of the
    error alone (no set-up lines) still says which action, at which ref, and its own file."""
    text = (
        "Error: acme/setup-tool/v1/action.yml (Line: 8, Col: 5): Unexpected value 'using'\n"
        "Error: Fail to load acme/setup-tool/v1/action.yml\n"
    )
    kind, data = text_finding(tmp_path, text)
    assert kind == "yaml_syntax_error"
    assert (data["action"], data["version"], data["file"], data["line"]) == (
        "acme/setup-tool",
        "v1",
        "action.yml",
        "8",
    )
    sub = "Error: github/codeql-action/v3/init/action.yml (Line: 3, Col: 1): Unexpected value 'x'\n"
    kind, data = text_finding(tmp_path, sub)
    assert (data["action"], data["file"]) == ("github/codeql-action/init", "init/action.yml")


def test_a_local_action_manifest_stays_a_repository_file(tmp_path: Path) -> None:
    text = "Error: ./.github/actions/setup/action.yml (Line: 4, Col: 3): Unexpected value 'using'\n"
    kind, data = text_finding(tmp_path, text)
    assert kind == "yaml_syntax_error"
    assert data["file"] == ".github/actions/setup/action.yml"
    assert "action" not in data


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A later step's fromJSON of the output the failed step left empty (actions/runner #1722);
        # the run page lists both annotations (hrishikeshdkakkad/fluidbox PR #110, names changed).
        (
            "Annotations\n2 errors\n"
            "X release-please failed: GitHub Actions is not permitted to create or approve pull"
            " requests.\n"
            "X The template is not valid. .github/workflows/release.yml (Line: 61, Col: 19): Error"
            " reading JToken from JsonReader. Path '', line 0, position 0.\n",
            "permission_error",
        ),
        # An unrecognized name is the file's own error, whatever a passing step printed above it.
        (
            "Run ./scripts/prepare.sh\n"
            "fatal: detected dubious ownership in repository at '/__w/app/app'\n"
            "version=unknown\n"
            "Run ./scripts/deploy.sh\n"
            "Error: The template is not valid. .github/workflows/deploy.yml (Line: 52, Col: 14):"
            " Unrecognized named-value: 'secret'. Located at position 1 within expression:"
            " secret.DEPLOY_KEY\n",
            "yaml_syntax_error",
        ),
    ],
)
def test_a_template_error_gives_way_only_to_the_failure_that_emptied_its_input(
    tmp_path: Path, text: str, want: str
) -> None:
    [top, *_] = _analyze(tmp_path, text).findings
    assert top.type.value == want
