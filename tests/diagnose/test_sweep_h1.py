"""Verdicts the Python sweep (helper h1) relies on beyond the rules' own examples: conda's pins,
pydantic-settings' lower-case fields, bandit's location line, pre-commit hooks' linter and file.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import conda_pin
from smartmon.diagnose.linters import hook_file, hook_linter
from smartmon.diagnose.locations import location
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # conda/conda #7767: a pinned version the channels lack is a version question.
        (
            [
                "+conda install --yes --quiet python=3.6 conda=4.5.11 conda-build=3.14.2",
                "Solving environment: ...working... failed",
                "PackagesNotFoundError: The following packages are not available from current channels:",
                "  - conda-build=3.14.2",
                "Current channels:",
                "  - https://repo.anaconda.com/pkgs/main/linux-64",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "conda-build=3.14.2"},
        ),
        # setup-miniconda #363: `python-version: 3.10` read as 3.1, a MatchSpec after a blank line.
        (
            [
                "  PackagesNotFoundError: The following packages are not available from current channels:",
                "  ",
                "    - python[version='3.1.*,3.10.*']",
                "  ",
                "  Current channels:",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "python[version='3.1.*,3.10.*']"},
        ),
        # A bare name the channels do not have stays a missing package.
        (
            [
                "PackagesNotFoundError: The following packages are not available from current channels:",
                "",
                "  - widgetfinder",
                "",
                "Current channels:",
                FAILED,
            ],
            "missing_dependency",
            {},
        ),
        # pydantic v2 names a lower-case field over "Field required" (jag-k/pydantic-settings-export #3).
        (
            [
                "pydantic_core._pydantic_core.ValidationError: 2 validation errors for Settings",
                "client_id",
                "  Field required [type=missing, input_value={}, input_type=dict]",
                "    For further information visit https://errors.pydantic.dev/2.7/v/missing",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "client_id"},
        ),
        # pydantic v1's lower-case wording (pydantic/pydantic #1714).
        (
            [
                "pydantic.error_wrappers.ValidationError: 2 validation errors for Settings",
                "auth_key",
                "  field required (type=value_error.missing)",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "auth_key"},
        ),
        # bandit's issue, its place three lines below.
        (
            [
                "##[group]Run bandit -r app",
                "##[endgroup]",
                "Test results:",
                ">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with"
                " shell=True identified, security issue.",
                "   Severity: High   Confidence: High",
                "   CWE: CWE-78 (https://cwe.mitre.org/data/definitions/78.html)",
                "   Location: ./app/cli.py:14:4",
                FAILED,
            ],
            "lint_failure",
            {"tool": "bandit", "file": "app/cli.py", "line": "14"},
        ),
        # A pre-commit hook that reformatted a file: the hook's linter and the file, not "pre-commit".
        (
            [
                "##[group]Run pre-commit run --all-files",
                "##[endgroup]",
                "black....................................................................Failed",
                "- hook id: black",
                "- files were modified by this hook",
                "",
                "reformatted app/cli.py",
                "",
                "All done! ✨ 🍰 ✨",
                "1 file reformatted, 20 files left unchanged.",
                "",
                "flake8...................................................................Passed",
                FAILED,
            ],
            "lint_failure",
            {"tool": "black", "file": "app/cli.py"},
        ),
        # isort names the file it fixed with the runner's work folder.
        (
            [
                "##[group]Run pre-commit run --all-files",
                "##[endgroup]",
                "isort....................................................................Failed",
                "- hook id: isort",
                "- files were modified by this hook",
                "",
                "Fixing /home/runner/work/app/app/app/cli.py",
                FAILED,
            ],
            "lint_failure",
            {"tool": "isort", "file": "app/cli.py"},
        ),
        # A hook that is no linter keeps the tool pre-commit.
        (
            [
                "trim trailing whitespace.................................................Failed",
                "- hook id: trailing-whitespace",
                "- exit code: 1",
                "- files were modified by this hook",
                "",
                "Fixing docs/index.md",
                FAILED,
            ],
            "lint_failure",
            {"tool": "pre-commit", "file": "docs/index.md"},
        ),
        # pytest wraps any exception of a conftest's imports as "ImportError while loading conftest":
        # a SyntaxError there is the cause, in the file that does not parse.
        (
            [
                "##[group]Run pytest",
                "##[endgroup]",
                "ImportError while loading conftest '/home/runner/work/app/app/tests/conftest.py'.",
                "tests/conftest.py:1: in <module>",
                "    from app.core import run",
                'E     File "/home/runner/work/app/app/app/core.py", line 20',
                "E       def run(self)",
                "E                    ^",
                "E   SyntaxError: expected ':'",
                FAILED,
            ],
            "syntax_error",
            {"file": "app/core.py", "line": "20"},
        ),
        # libmamba's banner over the spec it could not find is no earlier failure (mamba-org/mamba).
        (
            [
                "Could not solve for environment specs",
                "The following packages are incompatible",
                "├─ pytorch does not exist (perhaps a typo or a missing channel);",
                "└─ pytorch-cuda 11.8**  is not installable because it requires",
                "   └─ cuda 11.8.* , which does not exist (perhaps a missing channel).",
                FAILED,
            ],
            "missing_dependency",
            {},
        ),
        # uv's "× Failed to build" heads the build's own stderr: the module it lacked is the cause.
        (
            [
                "##[group]Run uv pip install -r requirements.txt",
                "##[endgroup]",
                "  × Failed to build `smbus==1.1.post2`",
                "  ├─▶ The build backend returned an error",
                "  ╰─▶ Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)",
                "",
                "      [stderr]",
                "      Traceback (most recent call last):",
                '        File "<string>", line 8, in <module>',
                "      ModuleNotFoundError: No module named 'setuptools'",
                FAILED,
            ],
            "missing_dependency",
            {"module": "setuptools"},
        ),
        # Alone, the build failure is the package's.
        (
            [
                "  × Failed to build `pycairo==1.26.0`",
                "  ├─▶ The build backend returned an error",
                "  ╰─▶ Call to `mesonpy.build_wheel` failed (exit status: 1)",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "pycairo==1.26.0"},
        ),
        # A Jinja template of the repository that does not parse: its frame names it.
        (
            [
                '  File "templates/index.html", line 159, in template',
                '    <span class="date">{{ d }</span>',
                "jinja2.exceptions.TemplateSyntaxError: unexpected '}'",
                FAILED,
            ],
            "syntax_error",
            {"file": "templates/index.html", "line": "159"},
        ),
    ],
)
def test_python_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    for key, value in facts.items():
        assert data.get(key) == value
    if want == "missing_dependency" and not facts:
        assert "package" not in data  # a conda name is no PyPI distribution to add


@pytest.mark.parametrize(
    ("after", "want"),
    [
        (["  - conda-build=3.14.2"], "conda-build=3.14.2"),
        (
            ["", "  - freetype==2.11.0=h70c0345_0", "  - json5==0.9.6=pyhd3eb1b0_0"],
            "freetype==2.11.0=h70c0345_0",
        ),
        (
            ["  - conda-forge/linux-64::mamba==1.5.8-py311h3072747_0"],
            "conda-forge/linux-64::mamba==1.5.8-py311h3072747_0",
        ),
        (["  - defensefinder"], None),
        (["Current channels:"], None),
    ],
)
def test_conda_pin(after: list[str], want: str | None) -> None:
    assert conda_pin(after) == want


def test_hook_linter_from_id_then_name() -> None:
    assert hook_linter("black.....Failed", "black", ["- hook id: black-jupyter"]) == "black"
    assert hook_linter("- hook id: ruff-format", "ruff-format", []) == "ruff"
    assert hook_linter("mypy.....Failed", "mypy", []) == "mypy"
    assert hook_linter("check yaml.....Failed", "check yaml", ["- hook id: check-yaml"]) is None


def test_hook_file_stops_at_next_hook() -> None:
    after = ["- hook id: x", "- exit code: 1", "", "isort....Passed", "Fixing app/cli.py"]
    assert hook_file(after) is None
    assert hook_file(["", "reformatted app/cli.py"]) == "app/cli.py"


def test_bandit_location_line() -> None:
    assert location("   Location: ./app/cli.py:14:4") == ("app/cli.py", "14")
    assert location("   Location: app/cli.py:7") == ("app/cli.py", "7")
