"""Deploys and services, second sweep (h28): a service host that does not resolve, pytest's summary
line that repeats it, and a deploy CLI that refuses a token the step does set."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("line", "host"),
    [
        (
            "E   django.db.utils.OperationalError: (2005, \"Unknown MySQL server host 'mysql' (-3)\")",
            "mysql",
        ),
        ("ERROR 2005 (HY000): Unknown server host 'mariadb' (-2)", "mariadb"),
        ("ERROR 2002 (HY000): Can't connect to server on 'db' (115)", "db"),
        (
            "redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name or service not known.",
            "redis",
        ),
    ],
)
def test_service_hosts(line: str, host: str) -> None:
    assert network_host(line) == host


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # testcontainers/testcontainers-python #791: every test errors at set-up; pytest's short
        # summary repeats the error, so the network rule's last match is the test's own line.
        (
            [
                "orders/tests/test_orders.py E",
                "E   django.db.utils.OperationalError: (2005, \"Unknown MySQL server host 'mysql' (-3)\")",
                "=========================== short test summary info ============================",
                "ERROR orders/tests/test_orders.py::test_total - django.db.utils.OperationalError: (2005, \"Unknown MySQL server host 'mysql' (-3)\")",
                "========================= 1 error in 2.10s =========================",
                FAILED,
            ],
            "network_error",
            {"host": "mysql"},
        ),
        (
            [
                "FAILED tests/test_cache.py::test_set - redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name or service not known.",
                "========================= 1 failed in 1.02s =========================",
                FAILED,
            ],
            "network_error",
            {"host": "redis"},
        ),
        # A test against a server the job should have started itself stays the test.
        (
            [
                "FAILED tests/test_db.py::test_insert - psycopg2.OperationalError: could not connect to server: Connection refused localhost",
                "========================= 1 failed in 1.02s =========================",
                FAILED,
            ],
            "test_failure",
            {"test": "tests/test_db.py::test_insert"},
        ),
        # railwayapp/cli #425: the token is set (masked), the CLI refuses it: not a missing variable.
        (
            [
                "##[group]Run railway down -y",
                "railway down -y",
                "shell: /usr/bin/bash -e {0}",
                "env:",
                "  RAILWAY_TOKEN: ***",
                "##[endgroup]",
                "Unauthorized. Please login with `railway login`",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        # The same words with the secret empty: the variable is missing.
        (
            [
                "##[group]Run railway up --detach",
                "railway up --detach",
                "shell: /usr/bin/bash -e {0}",
                "env:",
                "  RAILWAY_TOKEN: ",
                "##[endgroup]",
                "Unauthorized. Please login with `railway login`",
                FAILED,
            ],
            "missing_env_vars",
            {},
        ),
    ],
)
def test_sweep_verdicts(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)
