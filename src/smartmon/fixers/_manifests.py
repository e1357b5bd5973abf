"""Python dependency manifests: find the one a workflow installs from, read names, add one line.

Finding them is this module's job (the install commands of the failing job, else the repository's
defaults). Reading names lives in `_manifest_names` and adding one in `_manifest_edits`; both are
re-exported here, so a fixer imports everything about manifests from one place.
"""

from __future__ import annotations

import configparser
import posixpath
import re
import shlex
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import yaml

from smartmon.fixers._manifest import LOCK_FILES, Kind, Manifest, exists, get, join
from smartmon.fixers._manifest_edits import add_to_manifest
from smartmon.fixers._manifest_names import (
    manifest_names,
    repo_named_distributions,
    requirement_names,
)
from smartmon.fixers.workspace import Workspace, WorkspaceError

__all__ = [
    "Manifest",
    "add_to_manifest",
    "default_manifests",
    "lock_file_for",
    "manifest_names",
    "repo_named_distributions",
    "requirement_names",
    "workflow_manifests",
]

# One shell command (lines are split on && || ; | first): pip/uv pip install, poetry install, uv sync.
_PIP = re.compile(
    r"(?:sudo\s+)?(?:\S*(?:python[\d.]*|py)\s+-m\s+)?(?:uv\s+)?pip[\d.]*\s+install\s(.*)"
)
_POETRY_OR_UV = re.compile(r"(?:poetry\s+install|uv\s+sync)\b")
_SEPARATORS = re.compile(r"&&|\|\||;|\||\(|\)")
# libyaml's safe loader when PyYAML was built with it: same results, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    pyproject = join(directory, "pyproject.toml")
    if exists(ws, pyproject):
        try:
            data = tomllib.loads(ws.read_text(pyproject))
        except (tomllib.TOMLDecodeError, WorkspaceError):
            data = {}
        project = data.get("project")
        if isinstance(project, dict):
            if "dependencies" not in project.get("dynamic", []):
                out.append(Manifest(pyproject, "pyproject"))
            else:
                files = get(data, "tool", "setuptools", "dynamic", "dependencies", "file")
                for name in [files] if isinstance(files, str) else files or []:
                    out.append(Manifest(join(directory, str(name)), "requirements"))
        elif isinstance(get(data, "tool", "poetry", "dependencies"), dict):
            out.append(Manifest(pyproject, "poetry"))
    setup_cfg = join(directory, "setup.cfg")
    if exists(ws, setup_cfg) and _setup_cfg_has_requires(ws.read_text(setup_cfg)):
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
    default_dir = get(doc, "defaults", "run", "working-directory")
    out: list[Manifest] = []
    for spec in chosen:
        job_dir = get(spec, "defaults", "run", "working-directory") or default_dir
        for step in spec.get("steps") or []:
            if not isinstance(step, dict) or not isinstance(step.get("run"), str):
                continue
            directory = str(step.get("working-directory") or job_dir or ".")
            if "${{" in directory:
                directory = "."
            for manifest in _install_targets(ws, step["run"], directory):
                if exists(ws, manifest.path):
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
                path = join(directory, value)
                kind: Kind = "pyproject" if value.endswith(".toml") else "requirements"
                yield Manifest(path, kind)
        else:
            if arg in {"-e", "--editable"} and i + 1 < len(args):
                arg, i = args[i + 1], i + 1
            local = arg.split("[", 1)[0]
            if local in {".", "./"} or (local.startswith(("./", "../")) and "${{" not in local):
                yield from _project_manifests(ws, join(directory, local))
        i += 1


def _dedup(items: Iterable[Manifest]) -> list[Manifest]:
    return list(dict.fromkeys(items))


def lock_file_for(ws: Workspace, manifest: Manifest) -> str | None:
    """The lock file that pins a pyproject manifest (poetry.lock, uv.lock, pdm.lock), if any."""
    if manifest.kind not in {"pyproject", "poetry"}:
        return None
    directory = posixpath.dirname(manifest.path) or "."
    for name in sorted(LOCK_FILES):
        path = join(directory, name)
        if exists(ws, path):
            return path
    return None


def _setup_cfg_has_requires(text: str) -> bool:
    try:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read_string(text)
    except configparser.Error:
        return False
    return parser.has_option("options", "install_requires")
