from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import action_versions
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("action_versions"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(action_versions, "action_versions", case, tmp_path)
