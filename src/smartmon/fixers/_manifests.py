"""Python dependency manifests: find the one a workflow installs from, read names, add one line.

Edits keep everything else byte-for-byte: requirements files and setup.cfg by line editing (configparser
would drop comments), pyproject.toml through tomlkit (array style kept).
"""

from __future__ import annotations

import configparser
import json
import posixpath
import re
import shlex
import tomllib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import tomlkit
import tomlkit.items
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from smartmon.fixers.workspace import Workspace, WorkspaceError
from smartmon.model import Edit

Kind = Literal["requirements", "pyproject", "poetry", "setup.cfg"]

_OPTION = re.compile(r"\s+-{1,2}[A-Za-z]")
# One shell command (lines are split on && || ; | first): pip/uv pip install, poetry install, uv sync.
_PIP = re.compile(
    r"(?:sudo\s+)?(?:\S*(?:python[\d.]*|py)\s+-m\s+)?(?:uv\s+)?pip[\d.]*\s+install\s(.*)"
)
_POETRY_OR_UV = re.compile(r"(?:poetry\s+install|uv\s+sync)\b")
_SEPARATORS = re.compile(r"&&|\|\||;|\||\(|\)")
_SETUP_KEY = re.compile(r"^install_requires\s*[=:]\s*(.*?)\s*$")
# libyaml's safe loader when PyYAML was built with it: same results, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LOCKS = frozenset({"poetry.lock", "uv.lock", "pdm.lock"})


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


# -- which manifest ---------------------------------------------------------------------------


def default_manifests(ws: Workspace) -> list[Manifest]:
    """requirements.txt, then pyproject.toml dependencies, then setup.cfg install_requires."""
    out: list[Manifest] = []
    if ws.exists("requirements.txt"):
        out.append(Manifest("requirements.txt", "requirements"))
    out.extend(_project_manifests(ws, "."))
    return _dedup(out)


def _project_manifests(ws: Workspace, directory: str) -> list[Manifest]:
    """What `pip install <directory>` reads its dependencies from, if we can edit it."""
    out: list[Manifest] = []
    pyproject = _join(directory, "pyproject.toml")
    if _exists(ws, pyproject):
        try:
            data = tomllib.loads(ws.read_text(pyproject))
        except (tomllib.TOMLDecodeError, WorkspaceError):
            data = {}
        project = data.get("project")
        if isinstance(project, dict):
            if "dependencies" not in project.get("dynamic", []):
                out.append(Manifest(pyproject, "pyproject"))
            else:
                files = _get(data, "tool", "setuptools", "dynamic", "dependencies", "file")
                for name in [files] if isinstance(files, str) else files or []:
                    out.append(Manifest(_join(directory, str(name)), "requirements"))
        elif isinstance(_get(data, "tool", "poetry", "dependencies"), dict):
            out.append(Manifest(pyproject, "poetry"))
    setup_cfg = _join(directory, "setup.cfg")
    if _exists(ws, setup_cfg) and _setup_cfg_has_requires(ws.read_text(setup_cfg)):
        out.append(Manifest(setup_cfg, "setup.cfg"))
    return out


def workflow_manifests(ws: Workspace, workflow: str, job: str) -> list[Manifest]:
    """Manifests the workflow's install commands use, in order, for the failing job if found."""
    try:
        doc = yaml.load(ws.read_text(workflow), Loader=_LOADER)
    except (yaml.YAMLError, WorkspaceError):
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), dict):
        return []
    jobs = {str(k): v for k, v in doc["jobs"].items() if isinstance(v, dict)}
    chosen = [v for k, v in jobs.items() if _job_matches(k, v, job)] or list(jobs.values())
    default_dir = _get(doc, "defaults", "run", "working-directory")
    out: list[Manifest] = []
    for spec in chosen:
        job_dir = _get(spec, "defaults", "run", "working-directory") or default_dir
        for step in spec.get("steps") or []:
            if not isinstance(step, dict) or not isinstance(step.get("run"), str):
                continue
            directory = str(step.get("working-directory") or job_dir or ".")
            if "${{" in directory:
                directory = "."
            for manifest in _install_targets(ws, step["run"], directory):
                if _exists(ws, manifest.path):
                    out.append(manifest)
    return _dedup(out)


