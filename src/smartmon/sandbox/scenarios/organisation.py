"""Organisations: many scenario repositories under one owner, defined as data (issue 15).

``org/organisation.yaml`` names the repositories that fail (built from the single-repository
scenarios), the archived ones and the ones that pass; ``load_organisation`` turns it into one
``Scenario`` per repository plus the flags GitHub keeps on a repository (archived, fork, topics).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from smartmon.sandbox.scenarios import Scenario, load

_PASSING_CI = """\
name: {name}

on:
  push:
    branches: [main]
  workflow_dispatch:

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Check
        run: python3 -c "print('{repo} is fine')"
"""


@dataclass(frozen=True)
class OrgRepository:
    """One repository of an organisation: its scenario and GitHub's flags for it."""

    scenario: Scenario
    archived: bool = False
    fork: bool = False
    topics: tuple[str, ...] = ()
    failing_workflows: tuple[str, ...] = ()  # workflow names whose first run fails

    @property
    def full_name(self) -> str:
        return self.scenario.full_name


@dataclass(frozen=True)
class Organisation:
    name: str
    repositories: tuple[OrgRepository, ...] = field(default_factory=tuple)

    def failing(self) -> list[OrgRepository]:
        """Active (not archived, not fork) repositories whose default branch fails."""
        return [r for r in self.repositories if r.failing_workflows and not (r.archived or r.fork)]


def organisation_names() -> list[str]:
    root = resources.files("smartmon.sandbox.scenarios")
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath("organisation.yaml").is_file()
    )


def load_organisation(name: str) -> Organisation:
    """The organisation `name`; ``KeyError`` lists the known ones."""
    if name not in organisation_names():
        raise KeyError(f"unknown organisation {name!r}; known: {', '.join(organisation_names())}")
    root = resources.files("smartmon.sandbox.scenarios")
    data: dict[str, Any] = yaml.safe_load(
        root.joinpath(name, "organisation.yaml").read_text(encoding="utf-8")
    )
    org = str(data["org"])
    topics = {str(k): tuple(str(t) for t in v) for k, v in (data.get("topics") or {}).items()}
    forks = set(data.get("forks") or ())
    second = set((data.get("workflows") or {}).get("second") or ())
    repos: list[OrgRepository] = []
    for repo, parts in (data.get("failing") or {}).items():
        sc, failing = _combined(org, str(repo), [str(p) for p in parts])
        repos.append(OrgRepository(sc, topics=topics.get(repo, ()), failing_workflows=failing))
    for repo, parts in (data.get("archived") or {}).items():
        sc, failing = _combined(org, str(repo), [str(p) for p in parts])
        repos.append(OrgRepository(sc, archived=True, failing_workflows=failing))
    for repo in data.get("passing") or ():
        files = {".github/workflows/ci.yml": _PASSING_CI.format(name="CI", repo=repo)}
        if repo in second:
            files[".github/workflows/lint.yml"] = _PASSING_CI.format(name="Lint", repo=repo)
        files["README.md"] = f"# {repo}\n\nA passing repository of the {org} organisation.\n"
        sc = Scenario(
            owner=org,
            name=str(repo),
            files={k: v.encode() for k, v in files.items()},
            findings=("none",),
        )
        repos.append(OrgRepository(sc, fork=repo in forks, topics=topics.get(repo, ())))
    return Organisation(org, tuple(repos))


def _combined(org: str, repo: str, parts: list[str]) -> tuple[Scenario, tuple[str, ...]]:
    """The first scenario's repository with the workflows of the others added under new names."""
    base = replace(load(parts[0]), owner=org, name=repo)
    files, fix_files = dict(base.files), dict(base.fix_files)
    executable, fix_executable = set(base.executable), set(base.fix_executable)
    secrets, findings = dict(base.secrets), list(base.findings)
    # GitHub names a workflow it cannot parse by its path.
    names = [".github/workflows/ci.yml" if "yaml_syntax_error" in base.findings else "CI"]
    for part in parts[1:]:
        extra = load(part)
        workflow = f".github/workflows/{part}.yml"
        for source, target in ((extra.files, files), (extra.fix_files, fix_files)):
            for path, content in source.items():
                if path == ".github/workflows/ci.yml":
                    target[workflow] = content.replace(b"name: CI\n", f"name: {part}\n".encode(), 1)
                elif target.setdefault(path, content) != content and source is extra.files:
                    raise ValueError(f"{repo}: {part} and {parts[0]} disagree about {path}")
        executable |= extra.executable
        fix_executable |= extra.fix_executable
        secrets.update(extra.secrets)
        findings += extra.findings
        names.append(part)
    sc = replace(
        base,
        files=files,
        fix_files=fix_files,
        executable=frozenset(executable),
        fix_executable=frozenset(fix_executable),
        secrets=secrets,
        findings=tuple(findings),
    )
    return sc, tuple(names)
