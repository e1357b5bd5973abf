"""Read GitHub Actions logs: a job log `.txt`, a run-logs `.zip` (both layouts) or a folder of those.

Lines keep their raw 1-based number in the job's file so a report can link `#step:S:L`. Reading is
streamed in large blocks: memory stays flat whatever the log size.

Format facts (research/github-api.md §1.4, §2): every record starts with a `YYYY-MM-DDTHH:MM:SS.fffffffZ `
timestamp; continuation lines of a multi-line record have none; `run:` and action steps open with
`##[group]Run …`; post steps with `Post job cleanup.`; the last step with `Cleaning up orphan processes`.
Zips hold `<n>_<job>.txt` per job (`-<n>_` on the legacy backend) and, not always, `<job>/<n>_<step>.txt`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from typing import IO

from smartmon.diagnose.exception_groups import unbarred
from smartmon.diagnose.pastes import PASTE_MAX, paste_cleaned
from smartmon.diagnose.sources import JobSource, LogReadError
from smartmon.diagnose.utf16 import utf16_read

# 1 MiB: each block passes through several loops (clean, count, the rule set) while it is still in
# the core's cache; 4 MiB blocks cost 9 % more CPU on the 256 MiB yardstick log (bench/).
BLOCK_SIZE = 1 << 20
# A line longer than this is cut into blocks (a 200 MB log without newlines must not be held whole);
# iter_lines then keeps only its first piece.
LONG_LINE = 1 << 16
TIMESTAMP_RE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ?")
# The same stamp, loosely, before a decoded line that the shared readers look back over.
STAMP_PREFIX = r"\d{4}-\d\d-\d\dT[\d:.]+Z "
# CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and two-byte escapes.
ANSI_RE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?"
)
_BOM = b"\xef\xbb\xbf"

# A step's header in cleaned lines: the runner's `##[group]Run …`, or `Run …` as the web page shows it.
# Tools print sentences that start the same way and are no header: Gradle's "Run with --stacktrace
# option to get the stack trace." (unprefixed before Gradle 7's "> Run with"), Bundler's "Run `bundle
# install` to install missing gems.", npm's "Run `npm audit` for details.", the .NET SDK's 'Run
# "dotnet tool restore" to make the "dotnet-ef" command available.', minitest's "Run options: --seed
# 28344" and RSpec's "Run options: include {:focus=>true}". A header shows a command's first line, and
# no command is "options:", starts with "with --" or is a quoted word followed by "to"/"for". Nor is
# pre-commit's status row of a hook whose name starts with "Run": the name, dots, then the status,
# "Run pytest.....Failed", "Run mypy...(no files to check)Skipped" (pre-commit's output.py pads with
# at least 3 dots).
STEP_HEADER = re.compile(
    r"^(?:##\[group\]Run \S|Run (?!with --|options: )(?![`'\"][^`'\"]*[`'\"] (?:to|for)\b)"
    r"(?!.*\.\.\.(?:\(no files to check\))?(?:Passed|Failed|Skipped)\s*$)\S)"
)

SETUP_STEP = "Set up job"
POST_STEP = "Post job cleanup"
COMPLETE_STEP = "Complete job"


@dataclass(frozen=True)
class StepMark:
    """A step starts at `offset` in a block's bytes (line `line` of the job's file)."""

    offset: int
    line: int
    name: str
    number: int
    # A `##[group]Run …` whose group holds none of the runner's own lines (`shell:`, `with:`, `env:`):
    # a script's own `::group::Run tests`, which the log cannot tell from a step otherwise.
    script_group: bool = False


@dataclass(frozen=True)
class Block:
    """A run of whole lines: ANSI escapes, CRs and the BOM removed, timestamps and newlines kept."""

    data: bytes
    first_line: int  # raw line number of the block's first line
    steps: tuple[StepMark, ...]  # steps that start inside this block
    step_before: StepMark  # the step in force at the block's first byte
    lines: int = 0  # newlines in `data` (counted once here, so no reader counts them again)


@dataclass(frozen=True)
class LogLine:
    job: str
    step: str
    step_number: int
    line: int
    step_line: int
    text: str
    timestamp: str | None  # None on continuation lines


def strip_ansi(raw: bytes) -> bytes:
    """Remove ANSI escapes (newlines are never part of one, so the line count is unchanged)."""
    if b"\x1b" in raw:
        raw = b"".join(ANSI_RE.split(raw))  # measurably faster than .sub on colourful logs
    return raw


def strip_cr(raw: bytes) -> bytes:
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"")
    return raw


def _cleaned(chunk: memoryview) -> bytes:
    """A chunk of the read buffer as clean bytes (CRs and ANSI escapes gone), copied once."""
    buf = chunk.obj
    assert isinstance(buf, bytearray)
    end = len(chunk)  # a chunk always starts at the buffer's start
    if buf.find(b"\r", 0, end) >= 0:
        return utf16_read(strip_ansi(strip_cr(bytes(chunk))))
    if buf.find(b"\x1b", 0, end) >= 0:
        return utf16_read(b"".join(ANSI_RE.split(chunk)))  # the join is the only copy
    return utf16_read(bytes(chunk))


def _cleaned_chunks(fh: IO[bytes], block_size: int) -> Iterator[bytes]:
    """`_read_blocks`' chunks, cleaned; an input of at most PASTE_MAX is also `paste_cleaned`, whole
    (a small file without a final newline comes in two chunks)."""
    held: list[bytes] | None = []
    size = 0
    for raw in _read_blocks(fh, block_size):
        data = unbarred(_cleaned(raw))
        if held is None:
            yield data
            continue
        held.append(data)
        size += len(data)
        if size > PASTE_MAX:
            yield from held
            held = None
    if held:
        yield paste_cleaned(b"".join(held))


def _read_blocks(fh: IO[bytes], block_size: int) -> Iterator[memoryview]:
    """Yield chunks that end on a newline (the last may not); the BOM is dropped.

    Each chunk is a view of one reused buffer, valid only until the next is asked for: the caller
    copies what it keeps (`_cleaned`), so every byte is copied once, not read, joined and sliced.
    """
    limit = max(4 * block_size, LONG_LINE)  # a line longer than this is cut
    buf = _take_buffer(block_size + LONG_LINE)
    try:
        yield from _fill_blocks(fh, block_size, limit, buf)
    finally:
        if len(_SPARE) < 2:
            _SPARE.append(buf)  # the caller copied every chunk it kept: the next read may reuse it


# Read buffers of finished reads, reused: a fresh multi-MB buffer costs its page faults again
# (a large log read in pieces, or many job logs in a row).
_SPARE: list[bytearray] = []


def _take_buffer(size: int) -> bytearray:
    while _SPARE:
        buf = _SPARE.pop()
        if len(buf) >= size:
            return buf
    return bytearray(size)


def _fill_blocks(
    fh: IO[bytes], block_size: int, limit: int, buf: bytearray
) -> Iterator[memoryview]:
    view = memoryview(buf)
    readinto = fh.readinto  # type: ignore[attr-defined]
    have = 0  # buf[:have] is the carry: the start of a line the last chunk did not finish
    first = True
    while True:
        want = max(block_size, len(_BOM)) if first else block_size
        if len(buf) < have + want:  # a long line: a larger buffer (the old one may still be seen)
            buf = bytearray(have + want)
            buf[:have] = view[:have]
            view = memoryview(buf)
        n = readinto(view[have : have + want]) or 0
        if not n:
            break
        if first:
            first = False
            if n >= len(_BOM) and view[: len(_BOM)] == _BOM:  # (a reused buffer holds old bytes)
                view[: n - len(_BOM)] = bytes(view[len(_BOM) : n])
                n -= len(_BOM)
        end = have + n
        cut = buf.rfind(b"\n", have, end)
        if cut < 0:
            if end > limit:
                # A single line this long: split it; line counting stays right (no newline added).
                yield view[:end]
                have = 0
            else:
                have = end
            continue
        yield view[: cut + 1]
        have = end - cut - 1
        view[:have] = bytes(view[cut + 1 : end])
    if have:
        yield view[:have]


_MARKERS = (
    (b"##[group]Run ", None),
    (b"Post job cleanup.", POST_STEP),
    (b"Cleaning up orphan processes", COMPLETE_STEP),
)


# Which step markers a block holds at all, when the caller has already scanned it (a multi-pattern
# set answers that in the same pass as the rules): a marker it did not see is not searched for.
Presence = Callable[[bytes], Container[bytes]]
MARKERS = tuple(marker for marker, _ in _MARKERS)


# The runner's own lines inside a step header's group (after its command): the shell, inputs, env.
_RUNNER_GROUP_LINE = re.compile(rb"(?m)^(?:\d{4}-\d\d-\d\dT[\d:.]+Z )?(?:shell|with|env):")
_GROUP_REACH = 1 << 16


def _script_group(data: bytes, header_end: int) -> bool:
    """The `##[group]Run …` header ending at `header_end` opens a group without any of the runner's
    own lines (up to its close, or within reach): a script printed it (`echo "::group::Run lint"`)."""
    close = data.find(b"##[endgroup]", header_end, header_end + _GROUP_REACH)
    # The runner's lines follow the script's own right away; a group that does not close within
    # reach (long test output, or the block's end) without them is a script's too (review rev54).
    stop = close if close >= 0 else min(len(data), header_end + _GROUP_REACH)
    return _RUNNER_GROUP_LINE.search(data, header_end, stop) is None


def _step_marks(
    data: bytes, first_line: int, last_number: int, present: Container[bytes] | None = None
) -> tuple[list[StepMark], int]:
    """Step boundaries (markers at a line's start, after its timestamp) and the offset of the last.

    Works the same on raw and on ANSI-stripped data, so both give the same steps.
    """
    found: list[tuple[int, str, bool]] = []  # (line start offset, name, a script's own group)
    for marker, fixed in _MARKERS:
        if present is not None and marker not in present:
            continue
        pos = data.find(marker)
        while pos >= 0:
            start = data.rfind(b"\n", 0, pos) + 1
            prefix = strip_ansi(data[start:pos])
            if not prefix or TIMESTAMP_RE.fullmatch(prefix):
                end = data.find(b"\n", pos)
                end = len(data) if end < 0 else end
                script = False
                if fixed is None:
                    title = strip_ansi(data[pos + len(marker) : end])
                    name = "Run " + title.decode("utf-8", "replace").strip()
                    script = _script_group(data, end)
                else:
                    name = fixed
                found.append((start, name, script))
            pos = data.find(marker, pos + 1)
    found.sort()
    marks: list[StepMark] = []
    last_off = 0
    line = first_line
    for start, name, script in found:
        line += data.count(b"\n", last_off, start)
        last_off = start
        last_number += 1
        marks.append(StepMark(start, line, name, last_number, script_group=script))
    return marks, last_off


def iter_blocks(
    source: JobSource,
    block_size: int = BLOCK_SIZE,
    presence: Presence | None = None,
    start: StepMark | None = None,
) -> Iterator[Block]:
    """Stream a job's log as cleaned blocks with the step boundaries inside each.

    `presence(data)` says which of `MARKERS` occur anywhere in a cleaned block (a superset is
    fine); without it every marker is searched for. `start` is the step in force at the first byte
    (a later slice of a file read by another process), else "Set up job" at line 1.
    """
    current = start or StepMark(offset=0, line=1, name=SETUP_STEP, number=1)
    line = current.line
    for step_name, step_number, opener in source.parts:
        if step_name:
            # A step file: its own numbering (line 1 = the step's first line).
            line = 1
            current = StepMark(offset=0, line=1, name=step_name, number=step_number or 1)
        with opener() as fh:
            try:
                for data in _cleaned_chunks(fh, block_size):
                    marks: list[StepMark] = []
                    last_off = 0
                    if not step_name:
                        present = presence(data) if presence is not None else None
                        marks, last_off = _step_marks(data, line, current.number, present)
                    newlines = data.count(b"\n")
                    yield Block(data, line, tuple(marks), current, newlines)
                    if marks:
                        current = marks[-1]
                        line = current.line + data.count(b"\n", last_off)
                    else:
                        line += newlines
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise LogReadError(f"{source.origin}: unreadable ({exc})") from exc


def step_at(block: Block, offset: int) -> StepMark:
    """The step in force at a byte offset of a block."""
    current = block.step_before
    for mark in block.steps:
        if mark.offset > offset:
            break
        current = mark
    return current


def split_timestamp(line: bytes) -> tuple[str | None, bytes]:
    m = TIMESTAMP_RE.match(line)
    if m is None:
        return None, line
    return m.group(0).decode("ascii").strip(), line[m.end() :]


def tail_lines(tail: bytes) -> list[str]:
    """A job's kept tail as text lines, each without its timestamp."""
    return [split_timestamp(raw)[1].decode("utf-8", "replace") for raw in tail.split(b"\n")]


def iter_lines(source: JobSource, block_size: int = BLOCK_SIZE) -> Iterator[LogLine]:
    """Every physical line of a job's log, cleaned, with its step and raw line number."""
    partial = False  # the previous block ended inside a line
    for block in iter_blocks(source, block_size):
        data = block.data
        pos = 0
        if partial:
            # The rest of an over-long line: skip it, it was reported with its first piece.
            nl = data.find(b"\n")
            pos = len(data) if nl < 0 else nl + 1
        partial = not data.endswith(b"\n")
        line = block.first_line + (1 if pos and data[pos - 1 : pos] == b"\n" else 0)
        marks = list(block.steps)
        current = block.step_before
        mi = 0
        while pos < len(data):
            while mi < len(marks) and marks[mi].offset <= pos:
                current = marks[mi]
                mi += 1
            end = data.find(b"\n", pos)
            stop = len(data) if end < 0 else end
            stamp, text = split_timestamp(data[pos:stop])
            yield LogLine(
                job=source.name,
                step=current.name,
                step_number=current.number,
                line=line,
                step_line=line - current.line + 1,
                text=text.decode("utf-8", "replace"),
                timestamp=stamp,
            )
            line += 1
            pos = stop + 1
