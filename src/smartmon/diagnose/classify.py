"""Say why jobs failed: scan each job once, settle whether it failed, rank the causes over all jobs.

Rule order is priority: the highest-priority matched rule is a job's cause (`verdict`). A job the
caller says failed (the API) always gets a cause; an excerpt without the runner's end-of-job lines
counts its error lines as the failure. Jobs are ranked by severity, rule priority, then which
failed first.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from smartmon.diagnose import logs
from smartmon.diagnose.analysis import Analysis, JobSummary
from smartmon.diagnose.jobstate import JobState, page_conclusion
from smartmon.diagnose.parallel import scan_in_two
from smartmon.diagnose.scan import catalog_rules, last_lines, scan_source
from smartmon.diagnose.sources import JobSource, LogReadError, discover_all
from smartmon.diagnose.verdict import candidates, job_findings
from smartmon.errors import InputError
from smartmon.model import Finding

log = logging.getLogger(__name__)

# A plain log file at least this large is read by two processes, one half each (a 256 MiB log on
# two cores in little more than half the time); smaller ones are not worth the fork.
PARALLEL_MIN = 48 << 20


def analyze_job(
    source: JobSource, block_size: int = logs.BLOCK_SIZE
) -> tuple[JobSummary, list[Finding], list[Finding], list[Finding], str]:
    """Classify one job: (summary, primary, secondary, notices, first failure timestamp).

    Whether the job failed: the caller's verdict when it has one (the API's conclusion, or
    `analyze --failed/--passed`); else the log's failure markers; else, for an excerpt (a paste
    without the runner's end-of-job lines), its error lines: any cause a rule found.
    """
    if source.path is not None and _parallel_worth_it(source.path):
        state = scan_in_two(source, source.path, block_size)
    else:
        state = scan_source(source, block_size)
    _settle_verdict(state, source.verdict)
    primary, secondary, notices = job_findings(state)
    summary = JobSummary(
        name=state.name,
        conclusion="failure" if state.failed else "success",
        lines=state.lines,
        origin=source.origin,
        verdict_from=state.verdict_from if state.failed else "log",
        candidates=candidates(state, primary, secondary),
    )
    return summary, primary, secondary, notices, state.first_failure


def _parallel_worth_it(path: Path) -> bool:
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size >= PARALLEL_MIN and (os.cpu_count() or 1) > 1 and hasattr(os, "fork")


def _settle_verdict(state: JobState, verdict: str | None) -> None:
    state.verdict = verdict  # verdict.settle never clears a failure the caller vouches for
    if verdict == "success":
        state.failed, state.verdict_from = False, "caller"
    elif verdict == "failure":
        if not state.failed:
            # Killed, cancelled or timed out without a trailer: the log stops where it stopped.
            state.verdict_from = "api"
            state.last_step = state.end_step
            state.last_lines = last_lines(state)
            state.last_line_no = state.lines
        state.failed = True
    elif not state.failed and not state.structured:
        if any(not hit.rule.advisory for hit in state.hits.values()):
            state.failed, state.verdict_from = True, "excerpt"
        elif page_conclusion(state) == "failure":
            # A paste from the run page whose job header says it failed, with no line a rule knows:
            # the failure stands, its cause unknown (the paste's last lines).
            state.failed, state.verdict_from = True, "excerpt"
            state.last_step = state.end_step
            state.last_lines = last_lines(state)
            state.last_line_no = state.lines


def _rank(finding: Finding, first_failure: str, priority: dict[str, int]) -> tuple[int, int, str]:
    return (finding.severity.rank, priority.get(finding.rule, 1 << 30), first_failure or "~")


@cache
def _priorities() -> dict[str, int]:
    """Each rule's place in the catalog (built once: the monitor analyses a run's logs again and
    again)."""
    return {rule.id: i for i, rule in enumerate(catalog_rules())}


def analyze_sources(sources: Iterable[JobSource]) -> Analysis:
    """Classify jobs; an unreadable job is reported in `errors` and the others are still analysed."""
    priority = _priorities()
    primaries: list[tuple[tuple[int, int, str], Finding]] = []
    secondaries: list[tuple[tuple[int, int, str], Finding]] = []
    notices: dict[tuple[str, tuple[tuple[str, str], ...]], Finding] = {}
    jobs: list[JobSummary] = []
    errors: list[str] = []
    for source in sources:
        try:
            summary, primary, secondary, job_notices, first = analyze_job(source)
        except LogReadError as exc:
            errors.append(str(exc))
            jobs.append(JobSummary(source.name, "unreadable", 0, source.origin))
            log.warning("%s", exc)
            continue
        jobs.append(summary)
        primaries.extend((_rank(f, first, priority), f) for f in primary)
        secondaries.extend((_rank(f, first, priority), f) for f in secondary)
        for n in job_notices:
            notices.setdefault((n.rule, tuple(sorted(n.data.items()))), n)
    primaries.sort(key=lambda p: p[0])
    secondaries.sort(key=lambda p: p[0])
    return Analysis(
        findings=tuple(f for _, f in primaries) + tuple(f for _, f in secondaries),
        notices=tuple(notices.values()),
        jobs=tuple(jobs),
        errors=tuple(errors),
    )


def analyze_paths(paths: Sequence[Path], *, verdict: str | None = None) -> Analysis:
    """Analyse job logs, run zips or folders; raises InputError when an input cannot be read at all.

    `verdict` ("failure" | "success") overrides what the logs say about every job in them.
    """
    if not paths:
        raise InputError("no log given; pass a job log (.txt), a run-logs zip or a folder")
    sources = discover_all(paths)
    if verdict is not None:
        sources = [replace(source, verdict=verdict) for source in sources]
    return analyze_sources(sources)
