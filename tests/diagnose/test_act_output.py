"""A job run locally by nektos/act is read as the run page shows a job: act's job prefixes off, its
step header as "Run …", its exit line as the failure marker. Line shapes as act prints them
(pkg/runner/logger.go, step.go, pkg/container's exit error); the jobs are ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.pastes import paste_cleaned

PIPED = """[CI/build] 🚀  Start image=catthehacker/ubuntu:act-latest
[CI/build]   🐳  docker pull image=catthehacker/ubuntu:act-latest platform= username= forcePull=true
[CI/build] ⭐ Run Main actions/checkout@v4
[CI/build]   ✅  Success - Main actions/checkout@v4
[CI/build] ⭐ Run Main npm test
[CI/build]   🐳  docker exec cmd=[bash --noprofile --norc -e -o pipefail /var/run/act/workflow/1] user=
[CI/build]   |
[CI/build]   | > widget@1.0.0 test
[CI/build]   | > jest
[CI/build]   | FAIL src/cart.test.js
[CI/build]   |   ● Cart › adds an item
[CI/build]   | Tests:       1 failed, 4 passed, 5 total
[CI/build]   ❌  Failure - Main npm test
[CI/build] exitcode '1': failure
[CI/build] 🏁  Job failed
Error: Job 'build' failed
"""
# On a terminal the raw output loses the job's name with the colour codes: "| …".
TERMINAL = "\n".join(
    line.replace("[CI/build]   | ", "| ").replace("[CI/build]   |", "|")
    for line in PIPED.splitlines()
)
MISSING = """[CI/gen] ⭐ Run Main make proto
[CI/gen]   | protoc --go_out=. api/widget.proto
[CI/gen]   | /var/run/act/workflow/2: line 2: protoc: command not found
[CI/gen]   ❌  Failure - Main make proto
[CI/gen] exitcode '127': command not found, please refer to https://github.com/nektos/act/issues/107 for more information
"""


@pytest.mark.parametrize("log", [PIPED, TERMINAL], ids=["piped", "terminal"])
def test_act_s_failed_step_is_read_like_a_run_page(tmp_path: Path, log: str) -> None:
    path = tmp_path / "act.txt"
    path.write_text(log)
    finding = analyze_paths([path]).findings[0]
    assert (finding.type.value, finding.step) == ("test_failure", "Run npm test")
    assert finding.data["test"] == "Cart › adds an item"
    assert finding.data["exit_code"] == "1"


def test_act_s_exit_127_with_the_shell_s_line(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(MISSING)
    finding = analyze_paths([path]).findings[0]
    assert (finding.type.value, finding.data["command"]) == ("missing_tool", "protoc")
    assert finding.data["exit_code"] == "127"


def test_lines_keep_their_count_and_commands_become_annotations() -> None:
    raw = (
        b"[Release/publish] \xe2\xad\x90 Run Main acme/publish-action@v2\n"
        b"[Release/publish]   \xe2\x9d\x97  ::error::Input required and not supplied: token\n"
        b"[Release/publish]   \xe2\x9d\x8c  Failure - Main acme/publish-action@v2\n"
    )
    cleaned = paste_cleaned(raw).split(b"\n")
    assert cleaned[:2] == [
        b"Run acme/publish-action@v2",
        b"Error: Input required and not supplied: token",
    ]
    assert len(cleaned) == len(raw.split(b"\n"))


@pytest.mark.parametrize(
    "raw",
    [
        # Maven's and Gradle's own bracketed levels, and a markdown table: no act mark, untouched.
        b"[INFO] Building widget 1.0\n[ERROR] Failed to execute goal\n[INFO] BUILD FAILURE\n",
        b"| rule | file |\n| --- | --- |\n| E501 | a.py |\n",
        b"[build] cmake --build .\n[build] error: unknown target\n[build] done\n",
    ],
    ids=["maven", "table", "bracketed-tool"],
)
def test_other_bracketed_output_is_left_alone(raw: bytes) -> None:
    assert paste_cleaned(raw) == raw
