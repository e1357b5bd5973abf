"""Say why jobs failed: every rule compiled once into one multi-pattern set, one pass over each job.

Design after pytorch's log classifier (research/classification.md §1): rule order is priority, each rule
keeps its LAST match in a job, the highest-priority matched rule is the job's cause. Generic trailers
(`##[error]Process completed with exit code N.`) never become the cause. A job without a failure marker
yields no findings; advisory rules (deprecation warnings) only ever yield notices.

Speed: blocks of a few MB are scanned by an RE2 set (a DFA over all rules at once); only the rules the
set reports are searched again for positions and captures, so the cost is one DFA pass per byte.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import re2

from smartmon.diagnose import logs
from smartmon.diagnose.anchors import compile_exact, compile_prefilter
from smartmon.diagnose.prefilter import Prefilter, re2_options
from smartmon.diagnose.rules import Rule, load_rules
from smartmon.diagnose.sources import JobSource, LogReadError, discover_all
from smartmon.errors import InputError
from smartmon.model import Finding, IssueType, Severity
from smartmon.redact import redact

log = logging.getLogger(__name__)

# Lines that say a step failed, without saying why (pytorch/test-infra IGNORE_LINE_REGEXES, #5063).
_IGNORED = re.compile(
    r"^(?:##\[error\]|Error: )(?:Process completed with exit code \d+\.?"
    r"|Executing the custom container implementation failed.*"
    r"|Node run failed with exit code \d+)\s*$"
)
# Evidence that the job failed: an error the runner or an action reported, or a runner-level failure.
# `Error: …` is how the web page shows `##[error]…`: it counts only in a copy from that page (a log
# without any `##[` tag), never in a downloaded log, where tools print "Error: …" all the time.
_FAILED = (
    r"^(?:##\[error\]|Error: "
    r"|The job running on runner .* has exceeded the maximum execution time"
    r"|The (?:hosted|self-hosted) runner: .* lost communication with the server"
    r"|The runner has received a shutdown signal)"
)
# Lines that carry no information about a failure, skipped when reporting the last lines.
_BOILERPLATE = re.compile(
    r"^(?:##\[(?:group|endgroup|command|debug|section)\]|shell: |\s*(?:env|with):\s*$"
    r"|Post job cleanup\.|Cleaning up orphan processes|\s*$)"
)
_EXIT_CODE = re.compile(r"^(?:##\[error\]|Error: )Process completed with exit code (\d+)")
_CONTEXT_LINES = 4
_MAX_TEXT = 500


@dataclass(frozen=True)
class JobSummary:
    name: str
    conclusion: str  # "failure" | "success" | "unreadable"
    lines: int
    origin: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "conclusion": self.conclusion, "lines": self.lines}


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    notices: tuple[Finding, ...]
    jobs: tuple[JobSummary, ...]
    errors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
            "jobs": [j.to_dict() for j in self.jobs],
        }
        if self.errors:
            out["errors"] = list(self.errors)
        return out


@dataclass(frozen=True)
class _Catalog:
    rules: tuple[Rule, ...]
    prefilter: Prefilter  # indexes 0..n-1 are rules, n is the failure marker
    regexes: tuple[Any, ...]  # re2 patterns over raw blocks, same order as rules
    failed: Any


@cache
def _catalog() -> _Catalog:
    rules = load_rules()
    opts = re2_options()
    sources = [rule.pattern for rule in rules] + [_FAILED]
    regexes = [re2.compile(compile_exact(pattern), opts) for pattern in sources]
    return _Catalog(
        rules=rules,
        prefilter=Prefilter([compile_prefilter(pattern) for pattern in sources]),
        regexes=tuple(regexes[:-1]),
        failed=regexes[-1],
    )


@dataclass
class _Hit:
    rule: Rule
    line: int
    step: logs.StepMark
    text: str
    data: dict[str, str]
    context: tuple[str, ...]


@dataclass
class _JobState:
    name: str
    hits: dict[int, _Hit] = field(default_factory=dict)  # rule index -> last hit
    failed: bool = False
    first_failure: str = ""  # timestamp of the first failure marker, for ordering jobs
    last_lines: tuple[str, ...] = ()  # meaningful lines before the last failure marker
    last_line_no: int = 0
    last_step: logs.StepMark | None = None
    lines: int = 0
    exit_codes: dict[int, str] = field(default_factory=dict)  # step number -> its exit code
    tail: bytes = b""  # the previous block's last lines, so context survives a block boundary
    masks: set[str] = field(default_factory=set)  # values the job masked with ::add-mask::
    has_tags: bool = False  # a downloaded log (`##[` tags), not a copy of the web page


def _line_bounds(data: bytes, pos: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    return start, len(data) if end < 0 else end


def _clean_text(raw: bytes) -> str:
    _, text = logs.split_timestamp(raw)
    return text.decode("utf-8", "replace").rstrip()[:_MAX_TEXT]


def _lines_before(data: bytes, start: int, count: int, floor: int = 0) -> tuple[str, ...]:
    """Up to `count` meaningful cleaned lines between `floor` (a step's start) and `start`."""
    out: list[str] = []
    end = start - 1
    scanned = 0
    while end > floor and len(out) < count and scanned < 50:
        begin = data.rfind(b"\n", 0, end) + 1
        text = _clean_text(data[begin:end])
        if not _BOILERPLATE.match(text) and not _IGNORED.match(text):
            out.append(text)
        end = begin - 1
        scanned += 1
    return tuple(reversed(out))


def _scan_block(catalog: _Catalog, state: _JobState, block: logs.Block) -> None:
    matched = catalog.prefilter.match(block.data)
    if not matched:
        return
    data = block.data
    n_rules = len(catalog.rules)
    for index in matched:
        if index == n_rules:
            _note_failure(catalog, state, block)
            continue
        last: tuple[int, int, Any] | None = None
        for m in catalog.regexes[index].finditer(data):
            start, end = _line_bounds(data, m.start())
            if _IGNORED.match(_clean_text(data[start:end])):
                continue
            last = (start, end, m)
        if last is None:
            continue
        start, end, m = last
        # Captures come from the line's first match, as a per-line search would give them.
        m = catalog.regexes[index].search(data, start, end) or m
        groups = {
            (k.decode() if isinstance(k, bytes) else k): v.decode("utf-8", "replace").strip()
            for k, v in m.groupdict().items()
            if v is not None
        }
        rule = catalog.rules[index]
        data_out = {**rule.data, **{k: v for k, v in groups.items() if v}}
        step = logs.step_at(block, start)
        state.hits[index] = _Hit(
            rule=rule,
            line=block.first_line + data.count(b"\n", 0, start),
            step=step,
            text=_clean_text(data[start:end]),
            data=data_out,
            context=_context(state, block, start, _CONTEXT_LINES),
        )


def _note_failure(catalog: _Catalog, state: _JobState, block: logs.Block) -> None:
    data = block.data
    positions = [m.start() for m in catalog.failed.finditer(data)]
    if state.has_tags:
        positions = [p for p in positions if not _is_ui_error(data, p)]
    if not positions:
        return
    if not state.failed:
        start, end = _line_bounds(data, positions[0])
        stamp, _ = logs.split_timestamp(data[start:end])
        state.first_failure = stamp or ""
    state.failed = True
    for pos in positions:
        start, end = _line_bounds(data, pos)
        code = _EXIT_CODE.search(_clean_text(data[start:end]))
        if code:
            state.exit_codes[logs.step_at(block, start).number] = code.group(1)
    start, _ = _line_bounds(data, positions[-1])
    step = logs.step_at(block, start)
    state.last_lines = _context(state, block, start, _CONTEXT_LINES + 1)
    state.last_line_no = block.first_line + data.count(b"\n", 0, start)
    state.last_step = step


def _is_ui_error(data: bytes, pos: int) -> bool:
    start, end = _line_bounds(data, pos)
    _, text = logs.split_timestamp(data[start:end])
    return text.startswith(b"Error: ")


def _context(state: _JobState, block: logs.Block, start: int, count: int) -> tuple[str, ...]:
    """Meaningful lines before `start` in the same step, reaching back into the previous block."""
    step = logs.step_at(block, start)
    if step in block.steps:
        return _lines_before(block.data, start, count, _step_floor(block, step))
    return _lines_before(state.tail + block.data, start + len(state.tail), count)


def _step_floor(block: logs.Block, step: logs.StepMark) -> int:
    """Where the step's header ends inside the block (its script echo is not context), else 0."""
    if step not in block.steps:
        return 0
    end = block.data.find(b"##[endgroup]", step.offset)
    return end if end >= 0 else step.offset


def _fixable(rule: Rule, data: dict[str, str]) -> bool:
    """A rule may be fixable in kind; the facts it captured decide whether this instance is."""
    if not rule.fixable:
        return False
    if rule.type is IssueType.MISSING_DEPENDENCY:
        from smartmon.diagnose.distributions import distribution_for

        name = data.get("module") or data.get("package") or ""
        dist = distribution_for(name) if name else None
        if dist is None:
            return False
        data.setdefault("package", dist)
        return True
    if rule.type is IssueType.DEPRECATED_ACTION:
        from smartmon.workflows import action_upgrade

        action, version = data.get("action"), data.get("version")
        if not action or not version:
            return False
        upgrade = action_upgrade(f"{action}@{version}")
        return upgrade is not None and not upgrade.pinned
    if rule.type is IssueType.RETIRED_RUNNER:
        from smartmon.workflows import runner_replacement

        label = data.get("label")
        return bool(label) and runner_replacement(label or "") is not None
    return True


def _finding(hit: _Hit, state: _JobState) -> Finding:
    """A finding from a rule's hit; every text from the log is redacted (tokens, masked values)."""
    masks = state.masks

    def clean(text: str) -> str:
        return redact(text, masks)

    data = {k: clean(v) for k, v in hit.data.items()}
    if hit.step.number in state.exit_codes:
        data.setdefault("exit_code", state.exit_codes[hit.step.number])
    fixable = _fixable(hit.rule, data)
    return Finding(
        type=hit.rule.type,
        severity=hit.rule.severity,
        auto_fixable=fixable,
        rule=hit.rule.id,
        job=clean(state.name),
        step=clean(hit.step.name),
        line=hit.line,
        text=clean(hit.text),
        data=data,
        step_number=hit.step.number,
        step_line=hit.line - hit.step.line + 1,
        context=tuple(clean(c) for c in hit.context),
    )


def _job_findings(state: _JobState) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(primary, secondary, notices) for one job."""
    notices: list[Finding] = []
    causes: list[_Hit] = []
    for _, hit in sorted(state.hits.items()):
        if hit.rule.advisory:
            notices.append(_finding(hit, state))
        else:
            causes.append(hit)
    if not state.failed:
        return [], [], notices
    if not causes:
        step = state.last_step or logs.StepMark(0, 1, logs.SETUP_STEP, 1)
        text = state.last_lines[-1] if state.last_lines else "the job failed without an error line"
        # Exit code 137 is SIGKILL: the kernel's OOM killer or the runner, even when nothing says so.
        killed = state.exit_codes.get(step.number) == "137"
        unknown = Finding(
            type=IssueType.RUNNER_FAILURE if killed else IssueType.UNKNOWN,
            severity=Severity.HIGH if killed else Severity.MEDIUM,
            auto_fixable=False,
            rule="killed-exit-137" if killed else "unknown-last-lines",
            job=redact(state.name, state.masks),
            step=redact(step.name, state.masks),
            line=state.last_line_no,
            text=redact(text, state.masks),
            step_number=step.number,
            step_line=state.last_line_no - step.line + 1,
            context=tuple(redact(c, state.masks) for c in state.last_lines[:-1]),
            data={"exit_code": state.exit_codes[step.number]}
            if step.number in state.exit_codes
            else {},
        )
        return [unknown], [], notices
    primary = causes[0]
    # Other causes in the same job are kept only when smartmon can fix them too (a job that also
    # misses a secret); symptoms of the primary cause (pytest's wrappers, tallies) would be noise.
    secondary: list[Finding] = []
    seen = {primary.rule.type}
    for hit in causes[1:]:
        if hit.rule.type in seen:
            continue
        finding = _finding(hit, state)
        if finding.auto_fixable:
            seen.add(hit.rule.type)
            secondary.append(finding)
    return [_finding(primary, state)], secondary, notices


def analyze_job(
    source: JobSource, block_size: int = logs.BLOCK_SIZE
) -> tuple[JobSummary, list[Finding], list[Finding], list[Finding], str]:
    """Classify one job: (summary, primary, secondary, notices, first failure timestamp)."""
    catalog = _catalog()
    state = _JobState(name=source.name)
    named_by_log = source.prefer_log_name
    open_line = False
    for block in logs.iter_blocks(source, block_size):
        state.lines += block.data.count(b"\n")
        open_line = bool(block.data) and not block.data.endswith(b"\n")
        if named_by_log and block.step_before.number == 1:  # still in "Set up job"
            found = _complete_job_name(block.data)
            if found:
                state.name, named_by_log = found, False
        state.has_tags = state.has_tags or b"##[" in block.data
        _scan_block(catalog, state, block)
        _collect_masks(state, block.data)
        tail = state.tail + block.data if len(block.data) < 4096 else block.data
        state.tail = tail[tail.rfind(b"\n", 0, max(0, len(tail) - 4096)) + 1 :]
    if open_line:  # the last line has no newline (or one line was read in pieces)
        state.lines += 1
    primary, secondary, notices = _job_findings(state)
    summary = JobSummary(
        name=state.name,
        conclusion="failure" if state.failed else "success",
        lines=state.lines,
        origin=source.origin,
    )
    return summary, primary, secondary, notices, state.first_failure


def _collect_masks(state: _JobState, data: bytes) -> None:
    """Remember values the job masked, so no report shows them even where the log did."""
    pos = data.find(b"::add-mask::")
    while pos >= 0:
        end = data.find(b"\n", pos)
        value = data[pos + len(b"::add-mask::") : end if end >= 0 else None].strip()
        if value:
            state.masks.add(value.decode("utf-8", "replace"))
        pos = data.find(b"::add-mask::", pos + 1)


def _complete_job_name(data: bytes) -> str | None:
    """The job's display name from the "Set up job" step (`Complete job name: build (3.12)`)."""
    pos = data.find(b"Complete job name: ", 0, 1 << 16)
    if pos < 0:
        return None
    end = data.find(b"\n", pos)
    name = data[pos + len(b"Complete job name: ") : end if end >= 0 else None]
    return name.decode("utf-8", "replace").strip() or None


def _rank(finding: Finding, first_failure: str, priority: dict[str, int]) -> tuple[int, int, str]:
    return (finding.severity.rank, priority.get(finding.rule, 1 << 30), first_failure or "~")


def analyze_sources(sources: Iterable[JobSource]) -> Analysis:
    """Classify jobs; an unreadable job is reported in `errors` and the others are still analysed."""
    priority = {rule.id: i for i, rule in enumerate(_catalog().rules)}
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


def analyze_paths(paths: Sequence[Path]) -> Analysis:
    """Analyse job logs, run zips or folders; raises InputError when an input cannot be read at all."""
    if not paths:
        raise InputError("no log given; pass a job log (.txt), a run-logs zip or a folder")
    return analyze_sources(discover_all(paths))
