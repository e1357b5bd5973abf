"""Verdicts the type-checker and linter sweep (helper h67) relies on beyond the rules' own examples:
mypy's errors about a whole file (no line, a path climbing out of a subfolder), ruff's grouped rows
and --diff, pydoclint's rows under the file, pre-commit's pyupgrade hook.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.file_rows import file_error_file
from smartmon.diagnose.linters import hook_file, hook_linter
from smartmon.diagnose.locations import stylish_location
from tests.diagnose.joblog import FAILED, top_finding

_TWICE = 'error: Source file found twice under different module names: "{a}" and "{b}"'


@pytest.mark.parametrize(
    ("before", "after", "want"),
    [
        # above mypy's tally (iai-group/UserSimCRS #196): the first of the run
        (
            [
                "scripts/nlu/metrics.py: " + _TWICE.format(a="metrics", b="scripts.nlu.metrics"),
                "scripts/nlu/metrics.py: note: See https://mypy.readthedocs.io/en/stable/x.html",
            ],
            [],
            "scripts/nlu/metrics.py",
        ),
        # under pre-commit's "mypy....Failed" head
        (
            [],
            ["- hook id: mypy", "", 'src/app/db.py: error: Duplicate module named "app.db"'],
            "src/app/db.py",
        ),
        # a Windows runner's path
        (
            ['D:\\a\\app\\app\\src\\app\\db.py: error: Duplicate module named "app.db"'],
            [],
            "src/app/db.py",
        ),
        # from a subfolder: the longer module name spells the path (nupurmadaan04/SOUL_SENSE_EXAM #507)
        (
            ["../../backend/api/app/db.py: " + _TWICE.format(a="app.db", b="backend.api.app.db")],
            [],
            "backend/api/app/db.py",
        ),
        # mypy before 0.990 quoted the names with single quotes; a package's __init__.py
        (
            [
                "../lib/pkg/__init__.py: error: Source file found twice under different module names: 'pkg' and 'lib.pkg'"
            ],
            [],
            "lib/pkg/__init__.py",
        ),
    ],
)
def test_mypy_file_level_error_names_the_file(
    before: list[str], after: list[str], want: str
) -> None:
    assert file_error_file(before, after) == want


def test_mypy_file_level_error_does_not_guess_a_climbing_path() -> None:
    # no module names on the row: a path out of the tool's folder is no repository path
    assert file_error_file(['../shared/db.py: error: Duplicate module named "db"'], []) is None
    # a script's argparse names its program, not a file in error (pydata/xarray PR #11237)
    assert (
        file_error_file(["__main__.py: error: unrecognized arguments: --mypy-only-local-stub"], [])
        is None
    )
    # a line-numbered row is a location, not a file-level error
    assert file_error_file(['src/app/db.py:3: error: Name "x" is not defined'], []) is None


@pytest.mark.parametrize(
    ("before", "text", "want"),
    [
        # ruff --output-format=grouped (astral-sh/ruff PR #4776), aligned rows
        (
            ["src/app/views.py:"],
            "   13:8  F401 [*] `sys` imported but unused",
            ("src/app/views.py", "13"),
        ),
        (
            ["src/app/views.py:", "  1:8 F401 [*] `os` imported but unused"],
            "  14:80 E501 Line too long",
            ("src/app/views.py", "14"),
        ),
        # pydoclint's native rows (TeamGraphix/graphix PR #446)
        (
            ["graphix/linalg.py"],
            "    18: DOC102: Method `Mat.__new__`: Docstring contains more arguments",
            ("graphix/linalg.py", "18"),
        ),
    ],
)
def test_rows_under_a_file_header(before: list[str], text: str, want: tuple[str, str]) -> None:
    assert stylish_location(text, before) == want


def test_pyupgrade_hook_names_its_tool_and_file() -> None:
    after = [
        "- hook id: pyupgrade",
        "- exit code: 1",
        "- files were modified by this hook",
        "",
        "Rewriting src/app/views.py",
    ]
    assert (
        hook_linter(
            "pyupgrade................................................................Failed",
            "pyupgrade",
            after,
        )
        == "pyupgrade"
    )
    assert hook_file(after) == "src/app/views.py"


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # ruff check --diff (SasView/sasview PR #3666): the first file of the diff
        (
            [
                "Run ruff check --diff src/",
                "--- src/app/gui.py",
                "+++ src/app/gui.py",
                "@@ -60,8 +60,7 @@",
                "-from app import web",
                "+from app import HELP, web",
                "",
                "Would fix 4 errors (132 additional fixes available with `--unsafe-fixes`).",
                FAILED,
            ],
            {"tool": "ruff", "file": "src/app/gui.py"},
        ),
        # ruff's grouped rows under a tally
        (
            [
                "Run ruff check --output-format=grouped .",
                "src/app/views.py:",
                "  1:8 F401 [*] `os` imported but unused",
                "",
                "Found 1 error.",
                FAILED,
            ],
            {"tool": "ruff", "file": "src/app/views.py", "line": "1"},
        ),
        # nox with timestamps, mypy refusing a folder (hydra-ecosystem/hydra PR #1325)
        (
            [
                "nox > [2021-01-22 16:56:45,539] Command mypy . --strict failed with exit code 2:",
                "schema-overrides-app is not a valid Python package name",
                "nox > [2021-01-22 16:56:45,540] Session lint-3.8 failed.",
                FAILED,
            ],
            {"tool": "mypy"},
        ),
    ],
)
def test_lint_verdicts(tmp_path: Path, lines: list[str], want: dict[str, str]) -> None:
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "lint_failure"
    assert {k: facts.get(k) for k in want} == want


def test_fixed_ruff_run_and_clean_pyright_are_not_failures(tmp_path: Path) -> None:
    # "--fix" fixed everything (exit 0); pyright's warnings only, "0 errors" (umu-protonfixes PR #205)
    lines = [
        "##[group]Run ruff check --fix .",
        "##[endgroup]",
        "Found 3 errors (3 fixed, 0 remaining).",
        "##[group]Run pyright",
        "##[endgroup]",
        "/home/runner/work/app/app/src/app/x.py",
        '  /home/runner/work/app/app/src/app/x.py:3:6 - warning: Import "app" could not be resolved (reportMissingImports)',
        "0 errors, 1 warning, 0 informations ",
        "Post job cleanup.",
        "Cleaning up orphan processes",
    ]
    assert top_finding(tmp_path, lines) == (None, {})
