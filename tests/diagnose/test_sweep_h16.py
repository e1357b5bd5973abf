"""Set-up actions: the requested toolchain version does not exist, end to end.

Each set-up action says it its own way (setup-java's old and new SemVer wordings, setup-ruby,
setup-python's PyPy, dotnet-install under setup-dotnet, setup-php's log line, flutter-action,
setup-julia, setup-beam). Inside a `Run owner/name@ref` step the finding must carry the
toolchain's version, never the action's ref that the step header also offers, and the action
itself. Their progress lines ("Stable PyPy version … not found", a cache restore that only warns)
are no failure. Texts are real lines with names changed; the rules cite their threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths


def _top(tmp_path: Path, text: str) -> tuple[str | None, dict[str, str]]:
    log = tmp_path / "job.txt"
    log.write_bytes(text.encode("utf-8"))
    findings = analyze_paths([log]).findings
    return (findings[0].type.value, dict(findings[0].data)) if findings else (None, {})


def _downloaded(action: str, *lines: str) -> str:
    body = [
        "2025-01-07T10:00:00.0000000Z ##[group]Run " + action,
        "2025-01-07T10:00:00.1000000Z with:",
        "2025-01-07T10:00:00.2000000Z ##[endgroup]",
    ]
    body += [f"2025-01-07T10:00:01.{i:07d}Z {line}" for i, line in enumerate(lines)]
    return "\n".join(body) + "\n"


@pytest.mark.parametrize(
    ("action", "lines", "version"),
    [
        (
            "actions/setup-java@v6",
            [
                "##[error]No matching version found for SemVer '25.0.4+1.1'.",
                "Distribution: temurin",
            ],
            "25.0.4+1.1",
        ),
        (
            "actions/setup-java@v2.2.0",
            ["##[error]Could not find satisfied version for SemVer '1.8'. "],
            "1.8",
        ),
        (
            "ruby/setup-ruby@v1",
            ["##[error]Error: Unknown version 3.4.7 for ruby on ubuntu-24.04"],
            "3.4.7",
        ),
        (
            "actions/setup-python@v5",
            ["##[error]PyPy version 3.7 (v7.3.x) with arch x64 not found"],
            "3.7",
        ),
        (
            "actions/setup-dotnet@v3",
            [
                "dotnet_install: Error: Could not find `.NET Core SDK` with version = 6.0.12",
                "##[error]Failed to install dotnet, exit code: 1.",
            ],
            "6.0.12",
        ),
        (
            "shivammathur/setup-php@v2",
            [
                "==> Setup PHP",
                "\x1b[31;1m✗ \x1b[0m\x1b[34;1mPHP        \x1b[0m\x1b[90;1mCould not setup PHP 8.2 \x1b[0m",
                "##[error]The process '/usr/bin/bash' failed with exit code 1",
            ],
            "8.2",
        ),
        (
            "subosito/flutter-action@v2",
            [
                "Unable to determine Flutter version for channel: stable version: 3.25.0"
                " architecture: x64",
                "##[error]Process completed with exit code 1.",
            ],
            "3.25.0",
        ),
        (
            "julia-actions/setup-julia@v2",
            ["##[error]Could not find a Julia version that matches 1.99"],
            "1.99",
        ),
        (
            "erlef/setup-beam@v1",
            [
                "##[error]Requested Erlang/OTP version (25.4) not found in version list"
                " (should you be using option 'version-type': 'strict'?)"
            ],
            "25.4",
        ),
    ],
)
def test_toolchain_version_not_found_carries_its_version(
    tmp_path: Path, action: str, lines: list[str], version: str
) -> None:
    kind, data = _top(tmp_path, _downloaded(action, *lines))
    assert kind == "missing_tool"
    assert data["version"] == version
    assert data["action"] == action.split("@")[0]


def test_pasted_setup_php_line_is_the_cause(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        "Run shivammathur/setup-php@v2\n==> Setup PHP\n✗ PHP Could not setup PHP 7.1\n"
        "Error: The process '/usr/bin/bash' failed with exit code 1\n",
    )
    assert (kind, data["version"]) == ("missing_tool", "7.1")


@pytest.mark.parametrize(
    "lines",
    [
        # setup-python tries pre-releases before giving up, then finds one
        [
            "Stable PyPy version 3.10 (v7.3.x) with arch arm64 not found",
            "Trying pre-release versions",
            "Successfully set up PyPy 7.3.17 with Python (3.10.14)",
        ],
        # a cache lookup that timed out only warns
        [
            "##[warning]Failed to restore: getCacheEntry failed: Request timeout:"
            " /JNaOfbZKyvCPCQ3yeg44/_apis/artifactcache/cache?keys=npm-Linux-0a1b",
            "Cache not found for input keys: npm-Linux-0a1b",
        ],
    ],
)
def test_progress_lines_are_no_failure(tmp_path: Path, lines: list[str]) -> None:
    text = _downloaded("actions/setup-python@v5", *lines)
    text += "2025-01-07T10:00:02.0000000Z Cleaning up orphan processes\n"
    assert _top(tmp_path, text) == (None, {})


def test_old_git_unsafe_repository_is_the_ownership_check(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        "  /usr/bin/git remote add origin https://github.com/octo/term\n"
        "  Error: fatal: unsafe repository ('/__w/term/term' is owned by someone else)\n"
        "  To add an exception for this directory, call:\n"
        "  \n"
        "  \tgit config --global --add safe.directory /__w/term/term\n"
        "  Error: The process '/usr/bin/git' failed with exit code 128\n",
    )
    assert kind == "permission_error"
    assert "scope" not in data


def test_missing_tool_without_its_version_takes_no_action_ref(tmp_path: Path) -> None:
    # setup-node's cache needs pnpm: the finding names the action, and `version` stays unset
    # rather than reading the action's "v4" as pnpm's version.
    kind, data = _top(
        tmp_path,
        _downloaded(
            "actions/setup-node@v4",
            "##[error]Unable to locate executable file: pnpm. Please verify either the file path"
            " exists or the file can be found within a directory specified by the PATH"
            " environment variable. Also check the file mode to verify the file is executable.",
        ),
    )
    assert kind == "missing_tool"
    assert data["action"] == "actions/setup-node"
    assert "version" not in data
