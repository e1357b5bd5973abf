"""Verdicts the JavaScript build sweep (helper h31) relies on beyond the rules' own examples: astro
check's coloured and Windows rows reach the shared location facts, Cypress giving up on its baseUrl
is the app never coming up, and a retry of that check is not a cause by itself.

Texts are the tools' real formats with names changed; the sources are named in the rules' comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, assert_finding, top_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # astro check colours path, numbers, severity and code; timestamps in front.
        (
            [
                TS + "\x1b[96msrc/pages/index.astro\x1b[0m:\x1b[93m12\x1b[0m:\x1b[93m5\x1b[0m - "
                "\x1b[91merror\x1b[0m \x1b[90mts(2304)\x1b[0m: Cannot find name 'posts'.",
                TS + FAILED,
            ],
            "lint_failure",
            {"tool": "astro check", "file": "src/pages/index.astro", "line": "12"},
        ),
        # windows-latest: the work-folder path is made repository-relative.
        (
            [
                "Run npx astro check",
                "D:\\a\\site\\site\\src\\pages\\index.astro:12:5 - error ts(2304): Cannot find name 'x'.",
                "Result (3 files):",
                "- 1 error",
                "Error: Process completed with exit code 1.",
            ],
            "lint_failure",
            {"file": "src/pages/index.astro", "line": "12"},
        ),
        # Cypress retries its baseUrl, then gives up: the server never came up.
        (
            [
                "Cypress could not verify that this server is running:",
                "  > http://localhost:3000",
                "We will try connecting to it 1 more time...",
                "Cypress failed to verify that your server is running.",
                "Please start this server and then run Cypress again.",
                "Error: Process completed with exit code 1.",
            ],
            "timeout",
            {},
        ),
        # rush install on CI: the committed shrinkwrap is stale.
        (
            [
                'Starting "rush install"',
                "",
                'The shrinkwrap file is out of date.  You need to run "rush update".',
                "Error: Process completed with exit code 1.",
            ],
            "dependency_conflict",
            {},
        ),
    ],
)
def test_js_build_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_astro_check_warnings_alone_are_no_cause(tmp_path: Path) -> None:
    got, _ = top_finding(
        tmp_path,
        [
            "src/components/Navbar.astro:4:11 - warning ts(6196): 'Props' is declared but never used.",
            "Result (3 files):",
            "- 0 errors",
            "- 1 warning",
        ],
    )
    assert got is None
