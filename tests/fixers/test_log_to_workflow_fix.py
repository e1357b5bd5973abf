"""From a real-format job log to a workflow edit: the diagnosis engine's findings drive the fixers.

Each case pairs a log from the development set (tests/data/logs) with a workflow shaped like the
one that produced it, and checks the exact lines the planned fix changes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from smartmon.diagnose.classify import analyze_paths
from smartmon.fixers import FixContext, plan_fixes
from smartmon.fixers.workspace import Workspace
from smartmon.model import IssueType

LOGS = Path(__file__).resolve().parents[1] / "data" / "logs"
WORKFLOW = ".github/workflows/ci.yml"

CASES = {
    "missing_env_vars-keyerror-api-key": (
        "on: push\njobs:\n  forecast:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: python -m weather_bot.main --city Berlin\n",
        ["+    env:", "+      API_KEY: ${{ secrets.API_KEY }}"],
    ),
    "permission_error-resource-not-accessible": (
        "on: pull_request\njobs:\n  label:\n    runs-on: ubuntu-latest\n    permissions:\n"
        "      contents: read\n    steps:\n      - uses: actions/github-script@v7\n        with:\n"
        "          script: |\n            await github.rest.issues.addLabels({...context.issue,"
        " labels: ['x']})\n",
        ["+      pull-requests: write"],
    ),
    "permission_error-oidc-id-token": (
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: google-github-actions/auth@v2\n",
        ["+    permissions:", "+      contents: read", "+      id-token: write"],
    ),
    "permission_error-push-denied-bot": (
        "on: push\npermissions:\n  contents: read\njobs:\n  update-docs:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: python tools/gen_api_docs.py\n",
        ["+    permissions:", "+      contents: write"],
    ),
    "deprecated_command-set-env": (
        'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "::set-env name=NODE_ENV::production"\n',
        [
            '-      - run: echo "::set-env name=NODE_ENV::production"',
            '+      - run: echo "NODE_ENV=production" >> "$GITHUB_ENV"',
        ],
    ),
    "retired_runner-ubuntu-2004": (
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-20.04\n    steps:\n      - run: make\n",
        ["-    runs-on: ubuntu-20.04", "+    runs-on: ubuntu-24.04"],
    ),
    "deprecated_action-upload-artifact-v3": (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/upload-artifact@v3\n      - uses: actions/download-artifact@v3\n",
        [
            "-      - uses: actions/upload-artifact@v3",
            "-      - uses: actions/download-artifact@v3",
            "+      - uses: actions/upload-artifact@v6",
            "+      - uses: actions/download-artifact@v7",
        ],
    ),
}


@pytest.mark.parametrize("log", sorted(CASES))
def test_log_finding_fixes_the_workflow(log: str, tmp_path: Path) -> None:
    workflow, expected = CASES[log]
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / WORKFLOW).write_text(workflow)
    analysis = analyze_paths([LOGS / f"{log}.txt"])
    wanted = IssueType(log.split("-")[0])
    findings = [f for f in analysis.findings if f.type is wanted][:1]
    assert findings, analysis.findings
    ws = Workspace(tmp_path)
    fixes = plan_fixes(findings, ws, FixContext(workflow=WORKFLOW))
    assert fixes and fixes[0].applicable, fixes
    ws.apply()
    after = (tmp_path / WORKFLOW).read_text()
    diff = [
        line
        for line in difflib.unified_diff(workflow.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == expected


def test_unknown_workflow_is_said_plainly(tmp_path: Path) -> None:
    analysis = analyze_paths([LOGS / "retired_runner-ubuntu-2004.txt"])
    fixes = plan_fixes(analysis.findings[:1], Workspace(tmp_path), FixContext())
    assert (
        fixes and fixes[0].reason == "which workflow produced this log is unknown; pass --workflow"
    )
