"""Windows runners read right: WSL, Chocolatey, MSVC and line-ending checks (a sampled wave's batch).

Texts are the tools' real formats with names changed; each rule (rules/20-setup.yaml, 70-lint.yaml,
80-network.yaml) and the UTF-16 reading in `logs` names the thread or source it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, TS, assert_finding, text_finding


def _utf16(text: str, fill: str) -> str:
    return "".join(ch + fill for ch in text)


@pytest.mark.parametrize("fill", ["\x00", "\ufffd"])
def test_wsl_update_refused_in_utf16(tmp_path: Path, fill: str) -> None:
    # wsl.exe writes UTF-16LE: a NUL after each letter in the downloaded log, U+FFFD on the page.
    lines = [
        "##[group]Run Vampire/setup-wsl@v5",
        "##[endgroup]",
        "##[group]Install Distribution",
        "[command]C:\\Windows\\system32\\wsl.exe --update",
        _utf16("Forbidden (403).", fill),
        "##[endgroup]",
        "##[error]The process 'C:\\Windows\\system32\\wsl.exe' failed with exit code 4294967295",
    ]
    # Enough set-up lines first that the NULs are not in the head a binary check reads.
    head = [f"Download action repository 'acme/tool{n}@v1' (SHA:{n:040d})" for n in range(120)]
    text = "".join(TS + line + "\n" for line in head + lines)
    log = tmp_path / "job.txt"
    log.write_bytes(text.encode("utf-8"))
    findings = analyze_paths([log]).findings
    assert findings[0].type.value == "network_error"
    assert findings[0].line == len(head) + 5  # the line count is unchanged


def test_utf16_needs_a_run_of_pairs(tmp_path: Path) -> None:
    # A stray replacement character in a tool's output is no UTF-16 text.
    got, _ = text_finding(
        tmp_path, "Run make\nUnicode \ufffd in caf\ufffd\nmake: *** [all] Error 2\n"
    )
    assert got == "unknown"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Chocolatey 0.x-1.x prints the download's failure alone on the next line.
        (
            [
                "Run choco install sql-server-express --no-progress",
                "sql-server-express not installed. An error occurred during installation:",
                " The remote server returned an error: (524).",
                "The install of sql-server-express was NOT successful.",
                "Chocolatey installed 0/1 packages. 1 packages failed.",
                "Error: Process completed with exit code 1.",
            ],
            "network_error",
            {},
        ),
        (
            [
                "Run choco upgrade ros-foxy-desktop -y",
                "ros-foxy-desktop not installed. An error occurred during installation:",
                " Unable to connect to the remote server",
                "Chocolatey upgraded 0/1 packages. 1 packages failed.",
                "Error: Process completed with exit code 1.",
            ],
            "network_error",
            {},
        ),
        # A 404 is the package's URL, not the network.
        (
            [
                "Run choco install acme-tool",
                "acme-tool not installed. An error occurred during installation:",
                " The remote server returned an error: (404) Not Found.",
                "Chocolatey installed 0/1 packages. 1 packages failed.",
                "Error: Process completed with exit code 1.",
            ],
            "unknown",
            {},
        ),
        (
            [
                "Run Vampire/setup-wsl@v2",
                "Verify Windows Environment",
                "Error: This Windows environment does not have WSL enabled, please verify your "
                "'runs-on' setting",
            ],
            "missing_tool",
            {},
        ),
        (
            [
                "Run ilammy/msvc-dev-cmd@v1",
                "Found with vswhere: C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise"
                "\\VC\\Auxiliary\\Build\\vcvarsall.bat",
                "Error: Could not setup Developer Command Prompt: invalid parameters",
                "[ERROR:vcvars.bat] Toolset directory for version '14.38' was not found.",
                "[ERROR:VsDevCmd.bat] *** VsDevCmd.bat encountered errors. Environment may be "
                "incomplete and/or incorrect. ***",
            ],
            "missing_tool",
            {"version": "14.38"},
        ),
        # The SE-EDU template's checks run from .github: files are named "../src/…".
        (
            [
                "Run ./run-checks.sh",
                "ERROR:../src/main/java/seedu/address/Main.java:3: prohibited \\r\\n line ending, "
                "use \\n instead.",
                "Error: Process completed with exit code 1.",
            ],
            "lint_failure",
            {"file": "src/main/java/seedu/address/Main.java", "line": "3"},
        ),
        # A Markdown file's trailing whitespace is only a warning, and the job goes on.
        (
            [
                "Run ./run-checks.sh",
                "WARN:../docs/UserGuide.md:12: trailing whitespace.",
                "Run ./gradlew check",
                "BUILD SUCCESSFUL in 41s",
            ],
            None,
            {},
        ),
    ],
)
def test_pasted_jobs(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_msvc_dev_cmd_without_a_cause_stays_unknown(tmp_path: Path) -> None:
    lines = [
        "##[group]Run ilammy/msvc-dev-cmd@v1.2.0",
        "##[endgroup]",
        "##[error]Could not setup Developer Command Prompt: Command failed: cmd.exe /q /c "
        "C:\\Users\\runneradmin\\msvc-dev-cmd.bat",
    ]
    got, _ = text_finding(tmp_path, "".join(TS + line + "\n" for line in [*lines, FAILED]))
    assert got == "unknown"
