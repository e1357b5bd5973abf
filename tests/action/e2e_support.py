"""The end-to-end set-up: this checkout as `owner/smartmon-action@v1` inside a sandbox whose runner
installs from a wheelhouse, and scenario repositories with examples/on-failure.yml installed."""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from smartmon.github.client import GitHubClient
from smartmon.sandbox import SandboxProcess, python_env, scenarios
from tests.fixtures_sandbox import Admin

ROOT = Path(__file__).resolve().parents[2]
ACTION = "owner/smartmon-action@v1"
EXAMPLE = ROOT / "examples" / "on-failure.yml"
MANUAL = ROOT / "examples" / "manual.yml"


def build_wheelhouse(folder: Path) -> Path:
    return python_env.ensure_wheelhouse(folder / "wheelhouse")


def action_copy(folder: Path, wheelhouse: Path) -> Path:
    """action.yml and src/ of this checkout, with requirements/action.txt hashed for `wheelhouse`.

    The real file pins PyPI's wheels; the sandbox installs offline from repacked wheels, so the same
    `pip install --require-hashes` runs here against a file listing the wheelhouse's hashes.
    """
    target = folder / "smartmon-action"
    (target / "requirements").mkdir(parents=True)
    shutil.copy2(ROOT / "action.yml", target / "action.yml")
    (target / "src").symlink_to(ROOT / "src")
    wanted = {_canonical(d.metadata["Name"]) for d in _closure()}
    lines = []
    for wheel in sorted(wheelhouse.glob("*.whl")):
        name, version = wheel.name.split("-")[:2]
        if _canonical(name) in wanted:
            digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
            lines.append(f"{name}=={version} --hash=sha256:{digest}\n")
    (target / "requirements" / "action.txt").write_text("".join(lines), encoding="utf-8")
    return target


def _closure() -> list[md.Distribution]:
    return [d for d in python_env._closure(["smartmon"]) if d.metadata["Name"] != "smartmon"]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class HealerJob:
    """What one healer job left behind: its step summaries, outputs and report folder."""

    folder: Path
    summary: str
    outputs: dict[str, str]
    report: dict[str, Any] | None
    files: dict[str, str]  # every text file the job wrote under its temp folder


@dataclass
class Sandbox:
    proc: SandboxProcess
    admin: Admin
    work: Path
    state: Path

    def healer_job(self, run_id: int, attempt: int = 1) -> HealerJob:
        found = sorted((self.work / "jobs").glob(f"{run_id}-{attempt}-heal-*"))
        assert found, f"no job folder for run {run_id}"
        temp = found[-1] / "_temp"
        commands = temp / "_runner_file_commands"
        summary = "".join(p.read_text() for p in sorted(commands.glob("github_step_summary_*")))
        outputs: dict[str, str] = {}
        for path in commands.glob("github_output_*"):
            outputs.update(_parse_outputs(path.read_text()))
        report_file = next(temp.glob("smartmon-report-*/report.json"), None)
        report = json.loads(report_file.read_text()) if report_file else None
        files = {}
        for path in temp.rglob("*"):
            if path.is_file() and "smartmon-venv" not in path.parts and path.suffix != ".whl":
                files[str(path)] = path.read_text(errors="replace")
        return HealerJob(found[-1], summary, outputs, report, files)

    def tokens(self) -> list[str]:
        """Every token the sandbox ever issued (PATs and each run's GITHUB_TOKEN)."""
        state = json.loads((self.state / "state.json").read_text())
        return [t["value"] for t in state["tokens"]]

    @property
    def api_url(self) -> str:
        return self.proc.api_url

    def client(self, repo: str) -> GitHubClient:
        return GitHubClient(self.proc.token, repo=repo, api_url=self.api_url)

    def create(
        self,
        scenario: str,
        *,
        name: str | None = None,
        healer: str | None = None,
        pat_secret: bool = False,
        trigger: bool = True,
        extra: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
    ) -> str:
        """Create a scenario repository with the healer workflow installed; return its name."""
        sc = scenarios.load(scenario)
        files = {path: data.decode() for path, data in sc.files.items()}
        healer = healer or EXAMPLE.read_text(encoding="utf-8")
        files[".github/workflows/smartmon.yml"] = sandbox_permissions(healer)
        files.update({path: sandbox_permissions(text) for path, text in (extra or {}).items()})
        secrets = dict(sc.secrets if secrets is None else secrets)
        if pat_secret:
            secrets["SMARTMON_TOKEN"] = self.admin.token("pat", login="healer")
        repo_name = name or scenario
        self.admin.create_repo(
            "demo",
            repo_name,
            files,
            executable=sorted(sc.executable),
            secrets=secrets,
            variables=dict(sc.variables),
            trigger=trigger,
        )
        return f"demo/{repo_name}"

    def runs(self, repo: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.client(repo).list_runs()]

    def job_log(self, repo: str, run_id: int) -> str:
        client = self.client(repo)
        return "\n".join(client.job_log(j["id"]) for j in client.list_jobs(run_id))


