"""One pass over a job's log: every rule compiled once into one multi-pattern set, each rule's hit kept.

Design after pytorch's log classifier (research/classification.md §1): each rule keeps its LAST
match in a job (compiler and linter rules their first); generic trailers (`##[error]Process
completed with exit code N.`) are never a hit; failure markers, exit codes, masked values and the
set-up block's facts are noted on the way. What the hits mean is `verdict`'s business.

Speed: blocks of a few MB are scanned by an RE2 set (a DFA over all rules at once); only the rules the
set reports are searched again for positions and captures, so the cost is one DFA pass per byte.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import re2

from smartmon.diagnose import logs
from smartmon.diagnose.anchors import TASK_LINE, compile_exact
from smartmon.diagnose.facts import downloaded_actions
from smartmon.diagnose.jobstate import MAX_SHOWN, Hit, JobState
from smartmon.diagnose.not_missing import NOT_PROGRAMS, shell_word_as_program
from smartmon.diagnose.pastes import DOWNLOAD_TAGS
from smartmon.diagnose.prefilter import Prefilter, re2_options
from smartmon.diagnose.rules import Rule, load_rules
from smartmon.diagnose.sources import JobSource

log = logging.getLogger(__name__)

# Lines that say a step failed, without saying why (pytorch/test-infra IGNORE_LINE_REGEXES, #5063).
_STEP_EXITS = r"Process completed with exit code \d+\.?|Node run failed with exit code \d+"
_IGNORED_HEAD = r"^(?:##\[error\]|Error: |[^\s:][^:]{0,200}: )?(?:"
_IGNORED = re.compile(
    _IGNORED_HEAD + _STEP_EXITS + r"|Executing the custom container implementation failed.*)\s*$"
)
# The same without the container hooks' line, for the rule that reads it (container_hooks.py).
_PLAIN_IGNORED = re.compile(_IGNORED_HEAD + _STEP_EXITS + r")\s*$")
# xdg-open trying each browser it knows on a runner with no desktop ("/usr/bin/xdg-open: 882:
# www-browser: not found", bash's "/usr/bin/xdg-open: line 771: www-browser: command not found"): a
# probe, not a missing tool; what the URL was opened for is the cause (`snyk auth`'s browser login,
# link-society/flowg #981; `minikube dashboard`; oppia/oppia #4998).
_PROBED = re.compile(r"^\s*(?:\S*/)?xdg-open: (?:line )?\d+: ")
# DOSKEY and chcp ship in System32 and are never installed: conda's and micromamba's activation
# scripts call them, and cmd's "'DOSKEY' is not recognized as an internal or external command," there
# means the subprocess lost its environment (the same micromamba run then says "critical Cannot
# determine HOME (checked USERPROFILE, HOMEDRIVE and HOMEPATH env vars)", pySTEPS/pysteps #265).
_SYSTEM32_LOST = re.compile(r"^\s*'(?:DOSKEY|doskey|chcp|CHCP)' is not recognized as an internal")
# Evidence that the job failed: an error the runner or an action reported, or a runner-level failure.
# `Error: …` is how the web page shows `##[error]…`: it counts only in a copy from that page (a log
# without a downloaded log's tags; the page shows `##[debug]` lines when step debug logging is on),
# never in a downloaded log, where tools print "Error: …" all the time. So does
# a pull request's check annotation ("Check failure on line 17 in .github/workflows/main.yml"; "Check
# warning on line" is no failure). The run page's annotations box ("build: Process completed with exit
# code 1.") is made "Error: …" by `pastes.paste_cleaned`: a prefix of any text here would slow the set.
_FAILED = (
    r"^(?:##\[error\]|Error: "
    r"|Check failure on line \d+ in \S"
    r"|The job running on runner .* has exceeded the maximum execution time"
    r"|The (?:hosted|self-hosted) runner: .* lost communication with the server"
    r"|The runner has received a shutdown signal)"
)
# Lines with nothing about a failure, skipped for the last lines (a bare number: a page's line number).
_BOILERPLATE = re.compile(
    r"^(?:##\[(?:group|endgroup|command|debug|section)\]|shell: |\s*(?:env|with):\s*$"
    r"|Post job cleanup\.|Cleaning up orphan processes|\s*$)"
)
# A build tool's closing lines, printed under every failure alike: Gradle's "BUILD FAILED in 14s" and
# its "* Try:" hints, Maven's "-> [Help 1]" epilogue (as "Error:  " on a runner with Maven 3.9), npm's
# lifecycle epilogue (npm 6's "Failed at the x build script.", npm 7+'s "Lifecycle script `build`
# failed with error:", "code 1", "command failed", "command sh -c …") and debug-log pointer, yarn's
# and pnpm's own exit lines. The last meaningful line is the one above them.
_TRAILERS = re.compile(
    r"^(?:BUILD FAILED in \d|\* (?:Try|What went wrong|Get more help at)\b|>? ?Run with --"
    r"|> Get more help at |FAILURE: Build failed with an exception\.|\d+ actionable tasks?: "
    r"|(?:\[ERROR\]|Error: ) *(?:-> \[Help 1\]|\[Help \d+\] http|To see the full stack trace"
    r"|Re-run Maven using|For more information about the errors|After correcting the problems"
    r"|mvn <args> -rf |$)"
    r"|\[INFO\] (?:BUILD FAILURE|-{20,}|Total time:|Finished at:)"
    r"|npm (?:ERR!|error) *(?:A complete log of this run|\s+/\S+/_logs/|Lifecycle script `"
    r"|Error: command failed|\s+(?:in workspace|at location): |code (?:ELIFECYCLE|\d+)\s*$|errno \d"
    r"|Exit status \d|path /|command failed\s*$|command (?:sh -c|\S*cmd\.exe /d /s /c) "
    r"|Failed at the \S+ \S+ script|This is probably not a problem with npm|\S+@\S+ \S+: `|$)"
    r"|info Visit https://yarnpkg\.com/en/docs/cli/run |error Command failed with exit code \d+\."
    r"|\s*ELIFECYCLE\s+Command failed with exit code \d+\.)"
)
_EXIT_CODE = re.compile(
    r"^(?:##\[error\]|Error: |[^\s:][^:]{0,200}: )?Process completed with exit code (\d+)"
)
# The web page's forms of a failure marker, which a tool's own output may print in a downloaded log;
# the runner's exit-code line is the runner's own in either form (a paste with `##[debug]` lines).
_UI_FORMS = re.compile(rb"^(?:Error: (?!Process completed with exit code)|Check failure on line )")
_CONTEXT_LINES = 4
_MAX_TEXT = MAX_SHOWN
# A hit's own line is kept longer for the fact extractors (Maven prints a whole resolution failure,
# URL and host included, on one line of a thousand characters and more); reports show MAX_SHOWN.
_HIT_TEXT = 8192
_FACT_LINES = 40
_ADD_MASK = b"::add-mask::"
_TAG = b"##["  # the runner's tags; a copy of the web page keeps only `##[debug]` (debug logging on)
# A downloaded log's own tags (`##[group]`, `##[error]`, a timestamped `##[debug]`): never in a copy
# of the web page, whose "Error: …" lines are the runner's error lines (pastes.DOWNLOAD_TAGS).
_DOWNLOAD_TAG = DOWNLOAD_TAGS
# Literals the one set pass also looks for, so no other pass searches a block that lacks them
# (`b"##[" in block` alone cost 2-3 ms per 4 MiB block of a log whose tags are few and far apart);
# _DOWNLOAD_TAG is a pattern, the others are escaped.
_LITERALS = (*logs.MARKERS, _ADD_MASK, _TAG, _DOWNLOAD_TAG)
# Compilers, linters and the runner's workflow validation print every error; the first is the one
# to fix (later ones often follow from it), so their rules keep their first match. Other rules keep
# their last (pytorch's choice: the error that ended the job).
FIRST_MATCH_TYPES = frozenset(
    {"syntax_error", "lint_failure", "deprecated_command", "yaml_syntax_error"}
)
# A tool that lacks several programs or settings names them all at once, the first being the one
# to supply first (protoc's plugins, Terraform's variables, a CLI's list of unset tokens); a step
# that printed one and went on is not the failure, a later step that printed one is. So these rules
# keep the first match of the last step that printed one (the first that names what is missing,
# when the first is a header line that names nothing).
# A rule whose rows are peers in a listing asks for the same with `checks: [first-of-listing]`
# (NuGet's "Unable to find package X" for each package a restore lacks).
STEP_FIRST_TYPES = frozenset({"missing_tool", "missing_env_vars"})
# The runner ends every job it ran with these steps: a log that has them is whole, not an excerpt.
# A copy of the run page (no `##[` tags) shows each step on its own, and people paste a post step
# alone as the failure (actions/cache's post step out of disk: lf-lang/reactor-uc #317, enola-dev/
# enola #1959, actions/cache #1658): in such a copy only the last step, "Complete job", says whole.
_JOB_END = frozenset({logs.POST_STEP, logs.COMPLETE_STEP})


def keeps_step_first(rule: Rule) -> bool:
    """Whether the rule keeps the first match of the last step that printed one (STEP_FIRST_TYPES)."""
    return rule.type.value in STEP_FIRST_TYPES or "first-of-listing" in rule.checks


@dataclass(frozen=True)
class _Catalog:
    rules: tuple[Rule, ...]
    # 0..n-1 are rules, n the failure marker, then the literals in _LITERALS; then, in the plain
    # catalog, TASK_LINE (a line with a monorepo task's prefix: scan that block with the other)
    prefilter: Prefilter
    first_match: tuple[bool, ...]  # per rule: keep its first match in a job, not its last
    step_first: tuple[bool, ...]  # per rule: keep the first match of the last step with one
    sources: tuple[bytes, ...]  # the exact patterns over raw blocks: rules, then the failure marker
    # Their compiled regexes, made when the set first reports one: most rules never match a given
    # log, and compiling them all would cost a cold start more than reading a small log.
    compiled: list[Any] = field(default_factory=list)

    def regex(self, index: int) -> Any:
        """The exact re2 pattern of rule `index` over raw blocks (`len(rules)`: the failure marker)."""
        found = self.compiled[index]
        if found is None:
            found = self.compiled[index] = re2.compile(self.sources[index], re2_options())
        return found


@cache
def _catalog(tasks: bool = False) -> _Catalog:
    """The rules as the set runs them; with `tasks`, each anchor also sees past a monorepo task's
    prefix (for blocks where the plain catalog's last pattern, `TASK_LINE`, found one)."""
    rules = load_rules()
    # The set runs the exact patterns (a timestamp allowed after each `^`), not a looser copy: RE2's
    # DFA is no slower on them (measured 5 % faster on the 256 MiB yardstick log, and it settles
    # faster), and it then reports only rules that really match, so no block is searched for nothing.
    patterns = [r.pattern for r in rules] + [_FAILED]
    sources = tuple(compile_exact(pattern, tasks=tasks) for pattern in patterns)
    literals = [
        lit if lit is _DOWNLOAD_TAG else re.escape(lit.decode()).encode() for lit in _LITERALS
    ]
    return _Catalog(
        rules=rules,
        prefilter=Prefilter([*sources, *literals, *([] if tasks else [TASK_LINE])]),
        first_match=tuple(rule.type.value in FIRST_MATCH_TYPES for rule in rules),
        step_first=tuple(keeps_step_first(rule) for rule in rules),
        sources=sources,
        compiled=[None] * len(sources),
    )


def catalog_rules() -> tuple[Rule, ...]:
    """The rules in priority order, as the scan runs them."""
    return _catalog().rules


def catalog_prefilter() -> Prefilter:
    """The scan's own set: indexes below `len(catalog_rules())` are rules whose exact pattern
    matches somewhere in a raw (timestamped) block; higher ones are the scan's own markers."""
    return _catalog().prefilter


def _line_bounds(data: bytes, pos: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    return start, len(data) if end < 0 else end


def _clean_text(raw: bytes, limit: int = _MAX_TEXT) -> str:
    _, text = logs.split_timestamp(raw)
    return text.decode("utf-8", "replace").rstrip()[:limit]


def _lines_before(data: bytes, start: int, count: int, floor: int = 0) -> tuple[str, ...]:
    """Up to `count` meaningful cleaned lines between `floor` (a step's start) and `start`."""
    out: list[str] = []
    end = start - 1
    scanned = 0
    while end > floor and len(out) < count and scanned < 50:
        begin = data.rfind(b"\n", 0, end) + 1
        text = _clean_text(data[begin:end])
        if not _BOILERPLATE.match(text) and not _IGNORED.match(text) and not _TRAILERS.match(text):
            out.append(text)
        end = begin - 1
        scanned += 1
    return tuple(reversed(out))


def _scan_block(catalog: _Catalog, state: JobState, block: logs.Block, matched: list[int]) -> None:
    data = block.data
    n_rules = len(catalog.rules)
    for index in matched:
        if index > n_rules:
            continue  # a literal (step marker, add-mask), not a rule
        if index == n_rules:
            _note_failure(catalog, state, block)
            continue
        first = catalog.first_match[index]
        if first and index in state.hits:
            continue  # the first error of a compiler or linter run is the one to fix first
        regex = catalog.regex(index)
        by_step = catalog.step_first[index]
        kept = state.hits.get(index)
        kept_step = kept.step.number if by_step and kept is not None else None
        kept_named = by_step and kept is not None and names_something(kept)
        # The hooks' line is no cause after a failed step, but it is in "Initialize containers",
        # where a rule that asks for it reads it (container_hooks.py).
        ignored = (
            _PLAIN_IGNORED
            if "initialize-containers-only" in catalog.rules[index].checks
            else _IGNORED
        )
        last: tuple[int, int, Any] | None = None
        for m in regex.finditer(data):
            start, end = _line_bounds(data, m.start())
            text = _clean_text(data[start:end])
            if ignored.match(text) or _PROBED.match(text) or _SYSTEM32_LOST.match(text):
                continue
            if by_step:
                number = logs.step_at(block, start).number
                groups = m.groupdict()
                named = any(groups.values()) and groups.get(b"command") not in NOT_PROGRAMS
                if number == kept_step and (kept_named or not named):
                    continue  # the step's first match (that names what is missing) is kept
                kept_step, kept_named = number, named
            last = (start, end, m)
            if first:
                break
        if last is None:
            continue
        start, end, m = last
        # Captures come from the line's first match, as a per-line search would give them.
        m = regex.search(data, start, end) or m
        groups = {
            (k.decode() if isinstance(k, bytes) else k): v.decode("utf-8", "replace").strip()
            for k, v in m.groupdict().items()
            if v is not None
        }
        rule = catalog.rules[index]
        data_out = {**rule.data, **{k: v for k, v in groups.items() if v}}
        step = logs.step_at(block, start)
        state.hits[index] = Hit(
            rule=rule,
            line=block.first_line + data.count(b"\n", 0, start),
            step=step,
            text=_clean_text(data[start:end], _HIT_TEXT),
            data=data_out,
            context=_context(state, block, start, _CONTEXT_LINES),
            before=_raw_before(data, start, _FACT_LINES, state.tail),
            after=_raw_after(data, end, _FACT_LINES // 2),
        )


def names_something(hit: Hit) -> bool:
    """Whether the hit's own line captured a fact (a step-first rule's header line often names
    nothing: "Database is uninitialized…" before "You must specify POSTGRES_PASSWORD…"; a shell
    keyword or a prose word taken for a program names none either)."""
    return hit.data != hit.rule.data and not shell_word_as_program(hit)


def last_lines(state: JobState, count: int = _CONTEXT_LINES + 1) -> tuple[str, ...]:
    """The job's last meaningful lines (for a job said to fail where its log never did)."""
    return _lines_before(state.tail, len(state.tail) + 1, count)


def _raw_before(data: bytes, start: int, count: int, tail: bytes = b"") -> tuple[str, ...]:
    """Up to `count` cleaned lines just before `start`, for the fact extractors: in the block, then
    in `tail` (the end of the blocks before it) when the block starts too close above the line."""
    begin = start
    for _ in range(count):
        if begin <= 0:
            break
        begin = data.rfind(b"\n", 0, begin - 1) + 1
    lines = data[begin:start].split(b"\n")[:-1]
    if begin <= 0 and len(lines) < count and tail.endswith(b"\n"):
        lines = tail.split(b"\n")[:-1][len(lines) - count :] + lines
    return tuple(_clean_text(line) for line in lines)


def _raw_after(data: bytes, end: int, count: int) -> tuple[str, ...]:
    """Up to `count` cleaned lines just after the line that ends at `end`, inside the block."""
    lines = data[end + 1 :].split(b"\n", count)[:count]
    return tuple(_clean_text(line) for line in lines)


def _note_failure(catalog: _Catalog, state: JobState, block: logs.Block) -> None:
    data = block.data
    positions = [m.start() for m in catalog.regex(len(catalog.rules)).finditer(data)]
    if state.downloaded:
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
            exited = logs.step_at(block, start)
            state.exit_codes[exited.number] = code.group(1)
            if state.first_exit is None:
                line_no = block.first_line + data.count(b"\n", 0, start)
                lines = _context(state, block, start, _CONTEXT_LINES + 1)
                state.first_exit = (exited, lines, line_no)
    start, _ = _line_bounds(data, positions[-1])
    step = logs.step_at(block, start)
    state.last_lines = _context(state, block, start, _CONTEXT_LINES + 1)
    state.last_line_no = block.first_line + data.count(b"\n", 0, start)
    state.last_step = step


def _is_ui_error(data: bytes, pos: int) -> bool:
    start, end = _line_bounds(data, pos)
    _, text = logs.split_timestamp(data[start:end])
    return bool(_UI_FORMS.match(text))


def _context(state: JobState, block: logs.Block, start: int, count: int) -> tuple[str, ...]:
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


def scan_source(
    source: JobSource,
    block_size: int = logs.BLOCK_SIZE,
    start: logs.StepMark | None = None,
    tail: bytes = b"",
) -> JobState:
    """One pass over a job's log (or a slice of it, from `start`): what every rule saw."""
    catalog = _catalog()
    state = JobState(name=source.name, tail=tail)
    named_by_log = source.prefer_log_name and start is None
    open_line = False
    base = len(catalog.rules) + 1
    task_line = base + len(_LITERALS)  # the plain catalog's last pattern
    seen: list[tuple[bytes, list[int]]] = []  # the last block the set scanned, and its answer

    def scan(data: bytes) -> list[int]:
        if not seen or seen[0][0] is not data:
            seen[:] = [(data, catalog.prefilter.match(data))]
        return seen[0][1]

    def presence(data: bytes) -> set[bytes]:
        return {_LITERALS[i - base] for i in scan(data) if base <= i < task_line}

    for block in logs.iter_blocks(source, block_size, presence, start):
        matched = scan(block.data)
        block_catalog = catalog
        if task_line in matched:  # a monorepo runner's task before a line: rules see past it
            block_catalog = _catalog(tasks=True)
            matched = block_catalog.prefilter.match(block.data)
        if start is None and not state.head:  # a paste's run-page header (jobstate.page_conclusion)
            state.head = tuple(_clean_text(t) for t in block.data[:4096].split(b"\n", 6)[:6])
        state.lines += block.lines
        open_line = bool(block.data) and not block.data.endswith(b"\n")
        if start is None and block.step_before.number == 1:  # still in "Set up job"
            if named_by_log:
                found = _complete_job_name(block.data)
                if found:
                    state.name, named_by_log = found, False
            state.action = _last_download(block.data) or state.action
        state.has_tags = state.has_tags or base + _LITERALS.index(_TAG) in matched
        state.downloaded = state.downloaded or base + _LITERALS.index(_DOWNLOAD_TAG) in matched
        # The step marks found them already (at a line's start): no extra pass over the block.
        ends = {m.name for m in block.steps} & _JOB_END
        state.structured = state.structured or bool(
            ends if state.has_tags else ends - {logs.POST_STEP}
        )
        _scan_block(block_catalog, state, block, matched)
        if base + _LITERALS.index(_ADD_MASK) in matched:
            _collect_masks(state, block.data)
        tail = state.tail + block.data if len(block.data) < 4096 else block.data
        state.tail = tail[tail.rfind(b"\n", 0, max(0, len(tail) - 4096)) + 1 :]
        state.end_step = block.steps[-1] if block.steps else block.step_before
    if open_line:  # the last line has no newline (or one line was read in pieces)
        state.lines += 1
    return state


def _last_download(data: bytes) -> tuple[str, str] | None:
    pos = data.rfind(b"Download action repository '")
    if pos < 0:
        return None
    end = data.find(b"\n", pos)
    return downloaded_actions(data[pos : end if end >= 0 else None].decode("utf-8", "replace"))


def _collect_masks(state: JobState, data: bytes) -> None:
    """Remember values the job masked, so no report shows them even where the log did."""
    pos = data.find(_ADD_MASK)
    while pos >= 0:
        end = data.find(b"\n", pos)
        value = data[pos + len(_ADD_MASK) : end if end >= 0 else None].strip()
        if value:
            state.masks.add(value.decode("utf-8", "replace"))
        pos = data.find(_ADD_MASK, pos + 1)


def _complete_job_name(data: bytes) -> str | None:
    """The job's display name from the "Set up job" step (`Complete job name: build (3.12)`)."""
    pos = data.find(b"Complete job name: ", 0, 1 << 16)
    if pos < 0:
        return None
    end = data.find(b"\n", pos)
    name = data[pos + len(b"Complete job name: ") : end if end >= 0 else None]
    return name.decode("utf-8", "replace").strip() or None
