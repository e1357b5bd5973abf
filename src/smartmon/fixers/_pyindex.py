"""A static index of the repository's Python modules, built with `ast` (nothing is imported or run)."""

from __future__ import annotations

import ast
import logging
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from smartmon.fixers.workspace import Workspace, WorkspaceError

log = logging.getLogger(__name__)

PRUNE = frozenset(
    {
        ".venv",
        "venv",
        "env",
        ".env",
        "node_modules",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".eggs",
        "__pycache__",
        "site-packages",
        ".mypy_cache",
        ".pytest_cache",
    }
)


@dataclass
class PyModule:
    """One parsed file: where it is, the dotted names it can be imported as, what it defines."""

    path: str
    source: bytes
    tree: ast.Module
    names: tuple[str, ...]  # "pkg.utils", "src.pkg.utils": shortest (package-rooted) first
    defined: set[str] = field(default_factory=set)  # def/class/assignment at top level
    exported: set[str] = field(default_factory=set)  # defined + imported names + submodules

    @property
    def is_package(self) -> bool:
        return self.path.endswith("/__init__.py") or self.path == "__init__.py"


class PyIndex:
    """Every parseable .py file of the workspace, outside virtualenvs and build output."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        paths = ws.glob("**/*.py", prune=PRUNE)
        pathset = set(paths)
        self.modules: dict[str, PyModule] = {}
        for path in paths:
            if any(part.endswith(".egg-info") for part in path.split("/")):
                continue
            try:
                source = ws.read_bytes(path)
                tree = ast.parse(source, filename=path)
            except (WorkspaceError, SyntaxError, ValueError) as exc:
                log.debug("%s: skipped: %s", path, exc)
                continue
            mod = PyModule(path, source, tree, _dotted_names(path, pathset))
            mod.defined = _top_level_definitions(tree)
            mod.exported = mod.defined | _top_level_imports(tree)
            self.modules[path] = mod
        # A package also exports its submodules and subpackages (`from pkg import sub`).
        children: dict[str, set[str]] = {}
        for mod in self.modules.values():
            directory = posixpath.dirname(mod.path)
            if mod.is_package and directory:
                parent = posixpath.dirname(directory)
                children.setdefault(parent, set()).add(posixpath.basename(directory))
            elif not mod.is_package:
                children.setdefault(directory, set()).add(
                    posixpath.basename(mod.path).removesuffix(".py")
                )
        for mod in self.modules.values():
            if mod.is_package:
                mod.exported |= children.get(posixpath.dirname(mod.path), set())

    def find(self, dotted: str) -> list[PyModule]:
        """Files importable as `dotted` under some root of the repository."""
        return [m for m in self.modules.values() if dotted in m.names]

    def resolve(self, importer: PyModule, node: ast.ImportFrom) -> list[PyModule]:
        """The repository files a `from ... import` statement in `importer` refers to."""
        if node.level == 0:
            return self.find(node.module or "")
        base = posixpath.dirname(importer.path)
        for _ in range(node.level - 1):
            base = posixpath.dirname(base)
        rel = (node.module or "").replace(".", "/")
        target = posixpath.join(base, rel) if rel else base
        found = [self.modules.get(f"{target}.py"), self.modules.get(f"{target}/__init__.py")]
        if not rel:
            found = [self.modules.get(posixpath.join(target, "__init__.py"))]
        return [m for m in found if m is not None]

    def import_froms(self) -> Iterator[tuple[PyModule, ast.ImportFrom]]:
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.ImportFrom):
                    yield mod, node


def _dotted_names(path: str, pathset: set[str]) -> tuple[str, ...]:
    """Every dotted name `path` can be imported as: from its package root up to the repo root."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return ()
    # The package root is the first ancestor directory without __init__.py.
    start = len(parts) - 1
    while start > 0 and "/".join(parts[:start]) + "/__init__.py" in pathset:
        start -= 1
    return tuple(".".join(parts[i:]) for i in range(start, -1, -1))


def _top_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside if/try/with blocks (conditional definitions)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level_statements(stmt.body)
            yield from _top_level_statements(stmt.orelse)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from _top_level_statements(block)
            for handler in stmt.handlers:
                yield from _top_level_statements(handler.body)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            yield from _top_level_statements(stmt.body)


def _targets(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Tuple | ast.List):
        for elt in node.elts:
            yield from _targets(elt)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


def _top_level_definitions(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for stmt in _top_level_statements(tree.body):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                out.update(_targets(target))
        elif isinstance(stmt, ast.AnnAssign | ast.AugAssign) and isinstance(stmt.target, ast.Name):
            out.add(stmt.target.id)
    return out


def _top_level_imports(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for stmt in _top_level_statements(tree.body):
        if isinstance(stmt, ast.Import):
            out.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom):
            out.update(a.asname or a.name for a in stmt.names if a.name != "*")
    return out
