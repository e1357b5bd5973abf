"""Distribution names a manifest, or any manifest or lock file in the repository, already lists."""

from __future__ import annotations

import configparser
import json
import posixpath
import re
import tomllib
from collections.abc import Collection, Iterable
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from smartmon.fixers._manifest import LOCK_FILES, Manifest, exists, get, join
from smartmon.fixers.workspace import Workspace, WorkspaceError

_OPTION = re.compile(r"\s+-{1,2}[A-Za-z]")


def requirement_names(text: str) -> list[str]:
    """Distribution names in a requirements file (options, URLs and editables skipped)."""
    out: list[str] = []
    for line in text.replace("\\\r\n", " ").replace("\\\n", " ").splitlines():
        line = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()
        if not line or line.startswith("-"):
            continue
        line = _OPTION.split(line, maxsplit=1)[0]
        try:
            out.append(Requirement(line).name)
        except InvalidRequirement:
            continue
    return out


def manifest_names(ws: Workspace, manifest: Manifest) -> list[str]:
    """Distribution names a manifest already lists for installation."""
    if manifest.kind == "requirements":
        return _requirements_deep(ws, manifest.path, set())
    text = ws.read_text(manifest.path)
    if manifest.kind == "setup.cfg":
        return _names(_setup_cfg_values(text, extras=False))
    data = tomllib.loads(text)
    if manifest.kind == "pyproject":
        return _names(get(data, "project", "dependencies") or [])
    return [k for k in get(data, "tool", "poetry", "dependencies") or {} if k != "python"]


def _requirements_deep(ws: Workspace, path: str, seen: set[str]) -> list[str]:
    """Names in a requirements file and the files it includes with -r (each read once)."""
    if path in seen or len(seen) > 20:
        return []
    seen.add(path)
    text = ws.read_text(path)
    names = requirement_names(text)
    for line in text.splitlines():
        match = re.match(r"\s*(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)", line)
        if match:
            included = join(posixpath.dirname(path) or ".", match.group(1))
            if exists(ws, included):
                names += _requirements_deep(ws, included, seen)
    return names


def repo_named_distributions(ws: Workspace, *, prune: Collection[str]) -> dict[str, str]:
    """PEP 503 name -> spelling, for every distribution the repository's manifests or locks name."""
    found: dict[str, str] = {}
    for path in ws.glob("**", prune=prune):
        base = posixpath.basename(path)
        try:
            names = _names_in(ws, path, base)
        except (WorkspaceError, ValueError, tomllib.TOMLDecodeError, configparser.Error):
            continue
        for name in names:
            if name.isascii() and re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", name):
                found.setdefault(canonicalize_name(name), name)
    return found


def _names_in(ws: Workspace, path: str, base: str) -> list[str]:
    in_req_dir = "/requirements/" in f"/{path}" and base.endswith((".txt", ".in", ".pip"))
    if in_req_dir or ("requirements" in base and base.endswith((".txt", ".in"))):
        return requirement_names(ws.read_text(path))
    if base == "pyproject.toml":
        data = tomllib.loads(ws.read_text(path))
        values: list[Any] = list(get(data, "project", "dependencies") or [])
        values += list(get(data, "build-system", "requires") or [])
        for group in ("optional-dependencies",):
            for deps in (get(data, "project", group) or {}).values():
                values.extend(deps)
        for deps in (data.get("dependency-groups") or {}).values():
            values.extend(d for d in deps if isinstance(d, str))
        names = _names(values)
        poetry = get(data, "tool", "poetry") or {}
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [g.get("dependencies") for g in (poetry.get("group") or {}).values()]
        names += [k for t in tables if isinstance(t, dict) for k in t if k != "python"]
        return names
    if base == "setup.cfg":
        return _names(_setup_cfg_values(ws.read_text(path), extras=True))
    if base in LOCK_FILES:
        data = tomllib.loads(ws.read_text(path))
        return [str(p.get("name")) for p in data.get("package", []) if isinstance(p, dict)]
    if base == "Pipfile":
        data = tomllib.loads(ws.read_text(path))
        return [str(k) for t in ("packages", "dev-packages") for k in data.get(t, {})]
    if base == "Pipfile.lock":
        data = json.loads(ws.read_text(path))
        return [str(k) for t in ("default", "develop") for k in data.get(t, {})]
    return []


def _names(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        try:
            out.append(Requirement(str(value)).name)
        except InvalidRequirement:
            continue
    return out


def _setup_cfg_values(text: str, *, extras: bool) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    raw: list[str] = []
    keys = (
        ("install_requires", "setup_requires", "tests_require") if extras else ("install_requires",)
    )
    if parser.has_section("options"):
        raw += [parser.get("options", k) for k in keys if parser.has_option("options", k)]
    if extras and parser.has_section("options.extras_require"):
        raw += [v for _, v in parser.items("options.extras_require")]
    out: list[str] = []
    for value in raw:
        out += [p.strip() for p in (value.splitlines() if "\n" in value else value.split(","))]
    return [v for v in out if v]
