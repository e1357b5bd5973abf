"""Read one large log file in two processes at once and merge what they saw as one pass would.

A 256 MiB log is mostly noise that every byte of must still pass through the rule set; two cores
halve that. The file is cut at newlines into pieces (two halves by default, see `_PIECE`). This
process reads the first; the others are handed out one at a time, through a pipe holding their
numbers, to whichever of the two processes is free. A piece other than the first is read with a
provisional step (number 0, line 1). A forked child sends its pieces' `JobState`s back; the merge, piece after piece in file order, shifts line numbers by the lines
before, renumbers steps after the last one before, lets later hits replace earlier ones (a rule
keeps its last match) except for first-match rules and a later hit in the step of a step-first
rule's hit, and unites exit codes and masked values.
Context that would have reached back across a cut is read from the 4 KiB before it.

The child is a bare `os.fork` writing its pickled states to a pipe and leaving with `os._exit`:
`multiprocessing` would add its import and start-up to every large log for nothing it is needed
for. A child that dies or answers nonsense costs time, never a result: its pieces are read here.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import signal
from dataclasses import replace
from pathlib import Path
from typing import IO

from smartmon.diagnose import logs
from smartmon.diagnose.jobstate import Hit, JobState
from smartmon.diagnose.scan import (
    FIRST_MATCH_TYPES,
    catalog_rules,
    keeps_step_first,
    names_something,
    scan_source,
)
from smartmon.diagnose.sources import JobSource

log = logging.getLogger(__name__)

_PROVISIONAL = logs.StepMark(offset=0, line=1, name="", number=0)
_TAIL = 4096


class _Slice(io.RawIOBase):
    """Bytes [start, end) of a file, as a readable stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._fh.readinto(memoryview(buffer)[: min(len(buffer), self._left)])
        self._left -= n or 0
        return n or 0

    def close(self) -> None:
        self._fh.close()
        super().close()


# Pieces handed out between the two processes; None: two halves. Smaller pieces balance two cores
# of unequal speed (a core busy with other work takes fewer), but each costs its own set-up and
# fresh allocations: on the 256 MiB yardstick log, 8 MiB pieces cost 15 % more CPU than halves and
# 32 MiB pieces about as much as halves, so halves it is until a busy machine says otherwise.
_PIECE: int | None = None
_MAX_PIECES = 255  # piece numbers travel as single bytes


