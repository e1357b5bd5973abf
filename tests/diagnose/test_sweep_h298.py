"""Python packaging and environments: pipenv without the Python its Pipfile asks for, coverage
without a TOML reader, pip asked to replace itself on Windows, setup-uv's failed release lookup.

Texts are the tools' real formats with names changed; the source of each is named in the rule
(rules/30-python.yaml, rules/80-network.yaml) or in diagnose/program_fill_ins.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.program_fill_ins import attempted_version_above
from tests.diagnose.joblog import FAILED, run_step, top_finding

_NO_INSTALLER = "Neither 'pyenv' nor 'asdf' could be found to install Python."


@pytest.mark.parametrize(
    ("before", "version"),
    [
        (["Warning: Python 3.7 was not found on your system..."], "3.7"),
        (["Warning: Python 3.10.4 was not found on your system…"], "3.10.4"),
        # --python given a program name, not a version: no version to report.
        (["Warning: Python python3.5 was not found on your system..."], None),
        (["Warning: Python 3.7 was not found on your system...", *[""] * 6], None),
    ],
)
def test_pipenv_warning_names_the_version(before: list[str], version: str | None) -> None:
    assert attempted_version_above(_NO_INSTALLER, before) == version


def test_pipenv_warning_is_no_version_for_a_later_missing_tool() -> None:
    # pyenv installed that Python (or pipenv fell back): pytest missing later is no Python (rev51).
    before = ["Warning: Python 3.10 was not found on your system...", "Installing CPython 3.10..."]
    assert attempted_version_above("/bin/sh: 1: pytest: not found", before) is None


def test_pipenv_without_python_or_installer(tmp_path: Path) -> None:
    lines = run_step(
        "pipenv install --dev --deploy",
        "Warning: Python 3.7 was not found on your system...",
        _NO_INSTALLER,
        "You can specify specific versions of Python with:",
        "$ pipenv --python path/to/python",
        FAILED,
    )
    finding = top_finding(tmp_path, lines)
    assert finding[0] == "missing_tool"
    assert finding[1].get("tool") == "python"
    assert finding[1].get("version") == "3.7"


def test_pipenv_warning_alone_is_no_finding(tmp_path: Path) -> None:
    # With pyenv on the machine pipenv installs the Python it warned of and goes on.
    lines = run_step(
        "pipenv install --dev",
        "Warning: Python 3.7 was not found on your system...",
        "Installing CPython 3.7.17 with /home/runner/.pyenv/bin/pyenv (this may take a few minutes)...",
        "✔ Success!",
        "Installing dependencies from Pipfile.lock (a1b2c3)...",
    )
    assert top_finding(tmp_path, lines)[0] is None


def test_coverage_without_toml_reader(tmp_path: Path) -> None:
    lines = run_step(
        "pytest --cov",
        "INTERNALERROR> coverage.exceptions.CoverageException: Can't read 'pyproject.toml' "
        "without TOML support. Install with [toml] extra",
        FAILED,
    )
    assert top_finding(tmp_path, lines)[0] == "missing_dependency"


def test_pip_will_not_replace_itself_on_windows(tmp_path: Path) -> None:
    lines = run_step(
        "pip install --upgrade pip build",
        "ERROR: To modify pip, please run the following command:",
        r"C:\hostedtoolcache\windows\Python\3.13.1\x64\python.exe -m pip install --upgrade pip build",
        FAILED,
    )
    assert top_finding(tmp_path, lines)[0] == "dependency_conflict"


def test_setup_uv_release_lookup_failed(tmp_path: Path) -> None:
    lines = [
        "##[group]Run astral-sh/setup-uv@v6",
        "##[endgroup]",
        "Getting latest version from GitHub API...",
        "##[error]Github API request failed while getting latest release. Check the GitHub status "
        "page for outages. Try again later.",
        "##[error]Server Error",
    ]
    assert top_finding(tmp_path, lines)[0] == "network_error"


def test_pipenv_warning_and_abort_joined_on_one_line(tmp_path: Path) -> None:
    line = "Warning: Python 3.9 was not found on your system... " + _NO_INSTALLER
    kind, data = top_finding(tmp_path, ["Run pipenv install --dev", line])
    assert (kind, data.get("tool"), data.get("version")) == ("missing_tool", "python", "3.9")
