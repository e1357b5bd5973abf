"""Facts and verdicts of the third PHP sweep: PHPStan's trait-context table header, Collision's cut
test titles, PHPUnit 10's "PHPUnit error" tally, setup-php's extension and tool lines, Psalm's tally.

Texts are the tools' real formats with names changed; the thread or source each comes from is named
in the rule or the code comment that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import table_location
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding

_RULE = " ------ ------------------------------------------------------------------------ "


@pytest.mark.parametrize(
    "header",
    [
        "  Line   src/Concerns/HasSlug.php",
        "  Line   src/Concerns/HasSlug.php (in context of class App\\Models\\Post)  ",
        "  Line   /home/runner/work/shop/shop/src/Concerns/HasSlug.php (in context of class App\\Post)",
    ],
)
def test_phpstan_table_header_with_or_without_trait_context(header: str) -> None:
    before = [_RULE, header, _RULE]
    got = table_location(
        "  18     Access to an undefined property App\\Models\\Post::$title.", before
    )
    assert got == ("src/Concerns/HasSlug.php", "18")


def test_phpstan_trait_context_table_gives_file_and_line(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run vendor/bin/phpstan analyse --no-progress",
            "##[endgroup]",
            _RULE,
            "  Line   src/Concerns/HasSlug.php (in context of class App\\Models\\Post)          ",
            _RULE,
            "  18     Access to an undefined property App\\Models\\Post::$title.                ",
            _RULE,
            "",
            " [ERROR] Found 1 error                                                         ",
            FAILED,
        ],
    )
    assert got == (
        "lint_failure",
        {"tool": "phpstan", "file": "src/Concerns/HasSlug.php", "line": "18", "exit_code": "1"},
    )


_LIST = [
    "   FAIL  Tests\\Feature\\ExampleTest",
    "  ⨯ the application returns a successful response                        0.15s  ",
    "  ───────────────────────────────────────────────────────────────────────────  ",
]


@pytest.mark.parametrize(
    ("rows", "want"),
    [
        # Collision 7+: the "⨯" row holds the whole title.
        (_LIST, "Tests\\Feature\\ExampleTest > the application returns a successful response"),
        # Collision 5/6 marks it "✕", without a time.
        (
            [
                "   FAIL  Tests\\Feature\\ExampleTest",
                "  ✕ the application returns a successful response",
            ],
            "Tests\\Feature\\ExampleTest > the application returns a successful response",
        ),
        # No list row above (a paste of the FAILED block only): the cut title, as printed.
        ([], "Tests\\Feature\\ExampleTest > the application returns a successful…"),
        # A row that is another test's is not this title's completion.
        (
            ["  ⨯ the admin page loads                                                 0.02s  "],
            "Tests\\Feature\\ExampleTest > the application returns a successful…",
        ),
    ],
)
def test_collision_cut_title_is_completed_from_its_list_row(rows: list[str], want: str) -> None:
    failed = "   FAILED  Tests\\Feature\\ExampleTest > the application returns a successful…   "
    assert named_failure([*rows, failed]) == want


def test_phpunit_10_phpunit_error_under_a_green_ok(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run vendor/bin/phpunit",
            "##[endgroup]",
            "There was 1 PHPUnit error:",
            "",
            "1) Tests\\Unit\\ParserTest::test_parses",
            "The data provider specified for Tests\\Unit\\ParserTest::test_parses is invalid",
            "Data Provider method Tests\\Unit\\ParserTest::cases() is not static",
            "",
            "/home/runner/work/parser/parser/tests/Unit/ParserTest.php:21",
            "",
            "OK (12 tests, 30 assertions)",
            "##[error]Process completed with exit code 2.",
        ],
    )
    assert got[0] == "test_failure"
    assert got[1]["test"] == "Tests\\Unit\\ParserTest::test_parses"


def _setup_php(*rows: str) -> list[str]:
    return [
        "##[group]Run shivammathur/setup-php@v2",
        "with:",
        "  php-version: 8.3",
        "##[endgroup]",
        "==> Setup Extensions",
        *rows,
    ]


def test_setup_php_extension_with_fail_fast_is_the_cause(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        _setup_php(
            "✗ sqlsrv     Could not install sqlsrv on PHP 8.3.4",
            "##[error]The process '/usr/bin/bash' failed with exit code 1",
        ),
    )
    assert got[0] == "missing_dependency"
    assert got[1]["package"] == "sqlsrv"


def test_setup_php_extension_without_fail_fast_leaves_it_to_composer(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            *_setup_php("✗ rdkafka    Could not install rdkafka on PHP 8.3.4"),
            "##[group]Run composer install --prefer-dist",
            "##[endgroup]",
            "  Problem 1",
            "    - acme/queue v1.0.0 requires ext-rdkafka * -> it is missing from your system."
            " Install or enable PHP's rdkafka extension.",
            "##[error]Process completed with exit code 2.",
        ],
    )
    assert got[0] == "missing_dependency"
    assert got[1]["package"] == "ext-rdkafka"


def test_setup_php_extension_without_fail_fast_in_a_green_job(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            *_setup_php("✗ rdkafka    Could not install rdkafka on PHP 8.3.4"),
            "##[group]Run vendor/bin/phpunit",
            "##[endgroup]",
            "OK (12 tests, 30 assertions)",
        ],
    )
    assert got[0] is None


def test_psalm_tally_alone_names_psalm_from_the_step(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run vendor/bin/psalm --no-progress --output-format=checkstyle | cs2pr",
            "##[endgroup]",
            "------------------------------",
            "4 errors found",
            "------------------------------",
            "##[error]Process completed with exit code 2.",
        ],
    )
    assert got[0] == "lint_failure"
    assert got[1]["tool"] == "psalm"


_SUMMARY = [
    "PHP CODE SNIFFER REPORT SUMMARY",
    "-" * 70,
    "FILE                                                  ERRORS  WARNINGS",
    "-" * 70,
]


@pytest.mark.parametrize(
    ("rows", "want"),
    [
        (
            [
                "/home/runner/work/api/api/src/Http/Kernel.php         0       2",
                "/home/runner/work/api/api/src/Http/Router.php         1       3",
            ],
            "src/Http/Router.php",
        ),
        (["D:\\a\\api\\api\\src\\Http\\Kernel.php         2       0"], "src/Http/Kernel.php"),
        # warnings only: no file failed the check
        (["/home/runner/work/api/api/src/Http/Kernel.php         0       2"], None),
    ],
)
def test_phpcs_summary_report_names_the_first_file_with_errors(
    tmp_path: Path, rows: list[str], want: str | None
) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run vendor/bin/phpcs --report=summary",
            "##[endgroup]",
            *_SUMMARY,
            *rows,
            "-" * 70,
            "A TOTAL OF 2 ERRORS AND 5 WARNINGS WERE FOUND IN 2 FILES",
            "-" * 70,
            "##[error]Process completed with exit code 2.",
        ],
    )
    assert got[0] == "lint_failure"
    assert got[1]["tool"] == "phpcs"
    assert got[1].get("file") == want
