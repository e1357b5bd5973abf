"""The JSON report files: one per iteration, the final one (with its HTML page), and reading them back.

Field names from the original specification are kept exactly (`timestamp`, `iteration`,
`total_issues_found`, `total_fixes_applied`, `issues_by_type`, `fixes_by_type`; and for the final
report `monitoring_started`, `monitoring_ended`, `total_iterations`, `success_rate`, `issues`,
`fixes`). Schemas: `smartmon/report/schemas/*.schema.json`.

success_rate = (applied fixes verified by a passing run + reruns verified by a passing attempt)
             / (issues that were auto-fixable or transient), capped at 1.0; 1.0 when that
             denominator is 0 (nothing we could have healed). The parts are in `success_rate_basis`.
It is written as the specification prints it ("83.3%"), the number beside it in
`success_rate_value` (0.8333) for programs.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from smartmon import atomic
from smartmon.diagnose import rerun_helps
from smartmon.model import TRANSIENT_TYPES
from smartmon.report.records import Delivery, FixRecord, IssueRecord, IterationState, RerunRecord

log = logging.getLogger(__name__)

REPORT_PREFIX = "continuous_monitoring_report_"
FINAL_REPORT = "continuous_monitoring_final_report.json"
HTML_REPORT = "continuous_monitoring_report.html"
REPORT_VERSION = 1
PATCH_LIMIT = 100_000  # characters of a patch kept in the JSON
SUCCESS_RATE_DEFINITION = (
    "(applied fixes verified by a passing run + reruns verified by a passing attempt) / "
    "(issues that were auto-fixable or transient), capped at 1.0; 1.0 when nothing was healable"
)
_NOT_FAILING = frozenset({None, "success", "skipped", "neutral"})
_TRANSIENT = frozenset(t.value for t in TRANSIENT_TYPES)


def _rerun_heals(issue: Mapping[str, Any]) -> bool:
    """A transient issue a re-run can clear: not one whose rule says a re-run meets it again (an
    out-of-memory kill, a full disk), which heal never re-runs."""
    return issue["type"] in _TRANSIENT and rerun_helps(str(issue.get("rule", "")))


# -- entries ------------------------------------------------------------------------------------


def issue_entry(record: IssueRecord) -> dict[str, Any]:
    """An issue as the reports list it (before its `id` and `iteration`)."""
    return {
        "workflow": record.workflow,
        "run_id": record.run_id,
        "run_attempt": record.run_attempt,
        **record.finding.to_dict(),
    }


def fix_entry(record: FixRecord) -> dict[str, Any]:
    """A fix as the reports list it (before its `id` and `iteration`)."""
    out = record.fix.to_dict(applied=record.applied)
    out.setdefault("reason", None)
    patch = record.patch
    if patch is not None and len(patch) > PATCH_LIMIT:
        patch = patch[:PATCH_LIMIT] + f"\n… patch truncated at {PATCH_LIMIT} characters\n"
    out.update(
        {
            "workflow": record.workflow,
            "run_id": record.run_id,
            "files": sorted({e.path for e in record.fix.edits} or ({record.fix.file} - {""})),
            "delivery": Delivery(record.delivery).value,
            "commit_sha": record.commit_sha,
            "pr_url": record.pr_url,
            "patch": patch,
            "verified_by_run": record.verified_by_run,
        }
    )
    return out


def rerun_entry(record: RerunRecord) -> dict[str, Any]:
    """A rerun as the reports list it (before its `id` and `iteration`)."""
    return {
        "workflow": record.workflow,
        "run_id": record.run_id,
        "attempt": record.attempt,
        "reason": record.reason,
        "verified_by_run": record.verified_by_run,
    }


def error_message(error: str | BaseException) -> str:
    return error if isinstance(error, str) else f"{type(error).__name__}: {error}"


def percent(rate: float) -> str:
    """A rate as the original specification prints it: 0.8333 -> "83.3%"."""
    return f"{rate * 100:.1f}%"


def failing(workflow: Mapping[str, Any]) -> bool:
    """Whether a workflow entry's latest run failed (a run still going does not count)."""
    return workflow["conclusion"] not in _NOT_FAILING


def _count(items: Iterable[Mapping[str, Any]], *, fixes: bool) -> dict[str, int]:
    counts = Counter(i["type"] for i in items if not fixes or i["applied"])
    return dict(sorted(counts.items()))


# -- the two documents --------------------------------------------------------------------------


def iteration_report(
    *,
    session_id: str,
    repository: str,
    started: str,
    timestamp: str,
    iteration: int,
    workflows: list[dict[str, Any]],
    issues: list[dict[str, Any]],
    fixes: list[dict[str, Any]],
    reruns: list[dict[str, Any]],
    verified: Sequence[tuple[str, int]],
    errors: list[str],
    rate_limit_remaining: int | None,
    all_issues: list[dict[str, Any]],
    all_fixes: list[dict[str, Any]],
    total_reruns: int,
) -> dict[str, Any]:
    """One iteration's report: its own entries, and totals over the session (the `all_` ones)."""
    applied = sum(1 for f in fixes if f["applied"])
    if applied:
        state = IterationState.FIXES_APPLIED
    elif any(failing(w) for w in workflows) or issues:
        state = IterationState.FAILURES
    elif any(w.get("run_id") is not None and w.get("conclusion") is None for w in workflows):
        state = IterationState.RUNNING
    else:
        state = IterationState.ALL_PASSING
    return {
        "report_version": REPORT_VERSION,
        "kind": "iteration",
        "session_id": session_id,
        "repository": repository,
        "monitoring_started": started,
        "timestamp": timestamp,
        "iteration": iteration,
        "state": state.value,
        "total_issues_found": len(all_issues),
        "total_fixes_applied": sum(1 for f in all_fixes if f["applied"]),
        "total_reruns": total_reruns,
        "issues_by_type": _count(all_issues, fixes=False),
        "fixes_by_type": _count(all_fixes, fixes=True),
        "iteration_issues_found": len(issues),
        "iteration_fixes_applied": applied,
        "workflows": workflows,
        "issues": issues,
        "fixes": fixes,
        "reruns": reruns,
        "verified": [{"id": k, "run_id": v} for k, v in verified],
        "errors": errors,
        "rate_limit_remaining": rate_limit_remaining,
    }


