"""What one pass over a job's log remembers: each rule's last hit, failure markers, masks, tail."""

from __future__ import annotations

from dataclasses import dataclass, field

from smartmon.diagnose.logs import StepMark
from smartmon.diagnose.rules import Rule


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
    tail: bytes = b""  # the previous block's last lines, so context survives a block boundary
    masks: set[str] = field(default_factory=set)  # values the job masked with ::add-mask::
    has_tags: bool = False  # a downloaded log (`##[` tags), not a copy of the web page
    structured: bool = False  # the runner's job structure: step headers, set-up block, trailer
    action: tuple[str, str] | None = None  # the last `Download action repository` of set-up
    end_step: StepMark | None = None  # the step in force at the end of what was read
    # Set by the verdict, never by the scan: rule index -> why its hit was cleared (retried and then
    # succeeded, its command's status swallowed), and why the whole job's failure marker was.
    cleared: dict[int, str] = field(default_factory=dict)
    cleared_job: str = ""
