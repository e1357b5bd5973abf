"""git's "fatal: not a git repository" ends a failed step only where nothing but git's own lines
follow it to the exit line or the paste's end (exit_next.not_git_lines_to_exit); setup.c's second
line "Stopping at filesystem boundary (GIT_DISCOVERY_ACROSS_FILESYSTEM not set)." is git's own. A
script that ran git as a probe and went on is not failed by it.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, job_rules, run_step, text_finding, write_job

_FATAL = "fatal: not a git repository (or any parent up to mount point /github)"
_BOUNDARY = "Stopping at filesystem boundary (GIT_DISCOVERY_ACROSS_FILESYSTEM not set)."


_rules = job_rules


def test_a_paste_that_ends_on_gits_two_lines(tmp_path: Path) -> None:
    paste = (
        "Run rickstaa/action-create-tag@v1\n"
        "[action-create-tag] Create tag 'latest'.\n"
        f"{_FATAL}\n{_BOUNDARY}\n"
    )
    assert text_finding(tmp_path, paste)[0] == "unknown"


def test_before_the_exit_line(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "./pages_repo/deploy.sh",
            "fatal: not a git repository (or any of the parent directories): .git",
        ),
        "##[error]Process completed with exit code 128.",
    ]
    assert _rules(tmp_path, lines)[0] == "git-not-a-repository"


def test_a_probe_the_script_went_on_past(tmp_path: Path) -> None:
    paste = (
        "Run ./build.sh\n"
        "Generating version file...\n"
        f"{_FATAL}\n{_BOUNDARY}\n"
        "Executing dmd...\n"
        "Build complete.\n"
    )
    assert text_finding(tmp_path, paste)[0] is None


def test_a_later_failure_in_the_step_is_not_gits(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "./ci.sh",
            "fatal: not a git repository (or any of the parent directories): .git",
            "Running the tests",
            "make: *** [Makefile:12: test] Error 2",
        ),
        FAILED,
    ]
    assert "git-not-a-repository" not in _rules(tmp_path, lines)


def test_before_a_docker_actions_exit(tmp_path: Path) -> None:
    # A Docker action without a checkout: the runner reports the container's exit, git's 128.
    lines = [
        "##[group]Run rickstaa/action-create-tag@v1",
        "with:",
        "  tag: v1.2.3",
        "##[endgroup]",
        "/usr/bin/docker run --name abc --workdir /github/workspace --rm rickstaa/action-create-tag",
        "[action-create-tag] Check if tag already exists.",
        _FATAL,
        _BOUNDARY,
        "##[error]Docker run failed with exit code 128",
    ]
    assert _rules(tmp_path, lines)[0] == "git-not-a-repository"


def test_before_a_javascript_actions_exit(tmp_path: Path) -> None:
    # An older runner's line for a JavaScript action whose node process exited.
    lines = [
        "##[group]Run ./.github/actions/tag",
        "##[endgroup]",
        "fatal: not a git repository (or any of the parent directories): .git",
        "##[error]Node run failed with exit code 1",
    ]
    assert _rules(tmp_path, lines)[0] == "git-not-a-repository"


def test_a_docker_actions_later_failure_is_not_gits(tmp_path: Path) -> None:
    lines = [
        "##[group]Run acme/release-action@v1",
        "##[endgroup]",
        _FATAL,
        _BOUNDARY,
        "Uploading release assets",
        "Error: upload failed: 500 Internal Server Error",
        "##[error]Docker run failed with exit code 1",
    ]
    assert "git-not-a-repository" not in _rules(tmp_path, lines)


def test_the_finding_is_the_fatal_line_before_the_exit(tmp_path: Path) -> None:
    # The same fatal line twice in a step: the rule keeps its last match, the one its check reads
    # (git-lines-to-exit), and the finding points at it, not at the first (fix10 item 4).
    fatal = "fatal: not a git repository (or any of the parent directories): .git"
    lines = [
        *run_step("./release.sh", "Generating version file...", fatal, "version: unknown", fatal),
        "##[error]Process completed with exit code 128.",
    ]
    finding = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (finding.rule, finding.line) == ("git-not-a-repository", len(lines) - 1)
