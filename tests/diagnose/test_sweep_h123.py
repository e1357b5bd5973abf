"""Browser, end-to-end and coverage-upload jobs read right (a sampled wave's blind batch).

Texts are the tools' real formats with names changed; each rule (rules/80-network.yaml) and each
paste or relay shape (`pastes`, `relayed_lines`, `anchors`) names the thread or source it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from smartmon.diagnose.relayed_lines import relayed_prefix
from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_CODECOV_255 = (
    "Error: Codecov: Failed to properly upload: The process "
    "'/home/runner/work/_actions/codecov/codecov-action/v3/dist/codecov' failed with exit code 255"
)


def test_one_space_margin_is_the_pastes() -> None:
    raw = b" tar: out: Cannot open: No such file or directory\n Error: Process completed with exit code 2.\n"
    cleaned = paste_cleaned(raw)
    assert cleaned.split(b"\n")[1] == b"Error: Process completed with exit code 2."


def test_a_lone_indented_line_keeps_its_one_space() -> None:
    # One line alone is no margin: its indentation may be the tool's own.
    assert paste_cleaned(b" X Test [134ms]\n") == b" X Test [134ms]\n"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A paste whose every line carries one space (the margin is the paste's): still a failure.
        (
            [
                " tar: out: Cannot open: No such file or directory",
                " tar: Error is not recoverable: exiting now",
                " Error: Process completed with exit code 2.",
            ],
            "unknown",
            {"exit_code": "2"},
        ),
        # The page's failure line quoted under the thread's words with a stray space before it.
        (
            ["Run pytest --cov", "===== 57 passed in 21.40s =====", " " + _CODECOV_255],
            "unknown",
            {"name": _CODECOV_255.removeprefix("Error: ")},
        ),
        # Playwright relays its webServer's output behind "[WebServer] ": the shell's own words.
        (
            [
                "Running 269 tests using 2 workers",
                "[WebServer] /bin/sh: 1: ./node_modules/.bin/npm-run-all: not found",
                "Error: Process from config.webServer was not able to start. Exit code: 127",
                "Error: Process completed with exit code 1.",
            ],
            "missing_dependency",
            {"command": "npm-run-all"},
        ),
        (
            [
                "[WebServer] sh: 1: vite: not found",
                "Error: Process from config.webServer was not able to start. Exit code: 127",
                "Error: Process completed with exit code 1.",
            ],
            "missing_tool",
            {"command": "vite"},
        ),
        (
            [
                "[WebServer] Error: Cannot find module 'next'",
                "[WebServer] Require stack:",
                "Error: Process from config.webServer was not able to start. Exit code: 1",
                "Error: Process completed with exit code 1.",
            ],
            "missing_dependency",
            {"module": "next"},
        ),
        # coverage-reporter (coverallsapp/github-action v2) when Coveralls answers 5xx.
        (
            [
                "Run coverallsapp/github-action@v2",
                "🚀 Posting coverage data to https://coveralls.io/api/v1/jobs",
                "⚠️ Internal server error. Please contact Coveralls team.",
                "Error: Process completed with exit code 1.",
            ],
            "network_error",
            {"host": "coveralls.io"},
        ),
        # fail-on-error off: the action goes on, and so does the job.
        (
            [
                "Run coverallsapp/github-action@v2",
                "⚠️ Internal server error. Please contact Coveralls team.",
                "Run actions/upload-artifact@v4",
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


def test_webserver_relay_inside_compose(tmp_path: Path) -> None:
    lines = run_step(
        "docker compose -f docker-compose.playwright.yml up --exit-code-from playwright",
        "playwright_1  | [WebServer] /bin/sh: 1: ./node_modules/.bin/npm-run-all: not found",
        "playwright_1  | Error: Process from config.webServer was not able to start. Exit code: 127",
        FAILED,
    )
    assert_job_finding(tmp_path, lines, "missing_dependency", {"command": "npm-run-all"})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("[WebServer] sh: 1: vite: not found", "[WebServer] "),
        ("playwright_1  | [WebServer] Error: boom", "playwright_1  | [WebServer] "),
        ("[warn] src/app.ts", ""),
    ],
)
def test_relayed_prefix(text: str, want: str) -> None:
    assert relayed_prefix(text) == want
