"""The tree says what the code does: one package per stage, arrows one way, no circles, small modules.

Walks `src/smartmon` with `ast` (DESIGN.md "Packages"). Every import counts: module level, inside
functions, and under `if TYPE_CHECKING:` (a type imported back up is an arrow back up).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "smartmon"
MAX_LINES = 450
TOP_LEVEL = {"__init__", "__main__", "model", "errors", "redact", "atomic"}

# Layers, top to bottom: a package may import its own modules and any package in a lower layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"action", "cli"}),
    frozenset({"monitor"}),
    frozenset({"heal"}),
    frozenset({"report", "github"}),
    frozenset({"fixers"}),
    frozenset({"diagnose"}),
    frozenset({"workflows"}),
    frozenset({"model", "errors", "redact", "atomic"}),
)
# The sandbox is a product of its own: only the CLI front door starts it, and it imports nothing
# of the engine (it speaks GitHub's wire format, so the engine cannot lean on it).
SANDBOX_USERS = frozenset({"cli", "sandbox"})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(name: str) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """(imported module, line, names) for every smartmon import in a module, wherever it stands."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "smartmon":
                    yield alias.name, node.lineno, ()
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, node)
            if target.split(".")[0] != "smartmon":
                continue
            plain: list[str] = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:
                    yield sub, node.lineno, ()  # `from pkg import module` is an arrow to the module
                else:
                    plain.append(alias.name)
            if plain:
                yield target, node.lineno, tuple(plain)


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for target, _, _ in imports(name):
            if target in MODULES and target != name:
                edges[name].add(target)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first == last), or None. Iterative DFS, three colours."""
    colour = dict.fromkeys(edges, 0)
    for start in sorted(edges):
        if colour[start]:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour[child] == 1:
                return [*path[path.index(child) :], child]
            elif colour[child] == 0:
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(edges[child]))))
    return None


def _package(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_at_most_six_top_level_modules() -> None:
    top = {p.stem for p in ROOT.glob("*.py")}
    assert top <= TOP_LEVEL, f"modules that belong in a package: {sorted(top - TOP_LEVEL)}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines: split it along its jobs"


def test_arrows_point_down() -> None:
    wrong: list[str] = []
    for name in MODULES:
        here = _package(name)
        if here in ("", "__main__") or name == "smartmon.__main__":
            continue
        for target, line, _ in imports(name):
            there = _package(target)
            if there in ("", here):
                continue
            if "sandbox" in (here, there):
                if there == "sandbox" and here not in SANDBOX_USERS:
                    wrong.append(f"{name}:{line} imports the sandbox")
                if here == "sandbox":
                    wrong.append(f"{name}:{line} imports {target}: the sandbox stands alone")
                continue
            if _layer(there) <= _layer(here) and not (_layer(there) == _layer(here) == 0):
                wrong.append(f"{name}:{line} imports {target} (an arrow up or sideways)")
    assert not wrong, "\n".join(wrong)


def _public(package: str) -> set[str]:
    tree = ast.parse(MODULES[f"smartmon.{package}"].read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                assert node.value is not None
                return set(ast.literal_eval(node.value))
    return set()


def test_packages_meet_only_through_their_public_surface() -> None:
    wrong: list[str] = []
    for name in MODULES:
        here = _package(name)
        for target, line, names in imports(name):
            there = _package(target)
            if there in ("", here) or not _is_package(f"smartmon.{there}"):
                continue
            module_import = target != f"smartmon.{there}" and target in MODULES
            if module_import:
                leaf = target.split(".")[2]
                if leaf not in _public(there):
                    wrong.append(f"{name}:{line} imports {target}, not smartmon.{there}")
                continue
            missing = set(names) - _public(there)
            if missing:
                wrong.append(f"{name}:{line}: {sorted(missing)} not in smartmon.{there}.__all__")
    assert not wrong, "\n".join(wrong)


def test_every_package_names_its_surface() -> None:
    for name in MODULES:
        if _is_package(name) and name.count(".") == 1:
            tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{name} says in a docstring what the package does"
            assert any(
                isinstance(n, ast.Assign | ast.AnnAssign)
                and "__all__" in ast.unparse(n).split("=")[0]
                for n in tree.body
            ), f"{name} has no __all__"
