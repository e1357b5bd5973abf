"""Python 3.11+'s uncaught exception groups (PEP 654), read as the plain tracebacks they box: the
shapes are CPython 3.11.7's own output for asyncio.TaskGroup and nested groups (traceback.py,
TracebackException.format); paths and messages are ours."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.exception_groups import unbarred
from tests.diagnose.joblog import FAILED, run_step, write_job

_TASK_GROUP = [
    "  + Exception Group Traceback (most recent call last):",
    '  |   File "/home/runner/work/app/app/sync.py", line 8, in <module>',
    "  |     asyncio.run(main())",
    '  |   File "/home/runner/work/app/app/sync.py", line 5, in main',
    "  |     async with asyncio.TaskGroup() as tg:",
    "  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
    "  +-+---------------- 1 ----------------",
    "    | Traceback (most recent call last):",
    '    |   File "/home/runner/work/app/app/sync.py", line 3, in fetch',
    '    |     raise RuntimeError(f"upstream returned {n}")',
    "    | RuntimeError: upstream returned 500",
    "    +---------------- 2 ----------------",
    "    | Traceback (most recent call last):",
    '    |   File "/home/runner/work/app/app/sync.py", line 3, in fetch',
    '    |     raise RuntimeError(f"upstream returned {n}")',
    "    | RuntimeError: upstream returned 502",
    "    +------------------------------------",
]

_NESTED = [
    "  + Exception Group Traceback (most recent call last):",
    '  |   File "/home/runner/work/app/app/settings.py", line 14, in <module>',
    "  | ExceptionGroup: settings (2 sub-exceptions)",
    "  +-+---------------- 1 ----------------",
    "    | ValueError: LOG_LEVEL must be one of debug, info",
    "    +---------------- 2 ----------------",
    "    | ExceptionGroup: credentials (1 sub-exception)",
    "    +-+---------------- 1 ----------------",
    "      | KeyError: 'API_TOKEN'",
    "      +------------------------------------",
]


def _top(tmp_path: Path, lines: list[str], *, stamped: bool = True) -> tuple[str, str, str] | None:
    findings = analyze_paths([write_job(tmp_path, lines, stamped=stamped)]).findings
    if not findings:
        return None
    return findings[0].type.value, findings[0].rule, findings[0].text.strip()


def test_a_task_groups_crash_names_its_last_sub_exception(tmp_path: Path) -> None:
    lines = [*run_step("python -m app.sync", *_TASK_GROUP), FAILED]
    top = _top(tmp_path, lines)
    assert top == ("unknown", "python-uncaught-exception", "RuntimeError: upstream returned 502")


def test_a_pasted_crash_without_stamps_reads_the_same(tmp_path: Path) -> None:
    lines = ["Run python -m app.sync", *_TASK_GROUP, "Error: Process completed with exit code 1."]
    top = _top(tmp_path, lines, stamped=False)
    assert top is not None and top[2] == "RuntimeError: upstream returned 502"


def test_a_nested_groups_missing_variable_is_read(tmp_path: Path) -> None:
    findings = analyze_paths([write_job(tmp_path, [*run_step("python -m app", *_NESTED), FAILED])])
    top = findings.findings[0]
    assert (top.type.value, top.data.get("var")) == ("missing_env_vars", "API_TOKEN")


def test_a_missing_module_in_a_box_names_the_package(tmp_path: Path) -> None:
    box = [
        *_TASK_GROUP[:5],
        "  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
        "  +-+---------------- 1 ----------------",
        "    | Traceback (most recent call last):",
        '    |   File "/home/runner/work/app/app/sync.py", line 2, in fetch',
        "    | ModuleNotFoundError: No module named 'aiohttp'",
        "    +------------------------------------",
    ]
    findings = analyze_paths([write_job(tmp_path, [*run_step("python -m app", *box), FAILED])])
    top = findings.findings[0]
    assert (top.type.value, top.data.get("package")) == ("missing_dependency", "aiohttp")


def test_a_group_the_program_logged_and_went_on_from_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "Run python -m app.sync",
        "sync: batch 1 failed, retrying",
        *_TASK_GROUP,
        "sync: batch 1 done on retry",
        "sync: 12 batches synced",
    ]
    assert _top(tmp_path, lines, stamped=False) is None


def test_unbarred_keeps_every_line_and_only_touches_the_group() -> None:
    rust = b"error[E0308]: mismatched types\n --> src/main.rs:3:5\n  |\n3 |     x\n  |     ^\n"
    data = rust + "\n".join(_NESTED).encode() + b"\nafter | table | row\n"
    out = unbarred(data)
    assert out.count(b"\n") == data.count(b"\n")
    assert out.startswith(rust) and out.endswith(b"\nafter | table | row\n")
    assert b"\nKeyError: 'API_TOKEN'\n" in out
    assert b'\n  File "/home/runner/work/app/app/settings.py", line 14, in <module>\n' in out
    assert unbarred(rust) is rust


def test_unbarred_keeps_a_downloaded_logs_stamps() -> None:
    stamp = "2025-05-02T00:19:58.1268944Z "
    data = "".join(stamp + line + "\n" for line in _NESTED).encode()
    out = unbarred(data).decode().splitlines()
    assert out[2] == stamp + "ExceptionGroup: settings (2 sub-exceptions)"
    assert out[8] == stamp + "KeyError: 'API_TOKEN'"


def test_more_than_fifteen_sub_exceptions_still_name_the_last_one_shown(tmp_path: Path) -> None:
    # CPython prints fifteen boxes, then "and N more exceptions" in a box of its own.
    boxes = [
        "  + Exception Group Traceback (most recent call last):",
        '  |   File "/home/runner/work/app/app/sync.py", line 3, in <module>',
        "  | ExceptionGroup: many (20 sub-exceptions)",
        "  +-+---------------- 1 ----------------",
        "    | RuntimeError: e0",
    ]
    for n in range(2, 16):
        boxes += [f"    +---------------- {n} ----------------", f"    | RuntimeError: e{n - 1}"]
    boxes += [
        "    +---------------- ... ----------------",
        "    | and 5 more exceptions",
        "    +------------------------------------",
    ]
    top = _top(tmp_path, [*run_step("python sync.py", *boxes), FAILED])
    assert top == ("unknown", "python-uncaught-exception", "RuntimeError: e14")


def test_a_tables_border_is_no_group_box(tmp_path: Path) -> None:
    # A margin "OSError: …" under a table's "+---+" border was logged, not raised (review rev51).
    lines = [
        "+----------+--------+",
        "| check    | result |",
        "+----------+--------+",
        "OSError: [Errno 5] Input/output error",
        "Summary: 1 check failed",
    ]
    top = _top(tmp_path, [*run_step("./check.sh", *lines), FAILED])
    assert top is not None and top[1] != "python-uncaught-exception"
