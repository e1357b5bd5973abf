"""`smartmon sandbox serve` as a real process: first line, HTTP, git, SIGTERM, persisted state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from smartmon.sandbox import SandboxProcess, SandboxStartError
from tests.fixtures_sandbox import CI_WORKFLOW, Admin, clone_url, git

pytest_plugins = ["tests.fixtures_sandbox"]

ROOT = Path(__file__).resolve().parents[2]
FAKE = "tests.fixtures_sandbox:FakeRunner"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.mark.slow
def test_serve_prints_its_address_serves_and_stops_cleanly(tmp_path: Path) -> None:
    state = tmp_path / "state"
    proc = SandboxProcess(runner=FAKE, state_dir=state, env=_env(), cwd=ROOT)
    with proc:
        assert proc.api_url.startswith("http://127.0.0.1:")
        assert proc.repo == "sandbox/demo" and proc.token.startswith("ghp_")
        auth = {"Authorization": f"Bearer {proc.token}"}
        repo = requests.get(f"{proc.api_url}/repos/{proc.repo}", headers=auth, timeout=30)
        assert repo.status_code == 200
        admin = Admin(proc.api_url, proc.admin_token)
        admin.create_repo("octo", "demo", {".github/workflows/ci.yml": CI_WORKFLOW})
        admin.wait_idle()
        runs = requests.get(
            f"{proc.api_url}/repos/octo/demo/actions/runs", headers=auth, timeout=30
        )
        assert runs.json()["total_count"] == 1
        git("clone", "--quiet", clone_url(proc.api_url, "octo/demo", proc.token), "w", cwd=tmp_path)
        assert (tmp_path / "w" / ".github" / "workflows" / "ci.yml").is_file()
    assert proc.returncode == 0
    assert (state / "state.json").is_file()

    # A restart on the same state keeps repositories, runs and tokens.
    with SandboxProcess(runner=FAKE, state_dir=state, env=_env(), cwd=ROOT) as again:
        auth = {"Authorization": f"Bearer {proc.token}"}
        url = f"{again.api_url}/repos/octo/demo/actions/runs"
        assert requests.get(url, headers=auth, timeout=30).json()["total_count"] == 1
    assert again.returncode == 0


@pytest.mark.slow
def test_bad_options_fail_before_the_first_line(tmp_path: Path) -> None:
    with (
        pytest.raises(SandboxStartError) as caught,
        SandboxProcess(runner=FAKE, faults="nonsense", env=_env(), cwd=ROOT, timeout=30),
    ):
        pass
    assert "smartmon: error: --faults: unknown fault kind 'nonsense'" in str(caught.value)
    done = subprocess.run(
        [sys.executable, "-m", "smartmon", "sandbox", "serve", "--runner", "no.such:Thing"],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot load the workflow runner" in done.stderr
