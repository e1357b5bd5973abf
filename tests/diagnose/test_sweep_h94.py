"""Verdicts the random JavaScript/TypeScript sample (helper h94) relies on beyond the rules' own
examples: Rollup's and Vite's places of a plugin's error, Jest's per-test row, a JavaScript action
that exited non-zero with no error line, mocha's tally of a rerun that passed.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.locations_below import arrow_below
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, assert_finding, run_step, top_finding


@pytest.mark.parametrize(
    ("line", "want"),
    [
        (
            "[vite:vue] [plugin vite:vue] src/views/AdminView.vue (84:7): Element is missing end tag.",
            ("src/views/AdminView.vue", "84"),
        ),
        (
            "SyntaxError: [plugin vite:vue] docs/blueprint.md (271:130): Element is missing end tag.",
            ("docs/blueprint.md", "271"),
        ),
        (
            "[plugin vite:vue] /home/runner/work/app/app/src/views/pms/index.vue:244:6",
            ("src/views/pms/index.vue", "244"),
        ),
        # Rollup's warning about a plugin names no place.
        ("[plugin vite:reporter] (!) some chunks are larger than 500 kB after minification.", None),
    ],
)
def test_rollup_plugin_place(line: str, want: tuple[str, str] | None) -> None:
    assert location(line) == want


def test_vite_file_line_under_the_message() -> None:
    after = ["file: /home/runner/work/app/app/src/App.vue:12:3", "error during build:"]
    assert arrow_below(after) == ("src/App.vue", "12")
    assert arrow_below(["", "", "file: /home/runner/work/app/app/src/App.vue:12:3"]) is None


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # Vite 2-4: the message, then its place under it.
        (
            [
                "error during build:",
                "[vite:vue] Element is missing end tag.",
                "file: /home/runner/work/app/app/src/App.vue:12:3",
            ],
            {"file": "src/App.vue", "line": "12"},
        ),
        # Rollup 4: the place first; Node's copy of the error below wins by priority and keeps it.
        (
            [
                "error during build:",
                "[vite:vue] [plugin vite:vue] src/views/AdminView.vue (84:7): Element is missing end tag.",
                "file: /home/runner/work/app/app/src/views/AdminView.vue:84:7",
                "SyntaxError: [plugin vite:vue] src/views/AdminView.vue (84:7): Element is missing end tag.",
                "    at createCompilerError (/home/runner/work/app/app/node_modules/@vue/compiler-core/"
                "dist/compiler-core.cjs.js:1364:17)",
            ],
            {"file": "src/views/AdminView.vue", "line": "84"},
        ),
        # Rolldown (Vite 8): the place alone, the compiler's message under it.
        (
            [
                "Build failed with 1 error:",
                "",
                "[plugin vite:vue] /home/runner/work/app/app/src/views/pms/index.vue:244:6",
                "SyntaxError: [vue/compiler-sfc] Identifier 'onChange' has already been declared. (244:6)",
            ],
            {"file": "src/views/pms/index.vue", "line": "244"},
        ),
        (
            [
                "error during build:",
                "[vite:css] [postcss] Unclosed block",
                "file: /home/runner/work/app/app/src/styles.css:42:1",
            ],
            {"file": "src/styles.css", "line": "42"},
        ),
    ],
)
def test_vite_build_errors_name_their_file(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, run_step("npm run build", *lines, FAILED), "syntax_error", facts)


def test_jest_row_names_the_test_when_no_block_follows() -> None:
    rows = [
        " FAIL  src/App.test.js",
        "  App",
        "    ✓ renders header (30 ms)",
        "    ✕ renders without crashing (45 ms)",
        "",
        "Tests:       1 failed, 1 passed, 2 total",
    ]
    assert named_failure(rows) == "renders without crashing"
    # Collision's rows (PHP) carry a bare time and are read by their own listing.
    assert named_failure(["  ✕ the application returns a successful response  0.15s"]) is None


_NODE_ACTION = [
    "##[group]Run acme/project-action@v3",
    "with:",
    "  project_number: 31",
    "##[endgroup]",
    "##[debug]Loading inputs",
    "/home/runner/work/_actions/acme/project-action/v3/dist/index.js:1",
    '(()=>{var e={351:function(e,t,r){"use strict";var n=this&&this.__createBinding;',
]


def test_node_action_exit_code_in_debug_log_fails_the_job(tmp_path: Path) -> None:
    lines = [
        *_NODE_ACTION,
        "##[debug]Node Action run completed with exit code 1",
        "##[debug]Finishing: Update project item",
    ]
    assert top_finding(tmp_path, lines)[0] == "unknown"


@pytest.mark.parametrize(
    "tail",
    [
        # It exited 0: the action's output is no failure.
        ["##[debug]Node Action run completed with exit code 0", "##[debug]Finishing: x"],
        # continue-on-error: the job went on into an ordinary step.
        [
            "##[debug]Node Action run completed with exit code 1",
            "##[debug]Finishing: x",
            *run_step("npm test", "Tests: 4 passed, 4 total"),
        ],
    ],
)
def test_node_action_exit_code_that_did_not_end_the_job(tmp_path: Path, tail: list[str]) -> None:
    assert top_finding(tmp_path, [*_NODE_ACTION, *tail])[0] is None


def test_mocha_tally_of_a_rerun_clears_the_first_attempt(tmp_path: Path) -> None:
    """A test step with continue-on-error, then a "First retry" step that ran the tests again and
    mocha said "312 passing" (apache/pouchdb #8713's workflow): the job passed."""
    first = run_step(
        "npm test",
        "  1) replication",
        "       cancels mid-way:",
        "     AssertionError: expected 3 to equal 0",
        "npm ERR! Test failed.  See above for more details.",
        FAILED,
    )
    rerun = run_step("npm test", "  312 passing (2m)", "  12 pending")
    assert top_finding(tmp_path, [*first, *rerun, "Post job cleanup."])[0] is None
    failing = run_step("npm test", "  311 passing (2m)", "  1 failing", FAILED)
    assert top_finding(tmp_path, [*first, *failing, "Post job cleanup."])[0] == "test_failure"
