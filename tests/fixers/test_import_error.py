from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.fixers import FixContext
from smartmon.fixers.import_error import plan
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding, IssueType, Severity
from smartmon.sandbox import scenarios

CASES = Path(__file__).parent / "testdata" / "import_error"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()), ids=str)
def test_case(case: str, tmp_path: Path) -> None:
    src = CASES / case
    spec = json.loads((src / "finding.json").read_text("utf-8"))
    repo = tmp_path / "repo"
    shutil.copytree(src / "in", repo)
    before = _tree(repo)
    ws = Workspace(repo)
    fix = plan(Finding.from_dict(spec), ws, FixContext())
    assert fix is not None and fix.type is IssueType.IMPORT_ERROR
    if "reason" in spec:
        assert fix.reason is not None and spec["reason"] in fix.reason
    if (src / "noop").exists():
        assert not fix.applicable, fix
        assert _tree(repo) == before
        return
    assert fix.applicable, fix.reason
    ws.apply(fix.edits)
    assert _tree(repo) == _tree(src / "out")
    again = plan(Finding.from_dict(spec), Workspace(repo), FixContext())
    assert again is None or not again.applicable


def _finding(data: dict[str, str]) -> Finding:
    return Finding(
        type=IssueType.IMPORT_ERROR,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="python-cannot-import-name",
        job="test",
        step="pytest",
        line=1,
        text="",
        data=data,
    )


def test_rust_unresolved_import_is_not_python(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("from utils import serde\n")
    finding = Finding.from_dict(
        {**_finding({"name": "serde"}).to_dict(), "rule": "rust-unresolved-import", "text": ""}
    )
    assert plan(finding, Workspace(tmp_path), FixContext()) is None


def test_not_my_business_without_a_name(tmp_path: Path) -> None:
    assert plan(_finding({}), Workspace(tmp_path), FixContext()) is None
    assert plan(_finding({"name": "a b", "from": "x"}), Workspace(tmp_path), FixContext()) is None


def test_never_imports_repository_code(tmp_path: Path) -> None:
    """A module with side effects at import time is only parsed, never executed."""
    marker = tmp_path / "ran"
    (tmp_path / "utils.py").write_text(
        f"open({str(marker)!r}, 'w').write('x')\n\ndef parse_config():\n    pass\n"
    )
    (tmp_path / "app.py").write_text("from utils import parse_confg\nparse_confg()\n")
    fix = plan(
        _finding({"name": "parse_confg", "from": "utils"}), Workspace(tmp_path), FixContext()
    )
    assert fix is not None and fix.applicable
    assert not marker.exists()


def test_fixed_script_runs(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "near_miss_rename_keeps_local_name" / "in", repo)
    before = subprocess.run(
        [sys.executable, "app.py"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert "cannot import name 'parse_confg' from 'pkg.utils'" in before.stderr
    ws = Workspace(repo)
    fix = plan(_finding({"name": "parse_confg", "from": "pkg.utils"}), ws, FixContext())
    assert fix is not None
    ws.apply(fix.edits)
    code = "import app, sys; sys.argv = ['x', '{\"a\": 1}']; print(app.main())"
    after = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True
    )
    assert after.stdout.strip() == "{'a': 1}"


def test_sandbox_scenario_is_fixed_in_one_step(tmp_path: Path) -> None:
    """The import-error scenario: both names of the failing statement moved; one fix, one run."""
    sc = scenarios.load("import-error")
    for path, data in sc.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    report = [sys.executable, "-m", "inventory.report"]
    before = subprocess.run(report, cwd=tmp_path, capture_output=True, text=True, check=False)
    error = before.stderr.strip().splitlines()[-1]
    assert error.startswith("ImportError: cannot import name 'DEFAULT_STOCK'"), before.stderr
    ws = Workspace(tmp_path)
    fix = plan(_finding({"name": "DEFAULT_STOCK", "from": "inventory.models"}), ws, FixContext())
    assert fix is not None and fix.applicable, fix
    assert "'DEFAULT_STOCK', 'Item'" in fix.description
    ws.apply(fix.edits)
    assert (tmp_path / "inventory/report.py").read_bytes() == sc.fixed().files[
        "inventory/report.py"
    ]
    after = subprocess.run(report, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert after.returncode == 0, after.stderr
    assert after.stdout == "3 items, 15 units, restock: pear, plum\n"