def _job_matches(job_id: str, spec: Mapping[str, Any], log_job: str) -> bool:
    if not log_job:
        return False
    names = [job_id]
    if isinstance(spec.get("name"), str):
        names.append(spec["name"].split("${{", 1)[0].strip())
    return any(n and (log_job == n or log_job.startswith(n + " (")) for n in names)


def _install_targets(ws: Workspace, script: str, directory: str) -> Iterator[Manifest]:
    for line in script.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0]
        for command in _SEPARATORS.split(line):
            command = command.strip()
            if _POETRY_OR_UV.match(command):
                yield from _project_manifests(ws, directory)
            match = _PIP.match(command)
            if match is None:
                continue
            try:
                args = shlex.split(match.group(1))
            except ValueError:
                args = match.group(1).split()
            yield from _pip_targets(ws, args, directory)


def _pip_targets(ws: Workspace, args: list[str], directory: str) -> Iterator[Manifest]:
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in {"&&", "||", ";", "|"}:
            return
        value: str | None = None
        if arg in {"-r", "--requirement"} and i + 1 < len(args):
            value, i = args[i + 1], i + 1
        elif arg.startswith("--requirement="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-r") and len(arg) > 2:
            value = arg[2:]
        if value is not None:
            if "${{" not in value:
                path = _join(directory, value)
                kind: Kind = "pyproject" if value.endswith(".toml") else "requirements"
                yield Manifest(path, kind)
        else:
            if arg in {"-e", "--editable"} and i + 1 < len(args):
                arg, i = args[i + 1], i + 1
            local = arg.split("[", 1)[0]
            if local in {".", "./"} or (local.startswith(("./", "../")) and "${{" not in local):
                yield from _project_manifests(ws, _join(directory, local))
        i += 1


def _exists(ws: Workspace, path: str) -> bool:
    """Whether a path a workflow names is a file we may edit (outside or via a symlink: no)."""
    try:
        return ws.exists(path)
    except WorkspaceError:
        return False


def _join(directory: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(directory, path))


def _dedup(items: Iterable[Manifest]) -> list[Manifest]:
    return list(dict.fromkeys(items))


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def lock_file_for(ws: Workspace, manifest: Manifest) -> str | None:
    """The lock file that pins a pyproject manifest (poetry.lock, uv.lock, pdm.lock), if any."""
    if manifest.kind not in {"pyproject", "poetry"}:
        return None
    directory = posixpath.dirname(manifest.path) or "."
    for name in sorted(_LOCKS):
        path = _join(directory, name)
        if _exists(ws, path):
            return path
    return None


# -- reading names ----------------------------------------------------------------------------


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
        return _names(_get(data, "project", "dependencies") or [])
    return [k for k in _get(data, "tool", "poetry", "dependencies") or {} if k != "python"]


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
            included = _join(posixpath.dirname(path) or ".", match.group(1))
            if _exists(ws, included):
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
        values: list[Any] = list(_get(data, "project", "dependencies") or [])
        values += list(_get(data, "build-system", "requires") or [])
        for group in ("optional-dependencies",):
            for deps in (_get(data, "project", group) or {}).values():
                values.extend(deps)
        for deps in (data.get("dependency-groups") or {}).values():
            values.extend(d for d in deps if isinstance(d, str))
        names = _names(values)
        poetry = _get(data, "tool", "poetry") or {}
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [g.get("dependencies") for g in (poetry.get("group") or {}).values()]
        names += [k for t in tables if isinstance(t, dict) for k in t if k != "python"]
        return names
    if base == "setup.cfg":
        return _names(_setup_cfg_values(ws.read_text(path), extras=True))
    if base in _LOCKS:
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


def _setup_cfg_has_requires(text: str) -> bool:
    try:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read_string(text)
    except configparser.Error:
        return False
    return parser.has_option("options", "install_requires")


# -- editing ----------------------------------------------------------------------------------


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
