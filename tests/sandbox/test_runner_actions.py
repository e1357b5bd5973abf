"""Built-in action emulations (checkout refs and depth, setup-python, SHA pins) and cancellation."""

from __future__ import annotations

import importlib.metadata
import sys
import threading
import time
import zipfile
from pathlib import Path

from smartmon.sandbox import python_env
from tests.sandbox.runner_support import body, commit, git, make_repo, make_runner, request

WF = ".github/workflows/ci.yml"
PINNED = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"


def test_checkout_ref_tag_depth_and_sha_pins(tmp_path: Path) -> None:
    workflow = f"""
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: {PINNED}
      - run: echo "default=$(git rev-list --count HEAD) $(cat v.txt)"
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
          path: full
      - run: echo "full=$(git -C full rev-list --count HEAD) tags=$(git -C full tag)"
      - uses: actions/checkout@v4
        with:
          ref: v1
          path: tagged
      - run: echo "tagged=$(cat tagged/v.txt)"
      - uses: actions/checkout@v4
        with:
          ref: feature
          path: branch
      - run: echo "branch=$(cat branch/v.txt) $(git -C branch rev-parse --abbrev-ref HEAD)"
"""
    bare, work, _ = make_repo(tmp_path, {WF: workflow, "v.txt": "one\n"})
    git(work, "tag", "v1")
    git(work, "push", "-q", str(bare), "v1")
    git(work, "checkout", "-q", "-b", "feature")
    commit(work, bare, {"v.txt": "feature\n"}, branch="feature")
    git(work, "checkout", "-q", "main")
    sha = commit(work, bare, {"v.txt": "three\n"})
    result = make_runner(tmp_path).run(request(bare, sha))
    out = body(result.jobs[0].log)
    assert result.conclusion == "success", "\n".join(out)
    assert "default=1 three" in out
    assert "full=2 tags=v1" in out
    assert "tagged=one" in out
    assert "branch=feature feature" in out
    assert f"Download action repository '{PINNED}' (SHA:" in "\n".join(out)


def test_setup_python_versions_and_outputs(tmp_path: Path) -> None:
    here = python_env.probe(sys.executable)
    workflow = f"""
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: py
        uses: actions/setup-python@v5
        with:
          python-version: '{here.major_minor}'
          update-environment: false
      - run: |
          echo "out=${{{{ steps.py.outputs.python-version }}}} loc=${{pythonLocation:-unset}}"
          "${{{{ steps.py.outputs.python-path }}}}" -c "import sys; print('prefix', sys.prefix != sys.base_prefix)"
      - uses: actions/setup-python@v5
        with:
          python-version: '3.x'
      - run: python -c "import sys; print('venv', sys.prefix != sys.base_prefix)"
      - uses: actions/setup-python@v5
        with:
          python-version: '2.7'
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow})
    result = make_runner(tmp_path).run(request(bare, sha))
    out = body(result.jobs[0].log)
    assert f"out={here.version} loc=unset" in out
    assert "prefix True" in out and "venv True" in out
    assert (
        "##[error]The version '2.7' with architecture 'x64' was not found for Ubuntu 24.04. "
        "The list of all available versions can be found here: "
        "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json"
    ) in out
    assert result.conclusion == "failure"


def test_version_matching() -> None:
    assert python_env.version_matches("3.x", "3.11.7")
    assert python_env.version_matches("3.11", "3.11.7")
    assert python_env.version_matches("3.11.7", "3.11.7")
    assert python_env.version_matches(">=3.9", "3.11.7")
    assert not python_env.version_matches("3.12", "3.11.7")
    assert not python_env.version_matches("3.11.8", "3.11.7")
    assert not python_env.version_matches("pypy3.10", "3.11.7")


def test_cancel_stops_the_running_step_and_skips_the_rest(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    workflow = f"""
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: touch {marker} && sleep 60
      - run: echo not-run
      - if: always()
        run: echo cleanup-runs
  b:
    needs: a
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo not-run-either
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow})
    req = request(bare, sha)

    def cancel_when_started() -> None:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the step to start, not timing it
        req.cancel.set()

    thread = threading.Thread(target=cancel_when_started)
    thread.start()
    result = make_runner(tmp_path).run(req)
    thread.join()
    assert result.conclusion == "cancelled"
    a, b = result.jobs
    assert a.conclusion == "cancelled"
    assert [s.conclusion for s in a.steps[1:4]] == ["cancelled", "skipped", "success"]
    out = body(a.log)
    assert "##[error]The operation was canceled." in out and "cleanup-runs" in out
    assert "not-run" not in out
    # `always()` runs even in a cancelled run (hence GitHub's advice to use `!cancelled()`),
    # but its steps see the cancellation.
    assert b.conclusion == "cancelled" and "not-run-either" not in "\n".join(body(b.log))


def test_setup_python_pip_cache_needs_a_dependency_file(tmp_path: Path) -> None:
    workflow = """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: '3.x'
          cache: pip
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow})
    result = make_runner(tmp_path).run(request(bare, sha))
    (line,) = [ln for ln in body(result.jobs[0].log) if ln.startswith("##[error]")]
    assert line.startswith("##[error]No file in /")
    assert line.endswith(
        "matched to [**/requirements.txt or **/pyproject.toml], make sure you have checked out "
        "the target repository"
    )
    (tmp_path / "ok").mkdir()
    bare, _, sha = make_repo(tmp_path / "ok", {WF: workflow, "requirements.txt": "x\n"})
    assert make_runner(tmp_path / "ok").run(request(bare, sha)).conclusion == "success"


def test_job_without_steps_is_an_invalid_workflow(tmp_path: Path) -> None:
    bare, _, sha = make_repo(tmp_path, {WF: "on: push\njobs:\n  a:\n    runs-on: x\n"})
    result = make_runner(tmp_path).run(request(bare, sha))
    assert result.conclusion == "startup_failure"
    assert result.annotations[0].message == (
        f"The workflow is not valid. {WF} (Line: 3, Col: 3): No steps defined in `steps` and "
        "no workflow called in `uses` for the following jobs: a"
    )


def test_wheelhouse_repacks_installed_distributions(tmp_path: Path) -> None:
    wheel = python_env.build_wheel(importlib.metadata.distribution("packaging"), tmp_path)
    assert wheel.name.startswith("packaging-") and wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = next(n for n in names if n.endswith(".dist-info/RECORD"))
        record = zf.read(info).decode()
        assert "packaging/version.py,sha256=" in record
        assert not any("__pycache__" in n for n in names)
    house = python_env.ensure_wheelhouse(tmp_path / "house", roots=["packaging"])
    assert [p.name for p in house.iterdir()] == [wheel.name]
    assert python_env.ensure_wheelhouse(tmp_path / "house", roots=["PyYAML"]) == house


def test_offline_pip_install_of_an_unknown_package_fails_like_an_index(tmp_path: Path) -> None:
    workflow = """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: '3.x'
      - run: pip install not-a-real-package-xyz
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow})
    result = make_runner(tmp_path).run(request(bare, sha))
    out = body(result.jobs[0].log)
    assert "ERROR: No matching distribution found for not-a-real-package-xyz" in out
    assert result.conclusion == "failure"
