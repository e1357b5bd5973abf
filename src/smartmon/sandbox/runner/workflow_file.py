"""Read workflow files from a bare repository and reject invalid ones the way GitHub does.

GitHub parses workflows as YAML 1.2 (only true/false are booleans), so ``on:`` stays a string
key here rather than becoming ``True`` as PyYAML's YAML 1.1 resolver would make it. Texts of the
errors come from research/workflow-yaml.md §5 ("You have an error in your yaml syntax on line N",
"The workflow is not valid. <path> (Line: L, Col: C): <message>").
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from smartmon.sandbox.runner.runtypes import Annotation

WORKFLOW_DIR = ".github/workflows"
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, so `on`, `yes`, `no` stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp if tag != "tag:yaml.org,2002:bool" else _BOOL_RE) for tag, regexp in resolvers
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class WorkflowFile:
    """One workflow file: parsed ``data`` or the startup-failure ``error``."""

    path: str
    name: str
    data: dict[str, Any] | None
    error: Annotation | None = None


def git_output(repo_dir: Path, *args: str) -> bytes:
    result = subprocess.run(
        ["git", "--git-dir", str(repo_dir), *args], capture_output=True, check=True
    )
    return result.stdout


def list_workflow_paths(repo_dir: Path, sha: str) -> list[str]:
    """Workflow files directly under .github/workflows at ``sha``."""
    try:
        out = git_output(repo_dir, "ls-tree", "--name-only", f"{sha}:{WORKFLOW_DIR}")
    except subprocess.CalledProcessError:
        return []
    names = out.decode("utf-8", "replace").splitlines()
    return sorted(f"{WORKFLOW_DIR}/{n}" for n in names if n.endswith((".yml", ".yaml")))


def read_workflow(repo_dir: Path, sha: str, path: str) -> WorkflowFile:
    try:
        text = git_output(repo_dir, "show", f"{sha}:{path}").decode("utf-8", "replace")
    except subprocess.CalledProcessError:
        return WorkflowFile(path, path, None, _invalid(path, 1, f"File not found: {path}"))
    return parse_workflow(path, text)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)


def parse_workflow(path: str, text: str) -> WorkflowFile:
    try:
        data = load_yaml(text)
        root = yaml.compose(text, Loader=_Yaml12Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return WorkflowFile(
            path,
            path,
            None,
            _invalid(path, line, f"You have an error in your yaml syntax on line {line}"),
        )
    except yaml.YAMLError:
        return WorkflowFile(
            path, path, None, _invalid(path, 1, "You have an error in your yaml syntax")
        )
    name = path
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        name = data["name"]
    problems = _validate(data, root)
    if problems:
        line = problems[0][0]
        detail = " ".join(f"{path} (Line: {ln}, Col: {col}): {msg}" for ln, col, msg in problems)
        return WorkflowFile(
            path, name, None, _invalid(path, line, f"The workflow is not valid. {detail}")
        )
    assert isinstance(data, dict)
    return WorkflowFile(path, name, data)


def _invalid(path: str, line: int, message: str) -> Annotation:
    return Annotation(
        level="failure",
        message=message,
        path=path,
        start_line=line,
        end_line=line,
        title=f"Invalid workflow file: {path}#L{line}",
    )


def _child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _validate(data: Any, root: yaml.Node | None) -> list[tuple[int, int, str]]:
    problems: list[tuple[int, int, str]] = []
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        line, col = _pos(root) if root is not None else (1, 1)
        return [(line, col, "Required property is missing: jobs")]
    if "on" not in data:
        problems.append((*_pos(root), "Required property is missing: on"))
    jobs_entry = _child(root, "jobs")
    jobs = data.get("jobs")
    if jobs_entry is None or not isinstance(jobs, dict) or not jobs:
        problems.append((*_pos(root), "Required property is missing: jobs"))
        return problems
    for key_node, job_node in (
        jobs_entry[1].value if isinstance(jobs_entry[1], yaml.MappingNode) else []
    ):
        job_id = key_node.value
        job = jobs.get(job_id)
        if not isinstance(job, dict):
            problems.append(
                (
                    *_pos(job_node),
                    f"Unexpected type '{type(job).__name__}' encountered while reading "
                    f"'job {job_id}'. The type 'MappingToken' was expected.",
                )
            )
            continue
        if "uses" not in job and "runs-on" not in job:
            problems.append((*_pos(job_node), "Required property is missing: runs-on"))
        if "uses" not in job and not job.get("steps"):
            problems.append(
                (
                    *_pos(key_node),
                    "No steps defined in `steps` and no workflow called in `uses` for the "
                    f"following jobs: {job_id}",
                )
            )
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs or []:
            if need not in jobs:
                problems.append(
                    (*_pos(key_node), f"Job '{job_id}' depends on unknown job '{need}'.")
                )
        steps_entry = _child(job_node, "steps")
        if steps_entry is None or not isinstance(steps_entry[1], yaml.SequenceNode):
            continue
        for step_node in steps_entry[1].value:
            keys = (
                {k.value for k, _ in step_node.value}
                if isinstance(step_node, yaml.MappingNode)
                else set()
            )
            if "uses" in keys and "run" in keys:
                problems.append((*_pos(step_node), "Unexpected value 'run'"))
            elif "uses" not in keys and "run" not in keys:
                problems.append(
                    (
                        *_pos(step_node),
                        "There's not enough info to determine what you meant. Add one of these "
                        "properties: run, shell, uses, with, working-directory",
                    )
                )
    return problems
