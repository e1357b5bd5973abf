"""Verdicts the sampled Python wave (helper h103) relies on beyond the rules' own examples: which of
several lines of one family wins (pixi's header against the spec under it, SQLAlchemy's empty URL
under pytest's conftest wrapper), and the run page's annotation pasted over GitHub's parser message.

Texts are the tools' real formats with names changed; the rules cite the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # RoboStack/ros-kilted #77: newer pixi nests its headers over resolvo's explanation, wrapped
        # before "viable"; the spec under them is the fact, not the header.
        (
            [
                "Run pixi install --locked",
                "Error:   × failed to solve requirements of environment 'default' for platform 'linux-64'",
                "  ├─▶   × failed to solve the environment",
                "  │   ",
                "  ╰─▶ Cannot solve the request because of: open3d * cannot be installed because there are no",
                "      viable options:",
                "      └─ open3d 0.18.0 | 0.19.0 would require",
                "         └─ python >=3.10, which cannot be installed because there are no viable options",
                "##[error]The process '/home/runner/.pixi/bin/pixi' failed with exit code 1",
            ],
            "dependency_conflict",
            {"package": "open3d", "tool": "pixi"},
        ),
        # The older header over "No candidates were found for …" keeps that spec.
        (
            [
                "  × failed to solve the conda requirements of 'default' 'linux-64'",
                "  ╰─▶ Cannot solve the request because of: No candidates were found for gunicorn >=22.",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "gunicorn >=22", "tool": "pixi"},
        ),
        # A header alone still names the type.
        (
            ["  × failed to solve the pypi requirements of 'default' 'linux-aarch64'", FAILED],
            "dependency_conflict",
            {"tool": "pixi"},
        ),
        # sqlalchemy/sqlalchemy #8207's shape: the empty URL under pytest's conftest wrapper.
        (
            [
                "ImportError while loading conftest '/home/runner/work/songs/songs/tests/conftest.py'.",
                "tests/conftest.py:13: in <module>",
                "    engine = create_engine(SQLALCHEMY_DATABASE_URL)",
                "E   sqlalchemy.exc.ArgumentError: Could not parse rfc1738 URL from string 'None'",
                "##[error]Process completed with exit code 4.",
            ],
            "missing_env_vars",
            {},
        ),
        # conda env create without the file: the path made repository-relative.
        (
            [
                "Run conda env create -f environment.yml",
                "EnvironmentFileNotFound: '/home/runner/work/proj/proj/environment.yml' file not found",
                FAILED,
            ],
            "unknown",
            {"file": "environment.yml"},
        ),
        # uv's -r on a missing file.
        (
            [
                "Run uv pip install --system -r requirements-dev.txt",
                "error: File not found: `requirements-dev.txt`",
                "##[error]Process completed with exit code 2.",
            ],
            "unknown",
            {"file": "requirements-dev.txt"},
        ),
        # uv asked for a requires-python range no interpreter satisfies.
        (
            [
                "Run uv sync --locked",
                "error: No interpreter found for Python >=3.11, <3.13 in managed installations or search path",
                "##[error]Process completed with exit code 2.",
            ],
            "missing_tool",
            {"command": "python", "version": ">=3.11, <3.13"},
        ),
    ],
)
def test_family_lines_read(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    kind, data = top_finding(tmp_path, lines)
    assert kind == want
    for key, value in facts.items():
        assert data.get(key) == value


@pytest.mark.parametrize(
    "text",
    [
        # adipandas/multi-object-tracker #43, as pasted: the annotation over "`use`".
        "Error: .github#L1\nevery step must define a `use` or `run` key\n",
        # conda-forge/staged-recipes #27418's capitalised form, alone.
        "Every step must define a `uses` or `run` key\n",
    ],
)
def test_step_shape_paste_is_a_workflow_error(tmp_path: Path, text: str) -> None:
    kind, _ = top_finding(tmp_path, text.splitlines())
    assert kind == "yaml_syntax_error"


def test_empty_url_text_in_a_passing_test_is_not_a_finding(tmp_path: Path) -> None:
    lines = [
        "tests/test_db.py::test_rejects_empty_url PASSED",
        "    # ArgumentError: Could not parse SQLAlchemy URL from string 'postgres://x'",
        "============================== 3 passed in 0.41s ===============================",
    ]
    kind, _ = top_finding(tmp_path, lines)
    assert kind is None


def test_pypi_metadata_refusal_pasted_without_trailer_is_the_cause(tmp_path: Path) -> None:
    lines = [
        "Uploading distributions to https://upload.pypi.org/legacy/",
        "Uploading widget-0.1.0-py3-none-any.whl",
        "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/",
        "         The description failed to render for 'text/markdown'. See https://pypi.org/help/#description-content-type for more information.",
    ]
    kind, _ = top_finding(tmp_path, lines)
    assert kind == "unknown"
