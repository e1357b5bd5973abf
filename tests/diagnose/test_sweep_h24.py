"""Verdicts and facts the PHP-application sweep relies on (Laravel, Pest, Symfony console, PHPUnit).

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or the code comment that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("line", "want"),
    [
        (
            "   FAILED  Tests\\Feature\\ExampleTest > the application returns a successful response"
            "   MissingAppKeyException   ",
            "Tests\\Feature\\ExampleTest > the application returns a successful response",
        ),
        (
            "   FAILED  Tests\\Feature\\Teams\\SwitchCurrentTeamTest > users cannot switch t…   ",
            "Tests\\Feature\\Teams\\SwitchCurrentTeamTest > users cannot switch t…",
        ),
        (
            "  • Tests\\Feature\\CustomerTest > only logged in users can see customers list",
            "Tests\\Feature\\CustomerTest > only logged in users can see customers list",
        ),
    ],
)
def test_collision_names_the_failed_test(line: str, want: str) -> None:
    assert named_failure([line]) == want


def test_collision_location_is_php_only() -> None:
    assert location("  at tests/Feature/ExampleTest.php:15") == (
        "tests/Feature/ExampleTest.php",
        "15",
    )
    assert location("  at D:\\a\\app\\app\\tests\\Unit\\CalcTest.php:9") == (
        "tests/Unit/CalcTest.php",
        "9",
    )
    assert location("    at /home/runner/work/app/app/src/cart.js:10:5") is None


def test_pest_failure_gives_test_file_and_line(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run ./vendor/bin/pest",
            "##[endgroup]",
            "   FAIL  Tests\\Feature\\ExampleTest",
            "  ⨯ it returns a successful response                                     0.11s  ",
            "  ───────────────────────────────────────────────────────────────────────────  ",
            "   FAILED  Tests\\Feature\\ExampleTest > it returns a successful response",
            "  Expected response status code [200] but received 500.",
            "Failed asserting that 500 is identical to 200.",
            "",
            "  at tests/Feature/ExampleTest.php:7",
            "      3▕ it('returns a successful response', function () {",
            "  ➜   7▕     $response->assertStatus(200);",
            "",
            "  Tests:    1 failed, 1 passed (2 assertions)",
            "  Duration: 0.18s",
            FAILED,
        ],
    )
    assert got[0] == "test_failure"
    assert got[1]["test"] == "Tests\\Feature\\ExampleTest > it returns a successful response"
    assert (got[1]["file"], got[1]["line"]) == ("tests/Feature/ExampleTest.php", "7")


def test_symfony_console_header_is_not_shellcheck(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run php artisan key:generate",
            "##[endgroup]",
            "In KeyGenerateCommand.php line 96:",
            "  file_get_contents(/home/runner/work/app/app/.env): failed to open stream: No such file"
            " or directory  ",
            FAILED,
        ],
    )
    assert got[0] == "missing_env_vars"
    assert got[1].get("tool") != "shellcheck"


def test_php8_getaddrinfo_names_the_database_host(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run php artisan migrate --force",
            "##[endgroup]",
            "  SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for mysql failed: Name or"
            " service not known (Connection: mysql, SQL: select table_name as `name` from"
            " information_schema.tables)",
            FAILED,
        ],
    )
    assert got[0] == "network_error"
    assert got[1].get("host") == "mysql"
