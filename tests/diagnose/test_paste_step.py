"""A copy of the run page has no step marks: its finding names the last `Run …` line above it as the
step, not "Set up job"; a downloaded log keeps the runner's own step names."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job


def test_a_paste_names_its_run_line(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run actions/checkout@v4\n"
        "Run npm test\n"
        "> acme@1.0.0 test\n"
        "FAIL src/app.test.js\n"
        "  ● adds numbers\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.step) == ("test_failure", "Run npm test")


def test_a_paste_without_a_run_line_keeps_the_first_step(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text("FAIL src/app.test.js\n  ● adds numbers\n")
    finding = analyze_paths([log]).findings[0]
    assert finding.step == "Set up job"


def test_a_downloaded_log_keeps_the_runner_s_step(tmp_path: Path) -> None:
    lines = run_step("npm test", "FAIL src/app.test.js", "  ● adds numbers", FAILED)
    finding = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert finding.step == "Run npm test"
