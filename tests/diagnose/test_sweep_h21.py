"""Verdicts the Rails and Ruby sweep (helper h21) relies on beyond the rules' own examples: which
linter printed RuboCop's rows (RuboCop or Standard), and a database a suite could not reach before
any example ran.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.linters import commanded_linter, own_step_linter
from tests.diagnose.joblog import FAILED, top_finding

_STANDARD = "standard: Use Ruby Standard Style (https://github.com/standardrb/standard)"
_ROW = "  lib/widget/cli.rb:57:11: Style/IdenticalConditionalBranches: Move `run` out of the conditional."


@pytest.mark.parametrize(
    ("lines", "tool"),
    [
        # julianrubisch/attractor PR #95: Standard's banner over RuboCop's rows.
        (
            [
                "Run bundle exec rake lint",
                _STANDARD,
                _ROW,
                "Error: Process completed with exit code 1.",
            ],
            "standard",
        ),
        # The command alone names it.
        (
            [
                "##[group]Run bundle exec standardrb --format progress",
                "##[endgroup]",
                _ROW,
                FAILED,
            ],
            "standard",
        ),
        # RuboCop's own rows, from a step that names no linter.
        (["Run bundle exec rake lint", "Offenses:", "", _ROW.strip(), FAILED], "rubocop"),
        (["##[group]Run bundle exec rubocop --parallel", "##[endgroup]", _ROW, FAILED], "rubocop"),
    ],
)
def test_ruby_cop_rows_name_rubocop_or_standard(
    tmp_path: Path, lines: list[str], tool: str
) -> None:
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "lint_failure"
    assert facts["tool"] == tool
    assert (facts["file"], facts["line"]) == ("lib/widget/cli.rb", "57")


def test_standard_is_named_by_its_banner_or_ruby_command_only() -> None:
    assert own_step_linter(["Run npx standard", "standard: Use JavaScript Standard Style"], "") == (
        "standard"
    )
    assert commanded_linter(["Run bundle exec standardrb"], "") == "standard"
    # JavaScript's `standard` ran first and passed; eslint (react-scripts) failed after it.
    assert commanded_linter(["> standard && npm run build --prefix client"], "") is None


_PG_REFUSED = [
    '  connection to server at "::1", port 5432 failed: Connection refused',
    "  \tIs the server running on that host and accepting TCP/IP connections?",
    '  connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    "  \tIs the server running on that host and accepting TCP/IP connections?",
]


def test_database_refused_before_any_example_is_the_cause(tmp_path: Path) -> None:
    # enderahmetyurt/podiscover PR #159: rails_helper could not reach postgres, no example ran.
    lines = [
        "##[group]Run bundle exec rspec",
        "##[endgroup]",
        "An error occurred while loading rails_helper.",
        "Failure/Error: ActiveRecord::Migration.maintain_test_schema!",
        "",
        "ActiveRecord::ConnectionNotEstablished:",
        *_PG_REFUSED,
        "No examples found.",
        "0 examples, 0 failures, 1 error occurred outside of examples",
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "network_error"


def test_database_refused_inside_an_example_stays_the_test(tmp_path: Path) -> None:
    # A failing example that names the local service is still reported as the test (upstream.py).
    lines = [
        "##[group]Run bundle exec rspec",
        "##[endgroup]",
        "  1) Reports generates the report",
        "     Failure/Error: Report.generate!",
        "     ActiveRecord::ConnectionNotEstablished:",
        *_PG_REFUSED,
        "12 examples, 1 failure",
        "",
        "rspec ./spec/reports_spec.rb:5 # Reports generates the report",
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "test_failure"
