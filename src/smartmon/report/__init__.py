"""Reports: JSON (the seed's field names), the HTML page, text/Markdown/GitHub renderers, webhook."""

from smartmon.report import webhook
from smartmon.report.json_reports import FINAL_REPORT, HTML_REPORT, REPORT_PREFIX
from smartmon.report.monitor_log import MonitorLog
from smartmon.report.org_report import org_final_report, write_org_final
from smartmon.report.records import Delivery, FixRecord, IssueRecord, RerunRecord, WorkflowState
from smartmon.report.render import (
    NEXT_STEPS,
    RENDERERS,
    code_span,
    escape_markdown,
    fenced_block,
    inside_workspace,
    next_step,
    runner_safe,
    strip_controls,
)

__all__ = [
    "FINAL_REPORT",
    "HTML_REPORT",
    "NEXT_STEPS",
    "RENDERERS",
    "REPORT_PREFIX",
    "Delivery",
    "FixRecord",
    "IssueRecord",
    "MonitorLog",
    "RerunRecord",
    "WorkflowState",
    "code_span",
    "escape_markdown",
    "fenced_block",
    "inside_workspace",
    "next_step",
    "org_final_report",
    "runner_safe",
    "strip_controls",
    "webhook",
    "write_org_final",
]
