"""`smartmon fix --log PATH --repo DIR`: plan safe fixes for a failed log and apply them to DIR.

Nothing is committed and no file outside DIR's tracked content is written. Fixes are planned first
(pure), then applied atomically by the workspace; `--dry-run` stops after planning.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import posixpath
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from smartmon.diagnose import Analysis, analyze_paths
from smartmon.errors import InputError
from smartmon.fixers import FixContext, Workspace, WorkspaceError, plan_fixes
from smartmon.model import Edit, Finding, Fix, IssueType
from smartmon.report import runner_safe, strip_controls

log = logging.getLogger(__name__)

_WORKFLOW_DIR = ".github/workflows/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log", required=True, type=Path, metavar="PATH", help="job log, run zip or folder"
    )
    parser.add_argument(
        "--repo", required=True, type=Path, metavar="DIR", help="the checked-out repository"
    )
    parser.add_argument(
        "--workflow",
        metavar="PATH",
        help="workflow file that produced the log, relative to DIR (default: matched by job names)",
    )
    parser.add_argument(
        "--only",
        type=_types,
        default=None,
        metavar="TYPE,...",
        help="fix only these finding types, e.g. missing_dependency,import_error",
    )
    parser.add_argument("--dry-run", action="store_true", help="plan and report, change nothing")
    parser.add_argument("--format", choices=("text", "json", "diff"), default="text")


def _types(value: str) -> frozenset[IssueType]:
    known = {t.value: t for t in IssueType}
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown type {', '.join(unknown) or '(empty)'}; choose from {', '.join(sorted(known))}"
        )
    return frozenset(known[n] for n in names)


@dataclass(frozen=True)
class _Outcome:
    fix: Fix
    applied: bool
    reason: str | None


def run(args: argparse.Namespace) -> int:
    repo: Path = args.repo
    if not repo.exists():
        raise InputError(f"{repo}: no such directory; pass the repository checkout with --repo")
    ws = Workspace(repo)
    analysis = analyze_paths([args.log])
    for err in analysis.errors:
        print(f"smartmon: warning: {strip_controls(err)}", file=sys.stderr)
    notes: list[str] = []
    workflow = _workflow(ws, args.workflow, analysis, notes)
    ctx = FixContext(
        workflow=workflow,
        server_url=os.environ.get("GITHUB_SERVER_URL", "https://github.com"),
    )
    only: frozenset[IssueType] | None = args.only
    wanted = [f for f in (*analysis.findings, *analysis.notices) if only is None or f.type in only]
    fixes = _plan(wanted, ws, ctx)
    outcomes, edits = _select(fixes, ws.staged(), workflow, applying=not args.dry_run)
    diff = ws.diff(edits)
    if not args.dry_run and edits:
        ws.apply(edits)
    actions = os.environ.get("GITHUB_ACTIONS") == "true"
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps(_json(analysis, outcomes, workflow, notes), indent=2) + "\n")
    elif args.format == "diff":
        out.write(runner_safe(diff, actions=actions))  # data for `git apply`: bytes kept
    else:
        text = _text(analysis, outcomes, workflow, notes, dry_run=args.dry_run)
        out.write(runner_safe(text, actions=actions))
    return 0


def _plan(findings: Sequence[Finding], ws: Workspace, ctx: FixContext) -> list[Fix]:
    """Plan per finding so one refused path (a symlink, say) does not hide the other fixes."""
    fixes: list[Fix] = []
    for finding in findings:
        try:
            fixes.extend(plan_fixes([finding], ws, ctx))
        except WorkspaceError as exc:
            fixes.append(
                Fix(type=finding.type, file="", description="no fix planned", reason=str(exc))
            )
    return fixes


def _select(
    fixes: Iterable[Fix], staged: Iterable[Edit], workflow: str | None, *, applying: bool
) -> tuple[list[_Outcome], list[Edit]]:
    """Which planned fixes go ahead; workflow files are left alone when the workflow is unknown."""
    outcomes: list[_Outcome] = []
    blocked: set[str] = set()
    for fix in fixes:
        if not fix.applicable:
            outcomes.append(_Outcome(fix, False, fix.reason))
            continue
        if workflow is None and any(e.path.startswith(_WORKFLOW_DIR) for e in fix.edits):
            blocked.update(e.path for e in fix.edits)
            why = "the workflow that produced the log is not known (pass --workflow); not applied"
            outcomes.append(_Outcome(fix, False, why))
            continue
        outcomes.append(_Outcome(fix, applying, None))
    # The workspace merged the staged edits per path; keep those of the fixes that go ahead.
    going = {e.path for o in outcomes if o.reason is None for e in o.fix.edits}
    return outcomes, [e for e in staged if e.path in going and e.path not in blocked]


# -- which workflow produced the log ------------------------------------------------------------


def _workflow(ws: Workspace, given: str | None, analysis: Analysis, notes: list[str]) -> str | None:
    if given:
        if not ws.exists(given):
            raise InputError(f"{given}: no such workflow file in {ws.root}")
        return posixpath.normpath(given)
    names = [j.name for j in analysis.jobs if j.conclusion == "failure"] or [
        j.name for j in analysis.jobs
    ]
    candidates = ws.glob(_WORKFLOW_DIR + "*.y*ml")
    matches = [p for p in candidates if _covers(ws, p, names)]
    if len(matches) == 1:
        notes.append(f"workflow {matches[0]} matched by job names")
        return matches[0]
    if not matches:
        # Jobs that fail at "Set up job" (a deprecated action, a retired runner) log no job name:
        # the one workflow that holds the reported action or label is the one that ran.
        by_fact = _holding_facts(ws, candidates, analysis)
        if len(by_fact) == 1:
            notes.append(f"workflow {by_fact[0]} is the only one using what the log reports")
            return by_fact[0]
    if matches:
        notes.append(
            f"several workflows match the log's jobs ({', '.join(matches)}); "
            "workflow edits skipped (pass --workflow)"
        )
    else:
        notes.append("no workflow matches the log's job names; workflow edits skipped")
    return None


def _holding_facts(ws: Workspace, candidates: Sequence[str], analysis: Analysis) -> list[str]:
    """Workflows whose text names every deprecated action and retired label the log reports."""
    needles: set[str] = set()
    for f in analysis.findings:
        if f.type is IssueType.DEPRECATED_ACTION and f.data.get("action") and f.data.get("version"):
            needles.add(f"{f.data['action']}@{f.data['version']}")
        elif f.type is IssueType.RETIRED_RUNNER and f.data.get("label"):
            needles.add(f.data["label"])
    if not needles:
        return []
    found: list[str] = []
    for path in candidates:
        try:
            text = ws.read_text(path)
        except WorkspaceError:
            continue
        if all(n in text for n in needles):
            found.append(path)
    return found


def _covers(ws: Workspace, path: str, log_jobs: Sequence[str]) -> bool:
    """Whether every job name in the log is a job of this workflow (id, name, or matrix form)."""
    if not log_jobs:
        return False
    try:
        doc = yaml.load(ws.read_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, WorkspaceError):
        return False
    jobs = doc.get("jobs") if isinstance(doc, dict) else None
    if not isinstance(jobs, dict):
        return False
    names: list[tuple[str, bool]] = []  # (name, matches by prefix)
    for job_id, spec in jobs.items():
        names.append((str(job_id), False))
        if isinstance(spec, dict) and isinstance(spec.get("name"), str):
            literal, _, expr = spec["name"].partition("${{")
            names.append((literal.strip(), bool(expr)))
    return all(_job_matches(j, names) for j in log_jobs)


def _job_matches(log_job: str, names: Sequence[tuple[str, bool]]) -> bool:
    job = log_job.split(" / ", 1)[0]  # "caller / called job" from reusable workflows
    for name, by_prefix in names:
        if not name:
            continue
        if job == name or job.startswith(name + " (") or (by_prefix and job.startswith(name)):
            return True
    return False


# -- output ---------------------------------------------------------------------------------------


def _json(
    analysis: Analysis, outcomes: Sequence[_Outcome], workflow: str | None, notes: Sequence[str]
) -> dict[str, Any]:
    fixes = []
    for o in outcomes:
        entry = o.fix.to_dict(applied=o.applied)
        if o.reason is not None:
            entry["reason"] = o.reason
        fixes.append(entry)
    return {
        "findings": [f.to_dict() for f in analysis.findings],
        "notices": [n.to_dict() for n in analysis.notices],
        "fixes": fixes,
        "workflow": workflow,
        "notes": list(notes),
    }


def _text(
    analysis: Analysis,
    outcomes: Sequence[_Outcome],
    workflow: str | None,
    notes: Sequence[str],
    *,
    dry_run: bool,
) -> str:
    ready = [o for o in outcomes if o.reason is None]
    verb = "would apply" if dry_run else "applied"
    lines = [
        f"{len(analysis.findings)} finding(s); {len(ready)} fix(es) {verb}, "
        f"{len(outcomes) - len(ready)} without an edit"
    ]
    for note in notes:
        lines.append(f"  note: {note}")
    for o in outcomes:
        mark = "✓" if o.reason is None else "✗"
        where = f" [{o.fix.file}]" if o.fix.file else ""
        lines.append(f"{mark} {o.fix.type.value}: {o.fix.description}{where}")
        if o.reason is not None:
            lines.append(f"    why not: {o.reason}")
    unplanned = {f.type for f in analysis.findings} - {o.fix.type for o in outcomes}
    for issue in sorted(unplanned):
        lines.append(f"- {issue.value}: no automatic fix for this kind of failure")
    return "".join(strip_controls(line) + "\n" for line in lines)
