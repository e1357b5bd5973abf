"""Timeouts, cancellations and hangs: verdicts the sweep's non-rule changes rely on.

A test a runner reported as still running (libtest's 60-second notice, nextest's SLOW) is a hang only
when it never finished; Go's dialer names the address it dialed. Texts are the tools' real formats
with names changed; the threads are named in rules/90-generic.yaml and diagnose/hosts.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, assert_finding, run_step, top_finding

_SLOW = "test tests::big_import has been running for over 60 seconds"
_NEXTEST_SLOW = "        SLOW [> 60.000s] acme tests::big_import"


@pytest.mark.parametrize(
    "lines",
    [
        # Several threads: the notice, then the result under the test's name.
        ["running 2 tests", _SLOW, "test tests::big_import ... ok", "test tests::quick ... ok"],
        # One thread: libtest printed the name before the notice, the result follows it bare.
        [
            "running 1 test",
            "test tests::big_import ... test tests::big_import has been running for over 60 seconds",
            "ok",
        ],
        # nextest: the slow test's own PASS row, or the run's clean summary.
        [_NEXTEST_SLOW, "        PASS [  75.123s] acme tests::big_import"],
        [
            _NEXTEST_SLOW,
            "------------",
            "     Summary [  75.124s] 12 tests run: 12 passed (1 slow), 0 skipped",
        ],
        [_SLOW, "", "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out"],
    ],
)
def test_a_slow_test_that_then_passed_is_no_hang(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, lines) == (None, {})


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # A paste that stops while the tests still run.
        (["running 4 tests", "test tests::ok_one ... ok", _SLOW], {"test": "tests::big_import"}),
        (
            [
                "test src/hash/mod.rs - hash::Hash (line 118) ... test src/hash/mod.rs - hash::Hash"
                " (line 118) has been running for over 60 seconds",
                "##[error]The operation was canceled.",
            ],
            {},
        ),
        ([_NEXTEST_SLOW, "        SLOW [>120.000s] acme tests::big_import"], {}),
    ],
)
def test_a_test_still_running_when_the_log_stops_is_a_timeout(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "timeout", facts)


def test_a_slow_test_that_then_failed_is_a_test_failure(tmp_path: Path) -> None:
    lines = run_step(
        "cargo test",
        "running 2 tests",
        _SLOW,
        "test tests::big_import ... FAILED",
        "",
        "failures:",
        "",
        "---- tests::big_import stdout ----",
        "thread 'tests::big_import' panicked at src/lib.rs:40:9:",
        "assertion `left == right` failed",
        "",
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        FAILED,
    )
    got, _ = top_finding(tmp_path, lines)
    assert got == "test_failure"


@pytest.mark.parametrize(
    ("line", "host"),
    [
        ("2024/05/01 10:00:01 dial tcp 203.0.113.7:22: i/o timeout", "203.0.113.7"),
        # A URL earlier on the line is the host asked for, not the address it resolved to.
        (
            'go: github.com/acme/lib@v1.2.0: Get "https://proxy.golang.org/github.com/acme/lib/@v/'
            'v1.2.0.mod": dial tcp 142.250.72.17:443: i/o timeout',
            "proxy.golang.org",
        ),
        # The job's own service on loopback, and a masked address, name no host.
        ("dial tcp 127.0.0.1:5432: connect: connection refused", None),
        ("2020/06/24 10:00:01 dial tcp ***:***: connect: connection timed out", None),
    ],
)
def test_go_dial_names_the_address_it_dialed(line: str, host: str | None) -> None:
    assert network_host(line) == host
