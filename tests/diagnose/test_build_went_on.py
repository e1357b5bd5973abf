"""Ivy's FAILED DOWNLOADS block is a failure only where the build did not go on past it: sbt's
updateClassifiers accepts missing javadoc and source jars and ends `[success]` (sbt/sbt #5374,
#1782), while a resolve that failed stops on the block (scalameta/metaconfig #95's paste)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import paste_top

_BLOCK = [
    "[warn] \t[FAILED     ] org.example#widget;2.8.15!widget.jar(doc):  (0ms)",
    "[warn] ==== public: tried",
    "[warn]   https://repo1.maven.org/maven2/org/example/widget/2.8.15/widget-2.8.15-javadoc.jar",
    "[warn] \t::::::::::::::::::::::::::::::::::::::::::::::",
    "[warn] \t::              FAILED DOWNLOADS            ::",
    "[warn] \t:: ^ see resolution messages for details  ^ ::",
    "[warn] \t::::::::::::::::::::::::::::::::::::::::::::::",
    "[warn] \t:: org.example#widget;2.8.15!widget.jar(doc)",
    "[warn] \t::::::::::::::::::::::::::::::::::::::::::::::",
]


def _top(tmp_path: Path, lines: list[str]) -> tuple[str | None, str]:
    top = paste_top(tmp_path, lines)
    return (top.type.value, top.rule) if top else (None, "")


def test_a_paste_that_ends_on_the_block_is_a_failure(tmp_path: Path) -> None:
    assert _top(tmp_path, ["Run sbt +test", *_BLOCK]) == ("unknown", "ivy-failed-downloads")


def test_a_run_that_went_on_to_success_is_no_failure(tmp_path: Path) -> None:
    went_on = [
        "[info] Done updating.",
        "[info] All tests passed.",
        "[success] Total time: 61 s, completed May 1, 2024 10:01:00 AM",
    ]
    assert _top(tmp_path, ["Run sbt updateClassifiers test", *_BLOCK, *went_on]) == (None, "")


def test_the_step_that_failed_later_wins_over_a_block_its_step_went_past(tmp_path: Path) -> None:
    lines = [
        "Run sbt updateClassifiers",
        *_BLOCK,
        "[success] Total time: 20 s, completed May 1, 2024 10:01:00 AM",
        "Run ./scripts/publish-docs.sh",
        'rsync: change_dir "/home/runner/work/app/app/target/site" failed',
        "Error: Process completed with exit code 23.",
    ]
    assert _top(tmp_path, lines)[1] != "ivy-failed-downloads"


def test_an_error_line_after_the_block_keeps_it(tmp_path: Path) -> None:
    lines = ["Run sbt +test", *_BLOCK, "Error: Process completed with exit code 1."]
    assert _top(tmp_path, lines) == ("unknown", "ivy-failed-downloads")
