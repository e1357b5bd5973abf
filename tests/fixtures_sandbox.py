"""Pytest plugin: the sandbox GitHub emulator, in-process or as a `smartmon sandbox serve` process.

Fixtures:
- ``sandbox_server``: an in-process ``SandboxServer`` on 127.0.0.1:0 driving ``FakeRunner``
  (fast; lets tests inspect ``.app.state`` and ``.runner.requests``).
- ``sandbox``: a real ``smartmon sandbox serve`` subprocess (``SandboxProcess``) using the real
  workflow runner; ``sandbox.admin`` talks to its /_sandbox/ routes. Scenarios by indirect
  parametrization: ``@pytest.mark.parametrize("sandbox", [["missing-dependency"]],
  indirect=True)``; ``sandbox.repo`` is the first one's ``owner/name``.

Both yield a ``SandboxHandle`` with ``api_url``, ``token`` (PAT), ``admin`` (an ``Admin``).
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from smartmon.sandbox import (
    Annotation,
    JobResult,
    RunRequest,
    RunResult,
    SandboxProcess,
    SandboxServer,
    StepResult,
)

CI_WORKFLOW = """\
name: CI
on:
  push:
  workflow_dispatch:
permissions:
  contents: write
  actions: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""


def _on(doc: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True.
    raw = doc.get("on", doc.get(True))
    if isinstance(raw, str):
        return {raw: {}}
    if isinstance(raw, list):
        return {str(e): {} for e in raw}
    return {str(k): (v or {}) for k, v in (raw or {}).items()}


class FakeRunner:
    """A tiny runner for server tests: no commands run. A job fails when one of its `run:`
    scripts contains `exit 1`; a top-level `fake-startup-failure: MESSAGE` key ends the run as a
    startup failure with that annotation; `fake-wait-for-cancel: true` runs until cancelled. Logs are short but in GitHub's line format."""

    def __init__(self, **_options: object) -> None:
        self.requests: list[RunRequest] = []
        self.started = threading.Event()  # set when a `fake-wait-for-cancel` run is running

    def _workflows(self, repo_dir: Path, sha: str) -> list[tuple[str, dict[Any, Any]]]:
        listing = subprocess.run(
            [
                "git",
                "--git-dir",
                str(repo_dir),
                "ls-tree",
                "--name-only",
                sha,
                ".github/workflows/",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        found = []
        for path in listing:
            text = subprocess.run(
                ["git", "--git-dir", str(repo_dir), "show", f"{sha}:{path}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            doc = yaml.safe_load(text)
            if isinstance(doc, dict):
                found.append((path, doc))
        return found

    def triggered_workflows(
        self, repo_dir: Path, sha: str, event: str, ref: str, payload: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        matched = []
        for path, doc in self._workflows(repo_dir, sha):
            spec = _on(doc)
            if event not in spec:
                continue
            if event == "workflow_run":
                names = spec[event].get("workflows", [])
                types = spec[event].get("types", ["completed"])
                if payload["workflow_run"]["name"] not in names or payload["action"] not in types:
                    continue
            matched.append((path, str(doc.get("name", path))))
        return matched

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        text = subprocess.run(
            [
                "git",
                "--git-dir",
                str(request.repo_dir),
                "show",
                f"{request.sha}:{request.workflow_path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        doc = yaml.safe_load(text)
        if "fake-startup-failure" in doc:  # stands for an invalid workflow file
            message = str(doc["fake-startup-failure"])
            note = Annotation("failure", message, request.workflow_path, 3, 3, "Invalid workflow")
            return RunResult("startup_failure", [], [note])
        if doc.get("fake-wait-for-cancel"):
            self.started.set()
            cancelled = request.cancel.wait(timeout=60)
            return RunResult("cancelled" if cancelled else "failure", [])
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=request.run_id % 1000)
        jobs: list[JobResult] = []
        conclusions: dict[str, str] = {}
        for key, spec in (doc.get("jobs") or {}).items():
            needs = spec.get("needs", [])
            needs = [needs] if isinstance(needs, str) else list(needs)
            if request.jobs_to_run is not None and key not in request.jobs_to_run:
                conclusions[key] = request.previous_jobs[key][0].conclusion
                continue
            scripts = [str(s.get("run", "")) for s in spec.get("steps", [])]
            blocked = any(conclusions.get(n) != "success" for n in needs)
            failed = any("exit 1" in s for s in scripts)
            conclusion = "skipped" if blocked else ("failure" if failed else "success")
            conclusions[key] = conclusion
            stamp = start.strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
            lines = [
                f"{stamp} ##[group]Run {scripts[0] if scripts else key}",
                f"{stamp} ##[endgroup]",
            ]
            if failed:
                lines.append(f"{stamp} ##[error]Process completed with exit code 1.")
            log = "\ufeff" + "\n".join(lines) + "\n"
            steps = [
                StepResult(1, "Set up job", "success", start, start, f"{stamp} Set up\n"),
                StepResult(2, f"Run {key}", conclusion, start, start, log),  # type: ignore[arg-type]
                StepResult(5, "Complete job", "success", start, start, f"{stamp} Done\n"),
            ]
            annotations = (
                [Annotation("failure", "Process completed with exit code 1.", ".github", 4, 4)]
                if failed
                else []
            )
            jobs.append(
                JobResult(
                    key=key,
                    name=str(spec.get("name", key)),
                    conclusion=conclusion,  # type: ignore[arg-type]
                    started_at=start,
                    completed_at=start + timedelta(seconds=3),
                    labels=[str(spec.get("runs-on", "ubuntu-latest"))],
                    steps=steps,
                    log=log,
                    annotations=annotations,
                    needs=tuple(needs),
                )
            )
        bad = any(c == "failure" for c in conclusions.values())
        return RunResult("failure" if bad else "success", jobs)


@dataclass
class Admin:
    """Calls the /_sandbox/ admin routes of a running sandbox."""

    api_url: str
    admin_token: str
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.session.request(
            method,
            f"{self.api_url}/_sandbox/{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=60,
        )
        if response.status_code >= 400:
            raise AssertionError(f"admin {method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def create_repo(self, owner: str, name: str, files: dict[str, str], **options: Any) -> Any:
        return self.call("POST", "repos", {"owner": owner, "name": name, "files": files, **options})

    def configure(self, full_name: str, **options: Any) -> Any:
        return self.call("PATCH", f"repos/{full_name}", options)

    def token(self, kind: str = "pat", **options: Any) -> str:
        return str(self.call("POST", "tokens", {"kind": kind, **options})["token"])

    def faults(self, spec: str) -> Any:
        return self.call("POST", "faults", {"spec": spec})

    def wait_idle(self, timeout: float = 60) -> None:
        assert self.call("POST", "wait-idle", {"timeout": timeout})["idle"]


@dataclass
class SandboxHandle:
    api_url: str
    token: str
    admin: Admin
    app: SandboxServer | None = None
    runner: FakeRunner | None = None
    repo: str = ""  # the first scenario's repository (``sandbox`` fixture)

    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        use = self.token if token is None else token
        if use:
            headers.setdefault("Authorization", f"Bearer {use}")
        return requests.request(
            method,
            f"{self.api_url}{path}",
            headers=headers,
            timeout=60,
            allow_redirects=False,
            **kwargs,
        )


@pytest.fixture
def sandbox_server(tmp_path: Path) -> Iterator[SandboxHandle]:
    runner = FakeRunner()
    with SandboxServer(runner, root=tmp_path / "repos") as app:
        admin = Admin(app.api_url, app.admin_token)
        token = admin.token("pat", login="octo")
        yield SandboxHandle(app.api_url, token, admin, app=app, runner=runner)


@pytest.fixture
def sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SandboxHandle]:
    """Parametrize indirectly with a list of scenario names to create their repositories."""
    scenarios = list(getattr(request, "param", ()))
    with SandboxProcess(scenarios=scenarios, state_dir=tmp_path / "state") as proc:
        admin = Admin(proc.api_url, proc.admin_token)
        yield SandboxHandle(proc.api_url, proc.token, admin, repo=proc.repo)


def git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run git isolated from the developer's configuration."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd or Path.cwd()),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def clone_url(api_url: str, full_name: str, token: str) -> str:
    """A clone URL with the token as password, like `x-access-token:<token>` on GitHub."""
    scheme, rest = api_url.split("://", 1)
    return f"{scheme}://x-access-token:{token}@{rest}/{full_name}.git"
