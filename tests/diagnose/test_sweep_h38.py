"""Short pasted excerpts of every type, third sweep (h38): silent exit codes a paste keeps (143 from a
terminated step, 127 from a missing command), the hosts curl's TLS errors, Java, apt and GnuPG name,
and the pasted forms of a missing program (a Rust spawn panic, the GitHub CLI's own words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import run_step, text_finding, write_job


@pytest.mark.parametrize(
    ("line", "host"),
    [
        (
            "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to github.com:443 ",
            "github.com",
        ),
        (
            "curl: (35) LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to objects.githubusercontent.com:443",
            "objects.githubusercontent.com",
        ),
        ("java.net.UnknownHostException: repo.maven.apache.org", "repo.maven.apache.org"),
        (
            "Caused by: java.net.UnknownHostException: plugins.gradle.org: Temporary failure in name resolution",
            "plugins.gradle.org",
        ),
        (
            "E: Failed to fetch http://security.ubuntu.com/ubuntu/dists/jammy-security/InRelease  Unable to connect to security.ubuntu.com:http:",
            "security.ubuntu.com",
        ),
        (
            "W: Some index files failed: Unable to connect to ppa.launchpadcontent.net:https:",
            "ppa.launchpadcontent.net",
        ),
        ("gpg: requesting key 6A030B21BA07F4FB from hkp server keys.gnupg.net", "keys.gnupg.net"),
    ],
)
def test_hosts_in_more_shapes(line: str, host: str) -> None:
    assert network_host(line) == host


def test_gpg_keyserver_from_the_command_line_above() -> None:
    before = [
        "Executing: /tmp/apt-key-gpghome.Kz1/gpg.1.sh --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 0E98404D386FA1D9"
    ]
    line = "gpg: keyserver receive failed: Server indicated a failure"
    assert network_host(line, before) == "keyserver.ubuntu.com"


def test_unable_to_connect_to_the_remote_server_names_no_host() -> None:
    assert network_host("Invoke-WebRequest : Unable to connect to the remote server") is None


@pytest.mark.parametrize(
    ("code", "want"),
    [
        ("143", "runner_failure"),
        ("127", "missing_tool"),
        ("137", "runner_failure"),
        ("2", "unknown"),
    ],
)
def test_a_silent_exit_code_names_a_cause(tmp_path: Path, code: str, want: str) -> None:
    # jackc/pgx #1934: the runner terminates `go test` (SIGTERM) with nothing printed but the trailer.
    lines = run_step("go test -race ./...", "=== RUN   TestCopyFrom")
    path = write_job(tmp_path, [*lines, f"##[error]Process completed with exit code {code}."])
    [finding] = analyze_paths([path]).findings
    assert finding.type.value == want and finding.data["exit_code"] == code


def test_the_annotations_box_alone_with_exit_127_is_a_missing_tool(tmp_path: Path) -> None:
    got, facts = text_finding(
        tmp_path, "build (ubuntu-latest, 3.11)\nProcess completed with exit code 127.\n"
    )
    assert (got, facts.get("exit_code")) == ("missing_tool", "127")


def test_a_cancelled_step_is_not_the_runner_terminating_it(tmp_path: Path) -> None:
    paste = (
        "Run go test -race ./...\n"
        "##[error]The process '/usr/bin/bash' failed with exit code 143\n"
        "Error: The operation was canceled.\n"
    )
    assert text_finding(tmp_path, paste)[0] == "timeout"
    assert text_finding(tmp_path, paste.replace("Error: The operation was canceled.\n", ""))[0] == (
        "runner_failure"
    )


@pytest.mark.parametrize(
    ("paste", "command"),
    [
        # becheran/mlc #97: a Rust tool's `.expect(…)` on a spawn of a program the image lacks.
        (
            "thread 'main' panicked at src/lib.rs:146:6:\n"
            "Failed to execute 'git' command: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }\n"
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
            "git",
        ),
        # dev-hanz-ops/install-gh-cli-action #12 (gh in an alpine container).
        ("unable to find git executable in PATH; please install git before retrying\n", "git"),
        (
            "error: could not execute process `sccache /home/runner/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc -vV` (never executed)\n\n"
            "Caused by:\n  No such file or directory (os error 2)\n",
            "sccache",
        ),
        (
            "timeout: failed to run command ‘docker-compose’: No such file or directory\n",
            "docker-compose",
        ),
        ("Error: spawnSync docker ENOENT\n", "docker"),
        ("fish: Unknown command: nvm\n", "nvm"),
    ],
)
def test_missing_programs_in_pastes(tmp_path: Path, paste: str, command: str) -> None:
    assert text_finding(tmp_path, paste) == ("missing_tool", {"command": command})


def test_a_crlf_shebang_through_env_is_not_a_missing_program(tmp_path: Path) -> None:
    got, facts = text_finding(tmp_path, "/usr/bin/env: ‘python3\\r’: No such file or directory\n")
    assert got == "syntax_error" and "command" not in facts


@pytest.mark.parametrize(
    "paste",
    [
        "thread 'main' panicked at src/main.rs:12:5:\ncalled `Option::unwrap()` on a `None` value\n",
        'Exception in thread "main" java.lang.IllegalStateException: boom\n\tat com.acme.App.main(App.java:10)\n',
        "Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n",
    ],
)
def test_a_pasted_crash_is_a_failure_not_a_pass(tmp_path: Path, paste: str) -> None:
    assert text_finding(tmp_path, paste)[0] == "unknown"


def test_a_handled_python_traceback_in_a_paste_is_no_failure(tmp_path: Path) -> None:
    paste = (
        "WARNING:root:retrying after an error\n"
        "Traceback (most recent call last):\n"
        '  File "/home/runner/work/app/app/tools/sync.py", line 8, in fetch\n'
        "    return session.get(url)\n"
        "TimeoutError: timed out\n"
        "Synced 12 pages.\n"
    )
    assert text_finding(tmp_path, paste)[0] is None
