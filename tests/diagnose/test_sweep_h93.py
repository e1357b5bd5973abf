"""Verdicts the randomly sampled Python batch (helper h93) relies on beyond the rules' own examples:
Poetry's installer over the "poetry: command not found" it leaves behind, setup-miniconda without a
conda, a step script the shell cannot open, tox 4 runs whose every env was skipped, plugin fixtures
pytest cannot find, and doctest's tally naming the failed test above its closing banner.

Texts are the tools' real formats with names changed; the rules' comments name the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import (
    FAILED,
    assert_finding,
    assert_job_finding,
    run_step,
    top_finding,
    write_job,
)

_POETRY_FAILED = [
    "Installing Poetry (2.3.1): Creating environment",
    "Installing Poetry (2.3.1): Installing Poetry",
    "Installing Poetry (2.3.1): An error occurred. Removing partial environment.",
    "Poetry installation failed.",
    "See /home/runner/work/app/app/poetry-installer-error-8841z44u.log for error logs.",
]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # The installer's failure is the cause of the later step's missing `poetry`.
        (
            [
                *run_step(
                    "curl -sSL https://install.python-poetry.org | python3 -", *_POETRY_FAILED
                ),
                *run_step(
                    "poetry install --with dev",
                    "/home/runner/work/_temp/68da171d.sh: line 1: poetry: command not found",
                ),
                "##[error]Process completed with exit code 127.",
            ],
            "missing_tool",
            {"command": "poetry"},
        ),
        # Inside an action's step the action is named too.
        (
            [
                "##[group]Run snok/install-poetry@v1",
                "##[endgroup]",
                *_POETRY_FAILED,
                FAILED,
            ],
            "missing_tool",
            {"command": "poetry", "action": "snok/install-poetry"},
        ),
        # setup-miniconda on an image without a bundled Miniconda.
        (
            [
                "##[group]Run conda-incubator/setup-miniconda@v3",
                "##[endgroup]",
                "Ensuring installer...",
                "##[error]No installed conda 'base' environment found at !If you are using this"
                " action in a self-hosted runner that already provides its own Miniconda"
                " installation, please specify its location with a `CONDA` environment variable.",
            ],
            "missing_tool",
            {"command": "conda", "action": "conda-incubator/setup-miniconda"},
        ),
        # The runner's own step script is not where the container's shell looks.
        (
            [
                *run_step(
                    "ls", "bash: /__w/_temp/baf2900f-87a1-4447.sh: No such file or directory"
                ),
                FAILED,
            ],
            "runner_failure",
            {},
        ),
        # A script the job names itself is still a missing script.
        (
            [*run_step("./ci.sh", "bash: ./ci.sh: No such file or directory"), FAILED],
            "missing_tool",
            {"command": "./ci.sh"},
        ),
        # Every env skipped for its interpreter: tox 4 fails the run.
        (
            [
                *run_step(
                    "tox",
                    "py38: skipped because could not find python interpreter with spec(s): py38",
                    "  py38: SKIP (0.00 seconds)",
                    "  evaluation failed :( (0.58 seconds)",
                ),
                "##[error]Process completed with exit code 255.",
            ],
            "missing_tool",
            {"command": "py38"},
        ),
        # pytest-mock not installed: the error block outranks the ERROR summary line.
        (
            [
                *run_step(
                    "pytest",
                    "file /home/runner/work/app/app/tests/test_api.py, line 12",
                    "  def test_get(mocker):",
                    "E       fixture 'mocker' not found",
                    ">       available fixtures: cache, capfd, caplog, monkeypatch, tmp_path",
                    "ERROR tests/test_api.py::test_get",
                    "========================= 5 passed, 1 error in 0.31s ==========================",
                ),
                FAILED,
            ],
            "missing_dependency",
            {"name": "mocker"},
        ),
    ],
)
def test_python_setup_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, lines, want, facts)


def test_tox_skip_beside_passing_envs_is_no_failure(tmp_path: Path) -> None:
    # A skipped env beside one that passed: tox says "congratulations :)" and the job goes on.
    lines = [
        *run_step(
            "tox",
            "py311: OK ✔ in 2.21 seconds",
            "py312: skipped because could not find python interpreter with spec(s): py312",
            "  py312: SKIP (0.01 seconds)",
            "  congratulations :) (2.27 seconds)",
        ),
        "##[group]Run actions/upload-artifact@v4",
        "##[endgroup]",
    ]
    assert not analyze_paths([write_job(tmp_path, lines)]).findings


def test_pasted_poetry_installer_failure(tmp_path: Path) -> None:
    # Copied from the page without the runner's trailer: the installer's lines alone decide.
    assert_finding(tmp_path, _POETRY_FAILED, "missing_tool", {"command": "poetry"})


def test_project_fixture_not_found_stays_a_test_failure(tmp_path: Path) -> None:
    lines = ["E       fixture 'tmp_db' not found", "ERROR tests/test_models.py::test_save", FAILED]
    got, _ = top_finding(tmp_path, lines)
    assert got == "test_failure"


def test_doctest_tally_names_the_test_above_its_banner(tmp_path: Path) -> None:
    lines = run_step(
        "python -m doctest src/widget/core.py",
        "**********************************************************************",
        'File "/home/runner/work/app/app/src/widget/core.py", line 14, in core.add',
        "Failed example:",
        "    add(1, 2)",
        "Expected:",
        "    4",
        "Got:",
        "    3",
        "**********************************************************************",
        "1 items had failures:",
        "   1 of   2 in core.add",
        "***Test Failed*** 1 failures.",
    )
    assert_finding(
        tmp_path,
        [*lines, FAILED],
        "test_failure",
        {"test": "core.add", "file": "src/widget/core.py", "line": "14"},
    )
