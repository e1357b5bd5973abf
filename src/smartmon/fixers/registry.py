"""The fixer registry: one module per finding type, each exposing `HANDLES` and a pure `plan()`.

A fixer module looks like::

    HANDLES = IssueType.MISSING_DEPENDENCY

    def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None: ...

`plan` reads through the workspace only and returns edits (applied later by `Workspace.apply`), a Fix
with no edits and a `reason` when no safe fix exists, or None when the finding is not its business.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import ActionInfo

if TYPE_CHECKING:
    from smartmon.fixers.workspace import Workspace


@dataclass(frozen=True, kw_only=True)
class FixContext:
    """What a fixer may know beyond the finding: which workflow produced the log, and where."""

    workflow: str | None = None  # path relative to the workspace, e.g. ".github/workflows/ci.yml"
    server_url: str = "https://github.com"  # GITHUB_SERVER_URL; GHES lacks some action majors
    fork: bool = False  # a pull request from a fork: read-only token, no secrets (report only)
    # Actions looked up through the API (scan --online), keyed `owner/repo[/path]` in lower case.
    actions: Mapping[str, ActionInfo] | None = None


class _Fixer(Protocol):
    HANDLES: IssueType

    def plan(self, finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None: ...


# The one table: finding type -> fixer modules, tried in order until one plans a fix.
REGISTRY: dict[IssueType, tuple[str, ...]] = {
    IssueType.MISSING_DEPENDENCY: ("smartmon.fixers.missing_dependency",),
    IssueType.IMPORT_ERROR: ("smartmon.fixers.import_error",),
    IssueType.MISSING_ENV_VARS: ("smartmon.fixers.action_inputs", "smartmon.fixers.env_vars"),
    IssueType.PERMISSION_ERROR: (
        "smartmon.fixers.executable_bit",
        "smartmon.fixers.permissions",
    ),
    IssueType.DEPRECATED_ACTION: ("smartmon.fixers.action_versions",),
    IssueType.RETIRED_RUNNER: ("smartmon.fixers.runner_labels",),
    IssueType.YAML_SYNTAX_ERROR: ("smartmon.fixers.workflow_yaml",),
    IssueType.DEPRECATED_COMMAND: ("smartmon.fixers.set_output",),
}


def fixers_for(issue_type: IssueType) -> list[_Fixer]:
    """The fixer modules registered for a finding type (empty for transient/test/lint/unknown)."""
    mods: list[_Fixer] = []
    for name in REGISTRY.get(issue_type, ()):
        mod: _Fixer = importlib.import_module(name)
        mods.append(mod)
    return mods


def plan_fixes(findings: Iterable[Finding], ws: Workspace, ctx: FixContext) -> list[Fix]:
    """Plan one fix per finding that a fixer handles; findings no fixer handles are skipped.

    Each planned fix is staged in the workspace, so a later fixer reads the file as the earlier ones
    left it (two deprecated actions in one workflow become one coherent edit of that file).
    """
    from smartmon.fixers.workspace import WorkspaceError

    fixes: list[Fix] = []
    for finding in findings:
        for fixer in fixers_for(finding.type):
            try:
                fix = fixer.plan(finding, ws, ctx)
            except WorkspaceError as exc:
                # One unreadable or refused file costs this finding its fix, not the whole plan.
                fix = Fix(
                    type=finding.type,
                    file=finding.data.get("file", ""),
                    description=f"no fix planned for {finding.type.value}",
                    reason=str(exc),
                )
            if fix is not None:
                if fix.applicable:
                    ws.stage(fix.edits)
                fixes.append(fix)
                break
    return fixes
