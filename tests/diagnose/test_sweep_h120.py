"""Quality-gate jobs (link checkers, spell checkers, license checks, code scanning) read right.

Texts are the tools' real formats with names changed; each rule (rules/70-lint.yaml, 80-network.yaml,
90-generic.yaml) or `file_rows.checked_file` names the thread or source file it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.file_rows import checked_file
from smartmon.diagnose.location_blocks import file_rows_block
from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step


@pytest.mark.parametrize(
    ("before", "after", "want"),
    [
        # markdown-link-check: the header nearest above the tally, not an earlier file's.
        (
            ["FILE: ./docs/old.md", "  3 links checked.", "", "FILE: ./docs/adr/adr-012.md", ""],
            [],
            "docs/adr/adr-012.md",
        ),
        (
            ["FILE: README.md", "[✓] https://github.com", "[✖] ./missing.md", "2 links checked."],
            [],
            "README.md",
        ),
        # lychee's compact report: "[path]:" under "Issues found in 1 input. …" or above its tally.
        (
            [],
            ["", "[CONTRIBUTING.md]:", "[404] https://example.com/gone | Not Found"],
            "CONTRIBUTING.md",
        ),
        (
            ["[docs/guide.md]:", "✗ [404] https://example.com/gone | Failed: Not Found", ""],
            [],
            "docs/guide.md",
        ),
        # lychee's detailed report: "Errors in path" under the summary table.
        (
            [],
            ["", "Errors in ./docs/guide.md", "✗ https://example.com/gone [404 Not Found]"],
            "docs/guide.md",
        ),
        # A URL input names no file; a runner path outside the checkout is none either.
        ([], ["[https://example.com/]:", "[404] https://example.com/x | Not Found"], None),
        (["FILE: /tmp/other/README.md"], [], None),
    ],
)
def test_checked_file(before: list[str], after: list[str], want: str | None) -> None:
    assert checked_file(before, after) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # markdown-link-check through its action: the file of the first tally.
        (
            [
                "##[group]Run gaurav-nelson/github-action-markdown-link-check@v1",
                "##[endgroup]",
                "FILE: ./docs/architecture/adr-012-slices.md",
                "",
                "  ERROR: 3 dead links found!",
                "  [✖] #Performance → Status: 404",
                "##[error]Docker run failed with exit code 1",
            ],
            "lint_failure",
            {"tool": "markdown-link-check", "file": "docs/architecture/adr-012-slices.md"},
        ),
        # lychee-action's compact report.
        (
            [
                "##[group]Run lycheeverse/lychee-action@v1",
                "##[endgroup]",
                "Issues found in 1 input. Find details below.",
                "",
                "[CONTRIBUTING.md]:",
                "[404] https://example.com/gone | Rejected status code: Not Found",
                "",
                "🔍 12 Total (in 1s) ✅ 11 OK 🚫 1 Error",
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "lychee", "file": "CONTRIBUTING.md"},
        ),
        # typos' long report: the place is on the arrow under the message.
        (
            [
                *run_step(
                    "typos",
                    "error: `recieve` should be `receive`",
                    "  --> ./src/net/socket.rs:88:12",
                    "   |",
                    "88 |     // recieve the header first",
                    "   |        ^^^^^^^",
                    "   |",
                ),
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "typos", "file": "src/net/socket.rs", "line": "88"},
        ),
        # che's dash-licenses wrapper: the network, then a restricted license.
        (
            [
                *run_step(
                    "yarn license:check",
                    "Generating a temporary DEPENDENCIES file...",
                    "Error: Can't create a temporary DEPENDENCIES file. Check internet connection and"
                    " try again.",
                ),
                FAILED,
            ],
            "network_error",
            {},
        ),
        (
            [
                *run_step(
                    "yarn license:check",
                    "Checking dependencies for restrictions to use...",
                    "Error: Restricted dependencies are found in the project.",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "dash-licenses"},
        ),
    ],
)
def test_quality_gate_jobs(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # CodeQL's evaluator crashes, pasted without the runner's trailer: a cause, not a pass.
        (
            [
                "Scheduler is idle before completion of internal stage {139.16}FlowVar::FlowVar#class#f",
                "  If you see this error in a production run with the latest CLI, please file a report"
                " including the above graph dump.",
                "  \tat com.semmle.inmemory.scheduler.EvaluationSchedule.throwErrorIncludingGraphDump"
                "(EvaluationSchedule.java:165)",
            ],
            "unknown",
        ),
        (
            [
                "    Oops! A fatal internal error occurred. Details:",
                "    com.semmle.util.exception.CatastrophicError: An error occurred while evaluating"
                " ControlFlowGraph::ControlFlow::Root.isRootOf/1#dispred#f610e6ed/2@86282cc8",
            ],
            "unknown",
        ),
        (["A fatal error occurred: Evaluator heap must be at least 384.00 MiB"], "unknown"),
        (
            [
                "com.semmle.util.exception.CatastrophicError: We still have not reached idleness"
                " despite waiting for 60 seconds."
            ],
            "unknown",
        ),
        # Tallies of zero are passes.
        (["🔍 28 Total (in 1s) ✅ 24 OK 🚫 0 Errors 💤 4 Excluded"], None),
        (
            [
                "Checking internet connection...",
                "check your internet connection or https://githubstatus.com",
            ],
            None,
        ),
    ],
)
def test_pasted_excerpts(tmp_path: Path, lines: list[str], want: str | None) -> None:
    assert_finding(tmp_path, lines, want, {})


@pytest.mark.parametrize(
    ("before", "want"),
    [
        # editorconfig-checker: the first row of the first file block above the tally.
        (
            [
                "- hook id: editorconfig-checker",
                "- exit code: 1",
                "",
                "site/content/devlog/show-your-work.md:",
                "\t19: Wrong amount of left-padding spaces(want multiple of 4)",
                "\t23-24: Wrong amount of left-padding spaces(want multiple of 4)",
                "Makefile:",
                "\t2: Wrong indentation type(spaces instead of tabs)",
                "",
            ],
            ("site/content/devlog/show-your-work.md", "19"),
        ),
        (
            ["Makefile:", "\t2: wrong indentation type (spaces instead of tabs)", ""],
            ("Makefile", "2"),
        ),
        # Not a report: a heading with no rows under it, a Scala 3 diagnostic.
        (["Changes:", "", "- src/a.py"], None),
        (["-- [E007] Type Mismatch Error: src/Main.scala:3:4 ---", '3 |  val x: Int = "a"'], None),
    ],
)
def test_file_rows_block(before: list[str], want: tuple[str, str] | None) -> None:
    assert file_rows_block(before) == want
