"""Python's uncaught exception (`python-uncaught-exception`, `checks: [traceback-end]`): the line that
closes a traceback is a cause in a paste and in a failed step, never in a step that went on."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job

TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/home/runner/work/app/app/benefits/views.py", line 41, in index',
    "    agency = agencies[0]",
    "             ~~~~~~~~^^^",
    "IndexError: list index out of range",
]


def test_a_pasted_traceback_is_a_failure_not_a_passing_job(tmp_path: Path) -> None:
    kind, _ = top_finding(tmp_path, TRACEBACK)
    assert kind == "unknown"
    finding = analyze_paths([tmp_path / "job.txt"]).findings[0]
    assert finding.rule == "python-uncaught-exception"
    assert finding.text == "IndexError: list index out of range"


def test_a_chained_traceback_closes_at_its_last_exception(tmp_path: Path) -> None:
    lines = [
        *TRACEBACK,
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        '  File "/home/runner/work/app/app/run.py", line 9, in <module>',
        "    main()",
        "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://x.test/a",
    ]
    assert top_finding(tmp_path, lines)[0] == "unknown"
    finding = analyze_paths([tmp_path / "job.txt"]).findings[0]
    assert finding.text.startswith("requests.exceptions.HTTPError: 404")


def test_an_exception_line_outside_a_traceback_is_no_failure(tmp_path: Path) -> None:
    lines = ["checking the cache", "IndexError: list index out of range", "done"]
    assert top_finding(tmp_path, lines) == (None, {})


def test_a_logged_traceback_in_a_step_that_went_on_is_no_cause(tmp_path: Path) -> None:
    lines = [
        *run_step("python sync.py", *TRACEBACK, "retrying with the mirror", "synced 12 items"),
        *run_step("python build.py", "built"),
    ]
    analysis = analyze_paths([write_job(tmp_path, lines)])
    assert not analysis.findings
    assert analysis.jobs[0].conclusion == "success"


def test_a_traceback_that_ended_a_failed_step_is_its_cause(tmp_path: Path) -> None:
    lines = run_step("python build.py", *TRACEBACK, FAILED)
    analysis = analyze_paths([write_job(tmp_path, lines)])
    assert [f.rule for f in analysis.findings] == ["python-uncaught-exception"]


def test_a_rule_that_knows_the_exception_wins(tmp_path: Path) -> None:
    lines = [
        "Traceback (most recent call last):",
        '  File "/home/runner/work/app/app/settings.py", line 3, in <module>',
        '    SECRET = os.environ["DJANGO_SECRET_KEY"]',
        "KeyError: 'DJANGO_SECRET_KEY'",
    ]
    assert top_finding(tmp_path, lines)[0] == "missing_env_vars"


def test_a_paste_that_starts_inside_the_frames_is_a_failure(tmp_path: Path) -> None:
    assert top_finding(tmp_path, TRACEBACK[1:])[0] == "unknown"


def test_indented_lines_without_a_frame_are_no_traceback(tmp_path: Path) -> None:
    lines = ["    agency = agencies[0]", "IndexError: list index out of range"]
    assert top_finding(tmp_path, lines) == (None, {})


def test_a_paste_that_prints_on_after_the_exception_is_no_failure(tmp_path: Path) -> None:
    assert top_finding(tmp_path, [*TRACEBACK, "Synced 12 pages."]) == (None, {})


def test_a_wrapper_failing_under_the_exception_keeps_it_the_cause(tmp_path: Path) -> None:
    for wrapper in ("make: *** [Makefile:12: docs] Error 1", "npm ERR! code 1", "  py311: exit 1"):
        assert top_finding(tmp_path, [*TRACEBACK, "", wrapper])[0] == "unknown", wrapper
