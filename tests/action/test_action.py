"""action.py against the in-process sandbox (event payload in, summary/outputs/report out), and the
hygiene rules of action.yml, the requirements file, our workflows and the examples."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from packaging.requirements import Requirement

from smartmon.action import main as action
from smartmon.action.runtime import Runtime
from smartmon.github.client import GitHubClient
from tests.action import e2e_support as es

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

ROOT = es.ROOT
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yml"))
ACTION_YML = ROOT / "action.yml"
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
FAILING = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: |
          python -m app
          ModuleNotFoundError: No module named 'yaml'
          exit 1
"""


def _uses_lines(path: Path) -> list[str]:
    return [
        line.split("uses:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        return list(doc["runs"]["steps"])
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


def test_action_yml_inputs_outputs_and_pins() -> None:
    doc = yaml.safe_load(ACTION_YML.read_text())
    assert doc["runs"]["using"] == "composite"
    wanted = {"token", "mode", "max-attempts", "fix-types", "dry-run", "create-secrets"}
    assert wanted | {"python-version", "log-level", "run-id"} <= set(doc["inputs"])
    assert doc["inputs"]["token"]["default"] == "${{ github.token }}"
    assert doc["inputs"]["max-attempts"]["default"] == "2"
    assert doc["inputs"]["create-secrets"]["default"] == "false"
    outputs = {"findings", "fixed", "report-path", "pull-request-url", "commit-sha", "handoff"}
    assert set(doc["outputs"]) == outputs
    for line in _uses_lines(ACTION_YML):
        assert _PINNED.match(line), line
    setup = next(s for s in _steps(doc) if "setup-python" in s.get("uses", ""))
    assert setup["with"]["update-environment"] is False
    # Inputs reach scripts through env: only.
    heal = next(s for s in _steps(doc) if s.get("id") == "heal")
    for name in doc["inputs"]:
        if name != "python-version":  # used by setup-python
            assert f"${{{{ inputs.{name} }}}}" in heal["env"].values(), name
    install = next(s for s in _steps(doc) if s.get("id") == "install")["run"]
    assert "--require-hashes" in install and "$RUNNER_TEMP/smartmon-venv" in install


@pytest.mark.parametrize("path", [ACTION_YML, *WORKFLOWS, *EXAMPLES], ids=lambda p: p.name)
def test_no_expressions_in_scripts(path: Path) -> None:
    for step in _steps(yaml.safe_load(path.read_text())):
        assert "${{" not in str(step.get("run", "")), (path.name, step.get("name"))


@pytest.mark.parametrize("path", [*WORKFLOWS, *EXAMPLES], ids=lambda p: p.name)
def test_workflows_grant_per_job_and_pin_by_sha(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    assert doc["permissions"] == {}, "permissions: {} at the top"
    for job in doc["jobs"].values():
        assert isinstance(job.get("permissions"), dict) and job.get("timeout-minutes")
    for step in _steps(doc):
        if "actions/checkout" in step.get("uses", ""):
            assert step["with"]["persist-credentials"] is False
    for line in _uses_lines(path):
        if not line.startswith(("./", "owner/smartmon-action@")):
            assert _PINNED.match(line), line


def test_ci_runs_make_test_on_three_pythons() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    test = doc["jobs"]["test"]
    assert test["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert any("make test" in str(s.get("run", "")) for s in test["steps"])
    assert any(s.get("uses") == "./" for s in doc["jobs"]["smoke-test"]["steps"])


def test_requirements_pin_every_runtime_dependency_with_hashes() -> None:
    text = (ROOT / "requirements" / "action.txt").read_text()
    entries = re.findall(
        r"(?m)^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", text
    )
    pins = {
        es._canonical(name): (version, body.count("--hash=")) for name, version, body in entries
    }
    closure = {es._canonical(d.metadata["Name"]): d for d in es._closure()}
    assert set(pins) == set(closure)
    for name, dist in closure.items():
        assert pins[name][1] >= 1
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None and es._canonical(req.name) in pins:
                assert req.specifier.contains(pins[es._canonical(req.name)][0], prereleases=True)
    # Binary wheels: at least one per CPython 3.11-3.13 on Linux x86-64, Linux arm64, macOS arm64
    # (tests/action/test_requirements_platforms.py checks which platform each one serves).
    for name in ("google-re2", "pyyaml", "cffi", "charset-normalizer"):
        assert pins[name][1] >= 9, name


@pytest.mark.skipif(shutil.which("zizmor") is None and not (ROOT / ".venv/bin/zizmor").exists(),
                    reason="zizmor is not installed (pip install zizmor)")  # fmt: skip
def test_zizmor_pedantic_reports_nothing_unexplained() -> None:
    exe = shutil.which("zizmor") or str(ROOT / ".venv/bin/zizmor")
    args = [exe, "--persona", "pedantic", "--offline", "--config", ".github/zizmor.yml"]
    files = [".github/", *(str(p.relative_to(ROOT)) for p in EXAMPLES), "action.yml"]
    proc = subprocess.run([*args, *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout + proc.stderr


# -- action.py ------------------------------------------------------------------------------


def _env(tmp: Path, sb: SandboxHandle, repo: str, event: dict[str, Any]) -> dict[str, str]:
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(event))
    for name in ("output", "summary"):
        (tmp / name).write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(tmp / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary"),
        "GITHUB_REPOSITORY": repo,
        "GITHUB_API_URL": sb.api_url,
        "GITHUB_SERVER_URL": sb.api_url,
        "GITHUB_RUN_ID": "77",
        "RUNNER_TEMP": str(tmp / "temp"),
        "SMARTMON_TOKEN": sb.token,
        "SMARTMON_DEFAULT_TOKEN": sb.token,
        "SMARTMON_MODE": "report",
    }


def test_main_heals_the_event_run_and_writes_everything(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    sandbox_server.admin.create_repo("octo", "app", {".github/workflows/ci.yml": FAILING,
                                                     "requirements.txt": "packaging\n"})  # fmt: skip
    sandbox_server.admin.wait_idle()
    client = GitHubClient(sandbox_server.token, repo="octo/app", api_url=sandbox_server.api_url)
    run = client.list_runs()[0]
    event = {"action": "completed", "workflow_run": dict(run)}
    env = _env(tmp_path, sandbox_server, "octo/app", event)
    out = io.StringIO()
    assert action.main(Runtime(env=env, out=out)) == 0
    summary = (tmp_path / "summary").read_text()
    outputs = es._parse_outputs((tmp_path / "output").read_text())
    assert outputs["findings"] == "1" and outputs["fixed"] == "0"
    assert outputs["pull-request-url"] == "" and outputs["commit-sha"] == ""
    report_dir = Path(outputs["report-path"])
    report = json.loads((report_dir / "report.json").read_text())
    assert report["results"][0]["run_id"] == run["id"]
    assert report["results"][0]["delivery"] == "patch"
    assert (report_dir / f"fix-run-{run['id']}.patch").read_text().count("+PyYAML") == 1
    assert "| test |" in summary and "mode is report" in summary and "```diff" in summary
    for text in (summary, out.getvalue(), *(p.read_text() for p in report_dir.iterdir())):
        assert sandbox_server.token not in text
    assert client.list_pulls() == []


def test_main_rejects_bad_inputs_with_an_annotation(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    env = _env(tmp_path, sandbox_server, "octo/none", {"workflow_run": {}})
    for key, value, words in (
        ("SMARTMON_MODE", "yolo", "input mode: 'yolo'"),
        ("SMARTMON_FIX_TYPES", "nope", "input fix-types: unknown nope"),
        ("SMARTMON_MAX_ATTEMPTS", "0", "input max-attempts: 0 is below the minimum"),
        ("SMARTMON_RUN_ID", "12; rm -rf /", "input run-id"),
    ):
        out = io.StringIO()
        bad = {**env, "SMARTMON_MODE": "report", key: value}
        assert action.main(Runtime(env=bad, out=out)) == 2
        assert out.getvalue().startswith("::error title=smartmon%3A bad input::"), out.getvalue()
        assert words in out.getvalue().replace("%0A", "\n")


def test_scheduled_heals_the_newest_failure_per_workflow_and_branch(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    files = {".github/workflows/ci.yml": FAILING, "requirements.txt": "packaging\n"}
    sandbox_server.admin.create_repo("octo", "cron", files)
    client = GitHubClient(sandbox_server.token, repo="octo/cron", api_url=sandbox_server.api_url)
    client.dispatch("ci.yml", "main")
    sandbox_server.admin.wait_idle()
    newest, older = client.list_runs()[:2]
    assert newest["id"] > older["id"] and newest["conclusion"] == older["conclusion"] == "failure"
    env = {**_env(tmp_path, sandbox_server, "octo/cron", {}), "GITHUB_EVENT_NAME": "schedule"}
    assert action.main(Runtime(env=env, out=io.StringIO())) == 0
    outputs = es._parse_outputs((tmp_path / "output").read_text())
    report = json.loads((Path(outputs["report-path"]) / "report.json").read_text())
    assert [r["run_id"] for r in report["results"]] == [newest["id"]]
