"""Verdicts the classroom and course-template sampled batch (h146) relies on: a queue that gave up
on a retired image's label (the label only in the deprecation sentence or the requested labels), an
action whose repository GitHub blocked (the runner's set-up line, not an action's own API answer),
the workflow parser's message under the annotation's file title, and GitHub Classroom's grading
reporter failing its step on failed tests.

Texts are the tools' real formats with names changed: rogchap/v8go #399, pythonpune/readit PR #165,
maticzav/nookies PR #592 (the queue); redhat-cop/rhis-code #104, creativecommons/ccos-scripts #229,
yi-Xu-0100/repo-list-generator #174 (the blocked repository); hbstarjason/glados-checkin #1 (the
parser's message); classroom-resources/autograding-grading-reporter's src/main.js (the reporter).
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import assert_finding, assert_job_finding, run_step

_AUTO_FAILED = (
    "This request was automatically failed because there were no enabled runners online to "
    "process the request for more than 1 days."
)
_DEPRECATED_1804 = (
    "The ubuntu-18.04 environment is deprecated, consider switching to ubuntu-20.04"
    "(ubuntu-latest), or ubuntu-22.04 instead. For more details see "
    "https://github.com/actions/virtual-environments/issues/6002"
)


def test_a_queue_that_gave_up_alone_is_the_runner_pool(tmp_path: Path) -> None:
    assert_finding(tmp_path, ["build", _AUTO_FAILED], "runner_failure", {})
    assert_finding(tmp_path, [f"Error: {_AUTO_FAILED}"], "runner_failure", {})


def test_a_queue_that_gave_up_over_an_annotation_it_did_not_cause(tmp_path: Path) -> None:
    # Only a retired image's line just under it names the label; a later line about another
    # image's deprecation further down the page does not.
    lines = ["Publish", _AUTO_FAILED, *["Publish"] * 5, _DEPRECATED_1804]
    assert_finding(tmp_path, lines, "runner_failure", {})


def test_a_queue_that_gave_up_on_a_retired_image_is_the_retired_label(tmp_path: Path) -> None:
    quoted = [f"> {_AUTO_FAILED}", ">", f"> {_DEPRECATED_1804}"]
    assert_finding(tmp_path, quoted, "retired_runner", {"label": "ubuntu-18.04"})
    titled = ["Publish", _AUTO_FAILED, "Publish", _DEPRECATED_1804]
    assert_finding(tmp_path, titled, "retired_runner", {"label": "ubuntu-18.04"})


def test_a_queue_that_gave_up_on_a_requested_retired_label(tmp_path: Path) -> None:
    lines = [
        "Requested labels: ubuntu-18.04",
        "Waiting for a runner to pick up this job...",
        _AUTO_FAILED,
    ]
    assert_finding(tmp_path, lines, "retired_runner", {"label": "ubuntu-18.04"})


def test_a_blocked_action_repository_while_setting_up(tmp_path: Path) -> None:
    lines = [
        "Prepare all required actions",
        "Getting action download info",
        "##[error]Repository access blocked",
    ]
    assert_job_finding(tmp_path, lines, "deprecated_action", {})


def test_an_action_that_met_a_blocked_repository_in_its_step_is_not_a_blocked_action(
    tmp_path: Path,
) -> None:
    step = run_step("acme/repo-list@v1", "Get repo list", "##[error]Repository access blocked")
    pasted = [
        "Run acme/repo-list@v1.0.1",
        "  with:",
        "    user: acme/mirror",
        "Get repo list",
        "  Error: Repository access blocked",
    ]
    assert_job_finding(tmp_path, step, "unknown", {})
    assert_finding(tmp_path, pasted, "unknown", {})


def test_the_parser_message_takes_the_file_from_the_annotation_title(tmp_path: Path) -> None:
    lines = [
        "GitHub Actions",
        "/ .github/workflows/checkin.yml",
        "",
        "Invalid workflow file",
        "You have an error in your yaml syntax on line 11",
    ]
    facts = {"file": ".github/workflows/checkin.yml", "line": "11"}
    assert_finding(tmp_path, lines, "yaml_syntax_error", facts)


def test_the_classroom_reporter_failing_on_failed_tests(tmp_path: Path) -> None:
    reporter = "classroom-resources/autograding-grading-reporter@v1"
    rows = ["✅ Shout Test", "❌ A command test", "🏆 Grand total tests passed: 1/2"]
    assert_job_finding(
        tmp_path, run_step(reporter, *rows, "##[error]Some tests failed."), "test_failure", {}
    )
    pasted = [f"Run {reporter}", *rows, "", "Error: Some tests failed."]
    assert_finding(tmp_path, pasted, "test_failure", {})
