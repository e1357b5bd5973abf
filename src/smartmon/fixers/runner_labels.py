"""Swap retired runner labels for supported ones (dated table in `data/runners.yaml`).

Labels change where a job's runner is chosen: `runs-on` (scalar, list, `labels:`), and the matrix
values a `runs-on: ${{ matrix.KEY }}` selects, including `include:`/`exclude:` entries. Text inside
`${{ }}` expressions is never touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartmon.fixers.target import (
    UNKNOWN_WORKFLOW,
    edit_fix,
    finding_line,
    guarded,
    load,
    reason,
    target_workflow,
)
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    EditError,
    Site,
    get_path,
    rewrite_scalars,
    runner_replacement,
    runs_on_sites,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.RETIRED_RUNNER


def retired_sites(doc: Any) -> list[tuple[Site, str]]:
    """Every retired label where a runner is chosen, with its replacement."""
    literal, via_matrix = runs_on_sites(doc)
    found: list[tuple[Site, str]] = []
    for site in [*literal, *via_matrix]:
        replacement = runner_replacement(site.value)
        if replacement is not None:
            found.append((site, replacement))
    return found


def duplicates_sibling(doc: Any, site: Site, new: str) -> bool:
    """True when the replacement is already a value of the same list (`os: [macos-14, macos-15]`):
    the swap would run the job twice on one image; the retired value should go, by hand."""
    parent = get_path(doc, site.path[:-1])
    if not isinstance(parent, list):
        return False
    return any(isinstance(v, str) and v.strip().lower() == new.lower() for v in parent)


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    label = finding.data.get("label", "").strip().lower()
    title = f"replace runner {label or 'labels'}"
    path = target_workflow(finding, ctx)
    if path is None:
        return reason(HANDLES, "", title, UNKNOWN_WORKFLOW)
    if label and runner_replacement(label) is None:
        return reason(
            HANDLES, path, title, f"{label} is not retired yet (data/runners.yaml); nothing to swap"
        )
    loaded = load(ws, path)
    if isinstance(loaded, str):
        return reason(HANDLES, path, title, loaded)
    changes = [
        (s, new) for s, new in retired_sites(loaded.doc) if not label or s.value.lower() == label
    ]
    twice = [(s, new) for s, new in changes if duplicates_sibling(loaded.doc, s, new)]
    changes = [c for c in changes if c not in twice]
    at = finding_line(finding)
    if at is not None:
        if any(s.line == at for s, _ in twice):
            s, new = next(c for c in twice if c[0].line == at)
            why = f"{path}:{at + 1}: {new} is already in this list: remove {s.value} by hand"
            return reason(HANDLES, path, title, why)
        changes = [(s, new) for s, new in changes if s.line == at]
        if not changes:
            return None  # already fixed by an earlier fix of this run
    if not changes:
        if label and label in loaded.text.lower():
            return reason(
                HANDLES,
                path,
                title,
                f"{path}: {label} is only used inside an expression or outside runs-on; "
                "change it by hand",
            )
        return None
    try:
        new_text = rewrite_scalars(loaded.text, loaded.doc, changes)
    except EditError as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}")
    swaps = sorted({f"{s.value} -> {new}" for s, new in changes})
    return edit_fix(HANDLES, loaded, new_text, "runner " + ", ".join(swaps))
