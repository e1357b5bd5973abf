from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import permissions
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("permissions"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(permissions, "permissions", case, tmp_path)
