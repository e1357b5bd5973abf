"""strategy.matrix expansion as GitHub documents it ("Using a matrix for your jobs")."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.sandbox.runner.matrix import MatrixError, expand, leg_name
from tests.sandbox.runner_support import body, make_repo, make_runner, request


def test_documented_include_example() -> None:
    # From GitHub's docs: includes extend matching combinations or add new ones.
    matrix = {
        "fruit": ["apple", "pear"],
        "animal": ["cat", "dog"],
        "include": [
            {"color": "green"},
            {"color": "pink", "animal": "cat"},
            {"fruit": "apple", "shape": "circle"},
            {"fruit": "banana"},
            {"fruit": "banana", "animal": "cat"},
        ],
    }
    assert expand(matrix) == [
        {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"},
        {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
        {"fruit": "pear", "animal": "cat", "color": "pink"},
        {"fruit": "pear", "animal": "dog", "color": "green"},
        {"fruit": "banana"},
        {"fruit": "banana", "animal": "cat"},
    ]


def test_exclude_partial_match_and_include_only() -> None:
    matrix = {"os": ["a", "b"], "v": [1, 2], "exclude": [{"os": "b"}]}
    assert expand(matrix) == [{"os": "a", "v": 1}, {"os": "a", "v": 2}]
    assert expand({"include": [{"x": 1}, {"x": 2}]}) == [{"x": 1}, {"x": 2}]
    assert expand(None) == [{}]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ({"os": []}, "Matrix vector 'os' does not contain any values"),
        ({"os": "linux"}, "Matrix vector 'os' must be a sequence"),
        ({"os": ["a"], "exclude": [{"os": "a"}]}, "Matrix must define at least one vector"),
        ("not a mapping", "strategy.matrix must be a mapping"),
    ],
)
def test_invalid_matrices(matrix: object, message: str) -> None:
    with pytest.raises(MatrixError, match=message):
        expand(matrix)


def test_leg_names() -> None:
    assert leg_name("build", {"os": "ubuntu", "py": 3.12}, False) == "build (ubuntu, 3.12)"
    assert leg_name("build", {"cfg": {"a": 1}}, False) == 'build ({"a": 1})'
    assert leg_name("Test on ubuntu", {"os": "ubuntu"}, True) == "Test on ubuntu"
    assert leg_name("lint", {}, False) == "lint"


def test_matrix_from_a_previous_jobs_output(tmp_path: Path) -> None:
    workflow = """
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      targets: ${{ steps.p.outputs.targets }}
    steps:
      - id: p
        run: echo 'targets=["x", "y"]' >> "$GITHUB_OUTPUT"
  build:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: ${{ fromJSON(needs.plan.outputs.targets) }}
    steps:
      - run: echo "building ${{ matrix.target }} (${{ strategy.job-total }} legs)"
"""
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": workflow})
    result = make_runner(tmp_path).run(request(bare, sha))
    assert [j.name for j in result.jobs] == ["plan", "build (x)", "build (y)"]
    assert "building y (2 legs)" in body(result.jobs[2].log)


ORG_FAN_OUT = """
on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    outputs:
      matrix: ${{ steps.s.outputs.matrix }}
    steps:
      - id: s
        run: |
          echo 'matrix=MATRIX' >> "$GITHUB_OUTPUT"
  heal:
    name: Heal ${{ matrix.repository }} (${{ matrix.workflow }})
    needs: scan
    if: fromJSON(needs.scan.outputs.matrix).include[0]
    runs-on: ubuntu-latest
    strategy:
      matrix: ${{ fromJSON(needs.scan.outputs.matrix) }}
      max-parallel: 2
      fail-fast: false
    concurrency:
      group: heal-${{ matrix.repository }}
      cancel-in-progress: false
    steps:
      - run: echo "heal ${{ matrix.repository }} run ${{ matrix.run_id }} on ${{ matrix.branch }}"
      - run: test "${{ matrix.run_id }}" != 2
"""


@pytest.mark.parametrize(
    ("matrix", "names"),
    [
        (
            '{"include": [{"repository": "o/a", "run_id": 1, "workflow": "CI", "branch": "main"}, '
            '{"repository": "o/b", "run_id": 2, "workflow": "Lint", "branch": "dev"}, '
            '{"repository": "o/c", "run_id": 3, "workflow": "CI", "branch": "main"}]}',
            ["scan", "Heal o/a (CI)", "Heal o/b (Lint)", "Heal o/c (CI)"],
        ),
        ('{"include": []}', ["scan", "Heal ${{ matrix.repository }} (${{ matrix.workflow }})"]),
    ],
)
def test_a_whole_matrix_from_a_previous_jobs_output(
    tmp_path: Path, matrix: str, names: list[str]
) -> None:
    # examples/org.yml's fan-out: an include-only matrix built by fromJSON; an empty one skips.
    workflow = ORG_FAN_OUT.replace("MATRIX", matrix)
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": workflow})
    result = make_runner(tmp_path).run(request(bare, sha))
    assert [j.name for j in result.jobs] == names
    if len(names) == 2:
        assert result.jobs[1].conclusion == "skipped" and result.conclusion == "success"
        return
    assert [j.conclusion for j in result.jobs] == ["success", "success", "failure", "success"]
    assert "heal o/b run 2 on dev" in body(result.jobs[2].log)
