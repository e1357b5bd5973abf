"""Finding the job and step a log names, when the log prints them rendered: `${{ }}` expressions
substituted (matrix values, inputs) and secrets masked as `***`, as the runner shows them."""

from __future__ import annotations

from typing import Any

import pytest

from smartmon.workflows import find_job, find_step, parse

WORKFLOW = """\
on: push
jobs:
  test:
    name: Test on ${{ matrix.os }}
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    steps:
      - uses: actions/checkout@v4
      - name: Install for Python ${{ matrix.python }}
        run: pip install -e .
      - run: 'curl -H "Authorization: Bearer ${{ secrets.API_TOKEN }}" https://api.example.com/x'
      - name: ${{ matrix.task }}
        run: make ${{ matrix.task }}
  deploy:
    name: Deploy ${{ inputs.environment }}
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
"""


@pytest.fixture(scope="module")
def doc() -> Any:
    return parse(WORKFLOW)


@pytest.mark.parametrize(
    ("shown", "job"),
    [
        ("Test on windows-latest", "test"),
        ("Deploy production", "deploy"),
        ("deploy", "deploy"),
        ("Deploy production (3.12)", "deploy"),
        ("Build on windows-latest", None),
    ],
)
def test_job_names_with_expressions(doc: Any, shown: str, job: str | None) -> None:
    assert find_job(doc, shown) == job


@pytest.mark.parametrize(
    ("shown", "index"),
    [
        ("Install for Python 3.12", 1),
        ('Run curl -H "Authorization: Bearer ***" https://api.example.com/x', 2),
        ("Run make lint", 3),
        ("Install for Ruby 3.3", None),
        ("lint", None),  # a name that is only an expression would match anything: never guessed
    ],
)
def test_step_names_with_expressions(doc: Any, shown: str, index: int | None) -> None:
    step = find_step(doc, "test", shown)
    assert (step.path[-1] if step else None) == index
