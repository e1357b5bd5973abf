"""A program's own "Error: …" line in a run step that passed is no cause while another step failed
(failed_step.passed_run_step_errors); review rev50's look-alike, names ours."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_OPTIONAL = "Error: optional config .ci.yml not found, using defaults"


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str, str]:
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.rule, top.step, top.text.strip()


def test_an_error_line_in_a_step_that_passed_leaves_the_failed_steps_lines(tmp_path: Path) -> None:
    lines = [*run_step("./configure.sh", _OPTIONAL, "configured")]
    lines += [*run_step("./run-tests.sh", "3 of 40 checks did not pass"), FAILED]
    rule, step, _ = _top(tmp_path, lines)
    assert (rule, step) == ("unknown-last-lines", "Run ./run-tests.sh")


def test_the_same_line_in_the_failed_step_is_its_cause(tmp_path: Path) -> None:
    lines = [*run_step("./configure.sh", "configured")]
    lines += [*run_step("./run-tests.sh", _OPTIONAL), FAILED]
    assert _top(tmp_path, lines)[0] == "generic-error"


def test_a_continue_on_error_step_keeps_its_error(tmp_path: Path) -> None:
    lines = [*run_step("./deploy.sh --dry-run", _OPTIONAL, FAILED)]
    lines += [*run_step("./run-tests.sh", "3 of 40 checks did not pass"), FAILED]
    rule, step, _ = _top(tmp_path, lines)
    assert (rule, step) == ("generic-error", "Run ./deploy.sh --dry-run")


def test_an_actions_annotation_is_not_cleared(tmp_path: Path) -> None:
    # A JavaScript action fails through `##[error]` alone, without the runner's exit-code line.
    lines = ["##[group]Run acme/deploy-action@v2", "with:", "  env: prod", "##[endgroup]"]
    lines += ["##[error]Deployment refused: environment prod is locked"]
    lines += [*run_step("./upload-logs.sh", "no logs found"), FAILED]
    assert _top(tmp_path, lines)[0] == "generic-error"


def test_a_scripts_own_group_is_no_step_that_passed(tmp_path: Path) -> None:
    # `echo "::group::Run lint"` shows as "##[group]Run lint" without the runner's shell: line (rev52).
    body = ["##[group]Run lint", "Error: eslint found 4 problems", "##[endgroup]"]
    body += ["##[group]Run test", "all passed", "##[endgroup]"]
    rule, _, text = _top(tmp_path, [*run_step("make ci", *body), FAILED])
    assert (rule, text) == ("generic-error", "Error: eslint found 4 problems")


def test_an_exit_line_under_a_scripts_group_clears_nothing(tmp_path: Path) -> None:
    body = ["Error: eslint found 4 problems", "##[group]Run test", "all passed", "##[endgroup]"]
    rule, _, text = _top(tmp_path, [*run_step("make ci", *body), FAILED])
    assert (rule, text) == ("generic-error", "Error: eslint found 4 problems")


def test_a_scripts_group_longer_than_the_reach_is_still_a_scripts(tmp_path: Path) -> None:
    # More than 64 KiB of test output inside a script's "::group::Run tests" (review rev54).
    rows = [f"tests/test_mod{i}.py::test_case_{i} PASSED" for i in range(2000)]
    body = ["Error: database migration failed", "##[group]Run tests", *rows, "##[endgroup]"]
    rule, _, text = _top(tmp_path, [*run_step("./ci.sh", *body), FAILED])
    assert (rule, text) == ("generic-error", "Error: database migration failed")
