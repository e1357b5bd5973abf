"""Fix `ImportError: cannot import name X from Y` when the repository itself has the unique answer.

The repository is parsed with `ast` (never imported or run). If Y defines exactly one near-miss of X,
the importing lines are corrected; if X is defined in exactly one other module, the import path is,
together with the statement's other names that Y lacks and that module defines (they moved with X;
fixing X alone would fail the next run on them). No stub is ever created: without a unique answer
the candidates are reported.
"""

from __future__ import annotations

import ast
import difflib
import posixpath
import re
import sys
from collections import defaultdict
from dataclasses import dataclass

from smartmon.fixers._pyindex import PyIndex, PyModule
from smartmon.fixers.registry import FixContext
from smartmon.fixers.workspace import Workspace
from smartmon.model import Edit, Finding, Fix, IssueType

HANDLES = IssueType.IMPORT_ERROR

_FROM = re.compile(rb"from\s+(\.*[A-Za-z_][\w.]*|\.+)\s+import\b")
_CUTOFF = 0.8


@dataclass(frozen=True)
class _Site:
    """One `from Y import X` alias in a repository file."""

    module: PyModule
    node: ast.ImportFrom
    alias: ast.alias


def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    """Correct the importing lines, or explain why no unique correction exists."""
    name = finding.data.get("name", "")
    source = finding.data.get("from", "")
    if not name.isidentifier() or not name.isascii():
        return None
    if not finding.rule.startswith("python-") and "ImportError" not in finding.text:
        return None  # Rust's unresolved imports and the like are not Python's
    if "partially initialized" in finding.text or finding.rule == "python-circular-import":
        return _refuse(
            "",
            f"'{name}' fails because of a circular import of {source or 'a module'}; "
            "move the shared code or import inside the function (no safe automatic edit)",
        )
    index = PyIndex(ws)
    if source:
        if not re.fullmatch(r"[A-Za-z_][\w.]*", source):
            return None
        targets = index.find(source)
        if not targets:
            top = source.split(".", 1)[0]
            where = "the standard library" if top in sys.stdlib_module_names else "this repository"
            not_ours = "is part of" if where == "the standard library" else "is not part of"
            return _refuse(
                "",
                f"{source} {not_ours} {where}; pin or update the dependency (or Python) that "
                f"provided '{name}'",
            )
    else:
        targets = _failing_targets(index, name)
        if not targets:
            return _refuse("", f"no repository import of '{name}' names a module lacking it")
    if len(targets) > 1:
        paths = ", ".join(sorted(t.path for t in targets))
        return _refuse("", f"'{source or name}' matches several files ({paths}); fix by hand")
    target = targets[0]
    if name in target.exported:
        return _refuse(
            target.path,
            f"'{name}' is defined in {target.path}; the ImportError more likely comes from a "
            "circular import or an outdated installed copy",
        )
    sites = [
        _Site(mod, node, alias)
        for mod, node in index.import_froms()
        if target in index.resolve(mod, node)
        for alias in node.names
        if alias.name == name
    ]
    if not sites:
        return _refuse(
            target.path, f"no 'import {name}' from {target.path} found in the repository"
        )
    candidates = sorted(n for n in target.exported if not n.startswith("__"))
    near = difflib.get_close_matches(name, candidates, n=3, cutoff=_CUTOFF)
    elsewhere = sorted(
        (m for m in index.modules.values() if name in m.defined and m is not target),
        key=lambda m: m.path,
    )
    if len(near) == 1 and not elsewhere:
        return _rename(ws, target, name, near[0], sites)
    if not near and len(elsewhere) == 1:
        return _repath(ws, target, elsewhere[0], name, sites)
    options = [f"{n} (in {target.path})" for n in near]
    options += [f"{name} (in {m.path})" for m in elsewhere]
    listed = "; ".join(options) if options else "none"
    return _refuse(target.path, f"no unique replacement for '{name}'; candidates: {listed}")


def _failing_targets(index: PyIndex, name: str) -> list[PyModule]:
    """Repository modules that some `from M import name` reaches but that lack `name`."""
    found: dict[str, PyModule] = {}
    for mod, node in index.import_froms():
        if any(alias.name == name for alias in node.names):
            for target in index.resolve(mod, node):
                if name not in target.exported:
                    found[target.path] = target
    return list(found.values())


def _rename(ws: Workspace, target: PyModule, old: str, new: str, sites: list[_Site]) -> Fix:
    changes: dict[str, list[tuple[int, int, int, bytes]]] = defaultdict(list)
    for site in sites:
        keep_name = site.alias.asname is None and _uses(site.module.tree, old)
        text = f"{new} as {old}" if keep_name else new
        start = site.alias.col_offset
        changes[site.module.path].append(
            (site.alias.lineno, start, start + len(old.encode()), text.encode())
        )
    try:
        edits = [_edit(ws, path, spans, old) for path, spans in sorted(changes.items())]
    except ValueError as exc:
        return _refuse(sites[0].module.path, f"{exc}; fix by hand")
    where = ", ".join(f"{s.module.path}:{s.alias.lineno}" for s in sites)
    return Fix(
        type=HANDLES,
        file=edits[0].path,
        description=f"import '{new}' (defined in {target.path}) instead of '{old}' at {where}",
        edits=tuple(edits),
    )


