from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import workflow_yaml
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("workflow_yaml"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(workflow_yaml, "workflow_yaml", case, tmp_path)
