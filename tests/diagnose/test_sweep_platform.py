"""Verdicts and facts the runner/platform/network message-family sweep relies on.

Texts are the runner's, GitHub's and the clients' real formats with names changed; the thread each
comes from is named in the rule or the case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.facts import enrich
from smartmon.diagnose.hosts import network_host


@pytest.mark.parametrize(
    ("text", "before", "want"),
    [
        (
            "fatal: unable to access 'https://github.com/acme/app/': SSL connection timeout",
            (),
            "github.com",
        ),
        (
            "curl: (6) Could not resolve host: objects.githubusercontent.com",
            (),
            "objects.githubusercontent.com",
        ),
        (
            "W: Failed to fetch x  Temporary failure resolving 'archive.ubuntu.com'",
            (),
            "archive.ubuntu.com",
        ),
        (
            "dial tcp: lookup proxy.golang.org on 127.0.0.53:53: server misbehaving",
            (),
            "proxy.golang.org",
        ),
        # the link a client prints for help is not the host that failed
        (
            "Error response from daemon: toomanyrequests: see https://www.docker.com/increase-rate-limit",
            (),
            None,
        ),
        # curl's help line above the error is skipped for the host on the error line
        (
            "error: failed retrieving file 'core.db' from mirror.acme.org : SSL certificate OpenSSL verify"
            " result: certificate has expired (10)",
            ("More details here: https://curl.se/docs/sslcerts.html",),
            "mirror.acme.org",
        ),
        # the error line names none: the line above it does
        (
            "Error: Response status code does not indicate success: 500 (Internal Server Error).",
            (
                "Warning: Failed to download action 'https://api.github.com/repos/acme/x/tarball/1a2b'.",
            ),
            "api.github.com",
        ),
        ("Error: certificate has expired", (), None),
        # bare host names in the resolvers' and clients' own words
        (
            "ssh: Could not resolve hostname github.com: Temporary failure in name resolution",
            (),
            "github.com",
        ),
        (
            "System.Net.Http.HttpRequestException: No such host is known. (api.nuget.org:443)",
            (),
            "api.nuget.org",
        ),
        # .NET's socket errors end with the endpoint dialed (actions/runner #3781, actions/checkout
        # #756 and #1917); a loopback endpoint is the job's own server.
        (
            "System.Net.Http.HttpRequestException: Connection refused"
            " (pipelinesghubeus5.actions.githubusercontent.com:443)",
            (),
            "pipelinesghubeus5.actions.githubusercontent.com",
        ),
        (
            "Error: A connection attempt failed because the connected party did not properly respond"
            " after a period of time, or established connection failed because connected host has"
            " failed to respond. (api.github.com:443)",
            (),
            "api.github.com",
        ),
        (
            "##[error]Name or service not known (pipelines.actions.githubusercontent.com:443)",
            (),
            "pipelines.actions.githubusercontent.com",
        ),
        ("System.Net.Http.HttpRequestException: Connection refused (127.0.0.1:8080)", (), None),
        # a documentation link is not the registry that refused the pull
        (
            "error pulling image configuration: toomanyrequests: Too Many Requests. Please see"
            " https://docs.docker.com/docker-hub/download-rate-limit/",
            (),
            None,
        ),
        (
            "urllib3.exceptions.NameResolutionError: <…>: Failed to resolve 'api.acme.io' ([Errno -3] Temporary"
            " failure in name resolution)",
            (),
            "api.acme.io",
        ),
        (
            "  failed to resolve address for github.com: Temporary failure in name resolution; class=Net (12)",
            (
                "  https://doc.rust-lang.org/cargo/reference/config.html#netgit-fetch-with-cli",
                "Caused by:",
            ),
            "github.com",
        ),
        (
            "  (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED]",
            (
                "  HTTPSConnectionPool(host='wheelhouse.example.org', port=443):",
                "  Max retries exceeded with url: /x/",
            ),
            "wheelhouse.example.org",
        ),
    ],
)
def test_network_host(text: str, before: tuple[str, ...], want: str | None) -> None:
    assert network_host(text, before) == want


def test_network_host_fills_only_what_the_rule_left_empty() -> None:
    text = "fatal: unable to access 'https://github.com/acme/app/': The requested URL returned error: 502"
    assert enrich("network_error", {}, text, (), "Run git fetch")["host"] == "github.com"
    assert (
        enrich("network_error", {"host": "ghcr.io"}, text, (), "Run git fetch")["host"] == "ghcr.io"
    )
    assert "host" not in enrich("runner_failure", {}, text, (), "Run git fetch")


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # TLS: a self-hosted runner behind an inspecting proxy (git on Windows, node, the runner)
        (
            [
                "Run actions/checkout@v4",
                "Error: fatal: unable to access 'https://github.com/acme/app/': error setting certificate"
                " verify locations: CAfile: C:/Program Files/Git/mingw64/ssl/certs/ca-bundle.crt CApath: none",
                "Error: The process 'C:\\Program Files\\Git\\bin\\git.exe' failed with exit code 128",
            ],
            ("network_error", {"host": "github.com"}),
        ),
        (
            [
                "Error: request to https://api.github.com/repos/acme/app failed, reason: unable to get local issuer certificate"
            ],
            ("network_error", {"host": "api.github.com"}),
        ),
        # the annotation as the run page prints it, with git's reason
        (
            [
                "Error: fatal: unable to access 'https://github.com/acme/app/': SSL connection timeout",
                "Error: The process '/usr/bin/git' failed with exit code 128",
            ],
            ("network_error", {"host": "github.com"}),
        ),
        # apk in a Docker build
        (
            [
                "Step 3/7 : RUN apk update",
                "fetch http://dl-cdn.alpinelinux.org/alpine/v3.9/main/x86_64/APKINDEX.tar.gz",
                "ERROR: http://dl-cdn.alpinelinux.org/alpine/v3.9/main: temporary error (try again later)",
                "WARNING: Ignoring APKINDEX.b89edf6e.tar.gz: No such file or directory",
                "The command '/bin/sh -c apk update' returned a non-zero code: 2",
            ],
            ("network_error", {"host": "dl-cdn.alpinelinux.org"}),
        ),
        # the action download ran out of retries on a 5xx
        (
            [
                "Download action repository 'actions/setup-node@v4' (SHA:1a2b)",
                "Warning: Failed to download action 'https://api.github.com/repos/actions/setup-node/tarball/1a2b'."
                " Error: Response status code does not indicate success: 500 (Internal Server Error).",
                "Warning: Back off 21.7 seconds before retry.",
                "Error: Response status code does not indicate success: 500 (Internal Server Error).",
            ],
            ("network_error", {"host": "api.github.com"}),
        ),
        # the cache service failing a step, not only warning
        (
            [
                "Run acme/docker-layer-caching@v0",
                "Error: getCacheEntry failed: Cache service responded with 503",
            ],
            ("network_error", {}),
        ),
        # OIDC in the first @actions/core wording
        (
            ["Error: Action failed with error: Error: $ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set"],
            ("permission_error", {"scope": "id-token"}),
        ),
        # Google workload identity federation refused
        (
            [
                "Run google-github-actions/auth@v2",
                "Error: google-github-actions/auth failed with: retry function failed after 4 attempts: failed"
                " to generate Google Cloud access token for ***: (403) {",
            ],
            ("auth_error", {}),
        ),
        # Windows out of disk, and memory in git's and the runner's words
        (
            [
                "System.IO.IOException: There is not enough space on the disk. : 'C:\\actions-runner\\_diag\\Worker.log'"
            ],
            ("runner_failure", {}),
        ),
        (
            ["fatal: Out of memory, malloc failed (tried to allocate 1073741824 bytes)"],
            ("runner_failure", {}),
        ),
        (
            [
                "Error: Exit code 137 returned from process: file name '/usr/bin/docker', arguments 'exec -i 1a2b"
                ' sh -c "cat /etc/*release"\'.'
            ],
            ("runner_failure", {}),
        ),
        # a workspace runner's prefixed "Killed" and its child's exit code
        (
            [
                "➤ YN0000: [@acme/site]: Killed",
                "➤ YN0000: [@acme/site]: Process exited (exit code 137), completed in 2m 24s",
                "➤ YN0000: Failed with errors in 2m 31s",
            ],
            ("runner_failure", {}),
        ),
        # Bundler's fetcher after its retries
        (
            [
                "Retrying fetcher due to error (2/4): Bundler::HTTPError Could not fetch specs from"
                " https://rubygems.org/ due to underlying error <timed out>",
                "Could not fetch specs from https://rubygems.org/ due to underlying error <bad response Service"
                " Unavailable 503 (https://rubygems.org/specs.4.8.gz)>",
            ],
            ("network_error", {"host": "rubygems.org"}),
        ),
        # npm names the host on the line after the code
        (
            [
                "npm error code E503",
                "npm error 503 Service Unavailable - GET https://registry.npmjs.org/@types%2fnode - Service Unavailable",
            ],
            ("network_error", {"host": "registry.npmjs.org"}),
        ),
        # a retired action version at set-up, and an action the Actions policy refuses
        (
            ["Error: Missing download info for actions/cache@v2"],
            ("deprecated_action", {"action": "actions/cache"}),
        ),
        (
            [
                "The action acme/sync@v1 is not allowed in acme/app because all actions must be from a repository"
                " owned by your enterprise, created by GitHub, verified in the GitHub Marketplace"
            ],
            ("permission_error", {"action": "acme/sync", "version": "v1"}),
        ),
        (
            [
                "##[error]Can't find 'action.yml', 'action.yaml' or 'Dockerfile' for action 'acme/tool@v1'."
            ],
            ("missing_tool", {"action": "acme/tool", "version": "v1"}),
        ),
        # a self-hosted runner too old to take jobs
        (
            [
                "An error occured: Error: Forbidden Runner version v2.317.0 is deprecated and cannot receive messages."
            ],
            ("runner_failure", {}),
        ),
        # a called workflow in the one-line form names the file
        (
            [
                'error parsing called workflow "./.github/workflows/build.yml": workflow is not reusable as it'
                " is missing a `on.workflow_call` trigger"
            ],
            ("yaml_syntax_error", {"file": ".github/workflows/build.yml"}),
        ),
    ],
)
def test_verdict(tmp_path: Path, lines: list[str], want: tuple[str, dict[str, str]]) -> None:
    log = tmp_path / "job.txt"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = analyze_paths([log]).findings
    assert findings
    want_type, want_data = want
    assert findings[0].type.value == want_type
    assert {k: findings[0].data.get(k) for k in want_data} == want_data


def test_shell_step_does_not_take_an_earlier_steps_action(tmp_path: Path) -> None:
    """The error is in the `run:` step, not in the checkout that ran before it."""
    log = tmp_path / "job.txt"
    log.write_text(
        "\n".join(
            [
                "2023-09-14T06:02:11.0000000Z ##[group]Run actions/checkout@v4",
                "2023-09-14T06:02:11.1000000Z ##[endgroup]",
                "2023-09-14T06:02:12.0000000Z ##[group]Run curl -X POST https://git.example.org/api/trigger",
                "2023-09-14T06:02:12.1000000Z ##[endgroup]",
                "2023-09-14T06:02:13.0000000Z curl: (60) SSL certificate problem: certificate has expired",
                "2023-09-14T06:02:13.1000000Z ##[error]Process completed with exit code 60.",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    findings = analyze_paths([log]).findings
    assert findings[0].type.value == "network_error"
    assert "action" not in findings[0].data


def test_passing_job_with_platform_bait(tmp_path: Path) -> None:
    """Retried downloads, cache-service warnings, pip's retry on a TLS error and a low-disk warning."""
    log = tmp_path / "job.txt"
    log.write_text(
        "\n".join(
            [
                "2024-03-01T10:00:00.0000000Z Current runner version: '2.314.1'",
                "2024-03-01T10:00:01.0000000Z Download action repository 'actions/cache@v4' (SHA:1a2b)",
                "2024-03-01T10:00:01.3000000Z ##[warning]Failed to download action"
                " 'https://api.github.com/repos/actions/cache/tarball/1a2b'. Error: Response status code does"
                " not indicate success: 503 (Service Unavailable).",
                "2024-03-01T10:00:01.4000000Z ##[warning]Back off 12.3 seconds before retry.",
                "2024-03-01T10:00:14.0000000Z Complete job name: build",
                "2024-03-01T10:00:14.1000000Z ##[group]Run actions/cache@v4",
                "2024-03-01T10:00:14.2000000Z ##[endgroup]",
                "2024-03-01T10:00:15.0000000Z ##[warning]Failed to restore: getCacheEntry failed: Cache service"
                " responded with 503",
                "2024-03-01T10:00:16.0000000Z ##[group]Run pip install -r requirements.txt",
                "2024-03-01T10:00:16.1000000Z ##[endgroup]",
                "2024-03-01T10:00:17.0000000Z WARNING: Retrying (Retry(total=4, connect=None, read=None,"
                " redirect=None, status=None)) after connection broken by 'SSLError(SSLCertVerificationError(1,"
                " '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in"
                " certificate chain (_ssl.c:1129)'))': /simple/requests/",
                "2024-03-01T10:00:19.0000000Z Successfully installed requests-2.31.0",
                "2024-03-01T10:00:22.0000000Z ##[warning]You are running out of disk space. The runner will stop"
                " working when the machine runs out of disk space. Free space left: 95 MB",
                "2024-03-01T10:00:23.0000000Z Post job cleanup.",
                "2024-03-01T10:00:23.1000000Z ##[warning]Failed to save: uploadChunk (start: 0, end: 33554431)"
                " failed: Cache service responded with 500",
                "2024-03-01T10:00:24.0000000Z Cleaning up orphan processes",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert not analyze_paths([log]).findings
