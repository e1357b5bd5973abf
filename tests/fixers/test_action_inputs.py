from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import FixContext, action_inputs, env_vars
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("action_inputs"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(action_inputs, "action_inputs", case, tmp_path)


def test_env_vars_never_wires_an_action_input_as_a_secret(tmp_path: Path) -> None:
    finding = Finding.from_dict(
        {
            "type": "missing_env_vars",
            "severity": "high",
            "auto_fixable": False,
            "rule": "action-input-not-supplied",
            "job": "a",
            "step": "",
            "line": 0,
            "text": "Error: Input required and not supplied: token",
            "data": {"var": "token"},
        }
    )
    assert env_vars.plan(finding, Workspace(tmp_path), FixContext(workflow="ci.yml")) is None
