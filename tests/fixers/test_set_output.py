from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import FixContext, set_output
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("set_output"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(set_output, "set_output", case, tmp_path)


def test_command_in_a_local_composite_action(tmp_path: Path) -> None:
    workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
    workflow += "      - uses: ./.github/actions/version\n"
    action = "name: version\nruns:\n  using: composite\n  steps:\n    - id: v\n      shell: bash\n"
    action += '      run: echo "::set-output name=v::1"\n'
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/actions/version").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yml").write_text(workflow)
    (tmp_path / ".github/actions/version/action.yml").write_text(action)
    finding = Finding.from_dict(
        {
            "type": "deprecated_command",
            "severity": "low",
            "auto_fixable": True,
            "rule": "workflow-command-deprecated-warning",
            "data": {"command": "set-output"},
        }
    )
    ws = Workspace(tmp_path)
    fix = set_output.plan(finding, ws, FixContext(workflow=".github/workflows/ci.yml"))
    assert fix is not None and fix.applicable and fix.file == ".github/actions/version/action.yml"
    ws.apply(fix.edits)
    after = (tmp_path / ".github/actions/version/action.yml").read_text()
    assert after == action.replace('"::set-output name=v::1"', '"v=1" >> "$GITHUB_OUTPUT"')
