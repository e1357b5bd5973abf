"""The continuous monitor: the loop until every workflow passes N checks in a row, and
`ContinuousWorkflowMonitor`, its Python API."""

from smartmon.monitor.api import ContinuousWorkflowMonitor
from smartmon.monitor.config import MODES, MonitorConfig, Observer
from smartmon.monitor.heal import HealOutcome, WorkspaceClone
from smartmon.monitor.logfile import DEFAULT_LOG_FILE, close_log_file, open_log_file
from smartmon.monitor.loop import Monitor
from smartmon.monitor.org_loop import OrgMonitor
from smartmon.monitor.org_scan import (
    Failure,
    OrgScan,
    ScanFilter,
    list_repositories,
    parse_names,
    scan_organisation,
)
from smartmon.monitor.view import LiveView, PlainView
from smartmon.monitor.watch import Watch

__all__ = [
    "DEFAULT_LOG_FILE",
    "MODES",
    "ContinuousWorkflowMonitor",
    "Failure",
    "HealOutcome",
    "LiveView",
    "Monitor",
    "MonitorConfig",
    "Observer",
    "OrgMonitor",
    "OrgScan",
    "PlainView",
    "ScanFilter",
    "Watch",
    "WorkspaceClone",
    "close_log_file",
    "list_repositories",
    "open_log_file",
    "parse_names",
    "scan_organisation",
]
