from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import FixContext, action_versions
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("action_versions"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(action_versions, "action_versions", case, tmp_path)


def test_bump_lands_in_the_local_composite_action_the_workflow_calls(tmp_path: Path) -> None:
    workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
    workflow += "      - uses: actions/checkout@v4\n      - uses: ./.github/actions/setup\n"
    action = "name: setup\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@v2\n"
    action += "      with: {path: x, key: y}\n"
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/actions/setup").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yml").write_text(workflow)
    (tmp_path / ".github/actions/setup/action.yml").write_text(action)
    finding = Finding.from_dict(
        {
            "type": "deprecated_action",
            "severity": "critical",
            "auto_fixable": True,
            "rule": "deprecated-action-auto-failed",
            "data": {"action": "actions/cache", "version": "v2"},
        }
    )
    ws = Workspace(tmp_path)
    fix = action_versions.plan(finding, ws, FixContext(workflow=".github/workflows/ci.yml"))
    assert fix is not None and fix.applicable and fix.file == ".github/actions/setup/action.yml"
    ws.apply(fix.edits)
    assert (tmp_path / ".github/actions/setup/action.yml").read_text() == action.replace(
        "@v2", "@v5"
    )
    assert (tmp_path / ".github/workflows/ci.yml").read_text() == workflow


@pytest.mark.parametrize(
    ("server", "cloud"),
    [
        ("https://github.com", True),
        ("https://github.com/", True),
        ("https://octocorp.ghe.com", True),
        ("https://github.example.com", False),
        ("http://ghes.internal:8080", False),
    ],
)
def test_which_servers_have_artifact_v4(server: str, cloud: bool) -> None:
    assert action_versions.on_github_com(server) is cloud
