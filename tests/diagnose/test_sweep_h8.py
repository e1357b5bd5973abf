"""Scientific Python, ML and mobile builds: what the sweep changed outside single rules.

conda's "PackagesNotFoundError" lists the specs under it: a pinned one (an environment exported on
another platform, as in conda-incubator/setup-miniconda #285's "ResolvePackageNotFound") is a conflict
with the pin as the package, a bare name stays a missing dependency with the name as the module
(conda's own output, as in conda/conda #6837 and #13659). nbval names a notebook cell with a space
("FAILED tests/notebooks/lorenz.ipynb::Cell 1", Iota-School/notebooks-for-all #4); the first failed
test of pytest's short summary is read with it. NumPy 2's banner over an optional import that the
program survives is not a failure (bigcode-project/selfcodealign #12).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify
from smartmon.diagnose.failed_tests import first_test


def _paste(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "paste.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("spec", "want", "facts"),
    [
        (
            "python==3.10.14=h955ad1f_1",
            "dependency_conflict",
            {"package": "python==3.10.14=h955ad1f_1"},
        ),
        ("conda-build=3.14.2", "dependency_conflict", {"package": "conda-build=3.14.2"}),
        ("flye", "missing_dependency", {"module": "flye"}),
    ],
)
def test_conda_packages_not_found(
    tmp_path: Path, spec: str, want: str, facts: dict[str, str]
) -> None:
    log = _paste(
        tmp_path,
        "Run conda env create -f environment.yml",
        "Solving environment: failed",
        "",
        "PackagesNotFoundError: The following packages are not available from current channels:",
        "",
        f"  - {spec}",
        "",
        "Current channels:",
        "",
        "  - https://repo.anaconda.com/pkgs/main/linux-64",
        "Error: Process completed with exit code 1.",
    )
    [top, *_] = classify.analyze_paths([log]).findings
    assert top.type.value == want
    assert {k: top.data.get(k) for k in facts} == facts


def test_nbval_cell_is_the_first_failed_test() -> None:
    before = ["FAILED tests/notebooks/lorenz.ipynb::Cell 1"]
    text = "FAILED tests/notebooks/lorenz.ipynb::Cell 4"
    assert first_test("tests/notebooks/lorenz.ipynb::Cell 4", text, before) == (
        "tests/notebooks/lorenz.ipynb::Cell 1"
    )


def test_nbval_summary_names_the_cell(tmp_path: Path) -> None:
    log = _paste(
        tmp_path,
        "Run pytest --nbval docs/",
        "___________________________ docs/intro.ipynb::Cell 3 ___________________________",
        "Notebook cell execution failed",
        "Cell 3: Cell outputs differ",
        "=========================== short test summary info ============================",
        "FAILED docs/intro.ipynb::Cell 3",
        "========================= 1 failed, 9 passed in 4.10s ==========================",
        "Error: Process completed with exit code 1.",
    )
    [top, *_] = classify.analyze_paths([log]).findings
    assert (top.type.value, top.data.get("test")) == ("test_failure", "docs/intro.ipynb::Cell 3")


def test_numpy2_banner_alone_is_not_a_failure(tmp_path: Path) -> None:
    log = _paste(
        tmp_path,
        "Run python -m evalkit.run",
        "A module that was compiled using NumPy 1.x cannot be run in",
        "NumPy 2.1.2 as it may crash. To support both 1.x and 2.x",
        "versions of NumPy, modules must be compiled with NumPy 2.0.",
        "AttributeError: _ARRAY_API not found",
        "pass@1: 0.591",
        "Results written to results/humaneval.json",
    )
    assert not classify.analyze_paths([log]).findings
