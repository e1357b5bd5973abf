"""Continuous-monitoring reports: a JSON file per iteration, a final JSON report and an HTML page.

Field names from the original specification are kept exactly (`timestamp`, `iteration`,
`total_issues_found`, `total_fixes_applied`, `issues_by_type`, `fixes_by_type`; and for the final
report `monitoring_started`, `monitoring_ended`, `total_iterations`, `success_rate`, `issues`,
`fixes`). Schemas: `smartmon/report/schemas/*.schema.json`.

Every string is redacted before it is kept, so nothing unredacted reaches a file. Every file is
written atomically, and each iteration report carries that iteration's new issues, fixes, reruns
and verifications, so `MonitorLog.resume` rebuilds the totals after a crash by replaying them.

success_rate = (applied fixes verified by a passing run + reruns verified by a passing attempt)
             / (issues that were auto-fixable or transient), capped at 1.0; 1.0 when that
             denominator is 0 (nothing we could have healed). The parts are in `success_rate_basis`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from smartmon import atomic
from smartmon.model import TRANSIENT_TYPES, Finding, Fix
from smartmon.redact import redact

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

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Delivery(StrEnum):
    """How a fix reached the repository."""

    COMMIT = "commit"
    PULL_REQUEST = "pull_request"
    PATCH = "patch"  # report-only: the diff is in the report, nothing was pushed
    NONE = "none"  # planned but not delivered (see the fix's reason)


class IterationState(StrEnum):
    ALL_PASSING = "all_passing"
    FAILURES = "failures"
    FIXES_APPLIED = "fixes_applied"


@dataclass(frozen=True, kw_only=True)
class WorkflowState:
    """The latest run of one workflow as seen in an iteration."""

    name: str
    path: str = ""
    run_id: int | None = None
    run_attempt: int | None = None
    conclusion: str | None = None  # success, failure, cancelled, ...; None while running
    consecutive_passes: int = 0
    branch: str = ""
    head_sha: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class IssueRecord:
    """A finding in the run it came from."""

    finding: Finding
    workflow: str
    run_id: int | None = None
    run_attempt: int | None = None


@dataclass(frozen=True, kw_only=True)
class FixRecord:
    """A fix planned for a failed run, and what became of it."""

    fix: Fix
    applied: bool
    delivery: Delivery = Delivery.NONE
    workflow: str = ""
    run_id: int | None = None  # the failed run it answers
    commit_sha: str | None = None
    pr_url: str | None = None
    patch: str | None = None
    verified_by_run: int | None = None


@dataclass(frozen=True, kw_only=True)
class RerunRecord:
    """Failed jobs re-run for a transient failure."""

    workflow: str
    run_id: int
    reason: str  # usually the issue type, e.g. network_error
    attempt: int | None = None
    verified_by_run: int | None = None


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a Z, to the second."""
    if moment.tzinfo is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class MonitorLog:
    """What a monitoring session saw and did, written out after every iteration and at the end."""

    def __init__(
        self,
        reports_dir: str | Path,
        *,
        clock: Clock = system_clock,
        secrets: Iterable[str | None] = (),
        repository: str = "",
    ) -> None:
        self.reports_dir = Path(reports_dir)
        self._clock = clock
        self._secrets: set[str] = {s for s in secrets if s}
        self.session_id = uuid.uuid4().hex[:16]
        self.repository = self._clean(repository)
        self.started = iso(clock())
        self.iteration = 0
        self.last_report_path: Path | None = None
        self.finalized = False
        self._iterations: list[dict[str, Any]] = []
        self._issues: list[dict[str, Any]] = []
        self._fixes: list[dict[str, Any]] = []
        self._reruns: list[dict[str, Any]] = []
        self._errors: list[dict[str, Any]] = []
        self._workflows: list[dict[str, Any]] = []
        self._seen: set[tuple[Any, ...]] = set()
        self._rate_limit: int | None = None
        # A live status view may read (snapshot, totals) from another thread while we record.
        self._lock = threading.RLock()

    def mask(self, *values: str | None) -> None:
        """Redact these values from everything recorded from now on (e.g. a token read later)."""
        self._secrets.update(v for v in values if v)

    @property
    def total_issues_found(self) -> int:
        with self._lock:
            return len(self._issues)

    @property
    def total_fixes_applied(self) -> int:
        with self._lock:
            return sum(1 for f in self._fixes if f["applied"])

    @property
    def issues(self) -> list[dict[str, Any]]:
        with self._lock:
            return json.loads(json.dumps(self._issues))  # type: ignore[no-any-return]

    @property
    def fixes(self) -> list[dict[str, Any]]:
        with self._lock:
            return json.loads(json.dumps(self._fixes))  # type: ignore[no-any-return]

    def record_iteration(
        self,
        *,
        workflows: Sequence[WorkflowState],
        issues: Sequence[IssueRecord] = (),
        fixes: Sequence[FixRecord] = (),
        reruns: Sequence[RerunRecord] = (),
        errors: Sequence[str | BaseException] = (),
        verified: Mapping[str, int] | None = None,
        rate_limit_remaining: int | None = None,
    ) -> dict[str, Any]:
        """Write this iteration's report and return it.

        `verified` maps ids of earlier fixes or reruns (`fix-N`, `rerun-N`, as returned in earlier
        reports) to the run that proved them. A passing run of the same workflow also verifies an
        earlier fix whose commit is its head, and an earlier rerun of the same run id. An issue
        already recorded for the same run and attempt is not counted again. On an OSError nothing
        is recorded, so the call can be retried.
        """
        with self._lock:
            return self._record(
                workflows, issues, fixes, reruns, errors, verified or {}, rate_limit_remaining
            )

    def _record(
        self,
        workflows: Sequence[WorkflowState],
        issues: Sequence[IssueRecord],
        fixes: Sequence[FixRecord],
        reruns: Sequence[RerunRecord],
        errors: Sequence[str | BaseException],
        verified: Mapping[str, int],
        rate_limit_remaining: int | None,
    ) -> dict[str, Any]:
        if self.finalized:
            raise RuntimeError("this monitoring log is already finalized")
        now = self._clock()
        number = self.iteration + 1
        states = [self._clean(w.to_dict()) for w in workflows]
        proofs = self._proofs(states, verified)
        new_issues = self._new_issues(issues, number)
        new_fixes = [
            {"id": f"fix-{len(self._fixes) + i}", "iteration": number, **self._clean(_fix(r))}
            for i, r in enumerate(fixes, 1)
        ]
        new_reruns = [
            {"id": f"rerun-{len(self._reruns) + i}", "iteration": number, **self._clean(_rerun(r))}
            for i, r in enumerate(reruns, 1)
        ]
        messages = [self._clean(_message(e)) for e in errors]
        applied = sum(1 for f in new_fixes if f["applied"])
        failing = sum(1 for s in states if _failing(s))
        if applied:
            state = IterationState.FIXES_APPLIED
        elif failing or new_issues:
            state = IterationState.FAILURES
        else:
            state = IterationState.ALL_PASSING
        all_issues = self._issues + new_issues
        all_fixes = self._fixes + new_fixes
        report: dict[str, Any] = {
            "report_version": REPORT_VERSION,
            "kind": "iteration",
            "session_id": self.session_id,
            "repository": self.repository,
            "monitoring_started": self.started,
            "timestamp": iso(now),
            "iteration": number,
            "state": state.value,
            "total_issues_found": len(all_issues),
            "total_fixes_applied": sum(1 for f in all_fixes if f["applied"]),
            "total_reruns": len(self._reruns) + len(new_reruns),
            "issues_by_type": _count(all_issues, fixes=False),
            "fixes_by_type": _count(all_fixes, fixes=True),
            "iteration_issues_found": len(new_issues),
            "iteration_fixes_applied": applied,
            "workflows": states,
            "issues": new_issues,
            "fixes": new_fixes,
            "reruns": new_reruns,
            "verified": [{"id": k, "run_id": v} for k, v in proofs],
            "errors": messages,
            "rate_limit_remaining": rate_limit_remaining,
        }
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = self.reports_dir / f"{REPORT_PREFIX}{stamp}_{number:04d}.json"
        try:
            atomic.write_json(path, report)
        except BaseException:
            # Interrupted after the rename (a signal, a failed directory fsync): the report is on
            # disk, so the state must include it too, or a resume would disagree with this log.
            if not _written(path, report):
                raise
            self._commit(path, report)
            raise
        self._commit(path, report)
        return report

    def _commit(self, path: Path, report: Mapping[str, Any]) -> None:
        self.last_report_path = path
        self._replay(report)

    def snapshot(self) -> dict[str, Any]:
        """The final report's content so far (stop_reason and exit_code are null); writes nothing."""
        with self._lock:
            return self._final(iso(self._clock()), None, None)

    def finalize(self, reason: str, exit_code: int) -> dict[str, Any]:
        """Write the final JSON report and the HTML page; returns the final report."""
        from smartmon.report.html import render_html

        with self._lock:
            if self.finalized:
                raise RuntimeError("this monitoring log is already finalized")
            report = self._final(iso(self._clock()), self._clean(reason), exit_code)
            self.reports_dir.mkdir(parents=True, exist_ok=True)
            atomic.write_json(self.reports_dir / FINAL_REPORT, report)
            atomic.write_text(self.reports_dir / HTML_REPORT, render_html(report))
            self.finalized = True
            return report

    @classmethod
    def resume(
        cls,
        reports_dir: str | Path,
        *,
        clock: Clock = system_clock,
        secrets: Iterable[str | None] = (),
        repository: str = "",
    ) -> MonitorLog:
        """Continue the latest unfinished session in `reports_dir`, or start a new one.

        A new session starts when there is none, when the latest one has a final report, or when
        it watched another repository than `repository` (if given).
        """
        fresh = cls(reports_dir, clock=clock, secrets=secrets, repository=repository)
        folder = fresh.reports_dir
        atomic.remove_stale_temps(folder, "continuous_monitoring_")
        loaded = ((p, _load(p)) for p in sorted(folder.glob(f"{REPORT_PREFIX}*.json")))
        reports = {p: r for p, r in loaded if r}
        if not reports:
            return fresh
        latest = max(reports, key=lambda p: (reports[p]["timestamp"], reports[p]["iteration"]))
        session = reports[latest]["session_id"]
        final = _load(folder / FINAL_REPORT, kind="final")
        if final and final.get("session_id") == session:
            return fresh
        stored = reports[latest].get("repository") or ""
        if fresh.repository and stored and stored != fresh.repository:
            log.info("%s: the unfinished session watched %s; starting a new one", folder, stored)
            return fresh
        fresh.session_id = session
        fresh.started = reports[latest]["monitoring_started"]
        fresh.repository = fresh.repository or stored
        ours = sorted(
            (r for r in reports.values() if r["session_id"] == session), key=_by_iteration
        )
        for report in ours:
            if report["iteration"] != fresh.iteration + 1:
                log.warning(
                    "%s: no report for iteration(s) %d to %d of session %s; totals skip them",
                    folder,
                    fresh.iteration + 1,
                    report["iteration"] - 1,
                    session,
                )
            fresh._replay(report)
        fresh.last_report_path = latest
        log.info("resumed session %s at iteration %d", session, fresh.iteration)
        return fresh

    def _replay(self, report: Mapping[str, Any]) -> None:
        """Fold one iteration report into the state (used both live and by resume)."""
        report = json.loads(json.dumps(report))  # the caller keeps its copy to itself
        proofs = {v["id"]: v["run_id"] for v in report["verified"]}
        for item in self._fixes + self._reruns:
            if item["id"] in proofs:
                item["verified_by_run"] = proofs[item["id"]]
        self._issues.extend(report["issues"])
        self._seen.update(_issue_key(i) for i in report["issues"])
        self._fixes.extend(report["fixes"])
        self._reruns.extend(report["reruns"])
        number = report["iteration"]
        self._errors.extend({"iteration": number, "message": m} for m in report["errors"])
        self._workflows = list(report["workflows"])
        self._rate_limit = report.get("rate_limit_remaining")
        self._iterations.append(
            {
                "iteration": number,
                "timestamp": report["timestamp"],
                "state": report["state"],
                "issues_found": report["iteration_issues_found"],
                "fixes_applied": report["iteration_fixes_applied"],
                "reruns": len(report["reruns"]),
                "failing_workflows": sum(1 for w in report["workflows"] if _failing(w)),
            }
        )
        self.iteration = number

    def _new_issues(self, records: Sequence[IssueRecord], number: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        keys: set[tuple[Any, ...]] = set()
        for record in records:
            item = self._clean(
                {
                    "workflow": record.workflow,
                    "run_id": record.run_id,
                    "run_attempt": record.run_attempt,
                    **record.finding.to_dict(),
                }
            )
            key = _issue_key(item)
            if key in self._seen or key in keys:
                continue
            keys.add(key)
            issue_id = f"issue-{len(self._issues) + len(out) + 1}"
            out.append({"id": issue_id, "iteration": number, **item})
        return out

    def _proofs(
        self, states: list[dict[str, Any]], explicit: Mapping[str, int]
    ) -> list[tuple[str, int]]:
        known = {item["id"]: item for item in self._fixes + self._reruns}
        proofs: dict[str, int] = {}
        for item_id, run_id in explicit.items():
            item = known.get(item_id)
            if item is None or not item.get("applied", True):
                raise ValueError(f"{item_id}: no applied fix or rerun with this id to verify")
            if item["verified_by_run"] is None:
                proofs[item_id] = int(run_id)
        for state in states:
            if state["conclusion"] != "success" or state["run_id"] is None:
                continue
            for fix in self._fixes:
                if (
                    fix["verified_by_run"] is None
                    and fix["applied"]
                    and fix["workflow"] == state["name"]
                    and fix["commit_sha"]
                    and fix["commit_sha"] == state["head_sha"]
                ):
                    proofs.setdefault(fix["id"], state["run_id"])
            for rerun in self._reruns:
                if rerun["verified_by_run"] is None and (
                    rerun["workflow"] == state["name"] and rerun["run_id"] == state["run_id"]
                ):
                    proofs.setdefault(rerun["id"], state["run_id"])
        return sorted(proofs.items(), key=lambda kv: (kv[0].split("-")[0], _num(kv[0])))

    def _final(self, ended: str, reason: str | None, exit_code: int | None) -> dict[str, Any]:
        healable = sum(1 for i in self._issues if i["auto_fixable"] or i["type"] in _TRANSIENT)
        fixes_ok = sum(1 for f in self._fixes if f["applied"] and f["verified_by_run"] is not None)
        reruns_ok = sum(1 for r in self._reruns if r["verified_by_run"] is not None)
        rate = 1.0 if healable == 0 else min(1.0, (fixes_ok + reruns_ok) / healable)
        out: dict[str, Any] = {
            "report_version": REPORT_VERSION,
            "kind": "final",
            "session_id": self.session_id,
            "repository": self.repository,
            "monitoring_started": self.started,
            "monitoring_ended": ended,
            "total_iterations": self.iteration,
            "total_issues_found": self.total_issues_found,
            "total_fixes_applied": self.total_fixes_applied,
            "total_reruns": len(self._reruns),
            "success_rate": round(rate, 4),
            "success_rate_basis": {
                "healable_issues": healable,
                "verified_fixes": fixes_ok,
                "verified_reruns": reruns_ok,
                "definition": SUCCESS_RATE_DEFINITION,
            },
            "issues_by_type": _count(self._issues, fixes=False),
            "fixes_by_type": _count(self._fixes, fixes=True),
            "stop_reason": reason,
            "exit_code": exit_code,
            "rate_limit_remaining": self._rate_limit,
            "workflows": self._workflows,
            "iterations": self._iterations,
            "issues": self._issues,
            "fixes": self._fixes,
            "reruns": self._reruns,
            "errors": self._errors,
        }
        return json.loads(json.dumps(out))  # type: ignore[no-any-return]

    def _clean(self, value: Any) -> Any:
        """Redact every string (keys included) in a JSON-shaped value."""
        if isinstance(value, str):
            return redact(value, self._secrets)
        if isinstance(value, Mapping):
            return {self._clean(str(k)): self._clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(v) for v in value]
        return value


def _fix(record: FixRecord) -> dict[str, Any]:
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


def _rerun(record: RerunRecord) -> dict[str, Any]:
    return {
        "workflow": record.workflow,
        "run_id": record.run_id,
        "attempt": record.attempt,
        "reason": record.reason,
        "verified_by_run": record.verified_by_run,
    }


def _message(error: str | BaseException) -> str:
    return error if isinstance(error, str) else f"{type(error).__name__}: {error}"


def _written(path: Path, report: Mapping[str, Any]) -> bool:
    try:
        on_disk = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(on_disk, dict) and all(
        on_disk.get(k) == report[k] for k in ("session_id", "iteration", "timestamp")
    )


def _failing(workflow: Mapping[str, Any]) -> bool:
    return workflow["conclusion"] not in _NOT_FAILING


def _issue_key(issue: Mapping[str, Any]) -> tuple[Any, ...]:
    fields = ("workflow", "run_id", "run_attempt", "type", "rule", "job", "step", "line", "text")
    return tuple(issue.get(f) for f in fields)


def _count(items: Iterable[Mapping[str, Any]], *, fixes: bool) -> dict[str, int]:
    counts = Counter(i["type"] for i in items if not fixes or i["applied"])
    return dict(sorted(counts.items()))


def _num(item_id: str) -> int:
    tail = item_id.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


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


def _load(path: Path, *, kind: str = "iteration") -> dict[str, Any] | None:
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
