from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import set_output
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("set_output"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(set_output, "set_output", case, tmp_path)
