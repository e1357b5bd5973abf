"""Input/expected file pairs for the workflow fixers (pyupgrade style).

`<case>.in.yml` + `<case>.out.yml` must become exactly the expected bytes; `<case>.noop.yml` must stay
byte-identical. `<case>.finding.json` holds the finding (Finding.to_dict shape) plus optional
`ctx` (FixContext fields), `path` (where the file sits in the repo) and `reason` (a substring the
refusal must contain).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from smartmon.fixers import FixContext
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding

TESTDATA = Path(__file__).parent / "testdata"
DEFAULT_PATH = ".github/workflows/ci.yml"


def cases(fixer: str) -> list[str]:
    return sorted(
        p.name.removesuffix(".finding.json") for p in (TESTDATA / fixer).glob("*.finding.json")
    )


def run_case(fixer: ModuleType, name: str, case: str, tmp_path: Path) -> None:
    folder = TESTDATA / name
    spec: dict[str, Any] = json.loads((folder / f"{case}.finding.json").read_text("utf-8"))
    rel = spec.get("path", DEFAULT_PATH)
    ctx = FixContext(**spec.get("ctx", {"workflow": DEFAULT_PATH}))
    noop = folder / f"{case}.noop.yml"
    source = noop if noop.exists() else folder / f"{case}.in.yml"
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    finding = Finding.from_dict(spec)

    fix = fixer.plan(finding, Workspace(tmp_path), ctx)
    if noop.exists():
        assert fix is None or not fix.applicable, fix
        if "reason" in spec:
            assert fix is not None and fix.reason is not None, fix
            assert spec["reason"] in fix.reason, fix.reason
        assert target.read_bytes() == source.read_bytes()
        return
    assert fix is not None and fix.applicable, fix
    assert fix.type is finding.type
    Workspace(tmp_path).apply(fix.edits)
    assert target.read_bytes() == (folder / f"{case}.out.yml").read_bytes()
    again = fixer.plan(finding, Workspace(tmp_path), ctx)
    assert again is None or not again.applicable, again  # idempotent
    assert target.read_bytes() == (folder / f"{case}.out.yml").read_bytes()
