"""The monitoring session's log: what it saw and did, iteration by iteration, and its totals.

Every string is redacted before it is kept, so nothing unredacted reaches a file. Each iteration
report is written atomically and carries that iteration's new issues, fixes, reruns and
verifications, so `MonitorLog.resume` rebuilds the totals after a crash by replaying them. The
reports' fields and files live in `json_reports`, the values handed in, in `records`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smartmon import atomic
from smartmon.redact import redact
from smartmon.report.json_reports import (
    error_message,
    failing,
    final_report,
    fix_entry,
    is_written,
    issue_entry,
    iteration_path,
    iteration_report,
    rerun_entry,
    unfinished_session,
    write_final,
)
from smartmon.report.records import (
    Clock,
    FixRecord,
    IssueRecord,
    RerunRecord,
    WorkflowState,
    iso,
    system_clock,
)

log = logging.getLogger(__name__)


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
        new_issues = self._new_issues(issues, number)
        new_fixes = [
            {"id": f"fix-{len(self._fixes) + i}", "iteration": number, **self._clean(fix_entry(r))}
            for i, r in enumerate(fixes, 1)
        ]
        new_reruns = [
            {
                "id": f"rerun-{len(self._reruns) + i}",
                "iteration": number,
                **self._clean(rerun_entry(r)),
            }
            for i, r in enumerate(reruns, 1)
        ]
        report = iteration_report(
            session_id=self.session_id,
            repository=self.repository,
            started=self.started,
            timestamp=iso(now),
            iteration=number,
            workflows=states,
            issues=new_issues,
            fixes=new_fixes,
            reruns=new_reruns,
            verified=self._proofs(states, verified),
            errors=[self._clean(error_message(e)) for e in errors],
            rate_limit_remaining=rate_limit_remaining,
            all_issues=self._issues + new_issues,
            all_fixes=self._fixes + new_fixes,
            total_reruns=len(self._reruns) + len(new_reruns),
        )
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        path = iteration_path(self.reports_dir, now, number)
        try:
            atomic.write_json(path, report)
        except BaseException:
            # Interrupted after the rename (a signal, a failed directory fsync): the report is on
            # disk, so the state must include it too, or a resume would disagree with this log.
            if not is_written(path, report):
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
        with self._lock:
            if self.finalized:
                raise RuntimeError("this monitoring log is already finalized")
            report = self._final(iso(self._clock()), self._clean(reason), exit_code)
            write_final(self.reports_dir, report)
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
        found = unfinished_session(folder, fresh.repository)
        if found is None:
            return fresh
        session = found.latest["session_id"]
        fresh.session_id = session
        fresh.started = found.latest["monitoring_started"]
        fresh.repository = fresh.repository or found.latest.get("repository") or ""
        for report in found.reports:
            if report["iteration"] != fresh.iteration + 1:
                log.warning(
                    "%s: no report for iteration(s) %d to %d of session %s; totals skip them",
                    folder,
                    fresh.iteration + 1,
                    report["iteration"] - 1,
                    session,
                )
            fresh._replay(report)
        fresh.last_report_path = found.latest_path
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
                "failing_workflows": sum(1 for w in report["workflows"] if failing(w)),
            }
        )
        self.iteration = number

    def _new_issues(self, records: Sequence[IssueRecord], number: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        keys: set[tuple[Any, ...]] = set()
        for record in records:
            item = self._clean(issue_entry(record))
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
        return final_report(
            session_id=self.session_id,
            repository=self.repository,
            started=self.started,
            ended=ended,
            total_iterations=self.iteration,
            iterations=self._iterations,
            workflows=self._workflows,
            issues=self._issues,
            fixes=self._fixes,
            reruns=self._reruns,
            errors=self._errors,
            rate_limit_remaining=self._rate_limit,
            stop_reason=reason,
            exit_code=exit_code,
        )

    def _clean(self, value: Any) -> Any:
        """Redact every string (keys included) in a JSON-shaped value."""
        if isinstance(value, str):
            return redact(value, self._secrets)
        if isinstance(value, Mapping):
            return {self._clean(str(k)): self._clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(v) for v in value]
        return value


def _issue_key(issue: Mapping[str, Any]) -> tuple[Any, ...]:
    fields = ("workflow", "run_id", "run_attempt", "type", "rule", "job", "step", "line", "text")
    return tuple(issue.get(f) for f in fields)


def _num(item_id: str) -> int:
    tail = item_id.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0
