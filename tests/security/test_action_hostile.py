"""`python -m smartmon.action` on a failed run whose job name, log, branch and commit message are
hostile, with the token in GITHUB_TOKEN: its stdout runs no workflow command of the log's, the job
summary renders everything as text, and no token or masked value reaches any output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from markdown_it import MarkdownIt

from smartmon.github.client import GitHubClient

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

MASKED = "hunter2-masked-by-the-job"
LEAKED = "ghp_" + "LeakedInTheLog0123456789abcdefghijklmn"
JOB_NAME = "<script>alert(1)</script> | x | ![p](https://evil.example/p.png) ##[set-output name=a]b"
HOSTILE_LINES = [
    f"::add-mask::{MASKED}",
    "::set-env name=LD_PRELOAD::/tmp/evil.so",
    "::stop-commands::pwned",
    "  ##[set-output name=x]y",
    "::error file=../../etc/passwd,line=1::owned",
    "[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "`" * 10_000,
]
HOSTILE = " ".join(HOSTILE_LINES[4:6]) + " ##[set-output name=z]w"


def _workflow(token: str) -> str:
    script = [
        "python -m app",
        *HOSTILE_LINES,
        f"echo {token} {LEAKED}",
        # A finding with a file and line becomes an annotation: its text and path are hostile.
        f"../../etc/passwd.yml:3:1: could not parse as YAML: ##[set-output name=q]r {LEAKED}",
        f"ModuleNotFoundError: No module named 'yaml' {MASKED} {token} {LEAKED}",
        "exit 1",
    ]
    body = "\n".join("          " + line for line in script)
    return (
        "name: CI\non:\n  push:\n  workflow_dispatch:\njobs:\n  test:\n"
        f"    name: {json.dumps(JOB_NAME)}\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: |\n{body}\n"
    )


def _env(tmp: Path, sb: SandboxHandle, event: dict[str, Any]) -> dict[str, str]:
    (tmp / "event.json").write_text(json.dumps(event))
    for name in ("output", "summary"):
        (tmp / name).write_text("")
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return {
        **keep,
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(tmp / "event.json"),
        "GITHUB_OUTPUT": str(tmp / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary"),
        "GITHUB_REPOSITORY": "octo/app",
        "GITHUB_API_URL": sb.api_url,
        "GITHUB_SERVER_URL": sb.api_url,
        "GITHUB_RUN_ID": "77",
        "RUNNER_TEMP": str(tmp / "temp"),
        "GITHUB_TOKEN": sb.token,
        "SMARTMON_TOKEN": sb.token,
        "SMARTMON_MODE": "report",
        "SMARTMON_LOG_LEVEL": "debug",
    }


def _inert(stdout: str) -> list[str]:
    """The lines the runner would run as commands (outside stop-commands blocks)."""
    live: list[str] = []
    token = None
    for line in stdout.splitlines():
        start = re.fullmatch(r"::stop-commands ?::(\w+)", line.strip())
        if token is None and start:
            token = start.group(1)
        elif token is not None and line.strip() == f"::{token}::":
            token = None
        elif token is None and (line.strip().startswith("::") or "##[" in line):
            live.append(line)
    assert token is None, "a stop-commands block was left open"
    return live


@pytest.mark.slow  # a real interpreter start-up plus the sandbox's run: about 3 s
def test_action_on_a_hostile_run(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    token = sandbox_server.token
    files = {".github/workflows/ci.yml": _workflow(token), "requirements.txt": "packaging\n"}
    sandbox_server.admin.create_repo("octo", "app", files)
    sandbox_server.admin.wait_idle()
    client = GitHubClient(token, repo="octo/app", api_url=sandbox_server.api_url)
    run = dict(client.list_runs()[0])
    assert run["conclusion"] == "failure"
    # What the event carries from the pusher: branch name, commit message, run title.
    run["display_title"] = HOSTILE
    run["head_commit"] = {**(run.get("head_commit") or {}), "message": HOSTILE + f" {LEAKED}"}
    event = {"action": "completed", "workflow_run": run}
    env = _env(tmp_path, sandbox_server, event)
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon.action"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = (tmp_path / "summary").read_text()
    outputs = (tmp_path / "output").read_text()
    temp = tmp_path / "temp"
    reports = [p.read_text() for p in temp.glob("smartmon-report-*/*") if p.is_file()]
    # Nothing the action left on disk holds the token: its checkout's git config and state
    # included (only the checked-out workflow, which this test wrote the token into, does).
    for path in (p for p in temp.rglob("*") if p.is_file()):
        rel = path.relative_to(temp).parts
        if rel[0] != "smartmon-repo" or rel[1] == ".git":
            assert token.encode() not in path.read_bytes(), path
    assert "Traceback" not in proc.stderr

    # stdout: only our own commands; each of the log's is escaped or inside stop-commands.
    live = _inert(proc.stdout)
    for line in live:
        assert re.match(r"::(error|warning|notice|debug|group|endgroup)[ :]", line), line
        assert "file=../" not in line and "file=/" not in line
    assert "::add-mask::" + MASKED not in proc.stdout

    # The summary: the finding is there, in a table that kept its cells, as text.
    assert "missing_dependency" in summary
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(summary)
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"""(?:href|src)=["']?(?:javascript:|https?://evil)""", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for row in (ln for ln in summary.splitlines() if ln.startswith("| ") and "---" not in ln):
        assert len(re.split(r"(?<!\\)\|", row)) == 8, row[:200]

    # No token (given, or printed by the job) and no masked value anywhere.
    for text in (proc.stdout, proc.stderr, summary, outputs, *reports):
        assert token not in text
        assert LEAKED not in text
        assert MASKED not in text
    assert reports, "the report artifact was written"
