"""Fixers: one module per fix type (`registry.REGISTRY`), the workspace that applies edits
atomically, and `scan`, the same fixers run over workflow files without a log."""

from smartmon.fixers.registry import FixContext, plan_fixes
from smartmon.fixers.scan import ScanFinding, action_refs, fix, scan, scan_file
from smartmon.fixers.workspace import Workspace, WorkspaceError

__all__ = [
    "FixContext",
    "ScanFinding",
    "Workspace",
    "WorkspaceError",
    "action_refs",
    "fix",
    "plan_fixes",
    "scan",
    "scan_file",
]
