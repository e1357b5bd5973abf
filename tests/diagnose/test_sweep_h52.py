"""Ruby, PHP and Elixir (third sweep): Mix's lock statuses, Credo's and rebar3 dialyzer's places,
Bundler's wrapped platform message, Composer's missing extensions and dependencies Mix cannot compile.

Texts are the tools' own (sources in the rules' comments); names are changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import dependency_above, locked_dependency_above
from smartmon.diagnose.locations import location, stylish_location
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step

_UNCHECKED = "Unchecked dependencies for environment test:"
_CANT = "** (Mix) Can't continue due to errors on dependencies"


@pytest.mark.parametrize(
    ("status", "want"),
    [
        (
            '  the dependency is not locked. To generate the "mix.lock" file run "mix deps.get"',
            "exla",
        ),
        (
            '  lock mismatch: the dependency is out of date. To fetch locked version run "mix deps.get"',
            "exla",
        ),
        (
            "  lock outdated: the lock is outdated compared to the options in your mixfile"
            ' (run "mix deps.get" to fetch locked version)',
            "exla",
        ),
        ('  the dependency does not match the requirement "~> 1.0", got "0.9.0"', "exla"),
        # Not a lock status: the not-available reader's, not this one's.
        ('  the dependency is not available, run "mix deps.get"', None),
    ],
)
def test_locked_dependency_above_names_the_first_listed(status: str, want: str | None) -> None:
    before = [_UNCHECKED, "* exla (Hex package)", status, "* bumblebee (Hex package)"]
    assert locked_dependency_above(status, before) == want


def test_not_available_reader_is_unchanged() -> None:
    status = '  the dependency is not available, run "mix deps.get"'
    before = [_UNCHECKED, "* pockets (Hex package)", status, "* toml (Hex package)"]
    assert dependency_above(status, before) == "pockets"


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # Credo's --format oneline row, and the place under its default row (older "#(…)", newer "(…)").
        (
            "[R] → lib/rumbl.ex:27:7 Functions should have a @spec type specification.",
            ("lib/rumbl.ex", "27"),
        ),
        (
            "[W] ↗ lib/app/worker.ex:12:5 There should be no calls to IO.inspect/1.",
            ("lib/app/worker.ex", "12"),
        ),
        ("┃       lib/my_app/file1.ex:4:13 #(MyApp.File1)", ("lib/my_app/file1.ex", "4")),
        ("┃       lib/my_app/file2.ex:53 (MyApp.File2.fun2)", ("lib/my_app/file2.ex", "53")),
        # A row of the box without a place is none.
        ("┃ [R] → Modules should have a @moduledoc tag.", None),
    ],
)
def test_credo_places(line: str, want: tuple[str, str] | None) -> None:
    assert location(line) == want


def test_rebar3_dialyzer_rows_under_their_file() -> None:
    before = [
        "===> Analyzing 3 files with _build/default/rebar3_24.0-rc2_plt...",
        "",
        "src/repair_order.erl",
    ]
    row = "Line 28 Column 9: The pattern 'true' can never match the type 'false'"
    assert stylish_location(row, before) == ("src/repair_order.erl", "28")


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Bundler wraps its platform message at the terminal's width (setup-ruby's bundler-cache step).
        (
            [
                *run_step(
                    "bundle install",
                    'Your bundle only supports platforms ["arm64-darwin-22"] but your local platform',
                    "is x86_64-linux. Add the current platform to the lockfile with",
                    "`bundle lock --add-platform x86_64-linux` and try again.",
                ),
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
        # Mix's lock statuses name the first dependency listed.
        (
            [
                *run_step(
                    "mix test",
                    "Unchecked dependencies for environment test:",
                    "* exla (Hex package)",
                    '  the dependency is not locked. To generate the "mix.lock" file run "mix deps.get"',
                    "* bumblebee (Hex package)",
                    '  the dependency is not locked. To generate the "mix.lock" file run "mix deps.get"',
                    _CANT,
                ),
                FAILED,
            ],
            "dependency_conflict",
            {"package": "exla"},
        ),
        # A dependency Mix cannot compile, in Elixir 1.0's wording (no colon before the name).
        (
            [
                *run_step(
                    "mix compile",
                    "** (Mix) Could not compile dependency ssl_verify_hostname, /home/u/.mix/rebar command failed."
                    " If you want to recompile this dependency, please run: mix deps.compile ssl_verify_hostname",
                ),
                FAILED,
            ],
            "dependency_conflict",
            {"package": "ssl_verify_hostname"},
        ),
        # Composer's run-time platform check lists the missing extensions.
        (
            [
                *run_step(
                    "php artisan test",
                    "PHP Fatal error:  Composer detected issues in your platform: Your Composer dependencies"
                    " require the following PHP extensions to be installed: intl, zip. in"
                    " /home/runner/work/app/app/vendor/composer/platform_check.php on line 25",
                ),
                FAILED,
            ],
            "missing_dependency",
            {"package": "intl"},
        ),
        # Credo's default format: the first issue's place is under its row.
        (
            [
                *run_step(
                    "mix credo --strict",
                    "  Code Readability",
                    "┃",
                    "┃ [R] → Modules should have a @moduledoc tag.",
                    "┃       lib/my_app/file1.ex:4:13 #(MyApp.File1)",
                    "┃ [R] → Modules should have a @moduledoc tag.",
                    "┃       lib/my_app/file3.ex:3:11 #(MyApp.File3)",
                    "",
                    "212 mods/funs, found 2 code readability issues.",
                ),
                "##[error]Process completed with exit code 8.",
            ],
            "lint_failure",
            {"tool": "credo", "file": "lib/my_app/file1.ex", "line": "4"},
        ),
        # rebar3 dialyzer: the file alone, its rows under it.
        (
            [
                *run_step(
                    "rebar3 dialyzer",
                    "===> Doing success typing analysis...",
                    "",
                    "src/repair_order.erl",
                    "Line 28 Column 9: The pattern 'true' can never match the type 'false'",
                    "===> Warnings occurred running dialyzer: 1",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "dialyzer", "file": "src/repair_order.erl", "line": "28"},
        ),
        # mix dialyzer: the first warning's place.
        (
            [
                *run_step(
                    "mix dialyzer",
                    "Proceeding with analysis...",
                    "lib/bug_1.ex:7: Function run/0 has no local return",
                    "lib/bug_1.ex:8: The call 'Elixir.Cashy.Bug1':convert('sgd','usd',1) will never return",
                    "done in 0m1.00s",
                    "done (warnings were emitted)",
                    "Halting VM with exit status 2",
                ),
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "dialyzer", "file": "lib/bug_1.ex", "line": "7"},
        ),
        # A clean Dialyzer and a clean Credo run are no failure.
        (
            [
                *run_step(
                    "mix dialyzer",
                    "Total errors: 0, Skipped: 0, Unnecessary Skips: 0",
                    "done in 0m0.81s",
                    "done (passed successfully)",
                    "212 mods/funs, found no issues.",
                ),
            ],
            None,
            {},
        ),
    ],
)
def test_ruby_php_elixir_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, [TS + line for line in lines], want, facts)
