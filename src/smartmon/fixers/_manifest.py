"""One Python dependency manifest (its path and kind), and the lookups every manifest module uses:
paths joined as a workflow names them, existence through the workspace, nested TOML/YAML keys."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Literal

from smartmon.fixers.workspace import Workspace, WorkspaceError

Kind = Literal["requirements", "pyproject", "poetry", "setup.cfg"]

LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "pdm.lock"})


@dataclass(frozen=True)
class Manifest:
    path: str
    kind: Kind

    def describe(self) -> str:
        where = {
            "requirements": "",
            "pyproject": " [project] dependencies",
            "poetry": " [tool.poetry.dependencies]",
            "setup.cfg": " [options] install_requires",
        }[self.kind]
        return self.path + where


def exists(ws: Workspace, path: str) -> bool:
    """Whether a path a workflow names is a file we may edit (outside or via a symlink: no)."""
    try:
        return ws.exists(path)
    except WorkspaceError:
        return False


def join(directory: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(directory, path))


def get(data: Any, *keys: str) -> Any:
    """`data[k1][k2]...`, or None where a level is missing or not a table."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
