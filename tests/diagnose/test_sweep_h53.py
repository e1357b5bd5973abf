"""Verdicts and facts the deploys-and-services sweep (third) relies on: ssh and rsync deploys, registry
logins, cloud and deploy-CLI credentials.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml, rules/80-network.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job


@pytest.mark.parametrize(
    ("line", "host"),
    [
        # OpenSSH's own line, behind the tags deploy actions put on ssh's stderr.
        (
            "⚠️ [Rsync] stderr:  ssh: connect to host ec2-198-51-100-23.eu-north-1.compute.amazonaws.com"
            " port 22: Connection timed out",
            "ec2-198-51-100-23.eu-north-1.compute.amazonaws.com",
        ),
        (
            "[prod] < ssh: connect to host deploy.example.org port 2222: No route to host",
            "deploy.example.org",
        ),
        ("err: ssh: connect to host 203.0.113.10 port 22: Connection refused", "203.0.113.10"),
        # Secrets masked by the runner name no host.
        ("ssh: connect to host *** port ***: Operation timed out", None),
    ],
)
def test_ssh_connect_names_the_host(line: str, host: str | None) -> None:
    assert network_host(line) == host


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # easingthemes/ssh-deploy pasted without the trailer: the ssh line is the cause.
        (
            [
                "Run easingthemes/ssh-deploy@v2.1.5",
                "⚠️ [Rsync] error:  rsync exited with code 255",
                "⚠️ [Rsync] stderr:  ssh: connect to host deploy.example.org port 22: Connection timed out",
                "rsync: connection unexpectedly closed (0 bytes received so far) [sender]",
                "rsync error: unexplained error (code 255) at io.c(235) [sender=3.1.3]",
            ],
            "network_error",
            {"host": "deploy.example.org"},
        ),
        (
            [
                "Run marcodallasanta/ssh-scp-deploy@v1.2.0",
                "ssh: connect to host *** port ***: Operation timed out",
                "😢 Something went wrong during pre-upload script",
            ],
            "network_error",
            {},
        ),
        # Deployer's tagged ssh stderr and Go's ssh client (appleboy/ssh-action).
        (
            [
                "[prod] > echo $0",
                "[prod] < ssh multiplexing initialization",
                "[prod] < Host key verification failed.",
            ],
            "auth_error",
            {},
        ),
        (
            [
                "Run appleboy/ssh-action@v1.0.3",
                "2024/02/22 10:11:12 ssh: handshake failed: ssh: unable to authenticate, attempted methods"
                " [none publickey], no supported methods remain",
            ],
            "auth_error",
            {},
        ),
        # docker push with no stored login for ECR, under the layers it was preparing.
        (
            [
                "The push refers to repository [123456789012.dkr.ecr.eu-central-1.amazonaws.com/webapp]",
                "374b29f6eb29: Preparing",
                "no basic auth credentials",
                "Error: Process completed with exit code 1.",
            ],
            "auth_error",
            {},
        ),
        # nwtgck/actions-netlify with a revoked token, pasted.
        (
            [
                "Run nwtgck/actions-netlify@v2.0",
                "  env:",
                "    NETLIFY_AUTH_TOKEN: ***",
                "Error: Unauthorized",
            ],
            "auth_error",
            {},
        ),
        # configure-aws-credentials v1/v2 printing STS's refusal bare.
        (
            ["Run aws-actions/configure-aws-credentials@v2", "Error: Incorrect token audience"],
            "auth_error",
            {},
        ),
    ],
)
def test_pasted_deploy_failures(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts


def test_console_error_unauthorized_is_not_the_cause(tmp_path: Path) -> None:
    """A test's logged "Error: Unauthorized" (indented by jest) does not outrank the failing test."""
    lines = run_step(
        "npx jest",
        "  console.error",
        "    Error: Unauthorized",
        "        at Object.<anonymous> (src/api.test.ts:12:11)",
        "FAIL src/api.test.ts",
        "  ● api › retries after a refresh",
        "Tests:       1 failed, 11 passed, 12 total",
        FAILED,
    )
    got, _ = top_finding(tmp_path, lines)
    assert got != "auth_error"


def test_ssh_refused_while_the_host_boots_then_deploys(tmp_path: Path) -> None:
    """A wait loop's refused connections before a successful rsync are no failure."""
    lines = (
        run_step(
            "until ssh -o ConnectTimeout=5 deploy@203.0.113.44 true; do sleep 10; done",
            "ssh: connect to host 203.0.113.44 port 22: Connection refused",
            "ssh: connect to host 203.0.113.44 port 22: Connection refused",
            "Warning: Permanently added '203.0.113.44' (ED25519) to the list of known hosts.",
        )
        + run_step(
            "rsync -az dist/ deploy@203.0.113.44:/srv/app",
            "sent 18,402 bytes  received 76 bytes  12,318.67 bytes/sec",
            "total size is 61,207  speedup is 3.31",
        )
        + ["Cleaning up orphan processes"]
    )
    assert not analyze_paths([write_job(tmp_path, lines)]).findings