def _repath(ws: Workspace, target: PyModule, home: PyModule, name: str, sites: list[_Site]) -> Fix:
    changes: dict[str, list[tuple[int, int, int, bytes]]] = defaultdict(list)
    moved: set[str] = set()
    seen: set[int] = set()
    for site in sites:
        node = site.node
        if id(node) in seen:
            continue  # `from Y import X, X as Z`: one statement, rewritten once
        seen.add(id(node))
        moving = [a for a in node.names if a.name == name or _moves_along(a.name, target, home)]
        moved.update(a.name for a in moving)
        line = site.module.source.splitlines(keepends=True)[node.lineno - 1]
        match = _FROM.match(line, node.col_offset)
        new_module = _module_for(site, target, home)
        if match is None or new_module is None:
            return _refuse(
                site.module.path,
                f"'{name}' is defined in {home.path}, but the import at "
                f"{site.module.path}:{node.lineno} cannot be rewritten safely; change it by hand",
            )
        if len(moving) == len(node.names):
            start, end = match.span(1)
            changes[site.module.path].append((node.lineno, start, end, new_module.encode()))
            continue
        spans = _split(site.module, node, moving, match.group(1).decode(), new_module)
        if spans is None:
            return _refuse(
                site.module.path,
                f"'{name}' is defined in {home.path}; split the multi-line import at "
                f"{site.module.path}:{node.lineno} by hand",
            )
        changes[site.module.path].extend(spans)
    edits = [_edit(ws, path, spans, None) for path, spans in sorted(changes.items())]
    where = ", ".join(f"{s.module.path}:{s.node.lineno}" for s in sites)
    names = ", ".join(f"'{n}'" for n in sorted(moved))
    return Fix(
        type=HANDLES,
        file=edits[0].path,
        description=f"import {names} from {home.path} (not {target.path}) at {where}",
        edits=tuple(edits),
    )


def _moves_along(other: str, target: PyModule, home: PyModule) -> bool:
    """Whether another name of the failing statement moved with the one in the error.

    Only a name `target` neither defines nor re-exports and `home` defines; never when `target`
    may provide names the index cannot see (a star import, a module `__getattr__`).
    """
    if other == "*" or other in target.exported or other not in home.defined:
        return False
    return "__getattr__" not in target.defined and not _star_imports(target)


def _star_imports(mod: PyModule) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
        for node in ast.walk(mod.tree)
    )


def _split(
    mod: PyModule, node: ast.ImportFrom, moving: list[ast.alias], written: str, new_module: str
) -> list[tuple[int, int, int, bytes]] | None:
    """Spans that keep the other names in place and import `moving` on a new line below."""
    lines = mod.source.splitlines(keepends=True)
    line = lines[node.lineno - 1]
    eol = b"\r\n" if line.endswith(b"\r\n") else b"\n"
    indent = line[: node.col_offset]
    added = f"from {new_module} import {', '.join(_alias_text(a) for a in moving)}".encode()
    own = {a.lineno for a in moving}
    alone = len(own) == len(moving) and all(
        a.lineno != node.lineno
        and lines[a.lineno - 1].strip() in {_alias_text(a).encode(), f"{_alias_text(a)},".encode()}
        for a in moving
    )
    if node.end_lineno and node.end_lineno != node.lineno and alone:
        # One alias per line (black style): drop their lines, import them on a new line below.
        last = lines[node.end_lineno - 1]
        prefix = b"" if last.endswith(b"\n") else eol
        spans = [(a.lineno, 0, len(lines[a.lineno - 1]), b"") for a in moving]
        spans.append((node.end_lineno, len(last), len(last), prefix + indent + added + eol))
        return spans
    if node.end_lineno != node.lineno or indent.strip():
        return None
    others = ", ".join(_alias_text(a) for a in node.names if a not in moving)
    text = f"from {written} import {others}".encode() + eol + indent + added
    end = node.end_col_offset if node.end_col_offset is not None else len(line.rstrip())
    return [(node.lineno, node.col_offset, end, text)]


def _module_for(site: _Site, target: PyModule, home: PyModule) -> str | None:
    """The module text for `home`, written in the style of the existing import."""
    node = site.node
    written = "." * node.level + (node.module or "")
    same_dir = posixpath.dirname(target.path) == posixpath.dirname(home.path)
    if same_dir and node.module and not target.is_package and not home.is_package:
        stem = posixpath.basename(home.path).removesuffix(".py")
        head = written.rsplit(".", 1)[0] + "." if "." in written.lstrip(".") else ""
        if not head:
            head = "." * node.level
        return head + stem
    if node.level == 0 and node.module:
        target_parts = _parts(target.path)
        depth = len(node.module.split("."))
        root = target_parts[: len(target_parts) - depth]
        home_parts = _parts(home.path)
        if home_parts[: len(root)] == root:
            candidate = ".".join(home_parts[len(root) :])
            if candidate in home.names:
                return candidate
    return None


def _parts(path: str) -> list[str]:
    parts = path.removesuffix(".py").split("/")
    return parts[:-1] if parts[-1] == "__init__" else parts


def _alias_text(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _uses(tree: ast.Module, name: str) -> bool:
    """Whether the file refers to `name` beyond its import (a call, or a string in __all__)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Constant) and node.value == name:
            return True
    return False


def _edit(
    ws: Workspace, path: str, spans: list[tuple[int, int, int, bytes]], expect: str | None
) -> Edit:
    original = ws.read_bytes(path)
    lines = original.splitlines(keepends=True)
    for lineno, start, end, text in sorted(spans, reverse=True):
        line = lines[lineno - 1]
        if expect is not None and line[start:end] != expect.encode():
            raise ValueError(f"{path}:{lineno}: expected '{expect}' at column {start}")
        lines[lineno - 1] = line[:start] + text + line[end:]
    return Edit(path=path, content=b"".join(lines), original=original)


def _refuse(file: str, reason: str) -> Fix:
    return Fix(type=HANDLES, file=file, description="fix an import", reason=reason)