def _bounds(path: Path, piece: int | None = None) -> list[int]:
    """[0, cut1, …, size]: each cut just after the first newline at or past k × size / pieces."""
    size = path.stat().st_size
    piece = piece or _PIECE
    pieces = 2 if piece is None else max(2, min(_MAX_PIECES, -(-size // max(1, piece))))
    bounds = [0]
    with path.open("rb") as fh:
        for k in range(1, pieces):
            at = _newline_after(fh, max(size * k // pieces, bounds[-1]))
            if bounds[-1] < at < size:
                bounds.append(at)
    bounds.append(size)
    return bounds


def _newline_after(fh: IO[bytes], offset: int) -> int:
    """Offset just after the first newline at or past `offset` (the end when there is none)."""
    fh.seek(offset)
    while chunk := fh.read(1 << 16):
        nl = chunk.find(b"\n")
        if nl >= 0:
            return fh.tell() - len(chunk) + nl + 1
    return fh.tell()


def _half(source: JobSource, path: Path, start: int, end: int) -> JobSource:
    def opener() -> IO[bytes]:
        return io.BufferedReader(_Slice(path, start, end), 1 << 20)

    return replace(source, parts=(("", None, opener),), path=None)


def _tail_before(path: Path, cut: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(0, cut - _TAIL))
        data = logs.strip_ansi(logs.strip_cr(fh.read(min(cut, _TAIL))))
    return data[data.find(b"\n") + 1 :] if cut > _TAIL else data


def _scan_piece(
    source: JobSource, path: Path, bounds: list[int], index: int, block_size: int
) -> JobState:
    """Piece `index` (> 0) of the file, from a provisional step, with the 4 KiB before it."""
    start, end = bounds[index], bounds[index + 1]
    return scan_source(
        _half(source, path, start, end),
        block_size,
        start=_PROVISIONAL,
        tail=_tail_before(path, start),
    )


def _take_pieces(
    work: int, source: JobSource, path: Path, bounds: list[int], block_size: int
) -> dict[int, JobState]:
    """Read pieces while the work pipe hands out numbers (one byte each, so never one twice)."""
    done: dict[int, JobState] = {}
    while number := os.read(work, 1):
        done[number[0]] = _scan_piece(source, path, bounds, number[0], block_size)
    return done


def _helper(
    out: int, work: int, source: JobSource, path: Path, bounds: list[int], block_size: int
) -> None:
    """The child: read pieces until none are left, write their states, rules by index (data)."""
    states = _take_pieces(work, source, path, bounds, block_size)
    for state in states.values():
        state.hits = {i: replace(hit, rule=None) for i, hit in state.hits.items()}  # type: ignore[arg-type]
    with os.fdopen(out, "wb", closefd=True) as fh:
        fh.write(pickle.dumps(states, pickle.HIGHEST_PROTOCOL))


def _unpack(raw: bytes, pieces: int) -> dict[int, JobState]:
    states = pickle.loads(raw)
    if not isinstance(states, dict):
        raise TypeError("not a dict of states")
    rules = catalog_rules()
    out: dict[int, JobState] = {}
    for number, state in states.items():
        if not (isinstance(number, int) and 0 < number < pieces and isinstance(state, JobState)):
            raise TypeError("not a piece's state")
        state.hits = {i: replace(hit, rule=rules[i]) for i, hit in state.hits.items()}
        out[number] = state
    return out


def _read_here(
    source: JobSource, path: Path, bounds: list[int], index: int, block_size: int
) -> JobState:
    """The child died or could not answer: read its piece here, as one pass would."""
    log.warning("%s: the second reader stopped; reading its part in this process", source.origin)
    return _scan_piece(source, path, bounds, index, block_size)


def _fork_helper(
    work: int, source: JobSource, path: Path, bounds: list[int], block_size: int
) -> tuple[int, int]:
    """Start the child; returns its pid and the read end of the pipe it answers on."""
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 1  # anything but a clean finish: the parent reads the pieces itself
        try:
            os.close(receive)
            _helper(send, work, source, path, bounds, block_size)
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    return pid, receive


def _answer(pid: int, receive: int) -> bytes | None:
    """All the child wrote, or None when it did not finish well."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(receive, 1 << 20):
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(receive)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not chunks:
        return None
    return b"".join(chunks)


def scan_in_two(source: JobSource, path: Path, block_size: int = logs.BLOCK_SIZE) -> JobState:
    """`scan_source` of a plain file, its pieces read at once by this process and a child."""
    bounds = _bounds(path)
    pieces = len(bounds) - 1
    if pieces < 2:
        return scan_source(source, block_size)
    catalog_rules()  # compiled before the fork, so the child inherits it
    work, hand_out = os.pipe()
    try:
        os.write(hand_out, bytes(range(1, pieces)))  # piece 0 is this process's, read first
    finally:
        os.close(hand_out)
    try:
        try:
            pid, receive = _fork_helper(work, source, path, bounds, block_size)
        except OSError as exc:  # no process to spare: one pass here
            log.debug("%s: no second reader (%s)", source.origin, exc)
            return scan_source(source, block_size)
        try:
            states = {0: scan_source(_half(source, path, 0, bounds[1]), block_size)}
            states.update(_take_pieces(work, source, path, bounds, block_size))
        except BaseException:
            os.kill(pid, signal.SIGKILL)  # its pieces are of no use now
            _answer(pid, receive)
            raise
    finally:
        os.close(work)
    raw = _answer(pid, receive)
    if raw is not None:
        try:
            states.update(_unpack(raw, pieces))
        except (EOFError, ValueError, TypeError, IndexError, AttributeError, pickle.PickleError):
            log.debug("%s: the second reader's answer is unreadable", source.origin)
    merged = states[0]
    for index in range(1, pieces):
        state = states.get(index) or _read_here(source, path, bounds, index, block_size)
        merged = merge(merged, state)
    return merged


def merge(first: JobState, second: JobState) -> JobState:
    """One job's state from its two halves, as if one pass had read both in order."""
    offset = first.lines
    last = first.end_step or logs.StepMark(offset=0, line=1, name=logs.SETUP_STEP, number=1)

    def step(mark: logs.StepMark) -> logs.StepMark:
        if mark.number == 0:
            return last
        return replace(mark, line=mark.line + offset, number=mark.number + last.number)

    def shifted(hit: Hit) -> Hit:
        return replace(hit, line=hit.line + offset, step=step(hit.step))

    hits = dict(first.hits)
    for index, hit in second.hits.items():
        kept = hits.get(index)
        if kept is not None and hit.rule.type.value in FIRST_MATCH_TYPES:
            continue
        moved = shifted(hit)
        if (
            kept is not None
            and keeps_step_first(hit.rule)
            and moved.step.number == kept.step.number
            and (names_something(kept) or not names_something(moved))
        ):
            continue  # the first half holds the step's first match
        hits[index] = moved
    state = replace(first, hits=hits)
    state.lines = first.lines + second.lines
    state.masks = first.masks | second.masks
    state.has_tags = first.has_tags or second.has_tags
    state.downloaded = first.downloaded or second.downloaded
    state.structured = first.structured or second.structured
    state.tail = second.tail
    state.end_step = step(second.end_step) if second.end_step else first.end_step
    for number, code in second.exit_codes.items():
        state.exit_codes[last.number if number == 0 else number + last.number] = code
    if first.first_exit is None and second.first_exit is not None:
        mark, lines, line_no = second.first_exit
        state.first_exit = (step(mark), lines, line_no + offset)
    if second.failed:
        state.failed = True
        state.first_failure = first.first_failure if first.failed else second.first_failure
        state.last_lines = second.last_lines
        state.last_line_no = second.last_line_no + offset
        state.last_step = step(second.last_step) if second.last_step else first.last_step
    return state


__all__ = ["merge", "scan_in_two"]
