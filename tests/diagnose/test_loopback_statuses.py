"""A 5xx a server on this machine answered is that server's, not the network's (the rule check
`status-not-loopback`, diagnose/loopback_statuses.py); the same status from a remote host stays a
network error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_step_finding


def _azure(url: str) -> list[str]:
    """The Azure SDK for Go's ResponseError under a CLI's "Error: " for a PUT to `url`."""
    return [
        "Creating Environment...",
        f"Error: PUT {url}",
        "-" * 80,
        "RESPONSE 502: 502 Bad Gateway",
        "ERROR CODE UNAVAILABLE",
        "-" * 80,
        "Response contained no body",
        "-" * 80,
    ]


@pytest.mark.parametrize(
    "lines",
    [
        _azure("https://127.0.0.1:34749/apis/api.ucp.dev/v1alpha3/planes/radius/local/env"),
        _azure("http://localhost:8080/apis/api.ucp.dev/v1alpha3/planes/radius/local/env"),
        # gh against a GitHub Enterprise mock the job serves itself.
        ["HTTP 502: Bad Gateway (http://127.0.0.1:8080/api/v3/repos/acme/tool/releases/tags/v1)"],
    ],
)
def test_a_loopback_server_s_status_is_not_the_network(tmp_path: Path, lines: list[str]) -> None:
    assert_step_finding(tmp_path, lines, "unknown", {})


@pytest.mark.parametrize(
    "lines",
    [
        _azure("https://management.azure.com/subscriptions/1/resourceGroups/rg"),
        [
            "> Could not GET 'https://repo.maven.apache.org/maven2/org/acme/lib/1.0/lib-1.0.pom'. "
            "Received status code 502 from server: Bad Gateway"
        ],
        # A local server started above, then a remote host's 503: the request line is the remote's.
        [
            "Serving on http://127.0.0.1:8000/",
            "GET https://registry.npmjs.org/left-pad",
            "503 Service Unavailable",
        ],
        # newman's rows (rev55 l1): a remote 503 on its own line under a localhost 200 row.
        [
            "→ Health",
            "  GET http://localhost:3000/health [200 OK, 312B, 25ms]",
            "→ Upstream rates",
            "  GET https://api.exchangerate.example.com/v1/latest [503 Service Unavailable, 1.2kB, 310ms]",
            "  1. Status code is 200",
        ],
    ],
)
def test_a_remote_host_s_status_stays_a_network_error(tmp_path: Path, lines: list[str]) -> None:
    assert_step_finding(tmp_path, lines, "network_error", {})
