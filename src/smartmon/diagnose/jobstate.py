"""What one pass over a job's log remembers: each rule's last hit, failure markers, masks, tail."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from smartmon.diagnose.logs import STEP_HEADER, StepMark
from smartmon.diagnose.rules import Rule

# How much of a log line a report shows (a hit's own line is kept whole up to 8 KiB for the facts).
MAX_SHOWN = 500


@dataclass
class Hit:
    rule: Rule
    line: int
    step: StepMark
    text: str
    data: dict[str, str]
    context: tuple[str, ...]
    before: tuple[str, ...] = ()  # up to 40 raw lines before, for the shared fact extractors
    after: tuple[str, ...] = ()  # up to 20 lines after (a tally or banner printed before the rows)


def step_above(hit: Hit) -> tuple[str, ...]:
    """The lines above the hit in its own step: after the last step header in `hit.before`."""
    lines = hit.before
    for i in range(len(lines) - 1, -1, -1):
        if STEP_HEADER.match(lines[i].strip()):
            return lines[i + 1 :]
    return lines


def up_to_header(before: Sequence[str]) -> Iterator[str]:
    """The lines above a hit, nearest first, up to its step's header (the header included: its
    command may say what the step ran)."""
    for line in reversed(before):
        yield line
        if STEP_HEADER.match(line.strip()):
            return


def step_below(hit: Hit) -> Iterator[str]:
    """The lines below the hit up to the next step's header."""
    for line in hit.after:
        if STEP_HEADER.match(line.strip()):
            return
        yield line


@dataclass
class JobState:
    name: str
    hits: dict[int, Hit] = field(default_factory=dict)  # rule index -> last hit
    failed: bool = False
    verdict_from: str = "log"
    verdict: str | None = None  # the caller's word ("failure" | "success"), when it has one
    first_failure: str = ""  # timestamp of the first failure marker, for ordering jobs
    last_lines: tuple[str, ...] = ()  # meaningful lines before the last failure marker
    last_line_no: int = 0
    last_step: StepMark | None = None
    lines: int = 0
    exit_codes: dict[int, str] = field(default_factory=dict)  # step number -> its exit code
    # The first step that exited non-zero: its mark, the meaningful lines before its exit-code line,
    # and that line's number (what the job's cause falls back to when a later step only reported).
    first_exit: tuple[StepMark, tuple[str, ...], int] | None = None
    tail: bytes = b""  # the previous block's last lines, so context survives a block boundary
    masks: set[str] = field(default_factory=set)  # values the job masked with ::add-mask::
    has_tags: bool = False  # the runner's `##[` tags: a downloaded log, or a page copied in debug
    downloaded: bool = False  # a downloaded log's own tags (pastes.DOWNLOAD_TAGS): no page copy
    structured: bool = False  # the runner's job structure: step headers, set-up block, trailer
    action: tuple[str, str] | None = None  # the last `Download action repository` of set-up
    end_step: StepMark | None = None  # the step in force at the end of what was read
    # The first lines of what was read (a paste from the run page starts with the job's header,
    # "build" / "succeeded now in 52s"); empty when the scan does not record them.
    head: tuple[str, ...] = ()
    # Set by the verdict, never by the scan: rule index -> why its hit was cleared (retried and then
    # succeeded, its command's status swallowed), and why the whole job's failure marker was.
    cleared: dict[int, str] = field(default_factory=dict)
    cleared_job: str = ""


# The run page's job header as people copy it: the job's name, then its conclusion and duration
# ("succeeded now in 52s", "succeeded 3 minutes ago in 1m 2s", "failed now in 2s", "failed 3 days
# ago in 2m 54s", "failed Dec 3, 2024 in 1m 2s"). Seen pasted in issues as "runner / golangci-lint"
# / "succeeded now in 38s".
_PAGE_HEADER = re.compile(
    r"^\s*(?P<conclusion>succeeded|failed) (?:now|yesterday|last \w+|(?:an?|\d+) \w+ ago|(?:on )?\w{3,9}\.? \d{1,2}(?:, \d{4})?)"
    r" in (?:\d+h ?)?(?:\d+m ?)?(?:\d+s)?\s*$"
)
# The pull request's checks list as people copy it: "<workflow> / <job> (<event>)", then "Successful
# in 7m" or "Failing after 52s" ("CIFuzz / Fuzzing (pull_request) Successful in 7m", cfengine/core
# #4875; "Terraform CI / Terraform (pull_request) Failing after 6s", "Run Danger on PR / danger
# (pull_request_target) Failing after 50s" in pasted merge boxes). A list names several jobs: one
# failing row makes the paste a failure's, only green rows a pass (a cancelled one leaves it open).
_CHECK_ROW = re.compile(
    r"^\s*(?:[✓✔×✗✕]\s*)?\S.* / .+ \((?:pull_request(?:_target)?|push|merge_group|workflow_dispatch"
    r"|schedule|workflow_run|release)\) (?P<check>Successful in|Failing after|Cancelled after)"
    r" (?:\d+h ?)?(?:\d+m ?)?(?:\d+s)?(?:\s+Details)?\s*$"
)
# The header is the paste's second line (the job's name is the first), after a line or two the
# paste put first (a fence, "Error log:").
_HEADER_LINES = 6


def page_conclusion(state: JobState) -> str | None:
    """The conclusion a paste's run-page header states ("success" / "failure"), or None.

    Only a copy of the web page has the header: a downloaded log (the runner's end-of-job steps or
    its own tags) never does; a page copied with step debug on (`##[debug]` lines) still does. The header is read from the paste's first lines when the scan recorded
    them, else from the 40 lines before a hit that sits at the top of the paste.
    """
    if state.structured or state.downloaded:
        return None
    heads = [state.head] if state.head else []
    heads += [hit.before for hit in state.hits.values() if hit.line <= len(hit.before) + 1]
    checks: set[str] = set()
    for lines in heads:
        for text in lines[:_HEADER_LINES]:
            m = _PAGE_HEADER.match(text)
            if m:
                return "success" if m.group("conclusion") == "succeeded" else "failure"
            row = _CHECK_ROW.match(text)
            if row:
                checks.add(row.group("check"))
    if "Failing after" in checks:
        return "failure"
    if "Cancelled after" in checks:
        return None  # not all green: the lines below decide
    return "success" if checks else None
