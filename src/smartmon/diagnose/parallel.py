"""Read one large log file in two processes, one half each, and merge what they saw as one pass would.

A 256 MiB log is mostly noise that every byte of must still pass through the rule set; two cores
halve that. The file is cut at a newline near its middle. This process reads the first half; a
forked child reads the second with a provisional step (number 0, line 1) and sends its `JobState`
back. The merge shifts the second half's line numbers by the first half's line count, renumbers its
steps after the first half's last one, lets its hits replace the first half's (a rule keeps its
last match) except for first-match rules, and unites exit codes and masked values. Context that
would have reached back across the cut is read from the 4 KiB before it.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import pickle
from dataclasses import replace
from pathlib import Path
from typing import IO

from smartmon.diagnose import logs
from smartmon.diagnose.jobstate import Hit, JobState
from smartmon.diagnose.scan import FIRST_MATCH_TYPES, catalog_rules, scan_source
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


def _cut(path: Path) -> int:
    """Offset just after the first newline at or past the middle (0 when there is none)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(size // 2)
        while chunk := fh.read(1 << 16):
            nl = chunk.find(b"\n")
            if nl >= 0:
                return fh.tell() - len(chunk) + nl + 1
    return 0


def _half(source: JobSource, path: Path, start: int, end: int) -> JobSource:
    def opener() -> IO[bytes]:
        return io.BufferedReader(_Slice(path, start, end), 1 << 20)

    return replace(source, parts=(("", None, opener),), path=None)


def _tail_before(path: Path, cut: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(0, cut - _TAIL))
        data = logs.strip_ansi(logs.strip_cr(fh.read(min(cut, _TAIL))))
    return data[data.find(b"\n") + 1 :] if cut > _TAIL else data


def _scan_second_half(source: JobSource, path: Path, cut: int, block_size: int) -> JobState:
    return scan_source(
        _half(source, path, cut, path.stat().st_size),
        block_size,
        start=_PROVISIONAL,
        tail=_tail_before(path, cut),
    )


def _second_half(conn: object, source: JobSource, path: Path, cut: int, block_size: int) -> None:
    """The child: scan the second half and send the state back, rules by index (data only)."""
    state = _scan_second_half(source, path, cut, block_size)
    hits = {i: replace(hit, rule=None) for i, hit in state.hits.items()}  # type: ignore[arg-type]
    packed = pickle.dumps(replace(state, hits=hits), pickle.HIGHEST_PROTOCOL)
    conn.send_bytes(packed)  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]


def _unpack(raw: bytes) -> JobState:
    state: JobState = pickle.loads(raw)
    rules = catalog_rules()
    state.hits = {i: replace(hit, rule=rules[i]) for i, hit in state.hits.items()}
    return state


def _read_here(source: JobSource, path: Path, cut: int, block_size: int) -> JobState:
    """The child died or could not answer: read the second half here, as one pass would."""
    log.warning("%s: the second reader stopped; reading the rest in this process", source.origin)
    return _scan_second_half(source, path, cut, block_size)


def scan_in_two(source: JobSource, path: Path, block_size: int = logs.BLOCK_SIZE) -> JobState:
    """`scan_source` of a plain file, its two halves read at once by this process and a child."""
    cut = _cut(path)
    if cut <= 0:
        return scan_source(source, block_size)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_second_half, args=(send, source, path, cut, block_size))
    child.start()
    send.close()
    try:
        first = scan_source(_half(source, path, 0, cut), block_size)
        try:
            second = _unpack(receive.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            second = _read_here(source, path, cut, block_size)
    finally:
        receive.close()
        child.join()
    return merge(first, second)


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
        if index in hits and hit.rule.type.value in FIRST_MATCH_TYPES:
            continue
        hits[index] = shifted(hit)
    state = replace(first, hits=hits)
    state.lines = first.lines + second.lines
    state.masks = first.masks | second.masks
    state.has_tags = first.has_tags or second.has_tags
    state.structured = first.structured or second.structured
    state.tail = second.tail
    state.end_step = step(second.end_step) if second.end_step else first.end_step
    for number, code in second.exit_codes.items():
        state.exit_codes[last.number if number == 0 else number + last.number] = code
    if second.failed:
        state.failed = True
        state.first_failure = first.first_failure if first.failed else second.first_failure
        state.last_lines = second.last_lines
        state.last_line_no = second.last_line_no + offset
        state.last_step = step(second.last_step) if second.last_step else first.last_step
    return state


__all__ = ["merge", "scan_in_two"]
