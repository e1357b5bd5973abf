from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.fixers import runner_labels
from tests.fixers.workflow_cases import cases, run_case


@pytest.mark.parametrize("case", cases("runner_labels"))
def test_case(case: str, tmp_path: Path) -> None:
    run_case(runner_labels, "runner_labels", case, tmp_path)
