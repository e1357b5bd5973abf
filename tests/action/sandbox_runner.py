"""`--runner tests.action.sandbox_runner:make`: the sandbox's runner with a wheelhouse the test built
(so the action's hash-checked install is checked against those very wheels) and job folders kept
under a folder the test reads (step summaries, outputs and report files)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from smartmon.sandbox import Runner


def make(action_map: Mapping[str, Path]) -> Runner:
    return Runner(
        action_map=action_map,
        work_root=Path(os.environ["SMARTMON_TEST_WORK"]),
        wheelhouse=Path(os.environ["SMARTMON_TEST_WHEELHOUSE"]),
        keep_work=True,
    )
