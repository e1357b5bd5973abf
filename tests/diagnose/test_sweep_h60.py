"""Service containers, databases and caches: the hosts their clients name, and which failure a
test run that never started reports, a silent curl's or pytest's exit status (diagnose/hosts.py,
diagnose/upstream.py, diagnose/verdict.py).

Texts are the clients' real formats with names changed; the thread each comes from is named in the
rule (rules/20-setup.yaml, rules/80-network.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, assert_finding, run_step, write_job


@pytest.mark.parametrize(
    ("line", "host"),
    [
        # MongoDB's Node driver 3.x and Node's resolver under the unified topology.
        (
            "MongoNetworkError: failed to connect to server [localhost:27017] on first connect"
            " [MongoNetworkError: connect ECONNREFUSED 127.0.0.1:27017]",
            "localhost",
        ),
        (
            "MongoError: failed to connect to server [mongo:27017] on first connect [MongoError:"
            " getaddrinfo ENOTFOUND mongo mongo:27017]",
            "mongo",
        ),
        ("MongooseServerSelectionError: getaddrinfo ENOTFOUND mongo", "mongo"),
        ("MongoServerSelectionError: getaddrinfo EAI_AGAIN mongodb", "mongodb"),
        # The Go driver's topology.
        (
            "server selection error: context deadline exceeded, current topology: { Type: Unknown,"
            " Servers: [{ Addr: localhost:27017, Type: Unknown, Last error: dial tcp"
            " 127.0.0.1:27017: connect: connection refused }, ] }",
            "localhost",
        ),
        # go-mssqldb as sql-action v2 wraps it.
        (
            "Error: Failed to add firewall rule. Unable to detect client IP Address. unable to open"
            " tcp connection with host 'localhost:1433': dial tcp [::1]:1433: connectex: No"
            " connection could be made because the target machine actively refused it.",
            "localhost",
        ),
        # Ruby's Net::HTTP under Faraday, to a search engine the suite needs.
        (
            "Faraday::ConnectionFailed: Failed to open TCP connection to localhost:9200 (Connection"
            ' refused - connect(2) for "localhost" port 9200)',
            "localhost",
        ),
        # Postgrex under db_connection: a host name, a compose service, a Unix socket's path.
        (
            "** (DBConnection.ConnectionError) tcp connect (localhost:5432): connection refused -"
            " :econnrefused",
            "localhost",
        ),
        (
            "** (DBConnection.ConnectionError) tcp connect (db:5432): non-existing domain - :nxdomain",
            "db",
        ),
        (
            "** (DBConnection.ConnectionError) tcp connect (/var/run/postgresql/.s.PGSQL.5432): no"
            " such file or directory - :enoent",
            None,
        ),
        # An address alone is no host to report.
        ("MongooseServerSelectionError: connect ECONNREFUSED ::1:27017", None),
    ],
)
def test_database_clients_name_their_host(line: str, host: str | None) -> None:
    assert network_host(line) == host


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Mocha's "before all" hook timed out after the driver said it could not connect: no test
        # ran, so the unreachable database is the cause even on localhost.
        (
            run_step(
                "npm test",
                "(node:2211) UnhandledPromiseRejectionWarning: MongoNetworkError: failed to connect"
                " to server [localhost:27017] on first connect [MongoNetworkError: connect"
                " ECONNREFUSED 127.0.0.1:27017]",
                "  Sample model",
                '    1) "before all" hook in "Sample model"',
                "  0 passing (30s)",
                "  1 failing",
                "  1) Sample model",
                '       "before all" hook in "Sample model":',
                '     Error: Timeout of 30000ms exceeded. For async tests and hooks, ensure "done()"'
                " is called; if returning a Promise, ensure it resolves.",
                FAILED,
            ),
            "network_error",
            {"host": "localhost"},
        ),
        # Jest's suite failed to load under its FAIL banner: the error printed below the banner.
        (
            run_step(
                "npx jest",
                " FAIL  test/integration/items.test.js (31.2 s)",
                "  ● Test suite failed to run",
                "",
                "    MongoServerSelectionError: getaddrinfo ENOTFOUND mongo",
                "        at Timeout._onTimeout (node_modules/mongodb/lib/sdam/topology.js:292:38)",
                "Test Suites: 1 failed, 1 total",
                "Tests:       0 total",
                FAILED,
            ),
            "network_error",
            {"host": "mongo"},
        ),
        # A test that ran and failed on a local service it needed stays the failing test.
        (
            run_step(
                "npx jest",
                " FAIL  test/cache.test.js",
                "  ● cache › stores a value",
                "",
                "    Error: Redis connection to 127.0.0.1:6379 failed - connect ECONNREFUSED"
                " 127.0.0.1:6379",
                "Tests:       1 failed, 4 passed, 5 total",
                FAILED,
            ),
            "test_failure",
            {},
        ),
        # libpq 14+ quoted bare, and pgx's SASL refusal: the credentials, not the network.
        (
            run_step(
                "pytest",
                'connection to server at "localhost" (::1), port 5432 failed: FATAL:  password'
                ' authentication failed for user "postgres"',
                "========================= 19 passed, 4 errors in 2.31s =========================",
                FAILED,
            ),
            "auth_error",
            {},
        ),
        (
            run_step(
                "go run ./cmd/migrate up",
                "2025/02/07 15:31:22 goose run: failed to connect to `user=postgres database=app`:"
                " 172.20.0.2:5432 (postgres): failed SASL auth: FATAL: password authentication"
                ' failed for user "postgres" (SQLSTATE 28P01)',
                FAILED,
            ),
            "auth_error",
            {},
        ),
        # Ecto's Postgrex formats the refusal with its SQLSTATE name.
        (
            run_step(
                "mix test",
                "** (Mix) The database for Shop.Repo couldn't be created: FATAL 28P01"
                ' (invalid_password): password authentication failed for user "postgres"',
                FAILED,
            ),
            "auth_error",
            {},
        ),
        # A MySQL service container without a root password: the choices as bullets (since 2022)
        # under the entrypoint's error, in the runner's service logs.
        (
            [
                "##[group]Waiting for all services to be ready",
                "unhealthy",
                "##[command]/usr/bin/docker logs --details 4c0d9f1e7b6a",
                " 2022-08-27 09:15:11+00:00 [ERROR] [Entrypoint]: Database is uninitialized and"
                " password option is not specified",
                "     You need to specify one of the following:",
                "     - MYSQL_ROOT_PASSWORD",
                "     - MYSQL_ALLOW_EMPTY_PASSWORD",
                "     - MYSQL_RANDOM_ROOT_PASSWORD",
                "##[error]Failed to initialize, mysql service is unhealthy.",
            ],
            "missing_env_vars",
            {"var": "MYSQL_ROOT_PASSWORD"},
        ),
    ],
)
def test_service_failures(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "stamped", "want"),
    [
        # A silent curl (-s) prints nothing: the step's command and curl's exit status say it all.
        (
            [
                *run_step("curl -sf --retry 3 http://localhost:8080/health"),
                "##[error]Process completed with exit code 7.",
            ],
            True,
            "network_error",
        ),
        # Pasted from the run page: no step marks, the last "Run" line is the command.
        (
            [
                "Run docker run --rm appropriate/curl -s --retry 3 http://localhost:8080/",
                "  docker run --rm appropriate/curl -s --retry 3 http://localhost:8080/",
                "  shell: /usr/bin/bash -e {0}",
                "Status: Downloaded newer image for appropriate/curl:latest",
                "Error: Process completed with exit code 28.",
            ],
            False,
            "network_error",
        ),
        # The curl lower in the step's script, under a first line that sets a variable (pasted).
        (
            [
                'Run url="${GITHUB_API_URL}/repos"',
                '  url="${GITHUB_API_URL}/repos"',
                '  failed=$(curl -s "${url}/${GITHUB_REPOSITORY}/actions/runs" | jq .total_count)',
                "  shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}",
                "Error: Process completed with exit code 7.",
            ],
            False,
            "network_error",
        ),
        # A curl echoed after the script's `shell:` line is output, not the step's command.
        (
            [
                "Run ./scripts/check.sh",
                "  ./scripts/check.sh",
                "  shell: /usr/bin/bash -e {0}",
                "retrying with: curl -s http://localhost:8080/",
                "Error: Process completed with exit code 7.",
            ],
            False,
            "unknown",
        ),
        # The same status from another program is not curl's.
        (
            [*run_step("./scripts/check.sh"), "##[error]Process completed with exit code 7."],
            True,
            "unknown",
        ),
        # curl's HTTP error (22, with -f) is the server's answer, not the network.
        (
            [
                *run_step("curl -sf https://example.org/missing"),
                "##[error]Process completed with exit code 22.",
            ],
            True,
            "unknown",
        ),
        # pytest's exit status 5: it collected no test.
        (
            [*run_step("pytest"), "##[error]Process completed with exit code 5."],
            True,
            "test_failure",
        ),
        (
            [
                *run_step("poetry run python -m pytest -q tests"),
                "Error: Process completed with exit code 5.",
            ],
            False,
            "test_failure",
        ),
        # After "&&" the status may be the other program's.
        (
            [*run_step("make lint && pytest"), "##[error]Process completed with exit code 5."],
            True,
            "unknown",
        ),
        (
            [*run_step("pytest-benchmark compare"), "##[error]Process completed with exit code 5."],
            True,
            "unknown",
        ),
    ],
)
def test_silent_curl_exit_status(
    tmp_path: Path, lines: list[str], stamped: bool, want: str
) -> None:
    log = write_job(tmp_path, lines, stamped=stamped)
    findings = analyze_paths([log]).findings
    assert findings[0].type.value == want
