from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import env_vars
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("env_vars"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(env_vars, "env_vars", case, tmp_path)
