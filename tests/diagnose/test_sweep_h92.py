"""Verdicts the no-false-alarms sweep (helper h92) relies on beyond the rules' own examples: a lint
job failed by a download inside a pre-commit hook, the host named higher up an error's cause chain,
undici's attempted address, git's stderr indented by the tool that ran it.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, assert_finding, run_step

_UV_CHAIN = [
    "error: Request failed after 3 retries",
    "  Caused by: Failed to download https://github.com/astral-sh/python-build-standalone/releases/"
    "download/20250723/cpython-3.13.5-install_only_stripped.tar.gz",
    "  Caused by: error sending request for url (https://github.com/astral-sh/"
    "python-build-standalone/releases/download/20250723/cpython-3.13.5-install_only_stripped.tar.gz)",
    "  Caused by: client error (Connect)",
    "  Caused by: dns error",
]


@pytest.mark.parametrize(
    ("text", "before", "want"),
    [
        # uv's chain, innermost cause last (pre-commit-ci/issues #256): the request names the host.
        (
            "  Caused by: failed to lookup address information: Temporary failure in name resolution",
            _UV_CHAIN,
            "github.com",
        ),
        # Node's fetch: the cause under "TypeError: fetch failed" names no URL; the line it hangs
        # from does not either, so nothing is guessed.
        ("  [cause]: SocketError: other side closed", ["TypeError: fetch failed"], None),
        # undici ≥ 6 names what it dialed (nodejs/undici PR #2494).
        (
            "  [cause]: ConnectTimeoutError: Connect Timeout Error (attempted address: "
            "api.github.com:443, timeout: 10000ms)",
            ["TypeError: fetch failed"],
            "api.github.com",
        ),
        # Emacs's url.el names each host it contacts above package.el's error, the last one first
        # (quick-lint/quick-lint-js #349).
        (
            "Failed to download `gnu' archive.",
            ["Contacting host: stable.melpa.org:443", "Contacting host: elpa.gnu.org:80"],
            "elpa.gnu.org",
        ),
        # A line that is not part of a chain reads only the two lines above it, as before.
        (
            "curl: (6) Could not resolve host",
            ["Downloading https://example.org/a.tgz", "one", "two"],
            None,
        ),
    ],
)
def test_network_host_reads_up_the_cause_chain(
    text: str, before: list[str], want: str | None
) -> None:
    assert network_host(text, tuple(before)) == want


_HOOK_FAILED = [
    "check yaml...............................................................Passed",
    "ruff.....................................................................Passed",
    "uv-lock..................................................................Failed",
    "- hook id: uv-lock",
    "- exit code: 2",
    "",
]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # pre-commit-ci/issues #256: every linter passed, the uv-lock hook could not download.
        (
            run_step(
                "pre-commit run --all-files",
                *_HOOK_FAILED,
                *_UV_CHAIN,
                "  Caused by: failed to lookup address information: Temporary failure in name resolution",
                FAILED,
            ),
            "network_error",
            {"host": "github.com"},
        ),
        # A hook that failed on its findings stays a lint failure when a later verbose hook, which
        # passed, printed a network warning in its own output.
        (
            run_step(
                "pre-commit run --all-files",
                "flake8...................................................................Failed",
                "- hook id: flake8",
                "- exit code: 1",
                "",
                "src/app/views.py:3:1: F401 'os' imported but unused",
                "",
                "link check...............................................................Passed",
                "- hook id: link-check",
                "- duration: 2.1s",
                "",
                "curl: (6) Could not resolve host: docs.example.org",
                FAILED,
            ),
            "lint_failure",
            {"tool": "flake8"},
        ),
        # pip indents the stderr of the git clone it runs for a git+https requirement
        # (profullstack/sh1pt PR #939): the clone's 503 is the cause, not pip's summary.
        (
            run_step(
                "pip install git+https://github.com/acme-sec/scan-gh-actions.git",
                "Collecting git+https://github.com/acme-sec/scan-gh-actions.git",
                "  Cloning https://github.com/acme-sec/scan-gh-actions.git to /tmp/pip-req-build-q3n1",
                "  error: RPC failed; HTTP 503 curl 22 The requested URL returned error: 503",
                "ERROR: Failed to build 'git+https://github.com/acme-sec/scan-gh-actions.git'",
                FAILED,
            ),
            "network_error",
            {"host": "github.com"},
        ),
        # undici's full report under fetch's "TypeError: fetch failed": the last line of the rule is
        # the code, the host comes from the cause line above the stack frames.
        (
            run_step(
                "node scripts/fetch-schema.mjs",
                "TypeError: fetch failed",
                "    at node:internal/deps/undici/undici:13502:13",
                "  [cause]: ConnectTimeoutError: Connect Timeout Error (attempted address: "
                "schemas.example.org:443, timeout: 10000ms)",
                "      at onConnectTimeout (node:internal/deps/undici/undici:2602:28)",
                "      at Immediate._onImmediate (node:internal/deps/undici/undici:2568:11)",
                "      at process.processImmediate (node:internal/timers:491:21) {",
                "    code: 'UND_ERR_CONNECT_TIMEOUT'",
                "  }",
                FAILED,
            ),
            "network_error",
            {"host": "schemas.example.org"},
        ),
        # sbt's ResolveException over the rows it could not fetch: a row that is a download error
        # is the cause, not the pin (the network rule, lower in the catalog, wins by `causes-below`).
        (
            run_step(
                "sbt scalafmtCheck",
                "[error] (update) sbt.librarymanagement.ResolveException: Error downloading "
                "org.scalameta:scalafmt-dynamic_2.13:3.8.1",
                "[error]   Not found",
                "[error]   download error: Caught java.net.SocketTimeoutException: Read timed out "
                "(Read timed out) while downloading https://repo1.maven.org/maven2/org/scalameta/"
                "scalafmt-dynamic_2.13/3.8.1/scalafmt-dynamic_2.13-3.8.1.pom",
                FAILED,
            ),
            "network_error",
            {"host": "repo1.maven.org"},
        ),
        # ... and a module that is simply not there stays a resolution problem.
        (
            run_step(
                "sbt compile",
                "[error] (update) sbt.librarymanagement.ResolveException: Error downloading "
                "com.acme:widgets_2.13:9.9.9",
                "[error]   Not found",
                "[error]   not found: https://repo1.maven.org/maven2/com/acme/widgets_2.13/9.9.9/"
                "widgets_2.13-9.9.9.pom",
                FAILED,
            ),
            "dependency_conflict",
            {"package": "com.acme:widgets_2.13:9.9.9"},
        ),
        # golangci-lint quotes go's download failure on its own "context loading failed" line: the
        # network is the cause, not the linter's configuration.
        (
            run_step(
                "golangci-lint run",
                'level=error msg="Running error: context loading failed: failed to load packages: '
                "failed to load with go/packages: err: exit status 1: stderr: go: "
                'github.com/acme/lib@v1.2.0: Get \\"https://proxy.golang.org/github.com/acme/lib/@v/'
                'v1.2.0.zip\\": dial tcp 142.250.72.17:443: i/o timeout"',
                FAILED,
            ),
            "network_error",
            {"host": "proxy.golang.org"},
        ),
        # ... while nothing to lint stays the configuration's problem.
        (
            run_step(
                "golangci-lint run",
                'level=error msg="Running error: context loading failed: no go files to analyze"',
                FAILED,
            ),
            "lint_failure",
            {"tool": "golangci-lint"},
        ),
        # Hex names the repository only inside Erlang's failed_connect tuple (hexpm/hex #297).
        (
            run_step(
                "mix deps.get",
                "* Getting credo (Hex package)",
                "Request failed ({:failed_connect, [{:to_address, {'repo.hex.pm', 443}}, "
                "{:inet, [:inet], :closed}]})",
                "** (Mix) Package fetch failed and no cached copy available",
                FAILED,
            ),
            "network_error",
            {"host": "repo.hex.pm"},
        ),
        # Nix retries on its own; the job went on and passed: no finding.
        (
            run_step(
                "nix profile install nixpkgs#hello",
                "warning: error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/"
                "commits/nixpkgs-unstable': Resolving timed out after 5000 milliseconds (curl error "
                "code=28); retrying in 343 ms (attempt 1/5)",
                "copying path '/nix/store/abc-hello-2.12.1' from 'https://cache.nixos.org'...",
            ),
            None,
            {},
        ),
    ],
)
def test_download_failures_in_lint_and_build_jobs(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
