"""The final report of `smartmon monitor --org`: the repositories' final reports, summed.

The seed's field names stand at the top level (`monitoring_started`, `monitoring_ended`,
`total_iterations`, `total_issues_found`, `total_fixes_applied`, `success_rate`, `issues`,
`fixes`), summed over the repositories; `repositories` lists each one's totals and where its own
reports are. Schema: `schemas/continuous_monitoring_org_final_report.schema.json`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from smartmon import atomic
from smartmon.report.json_reports import (
    FINAL_REPORT,
    REPORT_VERSION,
    SUCCESS_RATE_DEFINITION,
    percent,
)


def org_final_report(
    *,
    organisation: str,
    started: str,
    ended: str,
    total_iterations: int,
    finals: Sequence[tuple[str, str, Mapping[str, Any]]],
    notes: Sequence[str],
    stop_reason: str,
    exit_code: int,
    rate_limit_remaining: int | None,
) -> dict[str, Any]:
    """`finals`: (repository, its reports folder, its final report) for every repository."""
    basis: Counter[str] = Counter(healable_issues=0, verified_fixes=0, verified_reruns=0)
    issues_by_type: Counter[str] = Counter()
    fixes_by_type: Counter[str] = Counter()
    issues: list[dict[str, Any]] = []
    fixes: list[dict[str, Any]] = []
    repositories: list[dict[str, Any]] = []
    for repository, folder, final in finals:
        part = final.get("success_rate_basis") or {}
        for key in ("healable_issues", "verified_fixes", "verified_reruns"):
            basis[key] += int(part.get(key, 0))
        issues_by_type.update(final.get("issues_by_type") or {})
        fixes_by_type.update(final.get("fixes_by_type") or {})
        issues += [dict(i, repository=repository) for i in final.get("issues") or []]
        fixes += [dict(f, repository=repository) for f in final.get("fixes") or []]
        repositories.append(
            {
                "repository": repository,
                "reports": folder,
                "total_issues_found": int(final.get("total_issues_found", 0)),
                "total_fixes_applied": int(final.get("total_fixes_applied", 0)),
                "total_reruns": int(final.get("total_reruns", 0)),
                "success_rate": final.get("success_rate"),
                "exit_code": final.get("exit_code"),
                "stop_reason": final.get("stop_reason"),
                "passing": final.get("exit_code") == 0,
            }
        )
    healable = basis["healable_issues"]
    verified = basis["verified_fixes"] + basis["verified_reruns"]
    rate = 1.0 if healable == 0 else min(1.0, verified / healable)
    report = {
        "report_version": REPORT_VERSION,
        "kind": "organisation",
        "organisation": organisation,
        "monitoring_started": started,
        "monitoring_ended": ended,
        "total_iterations": total_iterations,
        "total_repositories": len(repositories),
        "total_issues_found": sum(int(r["total_issues_found"]) for r in repositories),
        "total_fixes_applied": sum(int(r["total_fixes_applied"]) for r in repositories),
        "total_reruns": sum(int(r["total_reruns"]) for r in repositories),
        "success_rate": percent(rate),
        "success_rate_value": round(rate, 4),
        "success_rate_basis": {**dict(basis), "definition": SUCCESS_RATE_DEFINITION},
        "issues_by_type": dict(sorted(issues_by_type.items())),
        "fixes_by_type": dict(sorted(fixes_by_type.items())),
        "stop_reason": stop_reason,
        "exit_code": exit_code,
        "rate_limit_remaining": rate_limit_remaining,
        "repositories": repositories,
        "notes": list(notes),
        "issues": issues,
        "fixes": fixes,
    }
    return json.loads(json.dumps(report))  # type: ignore[no-any-return]


def write_org_final(folder: Path, report: Mapping[str, Any]) -> Path:
    """Write the organisation's final report as `folder/continuous_monitoring_final_report.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    return atomic.write_json(folder / FINAL_REPORT, report)
