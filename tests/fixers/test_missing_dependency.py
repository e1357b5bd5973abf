from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from smartmon.diagnose.distributions import imports_for
from smartmon.fixers import FixContext
from smartmon.fixers.missing_dependency import plan
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding, IssueType, Severity

CASES = Path(__file__).parent / "testdata" / "missing_dependency"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _finding(
    data: dict[str, str],
    job: str = "test",
    step: str = "Run tests",
    rule: str = "python-module-not-found",
) -> Finding:
    return Finding(
        type=IssueType.MISSING_DEPENDENCY,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule=rule,
        job=job,
        step=step,
        line=1,
        text="",
        data=data,
    )


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()), ids=str)
def test_case(case: str, tmp_path: Path) -> None:
    src = CASES / case
    spec = json.loads((src / "finding.json").read_text("utf-8"))
    repo = tmp_path / "repo"
    shutil.copytree(src / "in", repo)
    before = _tree(repo)
    ws = Workspace(repo)
    ctx = FixContext(workflow=spec.get("workflow"))
    fix = plan(Finding.from_dict(spec), ws, ctx)
    assert fix is not None and fix.type is IssueType.MISSING_DEPENDENCY
    if "reason" in spec:
        assert fix.reason is not None and spec["reason"] in fix.reason
    if "suggest" in spec:
        assert fix.reason is not None
        _, _, tail = fix.reason.partition("; did you mean: ")
        assert (tail.split(", ") if tail else []) == spec["suggest"]
    if (src / "noop").exists():
        assert not fix.applicable, fix
        assert ws.apply(fix.edits) == []
        assert _tree(repo) == before
        return
    assert fix.applicable, fix.reason
    ws.stage(fix.edits)
    changed = ws.apply()
    assert changed == [e.path for e in fix.edits]
    assert _tree(repo) == _tree(src / "out")
    # Idempotent: planning again on the fixed tree changes nothing.
    again = plan(Finding.from_dict(spec), Workspace(repo), ctx)
    assert again is not None and not again.applicable
    assert again.reason is not None and "already listed" in again.reason


def test_crlf_requirements_keep_line_endings(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"# deps\r\nrequests\r\n")
    ws = Workspace(tmp_path)
    fix = plan(_finding({"module": "yaml"}), ws, FixContext())
    assert fix is not None and fix.applicable
    ws.apply(fix.edits)
    assert (tmp_path / "requirements.txt").read_bytes() == b"# deps\r\nrequests\r\nPyYAML\r\n"


def test_crlf_pyproject_keeps_line_endings(tmp_path: Path) -> None:
    text = b'[project]\r\nname = "x"\r\ndependencies = [\r\n    "rich",\r\n]\r\n'
    (tmp_path / "pyproject.toml").write_bytes(text)
    ws = Workspace(tmp_path)
    fix = plan(_finding({"module": "yaml"}), ws, FixContext())
    assert fix is not None and fix.applicable
    ws.apply(fix.edits)
    assert (tmp_path / "pyproject.toml").read_bytes() == text.replace(
        b'"rich",\r\n', b'"rich",\r\n    "PyYAML",\r\n'
    )


def test_not_my_business_without_a_name(tmp_path: Path) -> None:
    assert plan(_finding({}), Workspace(tmp_path), FixContext()) is None


@pytest.mark.parametrize(
    ("rule", "data"),
    [
        ("node-cannot-find-module", {"module": "dotenv"}),
        ("npm-package-not-found", {"package": "left-pad"}),
        ("ruby-cannot-load", {"module": "yaml"}),
        ("rust-crate-not-found", {"package": "serde"}),
    ],
)
def test_other_ecosystems_are_not_python_manifests(
    tmp_path: Path, rule: str, data: dict[str, str]
) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    assert plan(_finding(data, rule=rule), Workspace(tmp_path), FixContext()) is None


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        (
            "reqeusts",
            "'reqeusts' is not on the package index under that name; did you mean: requests",
        ),
        ("torch", "torch exists; its version pin or the Python version matches no release"),
        ("x;rm -rf /", "'x;rm?-rf?/' is not a valid PEP 508 distribution name"),
    ],
)
def test_package_missing_from_the_index_is_a_manifest_error(
    tmp_path: Path, package: str, reason: str
) -> None:
    (tmp_path / "requirements.txt").write_text(f"{package}\n")
    finding = _finding({"package": package}, rule="pip-no-matching-distribution")
    fix = plan(finding, Workspace(tmp_path), FixContext())
    assert fix is not None and not fix.applicable
    assert fix.reason is not None and fix.reason.startswith(reason)


