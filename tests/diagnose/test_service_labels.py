"""A service container's label that does not resolve from the runner: database-or-cache-unreachable's
(listed just above dns-resolution-failed in 80-network), whose advice names `container:` and
localhost; a host no database client names stays dns-resolution-failed's. Line shapes are the
clients'; names ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths, rule_next_step
from tests.diagnose.joblog import FAILED, run_step, write_job


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str, str | None]:
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule, top.data.get("host")


@pytest.mark.parametrize(
    ("line", "host"),
    [
        (
            'django.db.utils.OperationalError: could not translate host name "postgres" to '
            "address: Name or service not known",
            "postgres",
        ),
        (
            'PG::ConnectionBad: could not translate host name "db" to address: nodename nor '
            "servname provided, or not known",
            "db",
        ),
        (
            "E   redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name or "
            "service not known.",
            "redis",
        ),
        (
            "SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for mysql failed: "
            "Temporary failure in name resolution",
            "mysql",
        ),
        ("Error: getaddrinfo ENOTFOUND postgres", "postgres"),
        ("[ioredis] Unhandled error event: Error: getaddrinfo EAI_AGAIN redis", "redis"),
    ],
)
def test_a_service_label_is_the_database_rules(tmp_path: Path, line: str, host: str) -> None:
    lines = [*run_step("npm test", line), FAILED]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (top.type.value, top.rule, top.data.get("host")) == (
        "network_error",
        "database-or-cache-unreachable",
        host,
    )
    assert "`container:`" in (rule_next_step(top.rule) or "")


@pytest.mark.parametrize(
    "line",
    [
        "fatal: unable to access 'https://github.com/o/r/': Could not resolve host: github.com",
        "Error: getaddrinfo ENOTFOUND api",
    ],
)
def test_other_hosts_stay_a_dns_failure(tmp_path: Path, line: str) -> None:
    lines = [*run_step("./deploy.sh", line), FAILED]
    assert _top(tmp_path, lines)[:2] == ("network_error", "dns-resolution-failed")
