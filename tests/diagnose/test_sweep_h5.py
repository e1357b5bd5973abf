"""Verdicts and facts of the environment/infrastructure sweep that live outside the rules.

A retry that curl (or the runner's docker pull) announced and the next step then began is no
failure; a host sits a blank line and cargo's "Caused by:" away from the error; wget names the host
it connects to; coreutils `timeout` exits 124. Texts are the tools' real formats with names changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, run_step, write_job


def _top(path: Path) -> tuple[str, dict[str, str]] | None:
    analysis = analyze_paths([path])
    if not analysis.findings:
        return None
    top = analysis.findings[0]
    return top.type.value, dict(top.data)


# A pasted excerpt (no timestamps, no end-of-job lines): its error lines count unless cleared.
_CURL_RETRIED = [
    "Run curl --retry 3 -fsSLO https://github.com/acme/widget/archive/refs/tags/v2.4.0.tar.gz",
    "  shell: /usr/bin/bash -e {0}",
    "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (6)"
    " Could not resolve host: github.com",
    "Warning: Problem : timeout. Will retry in 3 seconds. 3 retries left.",
    "100 1288k    0 1288k    0     0  3061k      0 --:--:-- --:--:-- --:--:-- 3061k",
    "Run ./configure --prefix=/usr",
    "  shell: /usr/bin/bash -e {0}",
    "checking for gcc... gcc",
]


def test_curl_retry_then_next_step_is_no_failure(tmp_path: Path) -> None:
    assert _top(write_job(tmp_path, _CURL_RETRIED, stamped=False)) is None


def test_curl_retry_then_an_after_failure_step_is_still_the_failure(tmp_path: Path) -> None:
    lines = [*_CURL_RETRIED[:4], "Run actions/upload-artifact@v4", "  with:", "    name: logs"]
    assert _top(write_job(tmp_path, lines, stamped=False)) == (
        "network_error",
        {"host": "github.com"},
    )


def test_curl_last_attempt_failing_stays_the_cause(tmp_path: Path) -> None:
    lines = run_step(
        "curl --retry 1 -fsSLO https://downloads.example.org/tool.tgz",
        "curl: (28) Failed to connect to downloads.example.org port 443 after 10001 ms: Timeout was reached",
        "Warning: Problem : timeout. Will retry in 1 seconds. 1 retries left.",
        "curl: (28) Failed to connect to downloads.example.org port 443 after 10001 ms: Timeout was reached",
        FAILED,
    )
    top = _top(write_job(tmp_path, lines))
    assert top is not None
    assert top[0] == "network_error"
    assert top[1]["host"] == "downloads.example.org"


def test_masked_host_is_a_network_error_without_a_host(tmp_path: Path) -> None:
    lines = run_step(
        "./fetch.sh",
        "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (6)"
        " Could not resolve host: ***",
        "##[error]Process completed with exit code 6.",
    )
    top = _top(write_job(tmp_path, lines))
    assert top is not None
    assert top[0] == "network_error"
    assert "host" not in top[1]


@pytest.mark.parametrize(
    ("text", "before", "want"),
    [
        # cargo: the URL, a blank line, "Caused by:", then the cause the rule matched
        (
            "  [28] Timeout was reached (Operation too slow. Less than 10 bytes/sec transferred the"
            " last 30 seconds)",
            (
                "error: failed to download from `https://static.crates.io/crates/syn/2.0.28/download`",
                "",
                "Caused by:",
            ),
            "static.crates.io",
        ),
        # wget: the host it connected to, two lines above its "ERROR 503"
        (
            "2024-01-01 00:00:05 ERROR 503: Service Unavailable.",
            (
                "Connecting to objects.githubusercontent.com (objects.githubusercontent.com)"
                "|185.199.108.133|:443... connected.",
                "HTTP request sent, awaiting response... 503 Service Unavailable",
            ),
            "objects.githubusercontent.com",
        ),
        # blank lines do not stretch the look-up past four lines
        (
            "  [28] Timeout was reached",
            ("fatal: unable to access 'https://github.com/acme/app/'", "x", "", "", "", ""),
            None,
        ),
    ],
)
def test_network_host_past_separators(text: str, before: tuple[str, ...], want: str | None) -> None:
    assert network_host(text, before) == want


def test_timeout_exit_124_without_an_error_line(tmp_path: Path) -> None:
    lines = run_step(
        "timeout 600 ./scripts/e2e.sh",
        "waiting for the stack to settle",
        "##[error]Process completed with exit code 124.",
    )
    analysis = analyze_paths([write_job(tmp_path, lines)])
    top = analysis.findings[0]
    assert (top.type.value, top.rule) == ("timeout", "timed-out-exit-124")
    assert top.data["exit_code"] == "124"
