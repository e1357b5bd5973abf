"""Where a Python traceback ends (`traceback_end`, `checks: [traceback-end]`): an exception whose class
does not end in Error, a message of several lines (pydantic's), an exception line that is the step's
first output, and what stays no failure (KeyboardInterrupt from the runner's cancel, an exit 0, a
step that went on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job

_FRAMES = [
    "Traceback (most recent call last):",
    '  File "/home/runner/work/app/app/main.py", line 3, in <module>',
    "    main()",
]


def _job_top(tmp_path: Path, lines: list[str]) -> str | None:
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    return findings[0].rule if findings else None


@pytest.mark.parametrize(
    "last",
    [
        "homeassistant.loader.IntegrationNotFound: Integration 'aqmon' not found.",
        "click.exceptions.Abort",
        "StopIteration",
    ],
)
def test_a_class_without_the_error_suffix_closes_a_traceback(tmp_path: Path, last: str) -> None:
    lines = run_step("python main.py", *_FRAMES, last, FAILED)
    assert _job_top(tmp_path, lines) == "python-uncaught-exception"


# SystemExit: an uncaught one prints no traceback or "SystemExit:" line at all (CPython prints
# nothing, or sys.exit's message alone), so such a line is a handler's report.
@pytest.mark.parametrize(
    "last", ["KeyboardInterrupt", "SystemExit", "SystemExit: 0", "SystemExit: 1"]
)
def test_a_cancel_or_a_system_exit_is_no_uncaught_exception(tmp_path: Path, last: str) -> None:
    lines = run_step("python main.py", *_FRAMES, last, FAILED)
    assert _job_top(tmp_path, lines) != "python-uncaught-exception"


# pydantic 1 (Hdl21 #151 as pasted) and pydantic 2's layout of the same error.
_PYDANTIC_1 = [
    "pydantic.error_wrappers.ValidationError: 1 validation error for Primitive",
    "paramtype",
    "  subclass of Any expected (type=type_error.subclass; expected_class=Any)",
]
_PYDANTIC_2 = [
    "pydantic_core._pydantic_core.ValidationError: 2 validation errors for Settings",
    "database_url",
    "  Field required [type=missing, input_value={}, input_type=dict]",
    "    For further information visit https://errors.pydantic.dev/2.5/v/missing",
    "api -> token",
    "  Field required [type=missing, input_value={}, input_type=dict]",
]


@pytest.mark.parametrize("message", [_PYDANTIC_1, _PYDANTIC_2])
def test_a_message_of_several_lines_still_ends_the_traceback(
    tmp_path: Path, message: list[str]
) -> None:
    paste = ["Run pytest -sv", *_FRAMES[1:], "    raise validation_error", *message]
    assert top_finding(tmp_path, paste)[0] is not None  # a rule that knows the field may win


def test_a_program_that_printed_on_after_the_message_went_on(tmp_path: Path) -> None:
    lines = run_step("python sync.py", *_FRAMES, *_PYDANTIC_1, "Synced 12 records", "Done")
    assert _job_top(tmp_path, [*lines, "##[group]Run echo next", "next"]) is None


def test_an_exception_line_as_the_steps_only_output_counts(tmp_path: Path) -> None:
    lines = run_step(
        "python -m pytest tests",
        "homeassistant.loader.IntegrationNotFound: Integration 'aqmon' not found.",
    )
    assert _job_top(tmp_path, lines) == "python-uncaught-exception"


def test_an_exception_line_the_step_went_on_from_is_no_failure(tmp_path: Path) -> None:
    lines = run_step(
        "python sync.py",
        "homeassistant.loader.IntegrationNotFound: Integration 'aqmon' not found.",
        "Retrying with the bundled integrations",
        "Synced 12 records",
    )
    assert _job_top(tmp_path, [*lines, "##[group]Run echo next", "next"]) is None


@pytest.mark.parametrize(
    ("header", "want"),
    [("Run acme/tuf-on-ci/actions/signing-event@v0.16.0", None), ("Run python sign.py", "unknown")],
)
def test_a_traceback_under_an_actions_header_may_be_one_it_logged(
    tmp_path: Path, header: str, want: str | None
) -> None:
    paste = [
        header,
        "  with:",
        "    token: ***",
        '  File "/opt/hostedtoolcache/Python/3.11.11/x64/lib/python3.11/subprocess.py", line 571,'
        " in run",
        "    raise CalledProcessError(retcode, process.args,",
        "subprocess.CalledProcessError: Command '['git', 'clone', '.']' returned non-zero exit"
        " status 128.",
    ]
    assert top_finding(tmp_path, paste)[0] == want


def test_a_downloaded_pydantic_report_ends_its_step(tmp_path: Path) -> None:
    lines = run_step("python -m app.settings", *_FRAMES, *_PYDANTIC_1, FAILED)
    assert _job_top(tmp_path, lines) == "python-uncaught-exception"


# SQLAlchemy's message: the statement, its parameters and the link to its error page.
_SQLALCHEMY = [
    "sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation"
    ' "items" does not exist',
    "LINE 1: INSERT INTO items (name, quantity) VALUES ('a', 1) RETURNING items.id",
    "                    ^",
    "",
    "[SQL: INSERT INTO items (name, quantity) VALUES (%(name)s, %(quantity)s) RETURNING items.id]",
    "[parameters: {'name': 'a', 'quantity': 1}]",
    "(Background on this error at: https://sqlalche.me/e/20/f405)",
]


def test_sqlalchemys_message_ends_with_its_link(tmp_path: Path) -> None:
    lines = run_step("python -m app.init_db", *_FRAMES, *_SQLALCHEMY, FAILED)
    assert _job_top(tmp_path, lines) == "python-uncaught-exception"


def test_a_logged_sqlalchemy_error_the_program_went_on_from_is_no_failure(tmp_path: Path) -> None:
    lines = run_step("python -m app.serve", *_FRAMES, *_SQLALCHEMY, "Retrying in 5s", "Served 3")
    assert _job_top(tmp_path, [*lines, "##[group]Run echo next", "next"]) is None


def test_a_loggers_name_first_in_a_step_is_no_exception(tmp_path: Path) -> None:
    # a logger named after its class prints "module.Class: message" at the margin; the step went on
    # and failed on its own line (rev48's look-alike)
    lines = [
        *run_step(
            "python deploy.py",
            "app.deploy.Uploader: uploading 3 files to s3://site-bucket",
            "upload failed: index.html rejected by the bucket policy (403)",
        ),
        FAILED,
    ]
    assert _job_top(tmp_path, lines) != "python-uncaught-exception"


def test_an_exception_that_ends_its_step_first_still_counts(tmp_path: Path) -> None:
    lines = [
        *run_step("pytest", "homeassistant.loader.IntegrationNotFound: Integration 'x' not found."),
        FAILED,
    ]
    assert _job_top(tmp_path, lines) == "python-uncaught-exception"
