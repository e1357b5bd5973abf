"""Add one distribution to a manifest, keeping everything else byte-for-byte: requirements files and
setup.cfg by line editing (configparser would drop comments), pyproject.toml through tomlkit (array
style kept)."""

from __future__ import annotations

import re

import tomlkit
import tomlkit.items

from smartmon.fixers._manifest import Manifest
from smartmon.fixers.workspace import Workspace
from smartmon.model import Edit

_SETUP_KEY = re.compile(r"^install_requires\s*[=:]\s*(.*?)\s*$")


def add_to_manifest(ws: Workspace, manifest: Manifest, dist: str) -> Edit:
    """The edit that appends `dist` to the manifest, everything else kept."""
    original = ws.read_bytes(manifest.path)
    text = ws.read_text(manifest.path)
    if manifest.kind == "requirements":
        new = _add_requirement(manifest.path, text, dist)
    elif manifest.kind == "setup.cfg":
        new = _add_setup_cfg(manifest.path, text, dist)
    else:
        new = _add_pyproject(manifest, text, dist)
    return Edit(path=manifest.path, content=new.encode("utf-8"), original=original)


def _eol(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _add_requirement(path: str, text: str, dist: str) -> str:
    if "--hash" in text:
        raise ValueError(
            f"{path} pins hashes (--require-hashes); add {dist} with its hash by regenerating it "
            "(e.g. pip-compile --generate-hashes)"
        )
    eol = _eol(text)
    if not text:
        return dist + eol
    if text.endswith("\n"):
        return text + dist + eol
    return text + eol + dist


def _add_pyproject(manifest: Manifest, text: str, dist: str) -> str:
    doc = tomlkit.parse(text)
    if manifest.kind == "poetry":
        table = doc["tool"]["poetry"]["dependencies"]
        table[dist] = "*"
        return tomlkit.dumps(doc)
    project = doc["project"]
    deps = project.get("dependencies")
    if deps is None:
        project["dependencies"] = [dist]
    elif isinstance(deps, tomlkit.items.Array):
        deps.append(dist)
    else:
        raise ValueError(f"{manifest.path}: [project] dependencies is not an array")
    return tomlkit.dumps(doc)


def _add_setup_cfg(path: str, text: str, dist: str) -> str:
    eol = _eol(text)
    lines = text.splitlines(keepends=True)
    section = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        match = _SETUP_KEY.match(line.rstrip("\r\n"))
        if section != "options" or match is None:
            continue
        last = i  # last line holding a value
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j][0] in " \t"):
            if lines[j].strip() and not lines[j].strip().startswith(("#", ";")):
                last = j
            j += 1
        if last == i and match.group(1):
            head = lines[i].rstrip("\r\n")
            ending = lines[i][len(head) :]
            lines[i] = f"{head}, {dist}{ending or ''}"
            return "".join(lines)
        indent = "    "
        if last > i:
            indent = re.match(r"[ \t]*", lines[last]).group(0)  # type: ignore[union-attr]
        if not lines[last].endswith("\n"):
            lines[last] += eol
        lines.insert(last + 1, f"{indent}{dist}{eol}")
        return "".join(lines)
    raise ValueError(f"{path}: no [options] install_requires to add {dist} to")
