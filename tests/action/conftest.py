"""Fixtures of the action's end-to-end tests: one wheelhouse and action copy per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.action import e2e_support as es


@pytest.fixture(scope="session")
def action_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheelhouse, action folder): smartmon's wheels built once, the action copied beside them."""
    folder = tmp_path_factory.mktemp("action")
    wheelhouse = es.build_wheelhouse(folder)
    return wheelhouse, es.action_copy(folder, wheelhouse)


@pytest.fixture
def sb(tmp_path: Path, action_dir: tuple[Path, Path]) -> Iterator[es.Sandbox]:
    """A sandbox process whose runner knows the action as the copy above."""
    wheelhouse, action = action_dir
    yield from es.start(tmp_path, wheelhouse, action)
