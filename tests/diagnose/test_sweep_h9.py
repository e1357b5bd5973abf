"""Deploys, services and end-to-end jobs: the host a database or cache client could not reach.

Texts are the clients' real formats with names changed; the thread each comes from is named in the
rule (rules/80-network.yaml, database-or-cache-unreachable) or in hosts.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, assert_finding, top_finding


@pytest.mark.parametrize(
    ("text", "after", "host"),
    [
        # libpq before 14 names the host on the line under the error.
        (
            "psql: error: could not connect to server: Connection refused",
            ['\tIs the server running on host "localhost" (::1) and accepting'],
            "localhost",
        ),
        (
            'psycopg2.OperationalError: connection to server at "db" (172.18.0.2), port 5432 '
            "failed: Connection refused",
            [],
            "db",
        ),
        ("ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql:3306' (111)", [], "mysql"),
        ("Error: P1001: Can't reach database server at `postgres`:`5432`", [], "postgres"),
        ("Could not connect to Redis at redis:6379: Connection refused", [], "redis"),
        ("Error connecting to Redis on localhost:6379 (Errno::ECONNREFUSED)", [], "localhost"),
        (
            "org.postgresql.util.PSQLException: Connection to localhost:5432 refused.",
            [],
            "localhost",
        ),
        (
            "requests.exceptions.ConnectionError: HTTPConnectionPool(host='elasticsearch', "
            "port=9200): Max retries exceeded with url: /",
            [],
            "elasticsearch",
        ),
        (
            "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused",
            [],
            "localhost",
        ),
        (
            'django.db.utils.OperationalError: could not translate host name "postgres" to '
            "address: Name or service not known",
            [],
            "postgres",
        ),
        # An address alone is not a host to report.
        ("Error: Redis connection to 127.0.0.1:6379 failed - connect ECONNREFUSED", [], None),
        ("ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:3306' (111)", [], None),
    ],
)
def test_service_client_names_its_host(text: str, after: list[str], host: str | None) -> None:
    assert network_host(text, (), after) == host


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A migration against a service container that is not up: libpq 14+ under Django.
        (
            [
                "Run python manage.py migrate",
                'django.db.utils.OperationalError: connection to server at "localhost" '
                "(127.0.0.1), port 5432 failed: Connection refused",
                "\tIs the server running on that host and accepting TCP/IP connections?",
                FAILED,
            ],
            "network_error",
            {"host": "localhost"},
        ),
        # A test that fails on the refused service is still the failing test.
        (
            [
                "Run python -m pytest",
                "FAILED tests/test_cache.py::test_cache_set - redis.exceptions.ConnectionError: "
                "Error 111 connecting to localhost:6379. Connection refused.",
                "========================= 1 failed, 11 passed in 2.31s =========================",
                FAILED,
            ],
            "test_failure",
            {"test": "tests/test_cache.py::test_cache_set"},
        ),
        # The postgres image without a password, as docker compose prints it.
        (
            [
                "db-1  | Error: Database is uninitialized and superuser password is not specified.",
                "db-1  |        You must specify POSTGRES_PASSWORD to a non-empty value for the",
                "dependency failed to start: container app-db-1 exited (1)",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "POSTGRES_PASSWORD"},
        ),
    ],
)
def test_service_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # The app Playwright starts before the tests never answered (wait-on's family).
        (
            ["Run npx playwright test", "Error: Timed out waiting 60000ms from config.webServer."],
            "timeout",
        ),
        # Playwright's box under a failed launch outranks the failed tests it causes.
        (
            [
                "  1) [chromium] › example.spec.ts:3:5 › has title ─────────────",
                "    Error: browserType.launch: ",
                "    ║ Host system is missing dependencies to run browsers. ║",
                "  4 failed",
            ],
            "missing_tool",
        ),
        # A browser download cut off at install time is the network, not a missing tool.
        (
            [
                "npm ERR! The Cypress App could not be downloaded.",
                "npm ERR! URL: https://download.cypress.io/desktop.json",
                "npm ERR! Response code: 502.",
            ],
            "network_error",
        ),
    ],
)
def test_end_to_end_set_up_verdicts(tmp_path: Path, lines: list[str], want: str) -> None:
    got, _ = top_finding(tmp_path, [*lines, FAILED])
    assert got == want


def test_wait_loop_refusals_before_a_passing_job_are_no_finding(tmp_path: Path) -> None:
    lines = [
        "2023-03-16T18:02:47.1000000Z ##[group]Run ./scripts/init_db.sh",
        "2023-03-16T18:02:47.2000000Z ##[endgroup]",
        '2023-03-16T18:02:48.1000000Z psql: error: connection to server at "localhost" '
        "(127.0.0.1), port 5432 failed: Connection refused",
        "2023-03-16T18:02:48.2000000Z Postgres is still unavailable - sleeping",
        "2023-03-16T18:02:50.1000000Z Postgres has been migrated, ready to go!",
        "2023-03-16T18:02:51.1000000Z Cleaning up orphan processes",
    ]
    assert top_finding(tmp_path, lines) == (None, {})


@pytest.mark.parametrize(
    "lines",
    [
        # A pasted wait loop: the refusals come before the service's own "it answers" line.
        [
            "Run until pg_isready -h localhost -p 5432; do sleep 1; done",
            "localhost:5432 - no response",
            "Run redis-cli -h localhost ping",
            "Could not connect to Redis at localhost:6379: Connection refused",
            "PONG",
        ],
        [
            "mysqladmin: connect to server at '127.0.0.1' failed",
            "error: 'Can't connect to MySQL server on '127.0.0.1:3306' (111)'",
            "mysqld is alive",
            "120 examples, 0 failures",
        ],
    ],
)
def test_refusals_before_the_service_answered_are_no_failure(
    tmp_path: Path, lines: list[str]
) -> None:
    assert top_finding(tmp_path, lines) == (None, {})


def test_libpq_hint_is_not_the_service_answering(tmp_path: Path) -> None:
    lines = [
        "Run bin/rails db:prepare",
        'PG::ConnectionBad: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" '
        "failed: No such file or directory (PG::ConnectionBad)",
        "\tIs the server running locally and accepting connections on that socket?",
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "network_error"
