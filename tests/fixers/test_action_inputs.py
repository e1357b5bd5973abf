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


def test_env_vars_leaves_an_input_named_by_an_actions_own_error_to_action_inputs(
    tmp_path: Path,
) -> None:
    finding = Finding.from_dict(
        {
            "type": "missing_env_vars",
            "severity": "high",
            "auto_fixable": False,
            "rule": "ssh-private-key-input-not-set",
            "job": "a",
            "step": "Run acme/ssh-setup-action@v3",
            "line": 0,
            "text": "##[error]Error: Private key is not set",
            "data": {"var": "private-key", "action": "acme/ssh-setup-action"},
        }
    )
    assert action_inputs.input_name(finding) == "private-key"
    assert env_vars.plan(finding, Workspace(tmp_path), FixContext(workflow="ci.yml")) is None


def test_an_upper_case_variable_in_an_action_step_stays_an_env_var() -> None:
    finding = Finding.from_dict(
        {
            "type": "missing_env_vars",
            "severity": "high",
            "auto_fixable": True,
            "rule": "env-variable-must-be-set",
            "job": "a",
            "step": "Run acme/deploy@v1",
            "line": 0,
            "text": "Error: DEPLOY_TOKEN must be set",
            "data": {"var": "DEPLOY_TOKEN", "action": "acme/deploy"},
        }
    )
    assert action_inputs.input_name(finding) is None