def test_sees_earlier_staged_edits(tmp_path: Path) -> None:
    """Two missing modules in one run become two lines, planned one after the other."""
    (tmp_path / "requirements.txt").write_text("requests\n")
    ws = Workspace(tmp_path)
    for module in ("yaml", "bs4"):
        fix = plan(_finding({"module": module}), ws, FixContext())
        assert fix is not None and fix.applicable
        ws.stage(fix.edits)
    ws.apply()
    assert (tmp_path / "requirements.txt").read_text() == "requests\nPyYAML\nbeautifulsoup4\n"


@pytest.mark.slow
def test_added_requirement_makes_the_script_import(tmp_path: Path) -> None:
    """End to end without network: the failing script fails, the fix names a distribution whose
    top-level module is the missing one, and with that distribution installed the script runs."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("requests\n")
    (repo / "app.py").write_text("import yaml\nprint(yaml.safe_load('a: 1')['a'])\n")
    # A venv without the project's site-packages reproduces the CI failure.
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    failed = subprocess.run(
        [str(bare / "bin" / "python"), "app.py"], cwd=repo, capture_output=True, text=True
    )
    assert "No module named 'yaml'" in failed.stderr
    ws = Workspace(repo)
    fix = plan(_finding({"module": "yaml"}), ws, FixContext())
    assert fix is not None and fix.applicable
    ws.apply(fix.edits)
    added = (repo / "requirements.txt").read_text().splitlines()[-1]
    req = Requirement(added)
    assert "yaml" in imports_for(req.name)
    # "Install" the named distribution into the throw-away venv offline: copy the files its
    # installed metadata records (RECORD) from the project venv. Only the distribution the
    # requirement names is copied, so the script runs only if that name provides the module.
    dist = importlib.metadata.distribution(req.name)
    site = bare / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    for rel in dist.files or ():
        src = Path(str(dist.locate_file(rel)))
        if src.is_file() and ".." not in rel.parts:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, site / rel)
    ok = subprocess.run(
        [str(bare / "bin" / "python"), "app.py"], cwd=repo, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "1"


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "workflows" / "real"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the repository")
def test_reading_install_steps_of_every_real_workflow_never_fails() -> None:
    """Real workflows (odd shapes, expressions, matrices) are read without error; only files that
    exist in the workspace are ever returned."""
    from smartmon.fixers._manifests import workflow_manifests

    ws = Workspace(CORPUS)
    names = sorted(p.name for p in CORPUS.glob("*.y*ml"))
    assert len(names) > 100
    for name in names:
        for manifest in workflow_manifests(ws, name, "test"):
            assert ws.exists(manifest.path), (name, manifest)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("python -m pip install --upgrade pip && pip install -r requirements/test.txt", "t"),
        ("pip install -U pip; python3.12 -m pip install --requirement=requirements/test.txt", "t"),
        ("uv pip install -r requirements/test.txt", "t"),
        ("py -m pip install -rrequirements/test.txt", "t"),
        ('pip install -e ".[dev]"', "p"),
        ("pip install .", "p"),
        ("poetry install --with dev", "p"),
        ("uv sync --all-extras", "p"),
        ("pip install requests pytest", "r"),
        ("pip install -c constraints.txt tox", "r"),
        ("echo pip install -r requirements/test.txt", "r"),
    ],
)
def test_install_commands_pick_the_manifest(tmp_path: Path, script: str, expected: str) -> None:
    files = {
        "requirements.txt": "requests\n",
        "requirements/test.txt": "pytest\n",
        "pyproject.toml": '[project]\nname = "x"\ndependencies = []\n',
        "constraints.txt": "tox<5\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    workflow = {"jobs": {"test": {"runs-on": "x", "steps": [{"run": script}, {"run": "pytest"}]}}}
    (tmp_path / "ci.yml").write_text(json.dumps(workflow))
    ws = Workspace(tmp_path)
    fix = plan(_finding({"module": "yaml"}), ws, FixContext(workflow="ci.yml"))
    assert fix is not None and fix.applicable
    want = {"t": "requirements/test.txt", "p": "pyproject.toml", "r": "requirements.txt"}[expected]
    assert fix.file == want
