"""Hosts the fourth network sweep reads by output shape: a container image's registry, a registry
path printed without its scheme, Ruby's and the GitHub CLI's bare host names, a request above a JVM
stack trace, and hosts that stop at their port.

Texts are the tools' real formats with names changed; the thread each comes from is named in
hosts.py, in the rule that reads it, or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, run_step, top_finding

_DAEMON_502 = "Error response from daemon: received unexpected HTTP status: 502 Bad Gateway"


@pytest.mark.parametrize(
    ("above", "host"),
    [
        # the runner pulling an action's image, and a step running docker itself
        ("  /usr/bin/docker pull quay.io/acme-ci/phpcs-action:php8.4", "quay.io"),
        ("Pull down action image 'ghcr.io/acme/coverage-summary:v1.0.2'", "ghcr.io"),
        ("+ docker pull -q registry.example.com:5000/team/app:latest", "registry.example.com"),
        # `docker run` says which image it is about to pull
        ("Unable to find image 'ghcr.io/acme/linter:2.1' locally", "ghcr.io"),
        # Podman
        ("Trying to pull quay.io/acme/tool:3...", "quay.io"),
        # Docker Hub's images name no registry: the host is not printed
        ("  /usr/bin/docker pull node:20-alpine", None),
        ("  /usr/bin/docker pull library/redis:7", None),
        ("+ docker pull --platform linux/amd64 acme/tool:1", None),
    ],
)
def test_an_image_names_its_registry(above: str, host: str | None) -> None:
    assert network_host(_DAEMON_502, [above]) == host


@pytest.mark.parametrize(
    ("line", "host"),
    [
        # a daemon that prints the registry path without a scheme
        (
            'Error response from daemon: Head "ghcr.io/v2/acme/summary/manifests/v1.0.2": '
            "received unexpected HTTP status: 503 Service Unavailable",
            "ghcr.io",
        ),
        # and with one, as before
        (
            'Error response from daemon: Get "https://ghcr.io/v2/": net/http: request canceled',
            "ghcr.io",
        ),
        # Ruby's Net::HTTP (RubyGems, Bundler, CocoaPods)
        (
            "retrying Net::OpenTimeout (Failed to open TCP connection to rubygems.org:443 "
            "(execution expired)) after 4 seconds...",
            "rubygems.org",
        ),
        # Maven's resolver naming the host it could not resolve
        (
            "Transfer failed for https://repo.maven.apache.org/maven2/a/b/1/b-1.pom: "
            "Unknown host repo.maven.apache.org: Name or service not known",
            "repo.maven.apache.org",
        ),
        # the GitHub CLI, whose status page below it is not the host
        ("error connecting to api.github.com", "api.github.com"),
        # words that only look like a registry path
        ('Error: "v2/manifests" is not valid', None),
    ],
)
def test_hosts_on_the_line(line: str, host: str | None) -> None:
    assert network_host(line) == host


def test_the_status_page_under_the_cli_is_not_the_host() -> None:
    below = ["check your internet connection or https://githubstatus.com"]
    assert network_host("error connecting to api.github.com", (), below) == "api.github.com"


_WRAPPER = [
    "Downloading https://services.gradle.org/distributions/gradle-4.4-all.zip",
    "",
    'Exception in thread "main" java.lang.RuntimeException: java.net.ConnectException: '
    "Connection timed out (Connection timed out)",
    "\tat org.gradle.wrapper.ExclusiveFileAccessManager.access(ExclusiveFileAccessManager.java:78)",
    "\tat org.gradle.wrapper.Install.createDist(Install.java:47)",
    "\tat org.gradle.wrapper.WrapperExecutor.execute(WrapperExecutor.java:129)",
    "\tat org.gradle.wrapper.GradleWrapperMain.main(GradleWrapperMain.java:48)",
]


def test_the_request_above_a_jvm_stack_trace() -> None:
    cause = "Caused by: java.net.ConnectException: Connection timed out (Connection timed out)"
    assert network_host(cause, _WRAPPER) == "services.gradle.org"
    # "... 5 more" closes a wrapped exception's frames
    assert network_host(cause, [*_WRAPPER, "\t... 5 more"]) == "services.gradle.org"


def test_without_frames_the_window_stays_two_lines() -> None:
    # ordinary lines between the request and the error: the request is too far to be its cause
    before = [
        "Downloading https://services.gradle.org/distributions/gradle-8.0-bin.zip",
        "Unzipping gradle-8.0-bin.zip",
        "Starting a Gradle Daemon",
        "> Task :app:compileJava",
    ]
    assert network_host("java.net.SocketTimeoutException: Read timed out", before) is None


_DOWNLOAD = (
    "Download action repository 'acme/fastlane-action@v2.0.1' (SHA:2121d31315dd0054a407c2c2)"
)
_RETRY = (
    "Warning: Failed to download action 'https://api.github.com/repos/acme/fastlane-action/tarball/"
    "2121d31315dd0054a407c2c2'. Error: The operation was canceled."
)


def test_set_up_download_that_ran_out_of_retries_is_the_network(tmp_path: Path) -> None:
    # The runner's last line reads like a cancelled job; its retry notices say why.
    lines = [
        "Getting action download info",
        _DOWNLOAD,
        _RETRY,
        "Warning: Back off 23.441 seconds before retry.",
        _RETRY,
        "Warning: Back off 16.671 seconds before retry.",
        "Error: The operation was canceled.",
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data.get("host")) == ("network_error", "api.github.com")


def test_a_cancelled_step_is_still_a_timeout(tmp_path: Path) -> None:
    lines = [*run_step("make test", "running 120 tests"), "##[error]The operation was canceled."]
    assert top_finding(tmp_path, lines)[0] == "timeout"


def test_set_up_retry_that_then_downloaded_is_no_cause(tmp_path: Path) -> None:
    # The download recovered; the job was cancelled later, in a step of its own.
    lines = [
        "Getting action download info",
        _DOWNLOAD,
        _RETRY,
        "Warning: Back off 23.441 seconds before retry.",
        "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
        *run_step("make test", "running 120 tests"),
        "##[error]The operation was canceled.",
    ]
    assert top_finding(tmp_path, lines)[0] == "timeout"


def test_set_up_retry_before_a_failing_test_is_not_the_cause(tmp_path: Path) -> None:
    lines = [
        "Getting action download info",
        _RETRY,
        "Warning: Back off 23.441 seconds before retry.",
        _DOWNLOAD,
        *run_step("pytest -q", "FAILED tests/test_api.py::test_login - assert 401 == 200"),
        FAILED,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data["test"]) == ("test_failure", "tests/test_api.py::test_login")


_DIST_502 = (
    '    Failed to download acme/blazy from dist: The "https://ftp.example.org/files/blazy-3.0.19'
    '.zip" file could not be downloaded (HTTP/2 502)'
)


def test_composer_dist_that_fell_back_to_source_is_no_cause(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "composer install --prefer-dist",
            "  - Downloading acme/blazy (3.0.19)",
            _DIST_502,
            "    Now trying to download from source",
            "  - Installing acme/blazy (3.0.19): Cloning 6a1f2c3d4e",
            "Generating autoload files",
        ),
        *run_step("vendor/bin/phpunit", "OK (212 tests, 640 assertions)"),
    ]
    assert top_finding(tmp_path, [f"2024-03-01T10:00:00.0000000Z {line}" for line in lines]) == (
        None,
        {},
    )


def test_composer_dist_without_fallback_is_the_network(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "composer install --prefer-dist",
            _DIST_502,
            "    Source fallback is disabled. Not trying alternative sources.",
        ),
        "##[error]Process completed with exit code 100.",
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data.get("host")) == ("network_error", "ftp.example.org")


def test_set_up_retry_of_the_last_action_that_recovered_is_no_cause(tmp_path: Path) -> None:
    # The runner prints nothing when the retry works: the job's first step is the success.
    lines = [
        "Getting action download info",
        _DOWNLOAD,
        _RETRY,
        "Warning: Back off 23.441 seconds before retry.",
        "Complete job name: build",
        *run_step("./build.sh", "build.sh: step 3 of 5"),
        "##[error]Process completed with exit code 2.",
    ]
    assert top_finding(tmp_path, lines)[0] != "network_error"


_EMSDK_404 = (
    "Error: Downloading URL 'https://storage.googleapis.com/webassembly/emscripten-releases-builds"
    "/linux/d0e637fe48197587d981f79e8114757731d0c2a9/wasm-binaries-arm64.tar.xz': HTTP Error 404:"
    " Not Found"
)


def test_emsdk_archive_it_fetched_in_the_older_format_is_no_cause(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "./emsdk install 3.1.7",
            "Installing tool 'releases-d0e637fe48197587d981f79e8114757731d0c2a9-64bit'..",
            _EMSDK_404,
            "Downloading: /opt/emsdk/downloads/d0e637fe-wasm-binaries-arm64.tbz2 from https://"
            "storage.googleapis.com/webassembly/emscripten-releases-builds/linux/d0e637fe48197587d98"
            "1f79e8114757731d0c2a9/wasm-binaries-arm64.tbz2, 161412371 Bytes",
            "Done installing tool 'releases-d0e637fe48197587d981f79e8114757731d0c2a9-64bit'.",
        ),
        *run_step("emcc -v", "emcc (Emscripten gcc/clang-like replacement + linker) 3.1.7"),
    ]
    assert top_finding(tmp_path, [f"2024-12-10T01:50:27.0000000Z {line}" for line in lines]) == (
        None,
        {},
    )


def test_emsdk_archive_with_no_older_format_is_the_missing_sdk(tmp_path: Path) -> None:
    lines = [
        *run_step("./emsdk install 3.1.7", _EMSDK_404, "error: installation failed!"),
        "##[error]Process completed with exit code 1.",
    ]
    assert top_finding(tmp_path, lines)[0] == "missing_tool"
