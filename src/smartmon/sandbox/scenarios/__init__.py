"""Ready-made broken repositories for the demo and the tests, defined as data.

Each scenario is one folder holding ``scenario.yaml``: metadata, the repository's ``files``
(path -> content) and the ``fix`` that makes its CI pass. Files are kept inside the YAML rather
than as loose files so that the little Python projects are not linted, type-checked or collected
as smartmon's own code, and so that ``.github`` survives packaging (package-data globs skip
dot-directories).

Every workflow installs with a plain ``pip install -r requirements.txt``: the sandbox runner
points pip at an offline wheelhouse (``PIP_NO_INDEX``/``PIP_FIND_LINKS``, see
``sandbox/runner/python_env.py``), so adding ``PyYAML`` to requirements.txt really fixes
``missing-dependency`` without network.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

OWNER = "smartmon-demo"


@dataclass(frozen=True)
class Scenario:
    """A repository to create in the sandbox: files at the tip of ``default_branch``."""

    owner: str
    name: str
    files: dict[str, bytes]
    executable: frozenset[str] = frozenset()
    secrets: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    default_branch: str = "main"
    description: str = ""
    findings: tuple[str, ...] = ()  # finding types a diagnosis should report ("none": passes)
    passes_on_rerun: bool = False
    fix_files: dict[str, bytes] = field(default_factory=dict)
    fix_executable: frozenset[str] = frozenset()

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def fixed(self) -> Scenario:
        """The same repository after the intended fix (what a correct heal should produce)."""
        return replace(
            self,
            files={**self.files, **self.fix_files},
            executable=self.executable | self.fix_executable,
            fix_files={},
            fix_executable=frozenset(),
        )


def names() -> list[str]:
    root = resources.files(__name__)
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath("scenario.yaml").is_file()
    )


def load(name: str) -> Scenario:
    """Load a scenario by name; ``KeyError`` lists the known names."""
    entry = resources.files(__name__).joinpath(name, "scenario.yaml")
    if name not in names():
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(names())}")
    data: dict[str, Any] = yaml.safe_load(entry.read_text(encoding="utf-8"))
    fix = data.get("fix") or {}
    return Scenario(
        owner=OWNER,
        name=name,
        files=_encode(data.get("files") or {}),
        executable=frozenset(data.get("executable") or ()),
        secrets={str(k): str(v) for k, v in (data.get("secrets") or {}).items()},
        variables={str(k): str(v) for k, v in (data.get("variables") or {}).items()},
        description=str(data.get("description", "")),
        findings=tuple(f for f in str(data.get("finding", "")).split(",") if f),
        passes_on_rerun=bool(data.get("passes_on_rerun", False)),
        fix_files=_encode(fix.get("files") or {}),
        fix_executable=frozenset(fix.get("executable") or ()),
    )


def _encode(files: dict[str, str]) -> dict[str, bytes]:
    return {str(path): str(text).encode("utf-8") for path, text in files.items()}
