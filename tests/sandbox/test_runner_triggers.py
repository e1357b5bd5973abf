"""`on:` matching, filter globs, and reading workflow files from a real bare repository."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from smartmon.sandbox.runner.triggers import event_matches, filter_match, glob_match, workflow_on
from smartmon.sandbox.runner.workflow_file import load_yaml, parse_workflow
from tests.sandbox.runner_support import commit, make_repo, make_runner


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("main", "main", True),
        ("releases/*", "releases/v1", True),
        ("releases/*", "releases/v1/fix", False),
        ("releases/**", "releases/v1/fix", True),
        ("**/README.md", "README.md", True),
        ("**/README.md", "docs/a/README.md", True),
        ("**.py", "src/app.py", True),
        ("*.py", "src/app.py", False),
        ("v[12].[0-9]+.[0-9]+", "v1.10.3", True),
        ("v[12].[0-9]+.[0-9]+", "v3.1.0", False),
        ("feature/ab?c", "feature/ac", True),
        ("docs/*.md", "docs/x.mdx", False),
    ],
)
def test_glob(pattern: str, value: str, expected: bool) -> None:
    assert glob_match(pattern, value) is expected


def test_negation_is_ordered() -> None:
    assert filter_match(["releases/**", "!releases/**-alpha"], "releases/1.0") is True
    assert filter_match(["releases/**", "!releases/**-alpha"], "releases/1.0-alpha") is False
    assert filter_match(["!releases/**-alpha", "releases/**"], "releases/1.0-alpha") is True


def test_on_key_in_both_yaml_dialects() -> None:
    text = "on:\n  push:\n    branches: [main]\njobs: {}\n"
    assert workflow_on(yaml.safe_load(text)) == {"push": {"branches": ["main"]}}  # key True
    assert workflow_on(load_yaml(text)) == {"push": {"branches": ["main"]}}  # key "on"
    assert workflow_on(load_yaml("on: [push, workflow_dispatch]\n")) == {
        "push": {},
        "workflow_dispatch": {},
    }
    assert workflow_on(load_yaml("on: push\n")) == {"push": {}}


def _on(text: str) -> dict[str, Any]:
    return workflow_on(load_yaml(text))


@pytest.mark.parametrize(
    ("on", "ref", "changed", "expected"),
    [
        ("on: push", "refs/heads/anything", None, True),
        ("on: {push: {branches: [main]}}", "refs/heads/main", None, True),
        ("on: {push: {branches: [main]}}", "refs/heads/dev", None, False),
        ("on: {push: {branches: [main]}}", "refs/tags/v1", None, False),
        ("on: {push: {tags: ['v*']}}", "refs/tags/v1", None, True),
        ("on: {push: {tags: ['v*']}}", "refs/heads/main", None, False),
        (
            "on: {push: {branches-ignore: ['dependabot/**']}}",
            "refs/heads/dependabot/pip/x",
            None,
            False,
        ),
        ("on: {push: {paths: ['src/**']}}", "refs/heads/main", ["README.md"], False),
        ("on: {push: {paths: ['src/**']}}", "refs/heads/main", ["src/a.py"], True),
        ("on: {push: {paths-ignore: ['docs/**']}}", "refs/heads/main", ["docs/a.md"], False),
        ("on: {push: {paths-ignore: ['docs/**']}}", "refs/heads/main", ["docs/a.md", "x"], True),
        ("on: {push: {paths: ['src/**']}}", "refs/heads/main", None, True),
        ("on: [pull_request]", "refs/heads/main", None, False),
        ("on: {schedule: [{cron: '0 3 * * 1'}]}", "refs/heads/main", None, False),
    ],
)
def test_push(on: str, ref: str, changed: list[str] | None, expected: bool) -> None:
    assert event_matches(_on(on), "push", ref, {}, changed) is expected


def test_workflow_run_names_types_and_branches() -> None:
    on = _on("on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n")
    payload = {"action": "completed", "workflow": {"name": "CI"}, "workflow_run": {}}
    assert event_matches(on, "workflow_run", "refs/heads/main", payload)
    assert not event_matches(on, "workflow_run", "", {**payload, "action": "requested"})
    assert not event_matches(on, "workflow_run", "", {**payload, "workflow": {"name": "Lint"}})
    branches = _on("on:\n  workflow_run:\n    workflows: [CI]\n    branches: [main]\n")
    run = {"head_branch": "dev"}
    assert not event_matches(branches, "workflow_run", "", {**payload, "workflow_run": run})


def test_pull_request_types_and_base_branch() -> None:
    on = _on("on:\n  pull_request:\n    branches: [main]\n")
    opened = {"action": "opened", "pull_request": {"base": {"ref": "main"}}}
    assert event_matches(on, "pull_request", "refs/pull/1/merge", opened)
    assert not event_matches(on, "pull_request", "", {**opened, "action": "closed"})
    other = {"action": "opened", "pull_request": {"base": {"ref": "dev"}}}
    assert not event_matches(on, "pull_request", "", other)
    assert event_matches(_on("on: workflow_dispatch"), "workflow_dispatch", "refs/heads/x", {})


def test_invalid_yaml_reports_githubs_text() -> None:
    wf = parse_workflow(".github/workflows/ci.yml", "on: push\njobs:\n  a:\n\truns-on: x\n")
    assert wf.data is None and wf.error is not None
    assert wf.error.message == "You have an error in your yaml syntax on line 4"
    assert wf.error.title == "Invalid workflow file: .github/workflows/ci.yml#L4"
    assert wf.error.path == ".github/workflows/ci.yml" and wf.error.start_line == 4


def test_template_validation_reports_line_and_column() -> None:
    text = "on: push\njobs:\n  build:\n    steps:\n      - run: echo\n"
    wf = parse_workflow(".github/workflows/ci.yml", text)
    assert wf.error is not None
    assert wf.error.message == (
        "The workflow is not valid. .github/workflows/ci.yml (Line: 4, Col: 5): "
        "Required property is missing: runs-on"
    )
    needs = "on: push\njobs:\n  a:\n    runs-on: x\n    needs: b\n    steps: [{run: x}]\n"
    wf = parse_workflow(".github/workflows/ci.yml", needs)
    assert wf.error is not None and "Job 'a' depends on unknown job 'b'." in wf.error.message


def test_triggered_workflows_reads_the_commit(tmp_path: Path) -> None:
    files = {
        ".github/workflows/ci.yml": "name: CI\non: [push]\njobs: {a: {runs-on: x, steps: [{run: a}]}}\n",
        ".github/workflows/docs.yaml": (
            "name: Docs\non:\n  push:\n    paths: ['docs/**']\n"
            "jobs: {a: {runs-on: x, steps: [{run: a}]}}\n"
        ),
        ".github/workflows/after.yml": (
            "name: After\non:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n"
            "jobs: {a: {runs-on: x, steps: [{run: a}]}}\n"
        ),
        ".github/workflows/notes.txt": "not a workflow",
        "README.md": "hi\n",
    }
    bare, work, first = make_repo(tmp_path, files)
    runner = make_runner(tmp_path)
    found = runner.triggered_workflows(bare, first, "push", "refs/heads/main", {})
    assert found == [(".github/workflows/ci.yml", "CI"), (".github/workflows/docs.yaml", "Docs")]
    second = commit(work, bare, {"README.md": "changed\n"})
    payload = {"before": first, "after": second}
    found = runner.triggered_workflows(bare, second, "push", "refs/heads/main", payload)
    assert found == [(".github/workflows/ci.yml", "CI")]
    event = {"action": "completed", "workflow": {"name": "CI"}, "workflow_run": {}}
    found = runner.triggered_workflows(bare, second, "workflow_run", "refs/heads/main", event)
    assert found == [(".github/workflows/after.yml", "After")]


def test_broken_workflow_still_starts_a_push_run(tmp_path: Path) -> None:
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": "on: push\njobs:\n\tx: 1\n"})
    runner = make_runner(tmp_path)
    assert runner.triggered_workflows(bare, sha, "push", "refs/heads/main", {}) == [
        (".github/workflows/ci.yml", ".github/workflows/ci.yml")
    ]
    assert runner.triggered_workflows(bare, sha, "workflow_dispatch", "refs/heads/main", {}) == []