def _parse_outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            out[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            out[name] = value_text
    return out


def sandbox_permissions(workflow: str) -> str:
    """Move the job's `permissions:` to the top. No longer needed since the sandbox scopes each
    job's token by its own block (sandbox/permissions.py); harmless for the one-job healer."""
    match = re.search(r"(?m)^    permissions:\n((?:      .*\n)+)", workflow)
    assert match, "the example's job has no permissions block"
    top = "permissions:\n" + "".join(line[4:] + "\n" for line in match[1].splitlines())
    moved = workflow.replace(match[0], "")
    assert "\npermissions: {}\n" in moved
    return moved.replace("\npermissions: {}\n", "\n" + top, 1)


def with_token(example: str, *, create_secrets: bool = False) -> str:
    """The example with its PAT lines switched on (and `create-secrets: true`)."""
    text = example.replace("        # with:\n", "        with:\n").replace(
        "        #   token: ${{ secrets.SMARTMON_TOKEN }}",
        "          token: ${{ secrets.SMARTMON_TOKEN }}",
    )
    if create_secrets:
        text = text.replace(
            "          token: ${{ secrets.SMARTMON_TOKEN }}",
            '          token: ${{ secrets.SMARTMON_TOKEN }}\n          create-secrets: "true"',
        )
    assert "secrets.SMARTMON_TOKEN" in text and text != example
    return text


def as_on_github_com(healer: str) -> str:
    """The healer step's GITHUB_SERVER_URL set to github.com.

    The sandbox fails `actions/upload-artifact@v3` at 'Set up job' as github.com does, but it
    serves from 127.0.0.1, which smartmon rightly takes for a GitHub Enterprise Server (where that
    action has no v4, so the bump is refused). Only the fixers' view of the server changes: clones,
    pushes and links use the action's `server-url` input (`github.server_url`), the sandbox.
    """
    step = f"      - uses: {ACTION}\n"
    assert healer.count(step) == 1, "the healer has no single smartmon step"
    return healer.replace(
        step, step + "        env:\n          GITHUB_SERVER_URL: https://github.com\n"
    )


def start(folder: Path, wheelhouse: Path, action: Path) -> Iterator[Sandbox]:
    env = {
        **os.environ,
        "SMARTMON_TEST_WHEELHOUSE": str(wheelhouse),
        "SMARTMON_TEST_WORK": str(folder / "work"),
    }
    with SandboxProcess(
        state_dir=folder / "state",
        action_map=[f"{ACTION}={action}"],
        runner="tests.action.sandbox_runner:make",
        extra_args=["--workers", "6"],
        env=env,
        cwd=ROOT,
    ) as proc:
        admin = Admin(proc.api_url, proc.admin_token, requests.Session())
        yield Sandbox(proc, admin, folder / "work", folder / "state")
