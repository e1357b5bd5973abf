"""Diagnosis: read job logs, run zips and folders (streaming) and say why each job failed.

Rules are data (`rules/*.yaml`); facts every tool prints the same way are extracted once."""

from smartmon.diagnose import api_requests, distributions, logs
from smartmon.diagnose.analysis import Analysis
from smartmon.diagnose.classify import analyze_paths, analyze_sources
from smartmon.diagnose.rules import load_rules, rule_next_step
from smartmon.diagnose.runzip import job_text_from_zip
from smartmon.diagnose.sources import JobSource
from smartmon.diagnose.verdict import rerun_helps

__all__ = [
    "Analysis",
    "JobSource",
    "analyze_paths",
    "analyze_sources",
    "api_requests",
    "distributions",
    "job_text_from_zip",
    "load_rules",
    "logs",
    "rerun_helps",
    "rule_next_step",
]