def final_report(
    *,
    session_id: str,
    repository: str,
    started: str,
    ended: str,
    total_iterations: int,
    iterations: list[dict[str, Any]],
    workflows: list[dict[str, Any]],
    issues: list[dict[str, Any]],
    fixes: list[dict[str, Any]],
    reruns: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    rate_limit_remaining: int | None,
    stop_reason: str | None,
    exit_code: int | None,
) -> dict[str, Any]:
    """The final report over a session's entries: a copy that shares nothing with them."""
    healable = sum(1 for i in issues if i["auto_fixable"] or _rerun_heals(i))
    fixes_ok = sum(1 for f in fixes if f["applied"] and f["verified_by_run"] is not None)
    reruns_ok = sum(1 for r in reruns if r["verified_by_run"] is not None)
    rate = 1.0 if healable == 0 else min(1.0, (fixes_ok + reruns_ok) / healable)
    out: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "kind": "final",
        "session_id": session_id,
        "repository": repository,
        "monitoring_started": started,
        "monitoring_ended": ended,
        "total_iterations": total_iterations,
        "total_issues_found": len(issues),
        "total_fixes_applied": sum(1 for f in fixes if f["applied"]),
        "total_reruns": len(reruns),
        "success_rate": percent(rate),
        "success_rate_value": round(rate, 4),
        "success_rate_basis": {
            "healable_issues": healable,
            "verified_fixes": fixes_ok,
            "verified_reruns": reruns_ok,
            "definition": SUCCESS_RATE_DEFINITION,
        },
        "issues_by_type": _count(issues, fixes=False),
        "fixes_by_type": _count(fixes, fixes=True),
        "stop_reason": stop_reason,
        "exit_code": exit_code,
        "rate_limit_remaining": rate_limit_remaining,
        "workflows": workflows,
        "iterations": iterations,
        "issues": issues,
        "fixes": fixes,
        "reruns": reruns,
        "errors": errors,
    }
    return json.loads(json.dumps(out))  # type: ignore[no-any-return]


# -- files --------------------------------------------------------------------------------------


def iteration_path(folder: Path, now: datetime, iteration: int) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"{REPORT_PREFIX}{stamp}_{iteration:04d}.json"


def is_written(path: Path, report: Mapping[str, Any]) -> bool:
    """Whether `path` holds this very iteration report (e.g. a write interrupted after its rename)."""
    try:
        on_disk = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(on_disk, dict) and all(
        on_disk.get(k) == report[k] for k in ("session_id", "iteration", "timestamp")
    )


def write_final(folder: Path, report: Mapping[str, Any]) -> None:
    """Write the final JSON report and the HTML page made from it."""
    from smartmon.report.html import render_html

    folder.mkdir(parents=True, exist_ok=True)
    atomic.write_json(folder / FINAL_REPORT, report)
    atomic.write_text(folder / HTML_REPORT, render_html(report))


class UnfinishedSession(NamedTuple):
    latest_path: Path  # the newest iteration report
    latest: dict[str, Any]
    reports: list[dict[str, Any]]  # every iteration report of the session, in iteration order


def unfinished_session(folder: Path, repository: str) -> UnfinishedSession | None:
    """The latest session's iteration reports, or None when there is none, when it has a final
    report, or when it watched another repository than `repository` (if given)."""
    loaded = ((p, load_report(p)) for p in sorted(folder.glob(f"{REPORT_PREFIX}*.json")))
    reports = {p: r for p, r in loaded if r}
    if not reports:
        return None
    latest = max(reports, key=lambda p: (reports[p]["timestamp"], reports[p]["iteration"]))
    session = reports[latest]["session_id"]
    final = load_report(folder / FINAL_REPORT, kind="final")
    if final and final.get("session_id") == session:
        return None
    stored = reports[latest].get("repository") or ""
    if repository and stored and stored != repository:
        log.info("%s: the unfinished session watched %s; starting a new one", folder, stored)
        return None
    ours = sorted((r for r in reports.values() if r["session_id"] == session), key=_by_iteration)
    return UnfinishedSession(latest, reports[latest], ours)


def _by_iteration(report: Mapping[str, Any]) -> int:
    return int(report["iteration"])


_ITERATION_KEYS = {
    "session_id": str,
    "monitoring_started": str,
    "timestamp": str,
    "iteration": int,
    "state": str,
    "iteration_issues_found": int,
    "iteration_fixes_applied": int,
    "workflows": list,
    "issues": list,
    "fixes": list,
    "reruns": list,
    "verified": list,
    "errors": list,
}


def load_report(path: Path, *, kind: str = "iteration") -> dict[str, Any] | None:
    """A report written by this module, or None (with a warning) for anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("%s: ignored, not a readable report (%s)", path, exc)
        return None
    keys = _ITERATION_KEYS if kind == "iteration" else {"session_id": str}
    if (
        not isinstance(data, dict)
        or data.get("kind") != kind
        or any(not isinstance(data.get(k), t) for k, t in keys.items())
    ):
        log.warning("%s: ignored, not a smartmon %s report", path, kind)
        return None
    return data
