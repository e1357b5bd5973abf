"""Verdicts the other-ecosystems sweep relies on beyond its rules: a downloaded excerpt whose job went
on past an error line, the place Elixir 1.15+ prints under a diagnostic, the Dart analyzer's bullet as
a Windows console shows it, testthat's failure headers and PHP checkers named by the step's command.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.linters import commanded_linter
from smartmon.diagnose.locations import location
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import top_finding


def _stamped(lines: list[str]) -> list[str]:
    return [
        f"2024-05-01T10:00:{i // 10:02d}.{i % 10}000000Z {line}" for i, line in enumerate(lines)
    ]


# reviewdog/action-rubocop #10: RuboCop aborts, the action's pipe exits 0, the next step runs.
_WENT_ON = [
    "##[group]Run reviewdog/action-rubocop@v1",
    "with:",
    "  reporter: github-pr-review",
    "##[endgroup]",
    " Running rubocop with reviewdog 🐶 ...",
    "Error: unrecognized cop FactoryBot/DynamicAttributeDefinedStatically found in .rubocop_todo.yml",
    "##[group]Run bundle exec rspec",
    "bundle exec rspec",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "Finished in 1 minute 12.4 seconds (files took 3.1 seconds to load)",
    "412 examples, 0 failures",
]


def test_downloaded_excerpt_that_went_on_into_a_passing_step_passed(tmp_path: Path) -> None:
    assert top_finding(tmp_path, _stamped(_WENT_ON)) == (None, {})


def test_went_on_needs_a_later_step_that_reported_success(tmp_path: Path) -> None:
    # The later step printed nothing that says it worked: the error line still counts.
    lines = [*_WENT_ON[:-2], "Running 412 examples"]
    assert top_finding(tmp_path, _stamped(lines))[0] == "unknown"


def test_went_on_does_not_clear_a_job_that_failed_later(tmp_path: Path) -> None:
    # A failure marker anywhere: the job's verdict is the log's, not an excerpt's.
    lines = [*_WENT_ON, "##[error]Process completed with exit code 1."]
    assert top_finding(tmp_path, _stamped(lines))[0] is not None


def test_went_on_is_for_downloaded_logs_not_pastes(tmp_path: Path) -> None:
    # A paste from the run page has no `##[` tags: its error lines are the failure.
    pasted = [line.removeprefix("##[group]") for line in _WENT_ON if "endgroup" not in line]
    assert top_finding(tmp_path, pasted)[0] == "unknown"


# actions-rs/clippy-check on a fork (unicode-org/icu4x PR #161): its core.error about the check run
# quotes a token refusal, then it posts clippy's output and fails only on clippy's errors.
_FORK_NOTICE = [
    "##[group]Run actions-rs/clippy-check@v1",
    "##[endgroup]",
    "Clippy results: 0 ICE, 0 errors, 3 warnings, 0 notes, 0 help",
    "##[error]Unable to create clippy annotations! Reason: HttpError: Resource not accessible by integration",
    "##[warning]It seems that this Action is executed from the forked repository.",
    "Posting clippy checks here instead.",
    "warning: you seem to be trying to use `&Box<T>`. Consider using just `&T`",
]


def test_a_line_the_tool_only_logged_is_no_cause_for_a_broader_rule(tmp_path: Path) -> None:
    assert top_finding(tmp_path, _stamped(_FORK_NOTICE)) == (None, {})


def test_the_same_notice_before_the_actions_failure_is_the_lint(tmp_path: Path) -> None:
    lines = [*_FORK_NOTICE, "##[error]Exiting due to clippy errors"]
    assert top_finding(tmp_path, _stamped(lines))[0] == "lint_failure"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Elixir 1.15+: the place closes the diagnostic's frame.
        (
            "  └─ lib/example/application.ex:8:39: Example.Application.start/2",
            ("lib/example/application.ex", "8"),
        ),
        # flutter/flutter PR #86512: the analyzer's bullet read in a Windows code page.
        (
            "  error â€¢ Too many positional arguments: 2 expected, but 3 found â€¢"
            " packages/tools/test/template_test.dart:36:9 â€¢ extra_positional_arguments",
            ("packages/tools/test/template_test.dart", "36"),
        ),
    ],
)
def test_location_shapes(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


def test_elixir_115_compile_error_takes_the_line_from_the_frame(tmp_path: Path) -> None:
    lines = [
        "Run mix compile --warnings-as-errors",
        "error: undefined function topologies/0 (expected Example.Application to define such a"
        " function or for it to be imported, but none are available)",
        "  │",
        "8 │     children = [{Cluster.Supervisor, [topologies()]}]",
        "  │                                       ^^^^^^^^^^",
        "  │",
        "  └─ lib/example/application.ex:8:39: Example.Application.start/2",
        "",
        "== Compilation error in file lib/example/application.ex ==",
        "** (CompileError) lib/example/application.ex: cannot compile module Example.Application"
        " (errors have been logged)",
        "Error: Process completed with exit code 1.",
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "syntax_error"
    assert (facts["file"], facts["line"]) == ("lib/example/application.ex", "8")


@pytest.mark.parametrize(
    "header",
    [
        "  ── Failure ('test-summary.R:12:3'): summary returns a tibble ──────────────────",
        "── Failure (test-summary.R:12:3): summary returns a tibble ───────────────────",
        "── 1. Failure: summary returns a tibble (@test-summary.R#12) ──────────────────",
    ],
)
def test_testthat_failure_headers_name_the_test(header: str) -> None:
    assert named_failure(["══ Failed tests ════════", header]) == "summary returns a tibble"


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("Run vendor/bin/psalm --output-format=text", "psalm"),
        ("Run vendor/bin/php-cs-fixer fix --dry-run --diff", "php-cs-fixer"),
        ("Run vendor/bin/phpcs --standard=PSR12 src", "phpcs"),
        ("Run mix credo --strict", "credo"),
    ],
)
def test_php_and_elixir_checkers_named_by_the_command(command: str, tool: str) -> None:
    assert commanded_linter([], command) == tool
