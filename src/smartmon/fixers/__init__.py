"""Fixers: one module per fix type (`registry.REGISTRY`), the workspace that applies edits
atomically, and `scan`, the same fixers run over workflow files without a log."""

from smartmon.fixers.registry import FixContext, plan_fixes
from smartmon.fixers.scan import ScanFinding, fix, scan
from smartmon.fixers.workspace import Workspace, WorkspaceError

__all__ = ["FixContext", "ScanFinding", "Workspace", "WorkspaceError", "fix", "plan_fixes", "scan"]
